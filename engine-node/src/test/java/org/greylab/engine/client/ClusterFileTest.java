package org.greylab.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.greylab.engine.security.ClusterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster file of 'greylab engines start': private to the user, and harmless to the folder it is put in. */
class ClusterFileTest {

    private final ClusterFile file = new ClusterFile("greylab-local-1234", List.of(new EngineAddress("127.0.0.1",
            5701), new EngineAddress("127.0.0.1", 5702)), List.of(4242L, 4243L), Instant.parse("2026-12-05T04:00:00Z"),
            ClusterKey.generate());

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
    void aClusterFileOthersCanReadIsRefusedForItHoldsTheKey(@TempDir Path temp) throws Exception {
        Path path = temp.resolve("local.cluster");
        file.write(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> ClusterFile.read(path)).isInstanceOf(IOException.class)
                .hasMessageContaining("chmod 600 " + path);
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

    @Test
    void onlyLiveProcessesWhoseCommandLineNamesTheClusterCountAsItsEngines() throws Exception {
        // a process that names the cluster stands for an engine; this JVM (a live pid that does not) for a process
        // that took the pid of an engine that had ended: engines stop must never signal it
        Process engine = new ProcessBuilder("sh", "-c", "sleep 60", "greylab-local-1234").start();
        try {
            long stranger = ProcessHandle.current().pid();
            ClusterFile cluster = new ClusterFile("greylab-local-1234", file.addresses(),
                    List.of(engine.pid(), stranger), file.started(), file.key());

            assertThat(cluster.runningEngines()).extracting(ProcessHandle::pid).containsExactly(engine.pid());

            engine.destroy();
            engine.waitFor();
            assertThat(cluster.runningEngines()).isEmpty();
        } finally {
            engine.destroyForcibly();
        }
    }

    @Test
    void engineHostsReachedOverSshAndTheirSshConfigReadBack(@TempDir Path temp) throws Exception {
        Path path = temp.resolve("ssh.cluster");
        ClusterFile overSsh = new ClusterFile("greylab-ssh-1234", List.of(new EngineAddress("10.0.0.21", 5701),
                new EngineAddress("10.0.0.22", 5701)), List.of(), Instant.parse("2026-12-05T04:00:00Z"),
                ClusterKey.generate(), List.of(new ClusterFile.HostEngines("ada@10.0.0.21", List.of(101L)),
                new ClusterFile.HostEngines("pc22", List.of(202L, 203L))), temp.resolve("ssh_config"));

        overSsh.write(path);

        assertThat(ClusterFile.read(path)).contains(overSsh);
        assertThat(overSsh.overSsh()).isTrue();
        assertThat(file.overSsh()).isFalse();
    }
}
