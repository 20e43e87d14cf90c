package org.greylab.app.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {

    @TempDir
    Path tmp;

    @Test
    void savedSettingsComeBack() {
        SettingsStore store = new SettingsStore(tmp.resolve("config/greylab/settings.json"));
        WindowSettings saved = new WindowSettings(List.of("/photos"), "/photos-out", "/home", "balanced", 3,
                "10.0.0.5:5701", "lab1", "png", "rec601", "rename", true, 1400, 900);

        store.save(saved);

        assertThat(store.load()).isEqualTo(saved);
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
    void theDefaultEngineCountIsTwoOrOnePerCore() {
        assertThat(WindowSettings.defaults().localEngines())
                .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }
}
