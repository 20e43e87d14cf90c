package org.greylab.engine.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster file of 'greylab engines start': private to the user, and harmless to the folder it is put in. */
class ClusterFileTest {

    private final ClusterFile file = new ClusterFile("greylab-local-1234", List.of(new EngineAddress("127.0.0.1",
            5701), new EngineAddress("127.0.0.1", 5702)), 4242, Instant.parse("2026-12-05T04:00:00Z"));

    @Test
    void aFolderItMakesIsTheUsersAloneAndTheFileReadsBack(@TempDir Path temp) throws Exception {
        Path path = temp.resolve("runtime/greylab/local.cluster");

        file.write(path);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        assertThat(ClusterFile.read(path)).contains(file);
    }

    @Test
    void aFolderThatIsAlreadyThereKeepsItsPermissions(@TempDir Path temp) throws Exception {
        Path shared = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        file.write(shared.resolve("my.cluster"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rwxrwxrwx");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared.resolve("my.cluster"))))
                .isEqualTo("rw-------");
    }
}
