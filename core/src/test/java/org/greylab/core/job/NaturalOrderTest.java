package org.greylab.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {

    private static List<String> sorted(String... names) {
        List<String> list = new ArrayList<>(List.of(names));
        list.sort(NaturalOrder.INSTANCE);
        return list;
    }

    @Test
    void countsDigitsAsNumbers() {
        assertThat(sorted("img10.jpg", "img2.jpg", "img1.jpg")).containsExactly("img1.jpg", "img2.jpg", "img10.jpg");
    }

    @Test
    void ignoresCaseButBreaksTiesByIt() {
        assertThat(sorted("b.jpg", "a.jpg", "B.jpg", "A.jpg")).containsExactly("A.jpg", "a.jpg", "B.jpg", "b.jpg");
    }

    @Test
    void comparesFolderByFolder() {
        assertThat(sorted("a b/x.jpg", "a/z.jpg", "a.jpg", "a/y/1.jpg"))
                .containsExactly("a/y/1.jpg", "a/z.jpg", "a b/x.jpg", "a.jpg");
    }

    @Test
    void putsFewerLeadingZerosFirstOnlyAsATieBreak() {
        assertThat(sorted("img010.jpg", "img10.jpg", "img9.jpg")).containsExactly("img9.jpg", "img10.jpg", "img010.jpg");
    }
}
