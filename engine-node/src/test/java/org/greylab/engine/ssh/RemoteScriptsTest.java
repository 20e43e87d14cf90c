package org.greylab.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.greylab.engine.node.EngineNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts that run on a host, run here with this machine's sh as ssh would run them there ({@code sh -s}, the
 * script on standard input, HOME a folder of the test's): the probe, the unpack and start of a bundle whose
 * "engine" is a small shell script that prints a ready line, and the stop.
 */
class RemoteScriptsTest {

    @TempDir
    Path home;
    private Path bundle;
    private Process stranger;

    @BeforeEach
    void fakeBundle(@TempDir Path build) throws Exception {
        Path top = build.resolve("greylab-engine-" + SshEngines.bundleVersion());
        Files.createDirectories(top.resolve("bin"));
        Path launcher = top.resolve("bin/greylab-engine");
        // an engine: says which java, keeps the key it was piped, prints its ready line, then runs until stopped
        Files.writeString(launcher, String.join("\n",
                "#!/bin/sh",
                "echo 'greylab-engine: using a test runtime' >&2",
                "read -r key; echo \"$key\" > \"$HOME/key-seen\"",
                "while [ $# -gt 0 ]; do case \"$1\" in --cluster) c=$2;; --interface) a=$2;; --name) n=$2;; esac;"
                        + " shift; done",
                "echo \"$*\" > /dev/null",
                "echo \"Greylab engine \\\"$n\\\" ready at $a:5701 (2 slots, cluster \\\"$c\\\", Greylab 0.1.0, WebP: java,"
                        + " HEIC/AVIF: none, JPEG: Java (ImageIO))\"",
                "while :; do sleep 0.2; done", ""));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        bundle = build.resolve("bundle.tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", bundle.toString(), "-C", build.toString(),
                top.getFileName().toString()).inheritIO().start();
        assertThat(tar.waitFor()).isZero();
    }

    @AfterEach
    void stopWhatIsLeft() {
        if (stranger != null) {
            stranger.destroyForcibly();
        }
        ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a))
                .orElse("").contains(home.toString())).forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void theProbeSaysTheAddressSshReachedAndMakesThePrivateCache() throws Exception {
        String out = runHere(new RemoteScript("probe.sh").set("version", "0.1.0").text(),
                "10.0.0.5 50022 10.0.0.21 22");

        assertThat(out).contains("address=10.0.0.21").contains("hash=\n").contains("systemd=");
        assertThat(out).containsPattern("free-kib=\\d+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".cache/greylab"))))
                .isEqualTo("rwx------");
    }

    @Test
    void startUnpacksTheBundleStartsTheEnginesWithThePipedKeyAndWaitsForTheirReadyLines() throws Exception {
        Path cache = Files.createDirectories(home.resolve(".cache/greylab"));
        Files.copy(bundle, cache.resolve(".upload-x.tar.gz"));

        String out = runHere(startScript(".upload-x.tar.gz", 2), "");

        List<String> ready = out.lines().filter(l -> l.startsWith("greylab-ready=")).toList();
        assertThat(ready).hasSize(2);
        Optional<EngineNode.ReadyLine> first = EngineNode.ReadyLine.parse(ready.get(0).split(" ", 2)[1]);
        assertThat(first).hasValueSatisfying(line -> {
            assertThat(line.name()).isEqualTo("pc21-1");
            assertThat(line.cluster()).isEqualTo("greylab-ssh-test");
            assertThat(line.address()).isEqualTo("10.0.0.21:5701");
        });
        assertThat(out).contains("greylab-runtime=greylab-engine: using a test runtime");
        Path unpacked = cache.resolve("engine-" + SshEngines.bundleVersion());
        assertThat(Files.readString(unpacked.resolve(".bundle-sha256")).strip()).isEqualTo("abc123");
        assertThat(cache.resolve(".upload-x.tar.gz")).doesNotExist();
        assertThat(Files.readString(home.resolve("key-seen")).strip()).isEqualTo("S3CRET+key/=");
        long pid = Long.parseLong(ready.get(0).substring("greylab-ready=".length()).split(" ")[0]);
        assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().arguments()).map(List::of).orElseThrow())
                .contains("--cluster", "greylab-ssh-test").doesNotContain("S3CRET+key/=");
    }

    @Test
    void anEngineThatEndsBeforeItsReadyLineFailsTheHostWithItsLastLines() throws Exception {
        Path cache = Files.createDirectories(home.resolve(".cache/greylab"));
        Path unpacked = Files.createDirectories(cache.resolve("engine-" + SshEngines.bundleVersion() + "/bin"));
        Path launcher = unpacked.resolve("greylab-engine");
        Files.writeString(launcher, "#!/bin/sh\necho 'greylab-engine: no Java found: the bundle has no runtime/"
                + " folder' >&2\nexit 2\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        String out = runHere(startScript("", 1), "");

        assertThat(out).contains("greylab-fail=start").contains("greylab-log=greylab-engine: no Java found");
        assertThat(SshFailure.classifyStart(String.join("\n", out.lines()
                .filter(l -> l.startsWith("greylab-log=")).map(l -> l.substring(12)).toList())).reason())
                .isEqualTo(SshFailure.Reason.RUNTIME);
    }

    @Test
    void stopEndsTheClustersEnginesAndNoOtherProcessWithThosePids() throws Exception {
        Path cache = Files.createDirectories(home.resolve(".cache/greylab"));
        Files.copy(bundle, cache.resolve(".upload-x.tar.gz"));
        String started = runHere(startScript(".upload-x.tar.gz", 2), "");
        List<Long> pids = started.lines().filter(l -> l.startsWith("greylab-ready="))
                .map(l -> Long.parseLong(l.substring(14).split(" ")[0])).toList();
        stranger = new ProcessBuilder("sleep", "60").start();

        String out = runHere(new RemoteScript("stop.sh").set("cluster", "greylab-ssh-test")
                .set("pids", pids.get(0) + " " + pids.get(1) + " " + stranger.pid()).set("wait", 5).text(), "");

        assertThat(out).contains("greylab-stopped=2");
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
        assertThat(stranger.isAlive()).isTrue();
        assertThat(cache.resolve("engine-" + SshEngines.bundleVersion() + "/bin/greylab-engine")).exists();
    }

    @Test
    void aValueWithQuotesSpacesAndDollarsReachesTheScriptUnchanged() throws Exception {
        String value = "it's $HOME and `date` \"quoted\"";

        String out = runHere("v=" + RemoteScript.quote(value) + "\nprintf '%s\\n' \"$v\"\n", "");

        assertThat(out.strip()).isEqualTo(value);
    }

    private String startScript(String upload, int engines) {
        return new RemoteScript("start.sh").set("version", SshEngines.bundleVersion()).set("hash", "abc123")
                .set("upload", upload).set("cluster", "greylab-ssh-test").set("key", "S3CRET+key/=")
                .set("engines", engines).set("address", "10.0.0.21").set("join", "10.0.0.21,10.0.0.22")
                .set("label", "pc21").set("slots", null).set("idle", 60).set("insecure", "no").set("timeout", 20)
                .set("systemd", "no").text();
    }

    private String runHere(String script, String sshConnection) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", "-s");
        builder.environment().put("HOME", home.toString());
        builder.environment().put("SSH_CONNECTION", sshConnection);
        builder.redirectErrorStream(true);
        Process sh = builder.start();
        try (var in = sh.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
