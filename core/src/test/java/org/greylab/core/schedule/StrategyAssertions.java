package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.ImageJob;
import org.greylab.core.testing.Samples;

/** Checks shared by the direct and balanced tests. */
final class StrategyAssertions {

    private StrategyAssertions() {
    }

    /** One converted row per job, in plan order. */
    static void everyJobConvertedOnceInOrder(BatchPlan plan, List<FileResult> results) {
        assertThat(results).extracting(FileResult::input)
                .containsExactlyElementsOf(plan.jobs().stream().map(ImageJob::relativePath).toList());
        assertThat(results).allSatisfy(r ->
                assertThat(r.status()).as(r.input() + ": " + r.reason()).isEqualTo(FileStatus.CONVERTED));
    }

    /** The output folder holds exactly serial's files, byte for byte, and nothing else. */
    static void outputsEqualSerial(Path output, Map<String, byte[]> serial) throws IOException {
        assertThat(Samples.files(output)).containsExactlyInAnyOrderElementsOf(serial.keySet());
        for (Map.Entry<String, byte[]> e : serial.entrySet()) {
            assertThat(Files.readAllBytes(output.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    /** Whatever is in the output folder is a whole output equal to serial's: no temporary or truncated file. */
    static void noPartialFiles(Path output, Map<String, byte[]> serial) throws IOException {
        for (String name : Samples.files(output)) {
            assertThat(serial).as("unexpected file " + name).containsKey(name);
            assertThat(Files.readAllBytes(output.resolve(name))).as(name).isEqualTo(serial.get(name));
        }
    }

    static List<String> relativePaths(BatchPlan plan, int from, int to) {
        return plan.jobs().subList(from, to).stream().map(ImageJob::relativePath).toList();
    }
}
