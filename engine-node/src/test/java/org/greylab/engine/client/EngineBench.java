package org.greylab.engine.client;

import java.io.ByteArrayOutputStream;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.TaskOutcome;

/**
 * A measurement, not a test: local cluster start-up time and the round trip of a tiny task.
 * {@code java -cp <test classpath> -Dgreylab.engine.jar=... org.greylab.engine.client.EngineBench [starts] [tasks]}
 */
public final class EngineBench {

    private EngineBench() {
    }

    public static void main(String[] args) throws Exception {
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long[] startMillis = new long[starts];
        long[] readyMillis = new long[starts];
        for (int i = 0; i < starts; i++) {
            try (HazelcastEngineCluster cluster = HazelcastEngineCluster.startLocal(2, 1)) {
                startMillis[i] = cluster.localEngines().orElseThrow().startupTime().orElseThrow().toMillis();
                readyMillis[i] = cluster.localEngines().orElseThrow().readyTime().toMillis();
                System.out.printf("start %d: engines ready %d ms, visible to the client %d ms%n", i, readyMillis[i],
                        startMillis[i]);
                if (i == starts - 1) {
                    roundTrips(cluster, tasks);
                }
            }
        }
        System.out.printf("cluster of 2 ready: median %d ms (engines' ready lines: median %d ms) over %d starts%n",
                median(startMillis), median(readyMillis), starts);
    }

    private static void roundTrips(HazelcastEngineCluster cluster, int tasks) throws Exception {
        BufferedImage pixel = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(pixel, "png", png);
        byte[] input = png.toByteArray();
        ConversionSettings settings = ConversionSettings.defaults().withFormat(OutputFormat.PNG);
        long[] rtt = new long[tasks];
        long[] compute = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            long t0 = System.nanoTime();
            TaskOutcome outcome = cluster.submit(i % 2, new ConvertTask(i, "pixel.png", input, settings))
                    .get(10, TimeUnit.SECONDS);
            rtt[i] = (System.nanoTime() - t0) / 1000;
            compute[i] = outcome.finishedMicros() - outcome.startedMicros();
        }
        long[] warm = Arrays.copyOfRange(rtt, tasks / 2, tasks);
        long[] warmCompute = Arrays.copyOfRange(compute, tasks / 2, tasks);
        System.out.printf("tiny task (1x1 PNG) round trip, one at a time: median %d us (engine-side kernel %d us)"
                + " over the last %d of %d%n", median(warm), median(warmCompute), warm.length, tasks);
        long t0 = System.nanoTime();
        List<CompletableFuture<TaskOutcome>> all = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            all.add(cluster.submit(i % 2, new ConvertTask(i, "pixel.png", input, settings)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("tiny tasks all submitted at once: %d in %.2f s = %.0f tasks/s%n", tasks, seconds,
                tasks / seconds);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

}
