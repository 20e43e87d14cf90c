package org.greylab.engine.modes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.WebpDecoders;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.run.EngineSource;
import org.greylab.core.run.ModeResult;
import org.greylab.core.run.RunEvent;
import org.greylab.core.run.RunListener;
import org.greylab.core.run.RunOutcome;
import org.greylab.core.run.RunRequest;
import org.greylab.core.run.RunService;
import org.greylab.core.schedule.DispatchOptions;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.ProgressEvent;
import org.greylab.core.testing.Samples;
import org.greylab.engine.client.EngineProcess;
import org.greylab.engine.client.HazelcastEngineCluster;
import org.greylab.engine.client.LocalEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch's WebP decoder is one for all its modes, fixed from what this client and every engine report. Real engine
 * processes on loopback that have no libwebp ({@code -Dgreylab.webp=java}, as on a Java 17 lab machine) make a client
 * that has it decode WebP with the Java decoder too, so that serial, direct and balanced, with an engine killed in
 * the middle of balanced, write the same bytes. (The two decoders give different bytes on every lossy file here:
 * {@code WebpSuiteTest}.)
 */
class BatchDecodersIT {

    private static final List<String> LOSSY_WEBP = List.of("test.webp", "hopper.webp", "flower.webp",
            "flower2.webp", "transparent.webp");
    private static final int COPIES = 6;

    @TempDir
    Path temp;

    private HazelcastEngineCluster cluster;

    @AfterEach
    void stopEngines() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void enginesWithoutLibwebpMakeEveryModeAndFailoverDecodeWebpWithTheJavaDecoderAndWriteTheSameBytes()
            throws Exception {
        assumeTrue(WebpDecoders.available(), "this client has no libwebp either: " + WebpDecoders.description());
        cluster = HazelcastEngineCluster.startLocal(LocalEngines.Options.of(2, 1)
                .withExtraJvmArgs(List.of("-D" + WebpDecoders.PROPERTY + "=java")));
        assertThat(cluster.engines()).hasSize(2).allSatisfy(e -> assertThat(e.decoders().libwebp())
                .as("engine %d reports no libwebp", e.id()).isFalse());
        EngineProcess victim = cluster.localEngines().orElseThrow().processes().get(1);
        BatchPlan plan = new BatchPlanner().plan(List.of(webpFolder()), temp.resolve("out"),
                ConversionSettings.defaults(), OverwritePolicy.OVERWRITE, true);
        assertThat(plan.settings().decoders().libwebp()).as("this client alone would use libwebp").isTrue();
        List<ProgressEvent.ImageRequeued> requeued = new CopyOnWriteArrayList<>();
        AtomicInteger balancedFinished = new AtomicInteger();
        RunListener killDuringBalanced = event -> {
            if (event instanceof RunEvent.Progress p && p.mode() == Mode.BALANCED) {
                if (p.event() instanceof ProgressEvent.ImageFinished && balancedFinished.incrementAndGet() == 3) {
                    victim.kill();
                } else if (p.event() instanceof ProgressEvent.ImageRequeued again) {
                    requeued.add(again);
                }
            }
        };
        RunService service = new RunService(new GreyscaleKernel(), EngineSource.of(cluster),
                DispatchOptions.defaults(), temp);

        RunOutcome outcome = service.run(RunRequest.compare(plan, List.of(Mode.SERIAL, Mode.DIRECT, Mode.BALANCED)),
                killDuringBalanced);

        assertThat(outcome.results()).extracting(ModeResult::mode)
                .containsExactly(Mode.SERIAL, Mode.DIRECT, Mode.BALANCED);
        assertThat(outcome.results()).allSatisfy(r -> {
            assertThat(r.report().settings().decoders().libwebp()).as("%s decodes WebP with libwebp", r.mode())
                    .isFalse();
            assertThat(r.converted()).as(r.mode().word()).isEqualTo(plan.jobs().size());
        });
        assertThat(outcome.result(Mode.DIRECT).orElseThrow().engines()).extracting(EngineInfo::id).contains(0, 1);
        assertThat(requeued).as("the engine killed during balanced had images to give back").isNotEmpty();
        assertThat(outcome.differences()).isEmpty();
        assertThat(outcome.identicalBytes()).as("one WebP decoder for the whole batch: the same bytes").isTrue();
    }

    /** The lossy WebP test files, each several times, so that both engines get some in every mode. */
    private Path webpFolder() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("webp"));
        for (String name : LOSSY_WEBP) {
            byte[] bytes = Files.readAllBytes(suiteFile(name));
            for (int copy = 0; copy < COPIES; copy++) {
                Files.write(folder.resolve(name.replace(".webp", "-" + copy + ".webp")), bytes);
            }
        }
        return folder;
    }

    private static Path suiteFile(String name) {
        return Samples.repo().resolve("core/src/test/resources/suites/webp").resolve(name);
    }
}
