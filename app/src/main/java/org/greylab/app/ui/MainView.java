package org.greylab.app.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.greylab.app.fx.Ui;
import org.greylab.app.engines.EnginesView;
import org.greylab.app.input.InputView;
import org.greylab.app.input.InputViewModel;
import org.greylab.app.input.PreviewView;
import org.greylab.app.results.ResultsView;
import org.greylab.app.run.ErrorsView;
import org.greylab.app.run.RunView;
import org.greylab.app.timeline.TimelineView;

/**
 * The window's layout: toolbar on top, run panel on the left, the image list and preview in the middle, and
 * below them the timeline / timings / errors beside the engines. Dropping folders or files anywhere adds them;
 * a drop target covers the window while they are dragged over it.
 */
public final class MainView extends StackPane {

    private final MainViewModel model;
    private final RunView runView;

    public MainView(MainViewModel model) {
        this.model = model;
        getStyleClass().add("greylab-root");

        Button open = Ui.tip(new Button("Open folder…"), "openFolder", "Add a folder of images (Ctrl+O)");
        open.setOnAction(e -> chooseFolder());
        MenuButton recent = Ui.tip(new MenuButton("Recent"), "recentInputs",
                "Open one of the last " + InputViewModel.RECENT_SETS + " sets of folders and files again");
        recent.disableProperty().bind(Bindings.isEmpty(model.input().recent()));
        model.input().recent().addListener((ListChangeListener<List<Path>>) c -> fillRecent(recent));
        fillRecent(recent);
        Button add = Ui.tip(new Button("Add files…"), "addFiles", "Add single image files");
        add.setOnAction(e -> chooseFiles());
        Button samples = Ui.tip(new Button("Samples"), "addSamples", "Add the bundled sample photos");
        samples.setOnAction(e -> model.input().addFolder(model.samples()));
        InputView inputView = new InputView(model.input());
        Button remove = Ui.tip(new Button("Remove"), "removeSelected",
                "Leave the selected images out of the run (Delete)");
        remove.setOnAction(e -> inputView.removeSelected());
        Button clear = Ui.tip(new Button("Clear"), "clearInputs", "Empty the list");
        clear.setOnAction(e -> model.input().clear());
        ToggleButton dark = Ui.tip(new ToggleButton("Dark"), "themeToggle", "Switch between the light and dark theme");
        dark.selectedProperty().bindBidirectional(model.darkProperty());
        Label title = new Label("Greylab");
        title.getStyleClass().addAll("title-3", "app-title");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ToolBar toolbar = new ToolBar(title, new Separator(Orientation.VERTICAL), open, recent, add, samples, remove, clear,
                spacer, dark);

        runView = new RunView(model.run(), this::window);
        ScrollPane runScroll = new ScrollPane(runView);
        runScroll.setFitToWidth(true);
        runScroll.setFitToHeight(true);
        runScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        // as narrow as the mode buttons allow: the tables below need the width
        runScroll.setMinWidth(270);
        runScroll.setPrefWidth(280);

        SplitPane top = new SplitPane(inputView, new PreviewView(model.preview()));
        top.setDividerPositions(0.62);

        TabPane tabs = new TabPane(
                tab("Timeline", "timelineTab", new TimelineView(model.timeline())),
                tab("Timings", "timingsTab", new ResultsView(model.results(), this::window)),
                tab("Errors", "errorsTab", new ErrorsView(model.run())));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        SplitPane bottom = new SplitPane(tabs, new EnginesView(model.engines()));
        // about half each: the timings table needs some 530 px, the engine rows some 560, to show every column
        bottom.setDividerPositions(0.5);

        SplitPane center = new SplitPane(top, bottom);
        center.setOrientation(Orientation.VERTICAL);
        center.setDividerPositions(0.5);

        BorderPane layout = new BorderPane(center);
        layout.setTop(toolbar);
        layout.setLeft(runScroll);

        getChildren().addAll(layout, dropTarget());
        installDragAndDrop();
    }

    /** One item per recent set: its short name, every path in the tooltip. */
    private void fillRecent(MenuButton menu) {
        menu.getItems().clear();
        for (List<Path> set : model.input().recent()) {
            MenuItem item = new MenuItem(InputViewModel.describe(set));
            item.setMnemonicParsing(false);
            item.setOnAction(e -> model.input().openRecent(set));
            // a menu item has no tooltip: where the (first) folder is goes beside its name
            if (set.get(0).getParent() != null) {
                item.setText(InputViewModel.describe(set) + "  \u2014  " + shorten(set.get(0).getParent()));
            }
            menu.getItems().add(item);
        }
    }

    private static String shorten(Path folder) {
        if (folder == null) {
            return "";
        }
        String home = System.getProperty("user.home", "");
        String text = folder.toString();
        return !home.isEmpty() && text.startsWith(home) ? "~" + text.substring(home.length()) : text;
    }

    private static Tab tab(String title, String id, javafx.scene.Node content) {
        Tab t = new Tab(title, content);
        t.setId(id);
        return t;
    }

    private VBox dropTarget() {
        Label big = new Label("Drop folders or images to add them");
        big.getStyleClass().add("title-2");
        Label small = new Label("They join the list; nothing is converted until you press Run");
        VBox target = new VBox(8, big, small);
        target.setId("dropTarget");
        target.getStyleClass().add("drop-target");
        target.setAlignment(Pos.CENTER);
        target.setPadding(new Insets(24));
        target.setMouseTransparent(true);
        target.visibleProperty().bind(model.input().dropTargetShownProperty());
        return target;
    }

    /** The handlers only pass the dragged files to the input view model. */
    private void installDragAndDrop() {
        addEventHandler(DragEvent.DRAG_OVER, e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY_OR_MOVE);
                model.input().dropTargetShownProperty().set(true);
            }
            e.consume();
        });
        addEventHandler(DragEvent.DRAG_EXITED, e -> model.input().dropTargetShownProperty().set(false));
        addEventHandler(DragEvent.DRAG_DROPPED, e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                model.input().add(e.getDragboard().getFiles().stream().map(File::toPath).toList());
            }
            model.input().dropTargetShownProperty().set(false);
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /** Ctrl+O. */
    public void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Add a folder of images");
        Path last = model.lastFolderProperty().get();
        if (last != null) {
            chooser.setInitialDirectory(last.toFile());
        }
        File folder = chooser.showDialog(window());
        if (folder != null) {
            model.lastFolderProperty().set(folder.toPath().getParent() == null ? folder.toPath()
                    : folder.toPath().getParent());
            model.input().addFolder(folder.toPath());
        }
    }

    private void chooseFiles() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Add images");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Images", "*.jpg", "*.jpeg", "*.png", "*.tif", "*.tiff", "*.bmp",
                        "*.gif", "*.webp", "*.psd", "*.JPG", "*.JPEG", "*.PNG"),
                new FileChooser.ExtensionFilter("All files", "*"));
        Path last = model.lastFolderProperty().get();
        if (last != null) {
            chooser.setInitialDirectory(last.toFile());
        }
        List<File> files = chooser.showOpenMultipleDialog(window());
        if (files != null && !files.isEmpty()) {
            model.lastFolderProperty().set(files.get(0).toPath().getParent());
            model.input().add(files.stream().map(File::toPath).toList());
        }
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }
}
