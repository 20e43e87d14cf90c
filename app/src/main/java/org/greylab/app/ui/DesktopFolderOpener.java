package org.greylab.app.ui;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.application.HostServices;
import org.greylab.app.run.FolderOpener;

/** Opens a folder with xdg-open on Linux (HostServices does not open folders everywhere), else HostServices. */
final class DesktopFolderOpener implements FolderOpener {

    private final HostServices host;

    DesktopFolderOpener(HostServices host) {
        this.host = host;
    }

    @Override
    public void open(Path folder) throws Exception {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            Process p = new ProcessBuilder("xdg-open", folder.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() != 0) {
                throw new IllegalStateException("xdg-open exited with " + p.exitValue());
            }
            return;
        }
        host.showDocument(folder.toUri().toString());
    }
}
