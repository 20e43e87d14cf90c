package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.greylab.core.schedule.DirectSplit.Block;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DirectSplitTest {

    /**
     * ipyparallel's {@code Map().getPartition(list(range(n)), p, k)} for each engine p, written out as the
     * {@code [low, high)} bounds Python prints: e.g. n=14, k=3 gives [0:5], [5:10], [10:14].
     */
    @ParameterizedTest(name = "n={0}, k={1}")
    @CsvSource(delimiter = ';', value = {
        "14; 3; 0-5 5-10 10-14",
        "14; 2; 0-7 7-14",
        "10; 4; 0-3 3-6 6-8 8-10",
        "7; 7; 0-1 1-2 2-3 3-4 4-5 5-6 6-7",
        "105; 2; 0-53 53-105",
        "2; 5; 0-1 1-2 2-2 2-2 2-2",
        "0; 3; 0-0 0-0 0-0",
        "5; 1; 0-5",
    })
    void splitsLikeDirectView(int n, int k, String expected) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            ids.add(10 + i);
        }

        List<Block> blocks = DirectSplit.blocks(n, ids);

        List<String> bounds = blocks.stream().map(b -> b.from() + "-" + b.to()).toList();
        assertThat(String.join(" ", bounds)).isEqualTo(expected);
        assertThat(blocks).extracting(Block::engineId).isEqualTo(ids);
    }

    @ParameterizedTest(name = "n={0}, k={1}")
    @CsvSource({"0,1", "1,2", "13,4", "100,7", "5000,3", "3,8"})
    void blocksAreContiguousCoverEverythingAndDifferByAtMostOneLargerFirst(int n, int k) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            ids.add(i);
        }

        List<Block> blocks = DirectSplit.blocks(n, ids);

        int next = 0;
        for (Block b : blocks) {
            assertThat(b.from()).isEqualTo(next);
            next = b.to();
        }
        assertThat(next).isEqualTo(n);
        for (int p = 0; p < k; p++) {
            assertThat(blocks.get(p).size()).isEqualTo(n / k + (p < n % k ? 1 : 0));
        }
    }

    @Test
    void keepsTheEngineOrderItIsGiven() {
        List<Block> blocks = DirectSplit.blocks(5, List.of(4, 1));

        assertThat(blocks).containsExactly(new Block(4, 0, 3), new Block(1, 3, 5));
    }

    @Test
    void refusesToSplitOverNoEngine() {
        assertThatThrownBy(() -> DirectSplit.blocks(3, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
