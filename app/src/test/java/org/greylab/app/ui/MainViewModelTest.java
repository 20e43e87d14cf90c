package org.greylab.app.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.greylab.app.engines.NoEnginesService;
import org.greylab.app.settings.SettingsStore;
import org.greylab.app.settings.WindowSettings;
import org.greylab.app.testing.TestFx;
import org.greylab.core.schedule.Mode;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up and what the window remembers, without a Stage. */
class MainViewModelTest {

    private final TestFx fx = new TestFx();

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        fx.close();
    }

    private MainViewModel model(SettingsStore store) {
        return new MainViewModel(fx.executor(), new NoEnginesService(), store, Samples.repo(), f -> { });
    }

    @Test
    void aFirstStartLoadsTheBundledSamplesWithTheCompareMode() throws Exception {
        MainViewModel model = model(new SettingsStore(tmp.resolve("settings.json")));

        fx.run(model::startUp);

        await().atMost(Duration.ofSeconds(20)).until(() -> fx.call(() -> model.input().images().size())
                == Samples.images().size());
        assertThat(fx.call(() -> model.run().options().modesProperty().get())).isEqualTo(Mode.ALL);
        assertThat(fx.call(() -> model.input().sources())).containsExactly(Samples.folder());
    }

    @Test
    void theModeFoldersAndOptionsAreRememberedBetweenRuns() {
        SettingsStore store = new SettingsStore(tmp.resolve("settings.json"));
        MainViewModel first = model(store);
        fx.run(() -> {
            first.startUp();
            first.run().options().modesProperty().set(List.of(Mode.BALANCED));
            first.run().options().formatProperty().set(OutputFormat.PNG);
            first.run().options().outputProperty().set(tmp.resolve("out").toString());
            first.engines().localCountProperty().set(3);
            first.darkProperty().set(true);
            first.input().addFolder(tmp);
        });
        fx.run(first::save);

        MainViewModel second = model(store);
        fx.run(second::startUp);

        assertThat(fx.call(() -> second.run().options().modesProperty().get())).isEqualTo(List.of(Mode.BALANCED));
        assertThat(fx.call(() -> second.run().options().formatProperty().get())).isEqualTo(OutputFormat.PNG);
        assertThat(fx.call(() -> second.run().options().outputProperty().get()))
                .isEqualTo(tmp.resolve("out").toString());
        assertThat(fx.call(() -> second.engines().localCountProperty().get())).isEqualTo(3);
        assertThat(fx.call(() -> second.darkProperty().get())).isTrue();
        assertThat(fx.call(() -> List.copyOf(second.input().sources()))).containsExactly(Samples.folder(), tmp);
        WindowSettings saved = store.load();
        assertThat(saved.mode()).isEqualTo(List.of(Mode.BALANCED));
    }
}
