package org.greylab.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The host specs of --ssh and --hosts-file: [user@]host[:engines]. */
class SshHostTest {

    @Test
    void aBareHostGetsOneEngineAndSshsOwnChoiceOfUser() {
        assertThat(SshHost.parse("pc21")).isEqualTo(new SshHost(null, "pc21", 1));
    }

    @Test
    void userHostAndEngineCountAreEachRead() {
        SshHost host = SshHost.parse("ada@pc21.lab.example.org:3");

        assertThat(host).isEqualTo(new SshHost("ada", "pc21.lab.example.org", 3));
        assertThat(host.destination()).isEqualTo("ada@pc21.lab.example.org");
        assertThat(host).hasToString("ada@pc21.lab.example.org:3");
    }

    @Test
    void anIpv6AddressGoesInBracketsAndScpGetsThemBack() {
        SshHost host = SshHost.parse("ada@[fd00::21]:2");

        assertThat(host.host()).isEqualTo("fd00::21");
        assertThat(host.engines()).isEqualTo(2);
        assertThat(host.destination()).isEqualTo("ada@fd00::21");
        assertThat(host.scpDestination()).isEqualTo("ada@[fd00::21]");
    }

    @Test
    void noEnginesTooManyOrAPortLikeCountIsRefusedWithTheSpec() {
        assertThatThrownBy(() -> SshHost.parse("pc21:0")).hasMessageContaining("pc21:0")
                .hasMessageContaining("1-64");
        assertThatThrownBy(() -> SshHost.parse("pc21:22222")).hasMessageContaining("1-64");
    }

    @Test
    void whatSshWouldTakeForAnOptionOrAShellWordIsRefused() {
        assertThatThrownBy(() -> SshHost.parse("-oProxyCommand=touch")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshHost.parse("pc21;reboot")).hasMessageContaining("[user@]host[:engines]");
        assertThatThrownBy(() -> SshHost.parse("a b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aListSkipsEmptyItemsAndRefusesAHostNamedTwice() {
        assertThat(SshHost.parseList("pc21, ada@pc22:2,")).containsExactly(new SshHost(null, "pc21", 1),
                new SshHost("ada", "pc22", 2));
        assertThatThrownBy(() -> SshHost.parseList("pc21,pc21:2")).hasMessageContaining("pc21 twice");
        assertThatThrownBy(() -> SshHost.parseList(" , ")).hasMessageContaining("no host");
    }

    @Test
    void aHostsFileTakesOneHostPerLineWithComments() {
        List<SshHost> hosts = SshHost.parseLines(List.of("# the lab", "", "pc21:2   # two", "  ada@pc22"), "hosts");

        assertThat(hosts).containsExactly(new SshHost(null, "pc21", 2), new SshHost("ada", "pc22", 1));
    }

    @Test
    void aHostsFileLineWithTwoWordsSaysWhichLine() {
        assertThatThrownBy(() -> SshHost.parseLines(List.of("pc21", "pc22 pc23"), "hosts"))
                .hasMessageContaining("hosts line 2");
    }
}
