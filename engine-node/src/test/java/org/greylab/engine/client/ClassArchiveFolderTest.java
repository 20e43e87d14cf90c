package org.greylab.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the engines' class data archive may live: a folder of this user's alone, never a shared one. */
class ClassArchiveFolderTest {

    @TempDir
    Path tmp;

    @Test
    void aFolderItMakesIsTheUsersAlone() throws Exception {
        Path folder = EngineClassArchive.privateFolder(tmp.resolve("cache/greylab/class-data"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    }

    @Test
    void aSymbolicLinkIsRefused() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(tmp.resolve("class-data"), elsewhere);

        assertThatThrownBy(() -> EngineClassArchive.privateFolder(link)).isInstanceOf(IOException.class);
    }

    @Test
    void aFolderOthersMayWriteIsRefused() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> EngineClassArchive.privateFolder(shared)).isInstanceOf(IOException.class)
                .hasMessageContaining("writable by others");
    }
}
