package org.greylab.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The app's logging, quiet by default: warnings and errors only, one line each on the terminal, never a stack
 * trace there. {@link LoggingSetup} adjusts it to {@code --verbose} and {@code --log FILE}. Logback finds this class
 * as a service and runs it instead of reading an XML file: parsing one took about a tenth of a second of every
 * command's start-up (an XML parser, logback's configuration model, reflection over both). A
 * {@code -Dlogback.configurationFile} given on the command line still wins.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    /** The console appender's name, which {@link LoggingSetup} looks for. */
    static final String CONSOLE = "CONSOLE";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("greylab %level: %msg%n%nopex");
        encoder.start();
        ThresholdFilter threshold = new ThresholdFilter();
        threshold.setLevel("WARN");
        threshold.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(CONSOLE);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.addFilter(threshold);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        context.getLogger("org.greylab").setLevel(Level.WARN);
        // the client's own retry warnings come before Greylab's clear connect error, which says it better
        context.getLogger("com.hazelcast").setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
