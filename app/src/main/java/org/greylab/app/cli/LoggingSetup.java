package org.greylab.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Adjusts the logging of {@link ConsoleLogging} to the command's options: {@code --verbose} shows
 * Greylab's debug lines on the terminal, {@code --log FILE} adds a file that gets them too, with stack traces.
 * The terminal never gets a stack trace (the console pattern drops them).
 */
final class LoggingSetup {

    private static final String FILE_APPENDER = "GREYLAB_FILE";

    private LoggingSetup() {
    }

    static void configure(boolean verbose, Path logFile) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger greylab = context.getLogger("org.greylab");
        greylab.setLevel(verbose || logFile != null ? Level.DEBUG : Level.WARN);
        Appender<ILoggingEvent> console = root.getAppender(ConsoleLogging.CONSOLE);
        if (console != null) {
            for (Filter<ILoggingEvent> filter : console.getCopyOfAttachedFiltersList()) {
                if (filter instanceof ThresholdFilter threshold) {
                    threshold.setLevel(verbose ? "DEBUG" : "WARN");
                }
            }
        }
        Appender<ILoggingEvent> old = root.getAppender(FILE_APPENDER);
        if (old != null) {
            root.detachAppender(old);
            old.stop();
        }
        if (logFile != null) {
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n");
            encoder.start();
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setName(FILE_APPENDER);
            file.setContext(context);
            file.setFile(logFile.toAbsolutePath().toString());
            file.setAppend(true);
            file.setEncoder(encoder);
            file.start();
            root.addAppender(file);
        }
    }

    /** Flushes and closes the log file, if one was opened. */
    static void close() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Appender<ILoggingEvent> file = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                    .getAppender(FILE_APPENDER);
            if (file != null) {
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(file);
                file.stop();
            }
        }
    }
}
