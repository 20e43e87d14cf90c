package org.greylab.app.settings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link WindowSettings} in a small JSON file in the user's config folder
 * ({@code $XDG_CONFIG_HOME/greylab/settings.json}, else {@code ~/.config/greylab/settings.json}). Choices are stored
 * as the CLI's lower-case words ({@code png}, and {@code compare} for a Compare). A missing or damaged file gives
 * the defaults; a value this build does not know gives its default and a sentence saying so ({@link #problems()}),
 * never a silent change. Saving is atomic, so a crash never leaves half a file.
 */
public final class SettingsStore {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(new SimpleModule("greylab-words").addSerializer(Enum.class, new WordSerializer()))
            .build();

    private final Path file;
    private final List<String> problems = new ArrayList<>();

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

    /** What the last {@link #load()} could not use, in words (empty when everything was understood). */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    public WindowSettings load() {
        problems.clear();
        if (!Files.isRegularFile(file)) {
            return WindowSettings.defaults();
        }
        try {
            WindowSettings read = JSON.readerFor(WindowSettings.class).withHandler(new UnknownWords())
                    .readValue(file.toFile());
            return read.orDefaults();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Settings file {} could not be read ({}); using the defaults", file, e.getMessage());
            problems.add("The settings file " + file + " could not be read (" + e.getMessage()
                    + "); the defaults are used.");
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

    /** A word this build does not know: the field gets its default (null, filled by orDefaults), and a sentence. */
    private final class UnknownWords extends DeserializationProblemHandler {
        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String value,
                                             String failureMsg) throws IOException {
            String field = ctxt.getParser().currentName();
            String choices = targetType.isEnum() ? Arrays.stream(targetType.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) : "";
            if ("mode".equals(field)) {
                choices += ", " + ModesJson.COMPARE;
            }
            String problem = "Settings: \"" + value + "\" is not a " + field + (choices.isEmpty() ? ""
                    : " (" + choices + ")") + "; the default is used.";
            LOG.warn("{} ({})", problem, file);
            problems.add(problem);
            return null;
        }
    }

    /** Choices as the CLI's lower-case words. */
    @SuppressWarnings("rawtypes")
    private static final class WordSerializer extends JsonSerializer<Enum> {
        @Override
        public void serialize(Enum value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.name().toLowerCase(Locale.ROOT));
        }
    }
}
