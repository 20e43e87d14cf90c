package org.greylab.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.greylab.core.image.HeifDecoders;
import org.greylab.core.image.JpegDecoders;
import org.greylab.core.image.JpegEncoders;
import org.greylab.core.image.WebpDecoders;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the jar manifest's Implementation-Version, or the build's filtered resource. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "greylab " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
            "JPEG decoder: " + JpegDecoders.description(),
            "JPEG encoder: " + JpegEncoders.description(),
            "WebP decoder: " + WebpDecoders.description(),
            "HEIC/AVIF decoder: " + HeifDecoders.description()
        };
    }

    static String version() {
        String fromManifest = VersionProvider.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        try (InputStream in = VersionProvider.class.getResourceAsStream("/org/greylab/app/greylab-version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through: a version is a nicety, never a reason to fail
        }
        return "unknown";
    }
}
