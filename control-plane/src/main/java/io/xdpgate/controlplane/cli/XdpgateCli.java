package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xdpgate}: the daemon's API from a shell, over its unix socket. One class per subcommand. */
@Command(name = "xdpgate", mixinStandardHelpOptions = true, version = "xdpgate 0.1.0",
        description = "Talks to the xdpgate daemon over its unix socket. Tables for people; -o json for the "
                + "API's own answer.",
        subcommands = {StatusCommand.class, StatsCommand.class, ConnsCommand.class, GatewaysCommand.class,
                EventsCommand.class, PolicyCommand.class, DetachCommand.class})
public final class XdpgateCli {
    @Option(names = "--socket", paramLabel = "PATH",
            description = "API socket; else $XDPGATE_SOCKET, " + SocketDiscovery.DAEMON_SOCKET + ", the lab's ("
                    + SocketDiscovery.LAB_POINTER + ")")
    Path socket;

    private final SocketDiscovery discovery;

    XdpgateCli(SocketDiscovery discovery) {
        this.discovery = discovery;
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale: -o json writes the daemon's bytes as they came
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), true);
        System.exit(run(args, out, err));
    }

    /** Runs the CLI; the exit code: 0 done, 1 the daemon said no, 2 usage, 3 daemon unreachable. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, SocketDiscovery.system());
    }

    static int run(String[] args, PrintWriter out, PrintWriter err, SocketDiscovery discovery) {
        CommandLine cl = new CommandLine(new XdpgateCli(discovery));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof DaemonUnreachableException) {
                err.println("xdpgate: " + e.getMessage());
                return 3;
            }
            if (e instanceof IOException) {
                err.println("xdpgate: cannot reach the daemon: " + e.getMessage());
                return 3;
            }
            throw e;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The client for the socket found by the discovery order; exit 3 naming every place when none. */
    UnixHttpClient api() throws DaemonUnreachableException {
        return new UnixHttpClient(discovery.find(socket));
    }
}
