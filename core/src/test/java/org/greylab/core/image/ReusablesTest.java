package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReusablesTest {

    @Test
    void whatOneThreadGaveBackIsWhatTheNextThreadGets() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Reusables<int[]> pool = new Reusables<>(() -> new int[] {made.incrementAndGet()});
        int[] first = pool.take();
        pool.giveBack(first);

        int[] onAnotherThread = CompletableFuture.supplyAsync(pool::take).get();

        assertThat(onAnotherThread).isSameAs(first);
        assertThat(made).hasValue(1);
    }

    @Test
    void twoUsersAtOnceNeverShareOneObject() {
        AtomicInteger made = new AtomicInteger();
        Reusables<int[]> pool = new Reusables<>(() -> new int[] {made.incrementAndGet()});

        int[] a = pool.take();
        int[] b = pool.take();
        pool.giveBack(a);
        pool.giveBack(b);
        int[] c = pool.take();

        assertThat(a).isNotSameAs(b);
        assertThat(c).as("the most recently given back").isSameAs(b);
        assertThat(made).hasValue(2);
    }
}
