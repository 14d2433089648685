package io.xdpgate.controlplane.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the daemon's socket is: {@code --socket}, then {@code $XDPGATE_SOCKET}, then
 * {@value #DAEMON_SOCKET} if it exists, then the socket the lab ({@code lab/run.sh}) named in
 * {@value #LAB_POINTER}. {@code sudo} drops the environment; the pointer lets plain
 * {@code sudo bin/xdpgate stats} find the lab. It is read only when it and its directory belong to
 * root and nobody else may write them: a pointer another user could plant would send the
 * operator's commands (a policy apply, say) to that user's socket.
 */
final class SocketDiscovery {
    static final String DAEMON_SOCKET = "/run/xdpgate/api.sock";
    static final String LAB_POINTER = "/run/xdpgate/lab-socket";

    private final Map<String, String> env;
    private final Path daemonSocket;
    private final Path labPointer;
    private final boolean requireRootOwner;

    SocketDiscovery(Map<String, String> env, Path daemonSocket, Path labPointer, boolean requireRootOwner) {
        this.env = env;
        this.daemonSocket = daemonSocket;
        this.labPointer = labPointer;
        this.requireRootOwner = requireRootOwner;
    }

    static SocketDiscovery system() {
        return new SocketDiscovery(System.getenv(), Path.of(DAEMON_SOCKET), Path.of(LAB_POINTER), true);
    }

    /** The socket to use; {@code option} is --socket's value or null. */
    Path find(Path option) throws DaemonUnreachableException {
        if (option != null) {
            return option;
        }
        String fromEnv = env.get("XDPGATE_SOCKET");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        List<String> looked = new ArrayList<>(List.of("--socket (not given)", "$XDPGATE_SOCKET (not set)"));
        if (Files.exists(daemonSocket)) {
            return daemonSocket;
        }
        looked.add(daemonSocket + " (" + absent(daemonSocket) + ")");
        if (!Files.exists(labPointer, LinkOption.NOFOLLOW_LINKS)) {
            looked.add(labPointer + " (no lab running)");
        } else {
            String refused = untrusted(labPointer);
            if (refused != null) {
                looked.add(labPointer + " (ignored: " + refused + ")");
            } else {
                Path named = Path.of(read(labPointer));
                if (Files.exists(named)) {
                    return named;
                }
                looked.add(labPointer + " -> " + named + " (" + absent(named) + ")");
            }
        }
        throw new DaemonUnreachableException("no daemon socket found; looked at: " + String.join(", ", looked)
                + ". Give --socket PATH.");
    }

    /**
     * Why {@code socket} was not found: absent, or in a directory this user may not search (the
     * daemon's is root's, mode 0750), where it may well exist.
     */
    static String absent(Path socket) {
        Path dir = socket.toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir) && !Files.isExecutable(dir)) {
            return "its directory is closed to this user: run as root, e.g. with sudo";
        }
        return "no such socket";
    }

    /** Why the pointer is not to be believed, or null. */
    private String untrusted(Path pointer) {
        if (Files.isSymbolicLink(pointer) || !Files.isRegularFile(pointer, LinkOption.NOFOLLOW_LINKS)) {
            return "not a regular file";
        }
        if (!requireRootOwner) {
            return null;
        }
        for (Path p : new Path[] {pointer, pointer.toAbsolutePath().getParent()}) {
            try {
                int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if (uid != 0 || (mode & 0022) != 0) {
                    return p + " is not root's alone";
                }
            } catch (IOException | UnsupportedOperationException e) {
                return "cannot check its owner: " + e.getMessage();
            }
        }
        return null;
    }

    private static String read(Path pointer) throws DaemonUnreachableException {
        try {
            return Files.readString(pointer).strip();
        } catch (IOException e) {
            throw new DaemonUnreachableException("cannot read " + pointer + ": " + e.getMessage());
        }
    }
}
