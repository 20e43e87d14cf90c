package org.greylab.app.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the bundled samples' output goes in a checkout and in an installed (read-only) copy. */
class LocationsTest {

    @TempDir
    Path tmp;

    private String savedOutputHome;
    private String savedUserHome;
    private Path home;
    private Path user;

    @BeforeEach
    void rememberProperties() throws Exception {
        savedOutputHome = System.getProperty(Locations.OUTPUT_HOME_PROPERTY);
        savedUserHome = System.getProperty("user.home");
        System.clearProperty(Locations.OUTPUT_HOME_PROPERTY);
        home = Files.createDirectories(tmp.resolve("install"));
        Files.createDirectories(Locations.samples(home));
        user = Files.createDirectories(tmp.resolve("user"));
        System.setProperty("user.home", user.toString());
    }

    @AfterEach
    void restoreProperties() throws Exception {
        restore(Locations.OUTPUT_HOME_PROPERTY, savedOutputHome);
        restore("user.home", savedUserHome);
        Path assets = Locations.samples(home).getParent();
        if (Files.exists(assets)) {
            Files.setPosixFilePermissions(assets, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void samplesOfAWritableCheckoutGoBesideThem() {
        assertThat(Locations.samplesOutput(home)).isEqualTo(home.resolve("assets").resolve("samples-grey"));
    }

    @Test
    void outputHomePropertyWinsAndATildeIsTheUsersHome() {
        System.setProperty(Locations.OUTPUT_HOME_PROPERTY, "~/Greylab");

        assertThat(Locations.samplesOutput(home)).isEqualTo(user.resolve("Greylab").resolve("samples-grey"));
    }

    @Test
    void readOnlySamplesGoToTheUsersHome() throws Exception {
        Path assets = Locations.samples(home).getParent();
        Files.setPosixFilePermissions(assets, PosixFilePermissions.fromString("r-xr-xr-x"));
        Assumptions.assumeFalse(Files.isWritable(assets), "root can write anywhere: nothing to check");

        assertThat(Locations.samplesOutput(home)).isEqualTo(user.resolve("Greylab").resolve("samples-grey"));
    }

    @Test
    void onlyTheBundledSamplesGetTheSamplesDefault() throws Exception {
        System.setProperty(Locations.OUTPUT_HOME_PROPERTY, tmp.resolve("out").toString());
        Path other = Files.createDirectories(tmp.resolve("photos"));

        assertThat(Locations.defaultOutputFor(List.of(Locations.samples(home)), home))
                .contains(tmp.resolve("out").resolve("samples-grey"));
        assertThat(Locations.defaultOutputFor(List.of(other), home)).isEmpty();
        assertThat(Locations.defaultOutputFor(List.of(Locations.samples(home), other), home)).isEmpty();
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
