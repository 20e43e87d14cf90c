package org.greylab.app.settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where Greylab's bundled assets are, and where the outputs of the bundled samples go. A checkout writes them
 * beside the samples ({@code assets/samples-grey}); an installed copy must never write into its install folder, so
 * its launcher sets {@value #OUTPUT_HOME_PROPERTY} (the package uses {@code ~/Greylab}), and a read-only home
 * falls back to {@code ~/Greylab} by itself.
 */
public final class Locations {

    /** The repository or installation root holding {@code assets/samples}; the launchers set it. */
    public static final String HOME_PROPERTY = "greylab.home";
    /** The folder that receives the samples' default output; a leading {@code ~} is the user's home. */
    public static final String OUTPUT_HOME_PROPERTY = "greylab.output.home";
    /** The folder in the user's home used when the bundled samples sit in a folder the user cannot write. */
    static final String USER_FOLDER = "Greylab";
    static final String SAMPLES_OUTPUT = "samples-grey";

    private Locations() {
    }

    /** {@code -Dgreylab.home}, else the working folder. */
    public static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        return (home == null || home.isBlank() ? Path.of("") : Path.of(home)).toAbsolutePath().normalize();
    }

    /** The bundled samples under a home. */
    public static Path samples(Path home) {
        return home.resolve("assets").resolve("samples");
    }

    /**
     * The default output of the bundled samples: {@code <greylab.output.home>/samples-grey} when that property is
     * set; else {@code assets/samples-grey} beside them when that folder can be written (a checkout); else
     * {@code ~/Greylab/samples-grey} (an installed copy without the property).
     */
    public static Path samplesOutput(Path home) {
        String outputHome = System.getProperty(OUTPUT_HOME_PROPERTY);
        if (outputHome != null && !outputHome.isBlank()) {
            return expandHome(outputHome.trim()).resolve(SAMPLES_OUTPUT).toAbsolutePath().normalize();
        }
        Path assets = samples(home).getParent();
        Path beside = assets.resolve(SAMPLES_OUTPUT);
        if (Files.isDirectory(beside) ? Files.isWritable(beside) : Files.isWritable(assets)) {
            return beside;
        }
        return userHome().resolve(USER_FOLDER).resolve(SAMPLES_OUTPUT);
    }

    /**
     * The default output folder for these inputs when they are exactly the bundled samples (which may be read-only);
     * empty otherwise, so the caller keeps the usual {@code <input>-grey} sibling.
     */
    public static Optional<Path> defaultOutputFor(List<Path> inputs, Path home) {
        if (inputs.size() != 1) {
            return Optional.empty();
        }
        Path input = inputs.get(0).toAbsolutePath().normalize();
        return input.equals(samples(home).toAbsolutePath().normalize())
                ? Optional.of(samplesOutput(home)) : Optional.empty();
    }

    static Path expandHome(String path) {
        if (path.equals("~")) {
            return userHome();
        }
        if (path.startsWith("~/")) {
            return userHome().resolve(path.substring(2));
        }
        return Path.of(path);
    }

    private static Path userHome() {
        return Path.of(System.getProperty("user.home"));
    }
}
