package org.greylab.app.ui;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps JavaFX's "Unsupported JavaFX configuration: classes were loaded from 'unnamed module'" off the terminal.
 * Greylab runs JavaFX from the class path on purpose (one {@code java -jar} with the app's other libraries) and has
 * been tested so; the line would only alarm users on every start. JavaFX's other warnings still print.
 */
final class JavaFxWarnings {

    /** JavaFX's own logger (through {@code System.Logger}, which is java.util.logging here). */
    static final String LOGGER = "javafx";
    static final String CLASS_PATH_WARNING = "Unsupported JavaFX configuration";

    /** Held here: java.util.logging keeps loggers only weakly, and a collected one would lose its filter. */
    private static final Logger JAVAFX = Logger.getLogger(LOGGER);

    private JavaFxWarnings() {
    }

    /** From now on the class-path warning is dropped; whatever filter was there still sees the rest. */
    static synchronized void quietClassPathWarning() {
        Filter previous = JAVAFX.getFilter();
        if (previous instanceof ClassPathWarningFilter) {
            return;
        }
        JAVAFX.setFilter(new ClassPathWarningFilter(previous));
    }

    private record ClassPathWarningFilter(Filter next) implements Filter {
        @Override
        public boolean isLoggable(LogRecord record) {
            String message = record.getMessage();
            if (message != null && message.startsWith(CLASS_PATH_WARNING)) {
                return false;
            }
            return next == null || next.isLoggable(record);
        }
    }
}
