package org.greylab.app.engines;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.EngineState;

/** One engine as the panel shows it, like an entry of {@code rc.ids}; written on the FX thread only. */
public final class EngineRow {

    private EngineInfo info;
    private final StringProperty id = new SimpleStringProperty(this, "id", "–");
    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final StringProperty address = new SimpleStringProperty(this, "address", "");
    private final StringProperty slots = new SimpleStringProperty(this, "slots", "");
    private final StringProperty jpeg = new SimpleStringProperty(this, "jpeg", "");
    private final ObjectProperty<EngineState> state = new SimpleObjectProperty<>(this, "state", EngineState.STARTING);
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final StringProperty progressText = new SimpleStringProperty(this, "progressText", "");
    private final StringProperty rate = new SimpleStringProperty(this, "rate", "");
    private final StringProperty busyShare = new SimpleStringProperty(this, "busyShare", "");
    private final StringProperty note = new SimpleStringProperty(this, "note", "");
    int assigned;
    int done;
    int inFlight;
    int requeued;
    long busyMicros;
    boolean directSplit;

    /** A placeholder for an engine that is still starting. */
    EngineRow(String placeholderName) {
        name.set(placeholderName);
    }

    EngineRow(EngineInfo info) {
        show(info);
    }

    void show(EngineInfo engine) {
        this.info = engine;
        id.set(Integer.toString(engine.id()));
        name.set(engine.name());
        address.set(engine.address());
        slots.set(Integer.toString(engine.slots()));
        jpeg.set(engine.decoders().jpeg().word());
        state.set(EngineState.IDLE);
    }

    /** The engine, or null while it is starting. */
    public EngineInfo info() {
        return info;
    }

    public EngineState state() {
        return state.get();
    }

    void state(EngineState s) {
        state.set(s);
    }

    void resetRun() {
        assigned = 0;
        done = 0;
        inFlight = 0;
        requeued = 0;
        busyMicros = 0;
        directSplit = false;
        progress.set(0);
        progressText.set("");
        rate.set("");
        busyShare.set("");
        note.set("");
    }

    public StringProperty idProperty() {
        return id;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty addressProperty() {
        return address;
    }

    public StringProperty slotsProperty() {
        return slots;
    }

    public ReadOnlyObjectProperty<EngineState> stateProperty() {
        return state;
    }

    /** The JPEG decoder the engine has ("turbo" or "java"). */
    public StringProperty jpegProperty() {
        return jpeg;
    }

    /** The state as the table shows it ("busy"). */
    public ObservableValue<String> stateTextProperty() {
        return state.map(EngineState::word);
    }

    /** done / assigned (direct: its block; balanced: what it was sent), 0..1. */
    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty progressTextProperty() {
        return progressText;
    }

    public StringProperty rateProperty() {
        return rate;
    }

    public StringProperty busyShareProperty() {
        return busyShare;
    }

    /** Failover and other things worth a word ("3 images re-queued to others"). */
    public StringProperty noteProperty() {
        return note;
    }

    public int done() {
        return done;
    }

    public int assigned() {
        return assigned;
    }
}
