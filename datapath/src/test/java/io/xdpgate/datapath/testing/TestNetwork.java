package io.xdpgate.datapath.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Links and namespaces a test creates, named {@code xgt<pid><suffix>} so parallel runs and
 * leftovers of other runs never collide; {@link #close()} removes all of them, newest first,
 * whatever state the test left them in.
 */
public final class TestNetwork implements AutoCloseable {
    private final String prefix = "xgt" + ProcessHandle.current().pid();
    private final Deque<Runnable> cleanups = new ArrayDeque<>();

    /** Interface or namespace name for this run; at most 15 characters (IFNAMSIZ - 1). */
    public String name(String suffix) {
        String name = prefix + suffix;
        if (name.length() > 15) {
            throw new IllegalArgumentException(name + " is longer than an interface name may be");
        }
        return name;
    }

    /** A veth pair in the root namespace, both ends up; returns the names. */
    public String[] veth(String suffixA, String suffixB) {
        String a = name(suffixA);
        String b = name(suffixB);
        Commands.run("ip", "link", "add", a, "type", "veth", "peer", "name", b);
        cleanups.push(() -> Commands.runIgnoringFailure("ip", "link", "del", a));
        Commands.run("ip", "link", "set", a, "up");
        Commands.run("ip", "link", "set", b, "up");
        return new String[] {a, b};
    }

    /** A bridge device, up: a link whose driver has no native XDP. */
    public String bridge(String suffix) {
        String d = name(suffix);
        Commands.run("ip", "link", "add", d, "type", "bridge");
        cleanups.push(() -> Commands.runIgnoringFailure("ip", "link", "del", d));
        Commands.run("ip", "link", "set", d, "up");
        return d;
    }

    /** A network namespace with its loopback up. */
    public String netns(String suffix) {
        String ns = name(suffix);
        Commands.run("ip", "netns", "add", ns);
        cleanups.push(() -> Commands.runIgnoringFailure("ip", "netns", "del", ns));
        Commands.run("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    @Override
    public void close() {
        while (!cleanups.isEmpty()) {
            cleanups.pop().run();
        }
    }
}
