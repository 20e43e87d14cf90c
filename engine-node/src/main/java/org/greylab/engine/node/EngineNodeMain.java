package org.greylab.engine.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Entry point of engine-node.jar. It sets up logging before any logger is used (so no static logger here): an
 * engine's stdout carries only its ready line, logs go to stderr, and Hazelcast speaks only when it matters.
 */
public final class EngineNodeMain {

    /** {@code -Dgreylab.engine.level=DEBUG} shows a line per task. */
    static final String LEVEL_PROPERTY = "greylab.engine.level";
    /** {@code -Dgreylab.engine.hazelcast.level=INFO} shows Hazelcast's own start-up and membership lines. */
    static final String HAZELCAST_LEVEL_PROPERTY = "greylab.engine.hazelcast.level";

    private EngineNodeMain() {
    }

    public static void main(String[] args) {
        setDefault("hazelcast.logging.type", "slf4j");
        setDefault("java.awt.headless", "true");
        setDefault("greylab.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        configureLogging();
        System.exit(new CommandLine(new EngineNodeCommand()).execute(args));
    }

    /**
     * Configured in code rather than from an XML file: parsing one costs each engine about a tenth of a second of
     * CPU at start-up, when local engines and the app compete for the cores. A {@code -Dlogback.configurationFile}
     * given on the command line still wins.
     */
    private static void configureLogging() {
        if (System.getProperty("logback.configurationFile") != null
                || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("com.hazelcast").setLevel(level(HAZELCAST_LEVEL_PROPERTY, Level.WARN));
        // a port that cannot be bound is reported by the engine in one line; Hazelcast's stack trace adds nothing
        context.getLogger("com.hazelcast.instance.AddressPicker").setLevel(Level.OFF);
        context.getLogger("org.greylab").setLevel(level(LEVEL_PROPERTY, Level.INFO));
    }

    private static Level level(String property, Level otherwise) {
        return Level.toLevel(System.getProperty(property), otherwise);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
