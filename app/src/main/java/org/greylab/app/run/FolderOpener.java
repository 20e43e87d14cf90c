package org.greylab.app.run;

import java.nio.file.Path;

/** Shows a folder in the desktop's file manager; may block, so it is called off the FX thread. */
@FunctionalInterface
public interface FolderOpener {
    void open(Path folder) throws Exception;
}
