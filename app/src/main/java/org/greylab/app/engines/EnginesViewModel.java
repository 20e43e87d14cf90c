package org.greylab.app.engines;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.greylab.app.fx.AppExecutor;
import org.greylab.app.fx.RunSubscriber;
import org.greylab.core.job.TaskTrace;
import org.greylab.core.schedule.ProgressEvent;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.core.run.RunEvent;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.EngineListener;
import org.greylab.core.schedule.EngineState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines panel: local engines (start/stop N), lab engines (connect/disconnect), one row per engine with its
 * state, and, during a run, each engine's progress, rate and busy share, all from the run's events (direct's
 * shares as the run service announces them).
 */
public final class EnginesViewModel implements RunSubscriber {

    private static final Logger LOG = LoggerFactory.getLogger(EnginesViewModel.class);

    /** What the panel is doing. */
    public enum Status {
        NONE, STARTING, CONNECTING, READY, STOPPING;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final AppExecutor executor;
    private final ClusterService service;
    private final IntegerProperty localCount = new SimpleIntegerProperty(this, "localCount", 2);
    private final StringProperty addresses = new SimpleStringProperty(this, "addresses", "127.0.0.1");
    private final StringProperty clusterName = new SimpleStringProperty(this, "clusterName", "");
    /** The lab cluster's key file, a path (the window remembers the path, never the key). */
    private final StringProperty keyFile = new SimpleStringProperty(this, "keyFile", "");
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.NONE);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ObservableList<EngineRow> engines = FXCollections.observableArrayList();
    /** Hosts to start engines on over ssh: {@code [user@]host[:N]}, comma-separated. */
    private final StringProperty sshHosts = new SimpleStringProperty(this, "sshHosts", "");
    private final ObservableList<HostRow> hosts = FXCollections.observableArrayList();
    private final EngineListener listener = new EngineListener() {
        @Override
        public void engineJoined(EngineInfo engine) {
            executor.fx().execute(() -> joined(engine));
        }

        @Override
        public void engineGone(EngineInfo engine) {
            executor.fx().execute(() -> gone(engine));
        }
    };
    private EngineCluster listening;
    private int generation;
    private boolean local;
    private long runStartNanos;
    private boolean distributedRunGoing;

    public EnginesViewModel(AppExecutor executor, ClusterService service) {
        this.executor = executor;
        this.service = service;
    }

    public boolean available() {
        return service.available();
    }

    public IntegerProperty localCountProperty() {
        return localCount;
    }

    public StringProperty addressesProperty() {
        return addresses;
    }

    public StringProperty clusterNameProperty() {
        return clusterName;
    }

    public StringProperty keyFileProperty() {
        return keyFile;
    }

    public StringProperty sshHostsProperty() {
        return sshHosts;
    }

    /** A row per host of the last start over ssh, live while it starts. */
    public ObservableList<HostRow> hosts() {
        return hosts;
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** What the cluster is (e.g. "2 local engines ready in 1.4 s"). */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The last failure in words; empty when none. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ObservableList<EngineRow> engines() {
        return engines;
    }

    /** Whether the engines held now were started by this window. */
    public boolean isLocal() {
        return local;
    }

    /** The engines that are members now (not starting, not gone). */
    public List<EngineInfo> liveEngines() {
        return engines.stream().filter(r -> r.info() != null && r.state() != EngineState.GONE)
                .map(EngineRow::info).sorted(Comparator.comparingInt(EngineInfo::id)).toList();
    }

    public int liveSlots() {
        return liveEngines().stream().mapToInt(e -> Math.max(1, e.slots())).sum();
    }

    public boolean ready() {
        return status.get() == Status.READY && !liveEngines().isEmpty();
    }

    /** Starts {@link #localCountProperty()} engines on this machine, replacing what is held. */
    public void startLocal() {
        if (!service.available()) {
            error.set("This build has no engines: only the serial mode can run.");
            return;
        }
        int n = Math.max(1, localCount.get());
        int gen = beginChange(Status.STARTING, "Starting " + n + " local engine" + (n == 1 ? "" : "s") + "…");
        for (int i = 0; i < n; i++) {
            engines.add(new EngineRow("engine " + (i + 1)));
        }
        long t0 = System.nanoTime();
        executor.run(() -> service.startLocal(n), cluster -> {
            if (gen == generation) {
                boolean startedHere = service.holdsLocalEngines();
                attach(cluster, startedHere);
                int count = cluster.engines().size();
                message.set(startedHere ? n + " local engine" + (n == 1 ? "" : "s") + " ready in "
                        + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9)
                        : "Using the " + count + " running engine" + (count == 1 ? "" : "s")
                        + " of 'greylab engines start'");
            }
        }, e -> failed(gen, e));
    }

    /** Connects to the lab engines at {@link #addressesProperty()} of {@link #clusterNameProperty()}. */
    public void connect() {
        if (!service.available()) {
            error.set("This build has no engines: only the serial mode can run.");
            return;
        }
        String where = addresses.get() == null ? "" : addresses.get().trim();
        String name = clusterName.get() == null ? "" : clusterName.get().trim();
        if (where.isEmpty() || name.isEmpty()) {
            error.set("Give the engines' addresses (host[:port], comma-separated) and their cluster name.");
            return;
        }
        int gen = beginChange(Status.CONNECTING, "Connecting to " + where + " (cluster " + name + ")…");
        String key = keyFile.get() == null ? "" : keyFile.get().trim();
        executor.run(() -> service.connect(where, name, key), cluster -> {
            if (gen == generation) {
                attach(cluster, false);
                message.set("Connected to cluster " + name + ": " + engines.size() + " engine"
                        + (engines.size() == 1 ? "" : "s"));
            }
        }, e -> failed(gen, e));
    }

    /**
     * Starts engines on the hosts of {@link #sshHostsProperty()} over ssh, like {@code greylab engines start --ssh},
     * with a row per host that follows it; they stay when the window closes, until {@link #stopOverSsh()} or their
     * idle timeout.
     */
    public void startOverSsh() {
        if (!service.available()) {
            error.set("This build has no engines: only the serial mode can run.");
            return;
        }
        String text = sshHosts.get() == null ? "" : sshHosts.get().trim();
        if (text.isEmpty()) {
            error.set("Give the hosts to start engines on: [user@]host[:engines], comma-separated.");
            return;
        }
        int gen = beginChange(Status.STARTING, "Starting engines over ssh on " + text + "…");
        hosts.clear();
        long t0 = System.nanoTime();
        executor.run(() -> service.startOverSsh(text, progress -> executor.fx().execute(() -> {
            if (gen == generation) {
                showHost(progress);
            }
        })), cluster -> {
            if (gen == generation) {
                attach(cluster, false);
                long failed = hosts.stream().filter(h -> h.stateProperty().get().startsWith("failed")).count();
                message.set(engines.size() + " engine" + (engines.size() == 1 ? "" : "s") + " on "
                        + (hosts.size() - failed) + " of " + hosts.size() + " host" + (hosts.size() == 1 ? "" : "s")
                        + " ready in " + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9)
                        + "; they stay after the window closes, until Stop or 30 min without a task");
            }
        }, e -> failed(gen, e));
    }

    /** Stops the engines started over ssh, on their hosts. */
    public void stopOverSsh() {
        int gen = beginChange(Status.STOPPING, "Stopping the engines on their hosts…");
        executor.run(service::stopOverSsh, words -> {
            if (gen == generation) {
                status.set(Status.NONE);
                hosts.forEach(h -> h.state("stopped"));
                message.set(words);
            }
        }, e -> failed(gen, e));
    }

    private void showHost(ClusterService.HostProgress progress) {
        Optional<HostRow> known = hosts.stream().filter(h -> h.hostProperty().get().equals(progress.host()))
                .findFirst();
        if (known.isPresent()) {
            known.get().show(progress);
        } else {
            hosts.add(new HostRow(progress));
        }
    }

    /** Stops local engines or disconnects from lab ones. */
    public void disconnect() {
        int gen = beginChange(Status.STOPPING, local ? "Stopping local engines…" : "Disconnecting…");
        executor.run(() -> {
            service.disconnect();
            return null;
        }, ignored -> {
            if (gen == generation) {
                status.set(Status.NONE);
                message.set("No engines: the serial mode runs in this window.");
            }
        }, e -> failed(gen, e));
    }

    /** Blocks until the engines are stopped (window closing; never on the FX thread of a live window). */
    public void shutdown() {
        generation++;
        detach();
        service.disconnect();
    }

    private int beginChange(Status next, String text) {
        generation++;
        detach();
        engines.clear();
        error.set("");
        status.set(next);
        message.set(text);
        local = false;
        return generation;
    }

    private void attach(EngineCluster cluster, boolean startedHere) {
        listening = cluster;
        local = startedHere;
        cluster.addListener(listener);
        engines.clear();
        for (EngineInfo info : cluster.engines()) {
            joined(info);
        }
        status.set(Status.READY);
    }

    private void detach() {
        if (listening != null) {
            try {
                listening.removeListener(listener);
            } catch (RuntimeException e) {
                LOG.debug("removing the engine listener failed", e);
            }
            listening = null;
        }
    }

    private void failed(int gen, Throwable e) {
        if (gen != generation) {
            return;
        }
        engines.clear();
        status.set(Status.NONE);
        message.set("No engines: the serial mode runs in this window.");
        error.set(e instanceof ClusterException ? e.getMessage()
                : "The engines could not be reached: " + e.getMessage());
    }

    private Optional<EngineRow> row(int id) {
        return engines.stream().filter(r -> r.info() != null && r.info().id() == id).findFirst();
    }

    private void joined(EngineInfo info) {
        Optional<EngineRow> known = row(info.id());
        if (known.isPresent()) {
            if (known.get().state() == EngineState.GONE || known.get().state() == EngineState.STALLED) {
                known.get().show(info);
            }
            return;
        }
        engines.add(new EngineRow(info));
        engines.sort(Comparator.comparingInt(r -> r.info() == null ? Integer.MAX_VALUE : r.info().id()));
    }

    private void gone(EngineInfo info) {
        EngineRow r = row(info.id()).orElseGet(() -> {
            EngineRow added = new EngineRow(info);
            engines.add(added);
            return added;
        });
        r.state(EngineState.GONE);
        describeFailover(r);
    }

    /**
     * What a row says about its failover (its tooltip) and, once the engine is gone, the panel's message: the
     * engine may be reported gone before or after its images are re-queued, and twice (membership and run), so
     * the words come from the counts, never from the last event alone.
     */
    private void describeFailover(EngineRow r) {
        String failover;
        if (r.requeued > 0) {
            failover = r.requeued + " image" + (r.requeued == 1 ? "" : "s") + " re-queued to other engines (failover)";
        } else if (r.inFlight > 0) {
            failover = "its " + r.inFlight + " running image" + (r.inFlight == 1 ? "" : "s") + " go to the others";
        } else {
            failover = "";
        }
        if (r.state() != EngineState.GONE) {
            r.noteProperty().set(failover);
            return;
        }
        r.noteProperty().set(failover.isEmpty() ? "gone" : "gone: " + failover);
        message.set("engine " + r.idProperty().get() + " (" + r.nameProperty().get() + ") is gone"
                + (failover.isEmpty() ? "" : ": " + failover));
    }

    // ---- a run's view of the engines (FX thread) ----

    @Override
    public void onRunEvents(List<RunEvent> events) {
        boolean changed = false;
        for (RunEvent e : events) {
            if (e instanceof RunEvent.ModeStarted st && st.mode().needsEngines()) {
                runStarted();
                changed = true;
            } else if (e instanceof RunEvent.Progress p && p.mode().needsEngines()) {
                event(p.event());
                changed = true;
            } else if (e instanceof RunEvent.ModeFinished f && f.mode().needsEngines()
                    || e instanceof RunEvent.RunEnded) {
                runFinished();
                changed = false;
            }
        }
        if (changed) {
            refresh();
        }
    }

    @Override
    public void onClockTick(long nowMicros) {
        if (distributedRunGoing) {
            refresh();
        }
    }

    /** A distributed mode starts: the rows start from nothing. */
    private void runStarted() {
        runStartNanos = System.nanoTime();
        distributedRunGoing = true;
        for (EngineRow r : engines) {
            r.resetRun();
        }
    }

    /** One event of a distributed run. */
    private void event(ProgressEvent event) {
        if (event instanceof ProgressEvent.SharesPlanned shares) {
            // direct: each engine's block is fixed before anything is sent (DirectView's split)
            shares.imagesByEngine().forEach((id, images) -> row(id).ifPresent(r -> {
                r.assigned = images;
                r.directSplit = true;
            }));
        } else if (event instanceof ProgressEvent.ImageStarted s) {
            row(s.engineId()).ifPresent(r -> {
                if (!r.directSplit || s.attempt() > 1) {
                    r.assigned++;
                }
                r.inFlight++;
                if (r.state() != EngineState.GONE) {
                    r.state(EngineState.BUSY);
                }
            });
        } else if (event instanceof ProgressEvent.ImageFinished f) {
            TaskTrace t = f.result().trace();
            if (t != null && t.ranOnEngine()) {
                row(t.engineId()).ifPresent(r -> {
                    r.done++;
                    r.inFlight = Math.max(0, r.inFlight - 1);
                    r.busyMicros += Math.max(0, t.finishedMicros() - t.startedMicros());
                    if (r.inFlight == 0 && r.state() == EngineState.BUSY) {
                        r.state(EngineState.IDLE);
                    }
                });
            }
        } else if (event instanceof ProgressEvent.ImageRequeued q) {
            row(q.fromEngineId()).ifPresent(r -> {
                r.inFlight = Math.max(0, r.inFlight - 1);
                r.assigned = Math.max(r.done, r.assigned - 1);
                r.requeued++;
                describeFailover(r);
            });
        } else if (event instanceof ProgressEvent.EngineJoined j) {
            joined(j.engine());
        } else if (event instanceof ProgressEvent.EngineGone g) {
            gone(g.engine());
        } else if (event instanceof ProgressEvent.EngineStalled s) {
            row(s.engine().id()).ifPresent(r -> {
                r.state(EngineState.STALLED);
                r.noteProperty().set("stalled on " + s.image() + ": its images went to the others; no work until"
                        + " it answers");
                message.set("engine " + r.idProperty().get() + " (" + r.nameProperty().get() + ") stalled on "
                        + s.image() + "; its images went to the others");
            });
        }
    }

    /** Recomputes the rates and shares (after a batch of events, and on the clock). */
    private void refresh() {
        double elapsed = Math.max(1e-3, (System.nanoTime() - runStartNanos) / 1e9);
        for (EngineRow r : engines) {
            if (r.info() == null) {
                continue;
            }
            r.progressProperty().set(r.assigned == 0 ? 0 : Math.min(1.0, (double) r.done / r.assigned));
            r.progressTextProperty().set(r.assigned == 0 ? "" : r.done + " / " + r.assigned);
            r.rateProperty().set(r.done == 0 ? "" : String.format(Locale.ROOT, "%.1f/s", r.done / elapsed));
            double share = r.busyMicros / (elapsed * 1e6 * Math.max(1, r.info().slots()));
            r.busyShareProperty().set(r.busyMicros == 0 ? "" : String.format(Locale.ROOT, "%.0f %%",
                    Math.min(100, share * 100)));
        }
    }

    /** The run ended: engines that are not gone are idle again. */
    private void runFinished() {
        distributedRunGoing = false;
        refresh();
        for (EngineRow r : engines) {
            r.inFlight = 0;
            if (r.state() == EngineState.BUSY) {
                r.state(EngineState.IDLE);
            }
        }
    }
}
