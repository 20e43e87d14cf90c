package org.greylab.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.greylab.engine.ssh.SshFailure.Reason;
import org.junit.jupiter.api.Test;

/**
 * ssh's standard error in words a host row shows. The texts are what OpenSSH 9.2 (Debian 12) printed for each case,
 * taken from real runs: the lab's hosts (installer/lab/lab.sh) and this machine.
 */
class SshFailureTest {

    @Test
    void anUnknownNameIsUnreachable() {
        SshFailure why = SshFailure.classifySsh(
                "ssh: Could not resolve hostname nosuchhost.invalid: Name or service not known\n");

        assertThat(why.reason()).isEqualTo(Reason.UNREACHABLE);
        assertThat(why.detail()).isEqualTo("ssh: Could not resolve hostname nosuchhost.invalid: Name or service"
                + " not known");
    }

    @Test
    void noRouteARefusedPortAndATimeoutAreUnreachable() {
        assertThat(SshFailure.classifySsh("ssh: connect to host 10.151.0.99 port 22: No route to host\n").reason())
                .isEqualTo(Reason.UNREACHABLE);
        assertThat(SshFailure.classifySsh("ssh: connect to host 127.0.0.1 port 1: Connection refused\n").reason())
                .isEqualTo(Reason.UNREACHABLE);
        assertThat(SshFailure.classifySsh("ssh: connect to host 192.0.2.1 port 22: Connection timed out\n")
                .reason()).isEqualTo(Reason.UNREACHABLE);
    }

    @Test
    void aHostKeyNotYetKnownIsNotTrustedAndSaysWhatToDo() {
        SshFailure why = SshFailure.classifySsh("No ED25519 host key is known for 10.151.0.11 and you have"
                + " requested strict checking.\nHost key verification failed.\n");

        assertThat(why.reason()).isEqualTo(Reason.HOST_KEY);
        assertThat(why.describe()).startsWith("host key not trusted: No ED25519 host key is known for 10.151.0.11")
                .contains("plain 'ssh'");
    }

    @Test
    void aChangedHostKeyIsNotTrusted() {
        String stderr = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
                + "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
                + "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
                + "Host key for 10.151.0.11 has changed and you have requested strict checking.\n"
                + "Host key verification failed.\n";

        assertThat(SshFailure.classifySsh(stderr).reason()).isEqualTo(Reason.HOST_KEY);
    }

    @Test
    void aRefusedKeyIsARefusedLoginNeverAPasswordPrompt() {
        SshFailure why = SshFailure.classifySsh("gllab1@10.151.0.12: Permission denied (publickey).\n");

        assertThat(why.reason()).isEqualTo(Reason.LOGIN_REFUSED);
        assertThat(why.detail()).startsWith("gllab1@10.151.0.12: Permission denied (publickey).");
    }

    @Test
    void noSpaceFromScpOrTarIsADiskFull() {
        assertThat(SshFailure.classifySsh("scp: write remote \"/home/ada/.cache/greylab/x.tar.gz\": No space left"
                + " on device\n").reason()).isEqualTo(Reason.DISK_FULL);
        assertThat(SshFailure.classifySsh("tar: greylab-engine-0.1.0/runtime/lib/modules: Cannot write: No space"
                + " left on device\ntar: Exiting with failure status due to previous errors\n").detail())
                .contains("Cannot write: No space left on device");
    }

    @Test
    void anythingElseKeepsItsLastLineWithoutControlCharacters() {
        SshFailure why = SshFailure.classifySsh("something odd\n\u001b[31mbad\u0007 thing\n");

        assertThat(why.reason()).isEqualTo(Reason.FAILED);
        assertThat(why.detail()).isEqualTo("[31mbad thing");
    }

    @Test
    void aLauncherWithoutAnyJavaIsARuntimeThatCannotStart() {
        SshFailure why = SshFailure.classifyStart("greylab-engine: no Java found: the bundle's runtime cannot run"
                + " here (it is built for Linux x86_64, this is Linux aarch64), and there is no java on the PATH or"
                + " in JAVA_HOME. Unpack the whole bundle ...\n");

        assertThat(why.reason()).isEqualTo(Reason.RUNTIME);
        assertThat(why.describe()).startsWith("runtime cannot start: greylab-engine: no Java found");
    }

    @Test
    void anEngineThatEndsBeforeItsReadyLineSaysItsLastLine() {
        SshFailure why = SshFailure.classifyStart("greylab-engine: using the bundle's runtime (Java 25): /x/java\n"
                + "engine-node: port 5701 on 10.151.0.11 is taken (another engine or program listens there):"
                + " choose a free one with --port\n");

        assertThat(why.reason()).isEqualTo(Reason.ENGINE_FAILED);
        assertThat(why.detail()).contains("port 5701 on 10.151.0.11 is taken");
    }
}
