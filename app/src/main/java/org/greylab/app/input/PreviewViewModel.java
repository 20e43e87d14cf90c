package org.greylab.app.input;

import java.util.concurrent.Future;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;

/**
 * Before/after of the selected image, computed off the FX thread with the same kernel and settings as the run;
 * a newer selection abandons the older preview.
 */
public final class PreviewViewModel {

    private static final int MAX_SIDE = 900;

    private final org.greylab.app.fx.AppExecutor executor;
    private final PreviewRenderer renderer;
    private final Supplier<ConversionSettings> settings;
    private final ReadOnlyObjectWrapper<Image> before = new ReadOnlyObjectWrapper<>(this, "before");
    private final ReadOnlyObjectWrapper<Image> after = new ReadOnlyObjectWrapper<>(this, "after");
    private final ReadOnlyStringWrapper caption = new ReadOnlyStringWrapper(this, "caption",
            "Select an image to compare it with its grey output");
    private Future<?> pending;
    private int generation;

    public PreviewViewModel(org.greylab.app.fx.AppExecutor executor, GreyscaleKernel kernel,
                            Supplier<ConversionSettings> settings) {
        this.executor = executor;
        this.renderer = new PreviewRenderer(kernel);
        this.settings = settings;
    }

    public ReadOnlyObjectProperty<Image> beforeProperty() {
        return before.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Image> afterProperty() {
        return after.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty captionProperty() {
        return caption.getReadOnlyProperty();
    }

    /** Shows {@code row} (null clears the preview). */
    public void show(ImageRow row) {
        int gen = ++generation;
        if (pending != null) {
            pending.cancel(true);
        }
        if (row == null) {
            before.set(null);
            after.set(null);
            caption.set("Select an image to compare it with its grey output");
            return;
        }
        caption.set(row.relativePath() + " · converting…");
        ConversionSettings s = settings.get();
        pending = executor.image(() -> {
            PreviewRenderer.Pair pair = renderer.render(row.source(), s, MAX_SIDE);
            Image b = pair.before() == null ? null : SwingFXUtils.toFXImage(pair.before(), null);
            Image a = pair.after() == null ? null : SwingFXUtils.toFXImage(pair.after(), null);
            return new Object[] {b, a, pair.caption()};
        }, result -> {
            if (gen == generation) {
                before.set((Image) result[0]);
                after.set((Image) result[1]);
                caption.set(row.relativePath() + " · " + result[2]);
            }
        }, e -> {
            if (gen == generation) {
                before.set(null);
                after.set(null);
                caption.set(row.relativePath() + " · cannot be shown: " + e.getMessage());
            }
        });
    }
}
