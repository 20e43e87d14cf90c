package org.greylab.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterKeyTest {

    @TempDir
    Path temp;

    @Test
    void aNewKeyFileIsPrivateAndReadsBackAsTheSameKey() throws Exception {
        ClusterKey key = ClusterKey.generate();
        Path file = temp.resolve("lab.key");

        key.writeNew(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ClusterKey.read(file)).isEqualTo(key);
        assertThat(ClusterKey.generate()).isNotEqualTo(key);
    }

    @Test
    void anExistingFileIsNeverReplaced() throws Exception {
        Path file = temp.resolve("lab.key");
        ClusterKey.generate().writeNew(file);

        assertThatThrownBy(() -> ClusterKey.generate().writeNew(file)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedWithTheChmodToRun() throws Exception {
        Path file = temp.resolve("lab.key");
        ClusterKey.generate().writeNew(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> ClusterKey.read(file)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("chmod 600 " + file);
    }

    @Test
    void aMissingKeyFileSaysHowToMakeOne() {
        Path file = temp.resolve("none.key");

        assertThatThrownBy(() -> ClusterKey.read(file)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("greylab key new");
    }

    @Test
    void aMalformedKeyFileIsRefused() throws Exception {
        Path file = temp.resolve("bad.key");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "hunter2\n");

        assertThatThrownBy(() -> ClusterKey.read(file)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("not a Greylab key");
    }

    @Test
    void theKeyCanComeThroughAPipe() {
        ClusterKey key = ClusterKey.generate();

        ClusterKey read = ClusterKey.readFrom(new ByteArrayInputStream((key.toBase64() + "\n")
                .getBytes(StandardCharsets.US_ASCII)));

        assertThat(read).isEqualTo(key);
        assertThat(read.toString()).doesNotContain(key.toBase64());
    }
}
