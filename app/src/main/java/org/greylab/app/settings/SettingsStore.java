package org.greylab.app.settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link WindowSettings} in a small JSON file in the user's config folder
 * ({@code $XDG_CONFIG_HOME/greylab/settings.json}, else {@code ~/.config/greylab/settings.json}). A missing or
 * damaged file gives the defaults; saving is atomic, so a crash never leaves half a file.
 */
public final class SettingsStore {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public SettingsStore(Path file) {
        this.file = file;
    }

    /** The user's own settings file. */
    public static SettingsStore forUser() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".config");
        return new SettingsStore(config.resolve("greylab").resolve("settings.json"));
    }

    public Path file() {
        return file;
    }

    public WindowSettings load() {
        if (!Files.isRegularFile(file)) {
            return WindowSettings.defaults();
        }
        try {
            return JSON.readValue(file.toFile(), WindowSettings.class).orDefaults();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Settings file {} could not be read ({}); using the defaults", file, e.getMessage());
            return WindowSettings.defaults();
        }
    }

    public void save(WindowSettings settings) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".settings-", ".json");
            JSON.writeValue(tmp.toFile(), settings);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Settings could not be saved to {}: {}", file, e.getMessage());
        }
    }
}
