package org.greylab.app.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.TaskGrouping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {

    @TempDir
    Path tmp;

    @Test
    void savedSettingsComeBack() {
        SettingsStore store = new SettingsStore(tmp.resolve("config/greylab/settings.json"));
        WindowSettings saved = new WindowSettings(List.of("/photos"), "/photos-out", "/home", List.of(Mode.BALANCED),
                3, "10.0.0.5:5701", "lab1", OutputFormat.PNG, GreyFormula.REC601, OverwritePolicy.RENAME, true, 1400,
                900, List.of(), "/home/ana/.config/greylab/lab1.key");

        store.save(saved);

        assertThat(store.load()).isEqualTo(saved);
    }

    @Test
    void theRecentInputSetsComeBackInTheirOrder() {
        SettingsStore store = new SettingsStore(tmp.resolve("settings.json"));
        WindowSettings d = WindowSettings.defaults();
        WindowSettings saved = new WindowSettings(List.of("/trip"), null, null, d.mode(), 2, d.labAddresses(), "",
                d.format(), d.formula(), d.overwrite(), false, 1280, 860,
                List.of(List.of("/trip"), List.of("/scans", "/more scans/a.png")), null);

        store.save(saved);

        assertThat(store.load().recent()).containsExactly(List.of("/trip"), List.of("/scans", "/more scans/a.png"));
    }

    @Test
    void noFileGivesTheDefaults() {
        assertThat(new SettingsStore(tmp.resolve("none.json")).load()).isEqualTo(WindowSettings.defaults());
    }

    @Test
    void aDamagedFileGivesTheDefaults() throws Exception {
        Path file = tmp.resolve("settings.json");
        Files.writeString(file, "{ not json");

        assertThat(new SettingsStore(file).load()).isEqualTo(WindowSettings.defaults());
    }

    @Test
    void choicesAreStoredAsTheCommandLinesWords() throws Exception {
        SettingsStore store = new SettingsStore(tmp.resolve("settings.json"));
        store.save(new WindowSettings(List.of(), null, null, Mode.ALL, 2, "127.0.0.1", "", OutputFormat.JPEG,
                GreyFormula.AVERAGE, OverwritePolicy.SKIP, false, 1280, 860, null, null));

        String json = Files.readString(store.file());

        assertThat(json).contains("\"mode\" : \"compare\"").contains("\"format\" : \"jpeg\"")
                .contains("\"formula\" : \"average\"").contains("\"overwrite\" : \"skip\"");
    }

    @Test
    void aFileWrittenBeforeModesWereTypedStillLoadsModesAndAll() throws Exception {
        Path file = tmp.resolve("settings.json");
        try (var in = SettingsStoreTest.class.getResourceAsStream("settings-0.1.0.json")) {
            Files.copy(in, file);
        }

        SettingsStore store = new SettingsStore(file);
        WindowSettings loaded = store.load();

        assertThat(store.problems()).isEmpty();
        assertThat(loaded).isEqualTo(new WindowSettings(List.of("/home/ana/Pictures/trip", "/home/ana/scans"),
                "/home/ana/Pictures/trip-grey", "/home/ana/Pictures", List.of(Mode.BALANCED), 3, "10.0.0.5:5701",
                "lab1", OutputFormat.PNG, GreyFormula.REC601, OverwritePolicy.RENAME, true, 1400.0, 900.0, List.of(), null));
    }

    @Test
    void theGroupingIsStoredAsTheCommandLinesWordAndAnUnknownOneGivesAutoAndASentence() throws Exception {
        SettingsStore store = new SettingsStore(tmp.resolve("settings.json"));
        WindowSettings d = WindowSettings.defaults();
        store.save(new WindowSettings(List.of(), null, null, d.mode(), 2, d.labAddresses(), "", d.format(),
                d.formula(), d.overwrite(), false, 1280, 860, List.of(), null, TaskGrouping.fixed(16)));

        assertThat(Files.readString(store.file())).contains("\"group\" : \"16\"");
        assertThat(store.load().group()).isEqualTo(TaskGrouping.fixed(16));

        Files.writeString(store.file(), "{\"group\": \"lots\"}");
        WindowSettings loaded = store.load();
        assertThat(loaded.group()).isEqualTo(TaskGrouping.AUTO);
        assertThat(store.problems()).singleElement().asString().startsWith("Settings: \"lots\" is not a group");
    }

    @Test
    void compareIsStoredAsOneWordAndComesBackAsEveryMode() {
        SettingsStore store = new SettingsStore(tmp.resolve("settings.json"));
        store.save(WindowSettings.defaults());

        assertThat(store.load().mode()).isEqualTo(Mode.ALL);
    }

    @Test
    void anUnknownWordGivesItsDefaultAndASentenceNamingTheChoices() throws Exception {
        Path file = tmp.resolve("settings.json");
        Files.writeString(file, "{\"mode\": \"turbo\", \"format\": \"webp\", \"formula\": \"REC601\","
                + " \"localEngines\": 4}");
        SettingsStore store = new SettingsStore(file);

        WindowSettings loaded = store.load();

        assertThat(loaded.mode()).isEqualTo(Mode.ALL);
        assertThat(loaded.format()).isEqualTo(OutputFormat.KEEP);
        assertThat(loaded.formula()).as("any case is understood").isEqualTo(GreyFormula.REC601);
        assertThat(loaded.localEngines()).isEqualTo(4);
        assertThat(store.problems()).containsExactly(
                "Settings: \"turbo\" is not a mode (serial, direct, balanced, compare); the default is used.",
                "Settings: \"webp\" is not a format (keep, png, jpeg, tiff); the default is used.");
    }

    @Test
    void theDefaultEngineCountIsTwoOrOnePerCore() {
        assertThat(WindowSettings.defaults().localEngines()).isEqualTo(EngineCluster.defaultLocalEngines())
                .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }
}
