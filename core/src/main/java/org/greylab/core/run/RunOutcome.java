package org.greylab.core.run;

import java.util.List;
import java.util.Optional;
import org.greylab.core.schedule.Mode;

/**
 * What a run did: each mode's figures in run order (a mode that was skipped has none), the comparisons of every
 * later mode with the first, and whether it was cancelled.
 */
public record RunOutcome(List<ModeResult> results, List<RunEvent.Compared> comparisons,
                         List<RunEvent.ModeSkipped> skipped, boolean cancelled) {

    public RunOutcome {
        results = List.copyOf(results);
        comparisons = List.copyOf(comparisons);
        skipped = List.copyOf(skipped);
    }

    public Optional<ModeResult> result(Mode mode) {
        return results.stream().filter(r -> r.mode() == mode).findFirst();
    }

    /** Every compared mode wrote the same names and pixels as the first. */
    public boolean identicalOutputs() {
        return comparisons.stream().allMatch(c -> c.result().identical());
    }

    /** Every compared mode wrote the same bytes as the first. */
    public boolean identicalBytes() {
        return comparisons.stream().allMatch(c -> c.result().identicalBytes());
    }

    /** What differs, each line prefixed with the two modes. */
    public List<String> differences() {
        return comparisons.stream().flatMap(c -> c.result().differences().stream()
                .map(d -> c.mode().word() + " vs " + c.reference().word() + ": " + d)).toList();
    }

    public int failed() {
        return results.stream().mapToInt(ModeResult::failed).sum();
    }
}
