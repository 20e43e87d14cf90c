package org.greylab.app.engines;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.greylab.app.fx.Ui;

/** Local and lab engines, and a row per engine with its live share of the run. */
public final class EnginesView extends VBox {

    public EnginesView(EnginesViewModel model) {
        getStyleClass().add("engines-panel");
        setSpacing(6);
        setPadding(new Insets(8));

        Spinner<Integer> count = Ui.tip(new Spinner<>(1, 64, Math.max(1, model.localCountProperty().get())),
                "localCount", "How many engine processes to start on this machine (like ipcluster start -n N)");
        count.setEditable(true);
        count.setPrefWidth(80);
        count.getValueFactory().valueProperty().addListener((o, a, b) -> model.localCountProperty().set(b));
        model.localCountProperty().addListener((o, a, b) -> count.getValueFactory().setValue(b.intValue()));
        Button start = Ui.tip(new Button("Start"), "startLocal",
                "Start that many local engines (stops the engines held now)");
        start.setOnAction(e -> model.startLocal());
        Button stop = Ui.tip(new Button("Stop"), "stopEngines", "Stop the local engines or leave the lab cluster");
        stop.setOnAction(e -> model.disconnect());
        stop.disableProperty().bind(model.statusProperty().isEqualTo(EnginesViewModel.Status.NONE));
        HBox local = new HBox(6, new Label("Local engines"), count, start, stop);
        local.setAlignment(Pos.CENTER_LEFT);

        TextField addresses = Ui.tip(new TextField(), "labAddresses",
                "Lab engines: host[:port], comma-separated (each engine is started with java -jar engine-node.jar)");
        addresses.textProperty().bindBidirectional(model.addressesProperty());
        addresses.setPromptText("host[:port],…");
        HBox.setHgrow(addresses, Priority.ALWAYS);
        TextField cluster = Ui.tip(new TextField(), "labCluster", "The lab cluster's name (--cluster NAME)");
        cluster.textProperty().bindBidirectional(model.clusterNameProperty());
        cluster.setPromptText("cluster");
        cluster.setPrefWidth(90);
        TextField keyFile = Ui.tip(new TextField(), "labKeyFile",
                "The lab cluster's key file (--key-file FILE, made with 'greylab key new'); empty for engines without"
                        + " a key");
        keyFile.textProperty().bindBidirectional(model.keyFileProperty());
        keyFile.setPromptText("key file");
        keyFile.setPrefWidth(110);
        Button connect = Ui.tip(new Button("Connect"), "connect", "Connect to the lab engines at these addresses");
        connect.setOnAction(e -> model.connect());
        Label labLabel = new Label("Lab");
        // the addresses give way on a narrow panel, never the label or the button (they read "..." and "Conn...")
        labLabel.setMinWidth(Region.USE_PREF_SIZE);
        connect.setMinWidth(Region.USE_PREF_SIZE);
        addresses.setMinWidth(60);
        cluster.setMinWidth(60);
        keyFile.setMinWidth(60);
        HBox lab = new HBox(6, labLabel, addresses, cluster, keyFile, connect);
        lab.setAlignment(Pos.CENTER_LEFT);

        TextField sshHosts = Ui.tip(new TextField(), "sshHosts", "Machines you can ssh to with a key:"
                + " [user@]host[:engines], comma-separated. Nothing needs installing there: the engine bundle, with"
                + " its own Java, is copied into ~/.cache/greylab/ (like greylab engines start --ssh)");
        sshHosts.textProperty().bindBidirectional(model.sshHostsProperty());
        sshHosts.setPromptText("[user@]host[:engines],…");
        sshHosts.setMinWidth(60);
        HBox.setHgrow(sshHosts, Priority.ALWAYS);
        Button startSsh = Ui.tip(new Button("Start"), "startSsh",
                "Start engines on these hosts over ssh; they stay after the window closes");
        startSsh.setOnAction(e -> model.startOverSsh());
        startSsh.setMinWidth(Region.USE_PREF_SIZE);
        Button stopSsh = Ui.tip(new Button("Stop"), "stopSsh", "Stop the engines started over ssh, on their hosts");
        stopSsh.setOnAction(e -> model.stopOverSsh());
        stopSsh.setMinWidth(Region.USE_PREF_SIZE);
        stopSsh.disableProperty().bind(Bindings.isEmpty(model.hosts()));
        Label sshLabel = new Label("SSH");
        sshLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox ssh = new HBox(6, sshLabel, sshHosts, startSsh, stopSsh);
        ssh.setAlignment(Pos.CENTER_LEFT);

        TableView<HostRow> hostTable = new TableView<>(model.hosts());
        Ui.tip(hostTable, "hostTable", "One row per host started over ssh: its engines, their address, seconds until"
                + " ready, and its state or why it failed");
        hostTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        hostTable.getColumns().add(Ui.sized(hostText("host", HostRow::hostProperty), 90));
        hostTable.getColumns().add(Ui.fixed(hostText("engines", HostRow::enginesProperty), 56));
        hostTable.getColumns().add(Ui.sized(hostText("address", HostRow::addressProperty), 110));
        hostTable.getColumns().add(Ui.fixed(hostText("ready s", HostRow::secondsProperty), 56));
        hostTable.getColumns().add(Ui.sized(hostText("state", HostRow::stateProperty), 160));
        hostTable.setPrefHeight(110);
        hostTable.visibleProperty().bind(Bindings.isNotEmpty(model.hosts()));
        hostTable.managedProperty().bind(hostTable.visibleProperty());

        Label message = Ui.id(new Label(), "enginesMessage");
        message.textProperty().bind(model.messageProperty());
        message.getStyleClass().add("text-muted");
        message.setWrapText(true);
        Label error = Ui.id(new Label(), "enginesError");
        error.textProperty().bind(model.errorProperty());
        error.getStyleClass().add("danger");
        error.setWrapText(true);
        error.visibleProperty().bind(model.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        TableView<EngineRow> table = new TableView<>(model.engines());
        Ui.tip(table, "engineTable", "One row per engine, like rc.ids: during a run, its progress (done / "
                + "assigned), images per second and how busy its slots were");
        table.setPlaceholder(new Label("No engines: the serial mode runs in this window."));
        // nine columns need about 580 px, more than this pane has in a 1280 px window: they keep their widths and
        // the table scrolls sideways (a constrained policy would cut the last ones off, unreachable)
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        // numbers and states keep one width, the others start at their preferred one (the user may widen them)
        table.getColumns().add(Ui.fixed(text("id", EngineRow::idProperty), 28));
        table.getColumns().add(Ui.sized(text("name", EngineRow::nameProperty), 66, "local-00"));
        table.getColumns().add(Ui.sized(text("address", EngineRow::addressProperty), 122, "127.0.0.1:00000"));
        table.getColumns().add(Ui.fixed(text("slots", EngineRow::slotsProperty), 46));
        // which JPEG decoder the engine has: "turbo" (libjpeg-turbo) or "java"
        table.getColumns().add(Ui.fixed(text("jpeg", EngineRow::jpegProperty), 46));
        TableColumn<EngineRow, String> state = Ui.fixed(text("state", EngineRow::stateTextProperty), 64);
        state.setCellFactory(c -> new StateCell());
        table.getColumns().add(state);
        TableColumn<EngineRow, Number> progress = new TableColumn<>("progress");
        Ui.sized(progress, 100);
        progress.setCellValueFactory(c -> c.getValue().progressProperty());
        progress.setCellFactory(c -> new ProgressCell());
        table.getColumns().add(progress);
        table.getColumns().add(Ui.fixed(text("img/s", EngineRow::rateProperty), 56));
        table.getColumns().add(Ui.fixed(text("busy", EngineRow::busyShareProperty), 52));
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(EngineRow row, boolean empty) {
                super.updateItem(row, empty);
                if (empty || row == null) {
                    setTooltip(null);
                } else {
                    Tooltip tip = new Tooltip();
                    tip.textProperty().bind(Bindings.concat(row.nameProperty(), " · ", row.addressProperty(), " · ",
                            row.stateTextProperty(), "\n", row.noteProperty()));
                    setTooltip(tip);
                }
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);

        getChildren().addAll(Ui.heading("Engines"), local, lab, ssh, hostTable, message, error, table);
    }

    private static TableColumn<HostRow, String> hostText(String title,
            java.util.function.Function<HostRow, javafx.beans.value.ObservableValue<String>> value) {
        TableColumn<HostRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> value.apply(cd.getValue()));
        return c;
    }

    private static TableColumn<EngineRow, String> text(String title,
            java.util.function.Function<EngineRow, javafx.beans.value.ObservableValue<String>> value) {
        TableColumn<EngineRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> value.apply(cd.getValue()));
        return c;
    }

    /** starting / idle / busy / gone, coloured. */
    private static final class StateCell extends TableCell<EngineRow, String> {
        @Override
        protected void updateItem(String state, boolean empty) {
            super.updateItem(state, empty);
            getStyleClass().removeAll("engine-starting", "engine-idle", "engine-busy", "engine-gone");
            if (empty || state == null) {
                setText(null);
                return;
            }
            setText(state);
            getStyleClass().add("engine-" + state);
        }
    }

    /** A progress bar with "done / assigned" beside it (over the bar it would be dark on the accent colour). */
    private static final class ProgressCell extends TableCell<EngineRow, Number> {
        private final ProgressBar bar = new ProgressBar(0);
        private final Label text = new Label();
        private final HBox pane = new HBox(6, bar, text);

        ProgressCell() {
            bar.setMaxWidth(Double.MAX_VALUE);
            bar.setMinWidth(30);
            HBox.setHgrow(bar, Priority.ALWAYS);
            text.getStyleClass().add("progress-text");
            text.setMinWidth(Region.USE_PREF_SIZE);
            pane.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(Number value, boolean empty) {
            super.updateItem(value, empty);
            EngineRow row = getTableRow() == null ? null : getTableRow().getItem();
            if (empty || row == null) {
                text.textProperty().unbind();
                setGraphic(null);
                return;
            }
            bar.setProgress(value == null ? 0 : value.doubleValue());
            bar.setId("engineProgress-" + row.idProperty().get());
            text.textProperty().bind(row.progressTextProperty());
            setGraphic(pane);
        }
    }
}
