package org.greylab.app.input;

import java.nio.file.Path;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.image.Image;
import org.greylab.core.image.ImageFormat;
import org.greylab.core.job.BatchPlanner;

/**
 * One image of the input list. The fixed facts come from the scan; pixel size, thumbnail and the outcome of the
 * last run arrive later and are written on the FX thread only.
 */
public final class ImageRow {

    private final Path source;
    private final String relativePath;
    private final ImageFormat format;
    private final long sizeBytes;
    private final StringProperty pixelSize = new SimpleStringProperty(this, "pixelSize", "");
    private final StringProperty status = new SimpleStringProperty(this, "status", "");
    private final StringProperty reason = new SimpleStringProperty(this, "reason", "");
    private final StringProperty engine = new SimpleStringProperty(this, "engine", "");
    private final StringProperty time = new SimpleStringProperty(this, "time", "");
    private final ObjectProperty<Image> thumbnail = new SimpleObjectProperty<>(this, "thumbnail");
    private boolean thumbnailRequested;

    public ImageRow(Path source, String relativePath, ImageFormat format, long sizeBytes) {
        this.source = source;
        this.relativePath = relativePath;
        this.format = format;
        this.sizeBytes = sizeBytes;
    }

    public Path source() {
        return source;
    }

    public String relativePath() {
        return relativePath;
    }

    public ImageFormat format() {
        return format;
    }

    public String formatName() {
        return format.displayName();
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public String fileSize() {
        return BatchPlanner.humanBytes(sizeBytes);
    }

    public StringProperty pixelSizeProperty() {
        return pixelSize;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public StringProperty reasonProperty() {
        return reason;
    }

    public StringProperty engineProperty() {
        return engine;
    }

    public StringProperty timeProperty() {
        return time;
    }

    public ObjectProperty<Image> thumbnailProperty() {
        return thumbnail;
    }

    /** Whether a thumbnail load was already asked for (FX thread only). */
    boolean markThumbnailRequested() {
        boolean first = !thumbnailRequested;
        thumbnailRequested = true;
        return first;
    }

    /** Drops the thumbnail so it loads again when shown (memory bound for huge lists; FX thread only). */
    void forgetThumbnail() {
        thumbnailRequested = false;
        thumbnail.set(null);
    }

    /** Forgets the outcome of the last run. */
    public void clearOutcome() {
        status.set("");
        reason.set("");
        engine.set("");
        time.set("");
    }

    @Override
    public String toString() {
        return relativePath;
    }
}
