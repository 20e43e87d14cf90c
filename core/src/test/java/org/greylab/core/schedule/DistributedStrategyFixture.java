package org.greylab.core.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.greylab.core.job.ImagePipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the direct and balanced tests share: the samples converted serially, the reference every distributed output
 * must equal byte for byte; per test an output folder, a folder outside the samples, and a cluster of in-process
 * engines that is shut down after it; and the two distributed strategies, for the behaviours they share
 * ({@link DistributedStrategiesTest}).
 */
abstract class DistributedStrategyFixture {

    /** A distributed strategy's constructor ({@code DirectStrategy::new}). */
    @FunctionalInterface
    interface StrategyFactory {
        Strategy create(EngineCluster cluster, ImagePipeline pipeline, DispatchOptions options);
    }

    /** A distributed strategy: the mode its events carry, and how to build it on a cluster. */
    record StrategyUnderTest(Mode mode, StrategyFactory factory) {

        /** The strategy on {@code cluster}, with the samples' pipeline. */
        Strategy on(EngineCluster cluster, DispatchOptions options) {
            return factory.create(cluster, SampleImages.PIPELINE, options);
        }

        @Override
        public String toString() {
            return mode.word();
        }
    }

    /** Serial's output of every sample, by output path; converted once for all the classes. */
    static Map<String, byte[]> serial;

    @TempDir
    Path output;
    @TempDir
    Path elsewhere;
    ThreadPoolEngineCluster cluster;

    @BeforeAll
    static void convertSerially(@TempDir Path serialFolder) throws Exception {
        if (serial == null) {
            serial = SampleImages.serialOutputs(SampleImages.plan(serialFolder));
        }
    }

    @AfterEach
    void stopEngines() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Starts this test's cluster: one engine per argument, with that many slots, ids from 0. */
    ThreadPoolEngineCluster engines(int... slots) {
        cluster = ThreadPoolEngineCluster.withEngines(slots);
        return cluster;
    }

    /**
     * Awaitility, as these tests wait for a moment mid-run: up to 30 s (a busy build machine), looking every 5 ms so
     * that the gated engines are caught as soon as they are where the test wants them.
     */
    static ConditionFactory eventually(String what) {
        return Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5));
    }

    /** Direct and balanced. */
    static Stream<StrategyUnderTest> distributedStrategies() {
        return Stream.of(new StrategyUnderTest(Mode.DIRECT, DirectStrategy::new),
                new StrategyUnderTest(Mode.BALANCED, BalancedStrategy::new));
    }
}
