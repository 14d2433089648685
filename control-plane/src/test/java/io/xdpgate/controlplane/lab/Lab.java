package io.xdpgate.controlplane.lab;

import io.xdpgate.controlplane.client.UnixHttpClient;
import io.xdpgate.datapath.testing.TestObjects;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lab topology (lab/lab.sh) with the daemon running in xg-fw as its own process, started from
 * this JVM's classpath; what the end-to-end tests drive.
 */
final class Lab implements AutoCloseable {
    static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    static final Path RUN = Path.of("/tmp/xdpgate-e2e-" + ProcessHandle.current().pid());
    static final Path SOCKET = RUN.resolve("api.sock");
    static final Path PINS = Path.of("/sys/fs/bpf/xdpgate-e2e-" + ProcessHandle.current().pid());
    /** The hook of every lab interface (auto: tc, they are veths); the build runs the suites at xdp too. */
    static final String HOOK = System.getProperty("xdpgate.test.hook", "auto");

    private Process daemon;

    Lab() throws Exception {
        Files.createDirectories(RUN);
        sh(List.of(REPO.resolve("lab/lab.sh").toString(), "up"), Duration.ofSeconds(60));
    }

    /** Starts the daemon (again): it takes over the pinned maps of the previous run. */
    void startDaemon(String... extraSettings) throws Exception {
        Files.deleteIfExists(SOCKET);
        // nsenter switches the network namespace only: unlike `ip netns exec` it keeps /sys, and so
        // the host's bpffs where the maps stay pinned across daemon restarts
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=/run/netns/xg-fw",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.xdpgate.controlplane.XdpgateDaemon",
                "--xdpgate.bpf-object=" + TestObjects.xdpgate(),
                "--xdpgate.pin-dir=" + PINS,
                "--xdpgate.state-dir=" + RUN.resolve("state"),
                "--xdpgate.initial-policy=" + REPO.resolve("control-plane/src/main/resources/default-policy.json"),
                "--xdpgate.api.socket=" + SOCKET,
                "--xdpgate.interfaces[0].name=ext0", "--xdpgate.interfaces[0].role=external",
                "--xdpgate.interfaces[0].hook=" + HOOK,
                "--xdpgate.interfaces[1].name=int0", "--xdpgate.interfaces[1].role=internal",
                "--xdpgate.interfaces[1].hook=" + HOOK,
                "--xdpgate.gateways.hook=" + HOOK));
        cmd.addAll(List.of(extraSettings));
        daemon = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(RUN.resolve("daemon.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new IllegalStateException("daemon exited: " + Files.readString(RUN.resolve("daemon.log")));
            }
            try {
                if (Files.exists(SOCKET) && api().get("/healthz").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("daemon not up after 60 s: " + Files.readString(RUN.resolve("daemon.log")));
    }

    /** SIGKILL: no shutdown hook runs; the pinned maps and the attached program stay. */
    void killDaemon() throws Exception {
        daemon.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        daemon.destroyForcibly();
        daemon.waitFor(10, TimeUnit.SECONDS);
    }

    /** A packet processor counter from GET /api/v1/stats, e.g. "drop_default". */
    long stat(String name) throws Exception {
        return io.xdpgate.controlplane.client.ApiCounters.read(api(), name);
    }

    UnixHttpClient api() {
        return new UnixHttpClient(SOCKET);
    }

    /** Runs a command in a namespace; its exit code and output. */
    static Result inNs(String ns, Duration timeout, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return sh(cmd, timeout);
    }

    static Result sh(List<String> cmd, Duration timeout) throws Exception {
        File out = Files.createTempFile(RUN, "cmd-", ".out").toFile();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeout);
        }
        String text = Files.readString(out.toPath(), StandardCharsets.UTF_8);
        Files.deleteIfExists(out.toPath());
        return new Result(p.exitValue(), text);
    }

    record Result(int exit, String output) {
    }

    @Override
    public void close() throws Exception {
        if (daemon != null) {
            killDaemon();
        }
        sh(List.of(REPO.resolve("lab/lab.sh").toString(), "down"), Duration.ofSeconds(60));
        new ProcessBuilder("rm", "-rf", PINS.toString(), RUN.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
}
