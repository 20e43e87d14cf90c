package org.greylab.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** JavaFX's class-path warning is dropped; its other warnings are not. */
class JavaFxWarningsTest {

    private final Logger javafx = Logger.getLogger(JavaFxWarnings.LOGGER);
    private final List<String> published = new ArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            published.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void removeRecorder() {
        javafx.removeHandler(recorder);
    }

    @Test
    void onlyTheClassPathWarningIsDropped() {
        javafx.addHandler(recorder);
        JavaFxWarnings.quietClassPathWarning();
        JavaFxWarnings.quietClassPathWarning();

        javafx.log(Level.WARNING, "Unsupported JavaFX configuration: classes were loaded from 'unnamed module @1'");
        javafx.log(Level.WARNING, "Loading FXML document with JavaFX API of version 22 by JavaFX runtime 21");

        assertThat(published).containsExactly("Loading FXML document with JavaFX API of version 22 by JavaFX runtime 21");
    }
}
