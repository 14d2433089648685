package io.xdpgate.controlplane.datapath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The node's own tools (iproute2, ethtool) run as child processes, in this process's network
 * namespace: what the daemon asks netlink and ethtool for where it has no binding of its own.
 */
public final class NodeCommands {
    private NodeCommands() {
    }

    /** @param exit the command's exit status, -1 when it timed out; {@code output} stdout and stderr */
    public record Result(int exit, String output) {
    }

    /** Runs {@code command}, waiting at most {@code timeout} (then kills it); throws only when it cannot run. */
    public static Result execute(Duration timeout, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + " (is iproute2/ethtool installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}
