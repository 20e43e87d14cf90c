package org.greylab.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.EngineState;
import org.greylab.engine.client.HazelcastEngineCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code greylab engines --connect HOST[:PORT],... --cluster NAME}: lists the engines like ipyparallel's
 * {@code rc.ids}. With {@code --engines N} it starts N local engines, lists them and stops them (a quick check
 * that this machine can run engines).
 */
@Command(name = "engines", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {EnginesStartCommand.class, EnginesStopCommand.class},
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Lists the engines of a cluster: id, name, address, slots, cores, version, state.",
            "With --connect/--cluster: the lab engines there. With --engines N: starts N local engines, lists them,"
                    + " and stops them again."},
        footer = {"", "Exit status: 0 engines listed, 2 usage error or no engine reached."})
public final class EnginesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Option(names = {"-v", "--verbose"}, description = "Show Greylab's debug log on the terminal.")
    boolean verbose;

    @Override
    public Integer call() {
        LoggingSetup.configure(verbose, null);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        engineOptions.validate(spec);
        try (HazelcastEngineCluster cluster = engineOptions.openOrExplain(out, err)) {
            if (cluster == null) {
                return 2;
            }
            print(out, cluster.engines(), cluster::insecure);
            for (String refused : cluster.refusedEngines()) {
                out.println(EngineState.REFUSED.word() + ": " + refused);
            }
            out.flush();
            return 0;
        } finally {
            LoggingSetup.close();
        }
    }

    /**
     * The engines as a table. Each has just been reached by this client and holds nothing of its: idle (other
     * clients' work on it is not visible from here).
     */
    static void print(PrintWriter out, List<EngineInfo> engines) {
        print(out, engines, id -> false);
    }

    /** As {@link #print(PrintWriter, List)}; an engine without a cluster key ({@code insecure}) is shown so. */
    static void print(PrintWriter out, List<EngineInfo> engines, java.util.function.IntPredicate insecure) {
        out.printf(Locale.ROOT, "%-3s %-20s %-22s %5s %5s %-14s %-6s %-8s %-8s %s%n", "id", "name", "address",
                "slots", "cores", "version", "jpeg", "webp", "heif", "state");
        for (EngineInfo e : engines) {
            out.printf(Locale.ROOT, "%-3d %-20s %-22s %5d %5d %-14s %-6s %-8s %-8s %s%n", e.id(), e.name(),
                    e.address(), e.slots(), e.cores(), e.version(), e.decoders().jpeg().word(),
                    e.decoders().webpWord(), e.decoders().heifWord(), EngineState.IDLE.word()
                            + (insecure.test(e.id()) ? " insecure" : ""));
        }
    }
}
