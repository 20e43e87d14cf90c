package org.greylab.engine.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TestStallTest {

    @Test
    void armsOnlyForAMarkerAndAnImagePath() {
        assertThat(TestStall.parse(null)).isNull();
        assertThat(TestStall.parse(" ")).isNull();
        assertThat(TestStall.parse("no-colon")).isNull();
        assertThat(TestStall.parse("/tmp/marker:")).isNull();
        assertThat(TestStall.parse(":4/camera.png")).isNull();
        assertThat(TestStall.parse("/tmp/round 3/stall:4/camera.png"))
                .extracting("marker", "image").containsExactly(Path.of("/tmp/round 3/stall"), "4/camera.png");
    }

    @Test
    void anEngineWithoutTheVariableNeverStalls() {
        // the variable is not set in a test JVM: every image converts, even one of the suite's names
        assertThat(System.getenv(TestStall.VARIABLE)).isNull();
        assertThat(TestStall.armed()).isEmpty();
        TestStall.maybeStall("4/camera.png");
    }
}
