package org.greylab.app.engines;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One host of a start over ssh in the engines panel: its engines, address, seconds until ready, and state. */
public final class HostRow {

    private final ReadOnlyStringWrapper host = new ReadOnlyStringWrapper(this, "host", "");
    private final ReadOnlyStringWrapper engines = new ReadOnlyStringWrapper(this, "engines", "");
    private final ReadOnlyStringWrapper address = new ReadOnlyStringWrapper(this, "address", "");
    private final ReadOnlyStringWrapper seconds = new ReadOnlyStringWrapper(this, "seconds", "");
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(this, "state", "");

    HostRow(ClusterService.HostProgress progress) {
        show(progress);
    }

    /** Shows what the host says now (FX thread). */
    void show(ClusterService.HostProgress progress) {
        host.set(progress.host());
        engines.set(progress.engines());
        address.set(progress.address());
        seconds.set(progress.seconds());
        state.set(progress.state());
    }

    void state(String words) {
        state.set(words);
    }

    public ReadOnlyStringProperty hostProperty() {
        return host.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty enginesProperty() {
        return engines.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty addressProperty() {
        return address.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty secondsProperty() {
        return seconds.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stateProperty() {
        return state.getReadOnlyProperty();
    }
}
