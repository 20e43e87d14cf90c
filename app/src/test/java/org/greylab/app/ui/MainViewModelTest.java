package org.greylab.app.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.greylab.app.engines.NoEnginesService;
import org.greylab.app.input.InputViewModel;
import org.greylab.app.settings.SettingsStore;
import org.greylab.app.settings.WindowSettings;
import org.greylab.app.testing.TestFx;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.TaskGrouping;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.TestFiles;
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
            first.run().options().groupingProperty().set(TaskGrouping.fixed(32));
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
        assertThat(fx.call(() -> second.run().options().groupingProperty().get())).isEqualTo(TaskGrouping.fixed(32));
        assertThat(fx.call(() -> second.run().options().groupingWordProperty().get())).isEqualTo("32");
        assertThat(fx.call(() -> second.run().options().outputProperty().get()))
                .isEqualTo(tmp.resolve("out").toString());
        assertThat(fx.call(() -> second.engines().localCountProperty().get())).isEqualTo(3);
        assertThat(fx.call(() -> second.darkProperty().get())).isTrue();
        assertThat(fx.call(() -> List.copyOf(second.input().sources()))).containsExactly(Samples.folder(), tmp);
        WindowSettings saved = store.load();
        assertThat(saved.mode()).isEqualTo(List.of(Mode.BALANCED));
    }

    private WindowSettings remembering(List<String> inputs, String output) {
        WindowSettings d = WindowSettings.defaults();
        return new WindowSettings(inputs, output, null, d.mode(), 2, d.labAddresses(), "", d.format(), d.formula(),
                d.overwrite(), false, 1280, 860);
    }

    @Test
    void namedInputsReplaceTheRememberedOnesWithTheDefaultOutputAndAreRememberedAtOnce() throws Exception {
        SettingsStore store = new SettingsStore(tmp.resolve("settings.json"));
        store.save(remembering(List.of(Samples.folder().toString()), tmp.resolve("old-out").toString()));
        Path trip = TestFiles.copyInto(tmp.resolve("trip"), Samples.smallest(2));
        MainViewModel model = model(store);

        fx.run(() -> model.startUp(List.of(trip)));

        await().atMost(Duration.ofSeconds(20)).until(() -> fx.call(() -> model.input().images().size()) == 2);
        assertThat(fx.call(() -> List.copyOf(model.input().sources()))).containsExactly(trip);
        assertThat(fx.call(() -> model.run().options().outputProperty().get())).isEmpty();
        assertThat(fx.call(() -> model.run().options().defaultOutputProperty().get()))
                .isEqualTo(tmp.resolve("trip-grey").toString());
        assertThat(fx.call(() -> model.titleProperty().get())).isEqualTo("Greylab \u2014 trip");
        await().atMost(Duration.ofSeconds(10)).until(() -> store.load().inputs().equals(List.of(trip.toString())));
        assertThat(store.load().output()).isNull();
        assertThat(store.load().recent()).containsExactly(List.of(trip.toString()),
                List.of(Samples.folder().toString()));
    }

    @Test
    void aNamedPathThatDoesNotExistIsListedAsLeftOutAndTheOthersOpen() throws Exception {
        Path trip = TestFiles.copyInto(tmp.resolve("trip"), Samples.smallest(1));
        Path missing = tmp.resolve("no such folder");
        MainViewModel model = model(new SettingsStore(tmp.resolve("settings.json")));

        fx.run(() -> model.startUp(List.of(trip, missing)));

        assertThat(fx.call(() -> List.copyOf(model.input().sources()))).containsExactly(trip);
        assertThat(fx.call(() -> model.input().leftOutProperty().get()))
                .isEqualTo("Left out: " + missing + " (does not exist)");
    }

    @Test
    void pathsFromAnotherGreylabJoinTheList() throws Exception {
        Path trip = TestFiles.copyInto(tmp.resolve("trip"), Samples.smallest(1));
        Path scans = TestFiles.copyInto(tmp.resolve("scans"), Samples.smallest(2));
        MainViewModel model = model(new SettingsStore(tmp.resolve("settings.json")));
        fx.run(() -> model.startUp(List.of(trip)));

        fx.run(() -> model.open(List.of(scans)));

        assertThat(fx.call(() -> List.copyOf(model.input().sources()))).containsExactly(trip, scans);
        assertThat(fx.call(() -> model.titleProperty().get())).isEqualTo("Greylab \u2014 trip and 1 more");
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.call(() -> model.input().images().size()) == 3);
    }

    @Test
    void theLastTenInputSetsAreRememberedNewestFirst() {
        SettingsStore store = new SettingsStore(tmp.resolve("settings.json"));
        MainViewModel first = model(store);
        fx.run(first::startUp);
        fx.run(() -> {
            for (int i = 0; i < 12; i++) {
                first.input().remember(List.of(tmp.resolve("set" + i)));
            }
            first.input().remember(List.of(tmp.resolve("b"), tmp.resolve("a")));
            first.input().remember(List.of(tmp.resolve("set11")));
            // the same set in another order moves up instead of coming twice
            first.input().remember(List.of(tmp.resolve("a"), tmp.resolve("b")));
        });
        fx.run(first::save);

        MainViewModel second = model(store);
        fx.run(second::startUp);

        List<List<Path>> recent = fx.call(() -> List.copyOf(second.input().recent()));
        assertThat(recent).hasSize(InputViewModel.RECENT_SETS);
        // the window's own inputs (the samples) first: it opened on them
        assertThat(recent.get(0)).containsExactly(Samples.folder());
        assertThat(recent.get(1)).containsExactly(tmp.resolve("a"), tmp.resolve("b"));
        assertThat(recent.get(2)).containsExactly(tmp.resolve("set11"));
        assertThat(recent.get(3)).containsExactly(tmp.resolve("set10"));
        assertThat(recent.stream().filter(set -> set.size() == 2)).hasSize(1);
    }

    @Test
    void openingARecentSetReplacesTheInputsAndRemembersTheOnesItReplaced() throws Exception {
        Path trip = TestFiles.copyInto(tmp.resolve("trip"), Samples.smallest(1));
        Path scans = TestFiles.copyInto(tmp.resolve("scans"), Samples.smallest(2));
        MainViewModel model = model(new SettingsStore(tmp.resolve("settings.json")));
        fx.run(() -> model.startUp(List.of(trip)));
        fx.run(() -> model.input().addFolder(scans));

        fx.run(() -> model.input().openRecent(List.of(trip)));

        assertThat(fx.call(() -> List.copyOf(model.input().sources()))).containsExactly(trip);
        assertThat(fx.call(() -> List.copyOf(model.input().recent()))).startsWith(List.of(trip),
                List.of(trip, scans));
    }
}
