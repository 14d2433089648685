package io.xdpgate.controlplane.image;

import io.xdpgate.controlplane.client.UnixHttpClient;
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
 * The daemon's image run as the DaemonSet runs it, through containerd (the runtime kubelet drives)
 * with ctr: not privileged, only the DaemonSet's capabilities, the host's bpffs, the socket's
 * directory from the host, in a network namespace of its own ("the node", {@code NODE}) with two
 * veths to two hosts ({@code CLIENT} 198.18.60.2, {@code SERVER} 198.18.61.2).
 *
 * <p>Why ctr and not docker (or Testcontainers, which speaks only docker's API): Debian 12's
 * docker.io (20.10) does not know CAP_BPF and CAP_PERFMON ("invalid CapAdd: unknown capability:
 * CAP_BPF"), so it can grant them only by way of CAP_SYS_ADMIN. docker builds the image; the test
 * imports it into a containerd namespace of its own.
 */
public final class NodeContainer implements AutoCloseable {
    static final String IMAGE = System.getProperty("xdpgate.test.image", "xdpgate:0.1.0-SNAPSHOT");
    /** What docker save names the image once imported. */
    static final String REF = "docker.io/library/" + IMAGE;
    /** BPF, PERFMON, NET_ADMIN, NET_RAW, IPC_LOCK: the chart's DaemonSet's set (ChartTest holds the two equal). */
    public static final List<String> CAPS = List.of("CAP_BPF", "CAP_PERFMON", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK");
    /** CapEff of those: bits 39, 38, 12, 13, 14. */
    static final long CAPS_MASK = (1L << 39) | (1L << 38) | (1L << 12) | (1L << 13) | (1L << 14);
    /** containerd's default capabilities of a container, all dropped but those the DaemonSet adds. */
    private static final List<String> RUNTIME_DEFAULTS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    private static final String CTR_NAMESPACE = "xdpgate-test";
    private static final Duration SHORT = Duration.ofSeconds(30);

    static final long PID = ProcessHandle.current().pid();
    static final String NODE = "xgimg" + PID + "-node";
    static final String CLIENT = "xgimg" + PID + "-client";
    static final String SERVER = "xgimg" + PID + "-server";
    static final Path RUN = Path.of("/tmp/xdpgate-image-" + PID);
    static final Path SOCKET = RUN.resolve("run/api.sock");
    /** Under the host's bpffs, beside (never on) a real daemon's /sys/fs/bpf/xdpgate. */
    static final String PIN_DIR = "/sys/fs/bpf/xdpgate-image-" + PID;
    private final String container = "xdpgate-image-" + PID;
    private final String address = containerdAddress();

    /** The namespaces and veths; the image imported into the test's containerd namespace. */
    NodeContainer() throws Exception {
        Files.createDirectories(RUN.resolve("run"));
        Files.createDirectories(RUN.resolve("state"));
        Files.createDirectories(RUN.resolve("www"));
        close();
        try {
            for (String ns : List.of(NODE, CLIENT, SERVER)) {
                sh("ip", "netns", "add", ns);
                sh("ip", "-n", ns, "link", "set", "lo", "up");
            }
            host(CLIENT, "ext0", "198.18.60");
            host(SERVER, "int0", "198.18.61");
            // the node forwards, as a Kubernetes node does; the container could not set it (/proc/sys is read-only)
            sh("ip", "netns", "exec", NODE, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            sh("bash", "-c", "set -o pipefail; docker save " + IMAGE + " | " + ctr() + " images import --digests=false -");
        } catch (Exception e) {
            close();
            removeFiles();
            throw e;
        }
    }

    /** A host behind {@code dev} of the node: {@code prefix}.1 the node's end, {@code prefix}.2 the host's. */
    private static void host(String ns, String dev, String prefix) throws Exception {
        sh("ip", "link", "add", dev, "netns", NODE, "type", "veth", "peer", "name", "eth0", "netns", ns);
        sh("ip", "-n", NODE, "addr", "add", prefix + ".1/24", "dev", dev);
        sh("ip", "-n", NODE, "link", "set", dev, "up");
        sh("ip", "-n", ns, "addr", "add", prefix + ".2/24", "dev", "eth0");
        sh("ip", "-n", ns, "link", "set", "eth0", "up");
        sh("ip", "-n", ns, "route", "add", "default", "via", prefix + ".1");
    }

    /** Starts the daemon's container (the image's entry point) and waits for GET /healthz. */
    void start() throws Exception {
        List<String> cmd = new ArrayList<>(runCommand(container, true));
        cmd.addAll(List.of("--log-uri", "file://" + RUN.resolve("daemon.log"), REF, container,
                "/usr/bin/xdpgate-entrypoint",
                "--xdpgate.interfaces[0].name=ext0", "--xdpgate.interfaces[0].role=external",
                "--xdpgate.interfaces[1].name=int0", "--xdpgate.interfaces[1].role=internal"));
        sh(cmd.toArray(String[]::new));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.exists(SOCKET) && api().get("/healthz").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("daemon not up after 60 s: " + log());
    }

    /**
     * Runs the image once in the foreground without the host's bpffs (so with the container's own
     * read-only /sys): the entry point's exit code and output.
     */
    Result runWithoutBpffs() throws Exception {
        List<String> cmd = new ArrayList<>(runCommand(container + "-nobpffs", false));
        cmd.addAll(List.of("--rm", REF, container + "-nobpffs", "/usr/bin/xdpgate-entrypoint"));
        return run(cmd, SHORT);
    }

    /** ctr run with the DaemonSet's security context and mounts, up to the image reference. */
    private List<String> runCommand(String id, boolean withBpffs) {
        List<String> cmd = new ArrayList<>(List.of("ctr", "--address", address, "-n", CTR_NAMESPACE, "run"));
        if (withBpffs) {
            cmd.add("-d");
        }
        for (String cap : RUNTIME_DEFAULTS) {
            if (!CAPS.contains(cap)) {
                cmd.addAll(List.of("--cap-drop", cap));
            }
        }
        for (String cap : CAPS) {
            cmd.addAll(List.of("--cap-add", cap));
        }
        cmd.addAll(List.of("--with-ns", "network:/run/netns/" + NODE,
                "--mount", "type=bind,src=" + RUN.resolve("run") + ",dst=/run/xdpgate,options=rbind:rw",
                "--mount", "type=bind,src=" + RUN.resolve("state") + ",dst=/var/lib/xdpgate,options=rbind:rw",
                "--env", "XDPGATE_PIN_DIR=" + PIN_DIR));
        if (withBpffs) {
            cmd.addAll(List.of("--mount", "type=bind,src=/sys/fs/bpf,dst=/sys/fs/bpf,options=rbind:rw"));
        }
        return cmd;
    }

    /** The daemon's CapEff, read from the host's /proc for the container's first process. */
    long capabilities() throws Exception {
        String tasks = sh("ctr", "--address", address, "-n", CTR_NAMESPACE, "task", "ls").output();
        String pid = tasks.lines().filter(l -> l.startsWith(container + " ")).map(l -> l.trim().split("\\s+")[1])
                .findFirst().orElseThrow(() -> new AssertionError("no task " + container + " in " + tasks));
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("CapEff:")) {
                return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        }
        throw new AssertionError("no CapEff in /proc/" + pid + "/status");
    }

    /** Runs {@code command} in the daemon's container (ctr task exec), as kubectl exec would. */
    Result exec(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ctr", "--address", address, "-n", CTR_NAMESPACE, "task", "exec",
                "--exec-id", "exec-" + System.nanoTime(), container));
        cmd.addAll(List.of(command));
        return run(cmd, SHORT);
    }

    /** A packet processor counter from GET /api/v1/stats, e.g. "drop_default". */
    long stat(String name) throws Exception {
        return io.xdpgate.controlplane.client.ApiCounters.read(api(), name);
    }

    UnixHttpClient api() {
        return new UnixHttpClient(SOCKET);
    }

    String log() throws IOException {
        Path log = RUN.resolve("daemon.log");
        return Files.exists(log) ? Files.readString(log) : "(no daemon log)";
    }

    String serverLogs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var logs = Files.newDirectoryStream(RUN, "http-*.log")) {
            for (Path log : logs) {
                all.append(log.getFileName()).append(": ").append(Files.readString(log)).append('\n');
            }
        }
        return all.toString();
    }

    /** An HTTP server on the server host, on {@code port}, serving RUN/www; returns once it listens. */
    Process serve(int port) throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", SERVER, "python3", "-u", "-m", "http.server",
                String.valueOf(port), "--bind", "198.18.61.2", "--directory", RUN.resolve("www").toString())
                .redirectErrorStream(true).redirectOutput(RUN.resolve("http-" + port + ".log").toFile()).start();
        long deadline = System.nanoTime() + SHORT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!inNs(SERVER, "ss", "-Hltn", "sport = :" + port).output().isBlank()) {
                return server;
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        server.destroyForcibly();
        throw new IllegalStateException("HTTP server on port " + port + " not listening: " + serverLogs());
    }

    static Result inNs(String ns, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return run(cmd, SHORT);
    }

    private String ctr() {
        return "ctr --address " + address + " -n " + CTR_NAMESPACE;
    }

    /** containerd's own socket when it runs as a service, else the one dockerd started for itself. */
    private static String containerdAddress() {
        String set = System.getenv("XDPGATE_CONTAINERD");
        if (set != null && !set.isBlank()) {
            return set;
        }
        return Files.exists(Path.of("/run/containerd/containerd.sock")) ? "/run/containerd/containerd.sock"
                : "/var/run/docker/containerd/containerd.sock";
    }

    /** Runs a command that must succeed. */
    private static Result sh(String... command) throws Exception {
        Result r = run(List.of(command), SHORT);
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
        }
        return r;
    }

    private static Result run(List<String> cmd, Duration timeout) throws Exception {
        File out = File.createTempFile("xdpgate-image-", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeout);
            }
            return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }

    record Result(int exit, String output) {
    }

    /** Containers, namespaces (their veths go with them), pins, files; each step whatever the others did. */
    @Override
    public void close() throws Exception {
        for (String id : List.of(container, container + "-nobpffs")) {
            run(List.of("ctr", "--address", address, "-n", CTR_NAMESPACE, "task", "kill", "-s", "KILL", id), SHORT);
            run(List.of("ctr", "--address", address, "-n", CTR_NAMESPACE, "task", "rm", "-f", id), SHORT);
            run(List.of("ctr", "--address", address, "-n", CTR_NAMESPACE, "container", "rm", id), SHORT);
        }
        for (String ns : List.of(NODE, CLIENT, SERVER)) {
            run(List.of("ip", "netns", "del", ns), SHORT);
        }
        run(List.of("rm", "-rf", PIN_DIR), SHORT);
        run(List.of("ctr", "--address", address, "-n", CTR_NAMESPACE, "images", "rm", REF), SHORT);
    }

    /** Also the run directory, once the test is done with the log. */
    void removeFiles() throws Exception {
        run(List.of("rm", "-rf", RUN.toString()), SHORT);
    }
}
