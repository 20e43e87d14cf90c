package org.greylab.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ssh and scp command lines: never a prompt, a bounded connect, the destination after "--". */
class SshCommandsTest {

    private final SshCommands ssh = new SshCommands(null, Duration.ofSeconds(7));

    @Test
    void sshRunsAScriptFromItsInputInBatchModeWithTheConnectTimeout() {
        List<String> command = ssh.runScript(SshHost.parse("ada@pc21:2"));

        assertThat(command.get(0)).isEqualTo("ssh");
        assertThat(String.join(" ", command)).contains("-o BatchMode=yes").contains("-o ConnectTimeout=7")
                .contains(" -T ").endsWith("-- ada@pc21 sh -s");
        assertThat(command).doesNotContain("-F");
    }

    @Test
    void aConfigFileGoesToSshAndScpAlike() {
        SshCommands withConfig = new SshCommands(Path.of("/lab/ssh_config"), Duration.ofSeconds(5));

        assertThat(String.join(" ", withConfig.runScript(SshHost.parse("pc21")))).contains("-F /lab/ssh_config");
        assertThat(String.join(" ", withConfig.copy(Path.of("/b/bundle.tar.gz"), SshHost.parse("pc21"), "x")))
                .contains("-F /lab/ssh_config");
    }

    @Test
    void scpCopiesToAPathUnderTheHomeAndBracketsAnIpv6Host() {
        List<String> command = ssh.copy(Path.of("/b/bundle.tar.gz"), SshHost.parse("ada@[fd00::21]"),
                ".cache/greylab/.upload.tar.gz");

        assertThat(command.get(0)).isEqualTo("scp");
        assertThat(command.subList(command.size() - 3, command.size())).containsExactly("--", "/b/bundle.tar.gz",
                "ada@[fd00::21]:.cache/greylab/.upload.tar.gz");
        assertThat(command).contains("BatchMode=yes");
    }
}
