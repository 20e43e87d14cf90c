package org.greylab.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What engines started over SSH are told to join: every engine's address with its port, never a bare host. */
class SshEnginesJoinListTest {

    @Test
    void eachHostIsListedAtThePortsItsEnginesTakeInOrder() {
        Map<String, Integer> enginesAt = new LinkedHashMap<>();
        enginesAt.put("10.151.0.11", 1);
        enginesAt.put("10.151.0.12", 3);
        enginesAt.put("fd00::21", 2);

        assertThat(SshEngines.joinList(enginesAt)).containsExactly("10.151.0.11:5701", "10.151.0.12:5701",
                "10.151.0.12:5702", "10.151.0.12:5703", "[fd00::21]:5701", "[fd00::21]:5702");
    }

    @Test
    void noEntryIsWithoutAPort() {
        Map<String, Integer> enginesAt = Map.of("pc21.lab.example.org", 1, "192.168.4.7", 4);

        assertThat(SshEngines.joinList(enginesAt)).hasSize(5).allMatch(entry -> entry.matches(".*:57\\d\\d"));
    }
}
