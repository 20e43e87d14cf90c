package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.greylab.app.instance.InstanceChannel;
import org.greylab.app.ui.WindowLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The top-level command: its help, and how its words become paths or commands. */
class GreylabCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private String help() {
        GreylabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("--help");
        return out.toString();
    }

    @Test
    void theHelpDescribesEachFormInTheOrderADesktopUserMeetsThem() {
        String help = help();

        int bare = help.indexOf("  greylab            opens the window");
        int paths = help.indexOf("  greylab PATH...    opens the window on exactly these");
        int convert = help.indexOf("  greylab convert INPUT...");
        int bench = help.indexOf("  greylab bench INPUT...");
        int engines = help.indexOf("  greylab engines    lists engines");
        assertThat(List.of(bare, paths, convert, bench, engines)).doesNotContain(-1).isSorted();
        assertThat(help).contains("Usage: greylab [--cluster-file=FILE] [PATH...]")
                .contains("exits with status 2").contains("./convert").doesNotContain("bundled samples into");
    }

    @Test
    void theCommandsItSuggestsStartTheWayTheLauncherSaysItWasStarted() {
        String before = System.getProperty(GreylabCommand.COMMAND_PROPERTY);
        try {
            System.clearProperty(GreylabCommand.COMMAND_PROPERTY);
            assertThat(GreylabCommand.self()).isEqualTo("greylab");
            System.setProperty(GreylabCommand.COMMAND_PROPERTY, "./greylab");
            assertThat(GreylabCommand.self()).isEqualTo("./greylab");
            System.setProperty(GreylabCommand.COMMAND_PROPERTY, "/home/me/my tools/greylab");
            assertThat(GreylabCommand.self()).isEqualTo("'/home/me/my tools/greylab'");
        } finally {
            if (before == null) {
                System.clearProperty(GreylabCommand.COMMAND_PROPERTY);
            } else {
                System.setProperty(GreylabCommand.COMMAND_PROPERTY, before);
            }
        }
    }

    @Test
    void aCommandsNameIsTheCommandAndAfterDoubleDashItIsAPath() {
        CommandLine.ParseResult command = GreylabCli.commandLine(new PrintWriter(out), new PrintWriter(err))
                .parseArgs("convert", "x");
        CommandLine.ParseResult path = GreylabCli.commandLine(new PrintWriter(out), new PrintWriter(err))
                .parseArgs("--", "convert");

        assertThat(command.subcommand().commandSpec().name()).isEqualTo("convert");
        assertThat(path.hasSubcommand()).isFalse();
        assertThat(path.matchedPositionalValue(0, List.<String>of())).containsExactly("convert");
    }

    @Test
    void aCommandLineThatNamesACommandIsBuiltWithThatCommandAloneAndParsesAsTheWholeOne() {
        String[] args = {"--cluster-file=/x", "engines", "stop", "--cluster-file", "/y"};
        CommandLine only = GreylabCli.commandLine(new PrintWriter(out), new PrintWriter(err), null, args);
        CommandLine whole = GreylabCli.commandLine(new PrintWriter(out), new PrintWriter(err));

        assertThat(only.getSubcommands().keySet()).containsExactly("engines");
        assertThat(whole.getSubcommands().keySet()).containsExactlyElementsOf(GreylabCli.SUBCOMMANDS);
        CommandLine.ParseResult lazy = only.parseArgs(args);
        CommandLine.ParseResult eager = whole.parseArgs(args);
        assertThat(lazy.subcommand().subcommand().commandSpec().qualifiedName())
                .isEqualTo(eager.subcommand().subcommand().commandSpec().qualifiedName()).isEqualTo("greylab engines stop");
        assertThat(lazy.subcommand().subcommand().matchedOptionValue("--cluster-file", (Path) null))
                .isEqualTo(eager.subcommand().subcommand().matchedOptionValue("--cluster-file", (Path) null));
        // no command named (the window, a path, an option's value first, help, or after --): every command
        for (String[] none : List.of(new String[0], new String[] {"photos", "convert"}, new String[] {"help", "bench"},
                new String[] {"--", "convert"}, new String[] {"--help"})) {
            assertThat(GreylabCli.commandLine(new PrintWriter(out), new PrintWriter(err), null, none).getSubcommands()
                    .keySet()).as(String.join(" ", none)).containsExactlyElementsOf(GreylabCli.SUBCOMMANDS);
        }
    }

    @Test
    void theWindowsClusterFileBeforeACommandIsRefusedRatherThanIgnored() {
        int status = GreylabCli.run(new String[] {"--cluster-file", tmp.resolve("lab.cluster").toString(), "engines",
            "stop"}, new PrintWriter(out, true), new PrintWriter(err, true), null);

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--cluster-file before 'engines stop' is the window's option")
                .contains("greylab engines stop --cluster-file FILE");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aWordThatNamesNeitherACommandNorAFileSaysSoWithoutOpeningAWindow() {
        WindowLauncher never = new WindowLauncher(new InstanceChannel(tmp.resolve("run/window.socket")),
                session -> {
                    throw new AssertionError("no window for a typo");
                });

        int status = GreylabCli.run(new String[] {"convrt", tmp.resolve("photos").toString()},
                new PrintWriter(out, true), new PrintWriter(err, true), never);

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("no such file or folder: convrt").contains("the command convert?");
        assertThat(Files.exists(tmp.resolve("run"))).isFalse();
    }

    @Test
    void theConvertCommandItSuggestsIsQuotedForTheShell() {
        assertThat(GreylabCommand.quoted("/home/ana/Pictures")).isEqualTo("/home/ana/Pictures");
        assertThat(GreylabCommand.quoted("My Photos")).isEqualTo("'My Photos'");
        assertThat(GreylabCommand.quoted("it's")).isEqualTo("'it'\\''s'");
    }
}
