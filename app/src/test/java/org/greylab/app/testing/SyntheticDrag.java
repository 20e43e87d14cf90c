package org.greylab.app.testing;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javafx.event.Event;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;

/**
 * A drag of files from outside the window, as the platform would deliver it. Headless Monocle has no native
 * drag and drop, so the events are built here around a dragboard that holds the files (its peer is the
 * toolkit's clipboard interface, reached on the classpath); a real drag from a file manager is checked by hand
 * under Xvfb.
 */
public final class SyntheticDrag {

    private final Dragboard dragboard;

    public SyntheticDrag(List<File> files) {
        try {
            Class<?> peerType = Class.forName("com.sun.javafx.tk.TKClipboard");
            Object peer = Proxy.newProxyInstance(peerType.getClassLoader(), new Class<?>[] {peerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getContentTypes" -> Set.of(DataFormat.FILES);
                        case "hasContent" -> DataFormat.FILES.equals(args[0]);
                        case "getContent" -> DataFormat.FILES.equals(args[0]) ? files : null;
                        case "getTransferModes" -> EnumSet.of(TransferMode.COPY, TransferMode.MOVE);
                        case "putContent" -> true;
                        case "getDragViewOffsetX", "getDragViewOffsetY" -> 0.0;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "synthetic dragboard";
                        default -> null;
                    });
            Constructor<Dragboard> c = Dragboard.class.getDeclaredConstructor(peerType);
            c.setAccessible(true);
            dragboard = c.newInstance(peer);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a dragboard on this JavaFX", e);
        }
    }

    /** Fires one drag event at {@code target}'s centre (call on the FX thread). */
    public DragEvent fire(Node target, javafx.event.EventType<DragEvent> type) {
        Point2D p = target.localToScene(target.getBoundsInLocal().getCenterX(),
                target.getBoundsInLocal().getCenterY());
        Point2D screen = target.localToScreen(target.getBoundsInLocal().getCenterX(),
                target.getBoundsInLocal().getCenterY());
        DragEvent event = new DragEvent(null, target, type, dragboard, p.getX(), p.getY(),
                screen == null ? 0 : screen.getX(), screen == null ? 0 : screen.getY(), TransferMode.COPY, null,
                target, null);
        Event.fireEvent(target, event);
        return event;
    }
}
