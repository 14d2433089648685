package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code xdpgate}: the daemon's API from a shell, over its unix socket. One command per subcommand. */
@Command(name = "xdpgate", mixinStandardHelpOptions = true, version = "xdpgate 0.1.0",
        description = "Talks to the xdpgate daemon over its unix socket.",
        subcommands = {XdpgateCli.Status.class, XdpgateCli.Policy.class, XdpgateCli.Conns.class,
                XdpgateCli.Stats.class, XdpgateCli.Events.class, XdpgateCli.Detach.class})
public final class XdpgateCli {
    @Option(names = "--socket", defaultValue = "${XDPGATE_SOCKET:-/run/xdpgate/api.sock}",
            description = "API socket (default: ${DEFAULT-VALUE})")
    Path socket;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI; the exit code: 0 done, 1 the daemon said no, 2 usage, 3 daemon unreachable. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new XdpgateCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IOException) {
                err.println("xdpgate: cannot reach the daemon: " + e.getMessage());
                return 3;
            }
            throw e;
        });
        return cl.execute(args);
    }

    UnixHttpClient api() {
        return new UnixHttpClient(socket);
    }

    /** Prints a response body; non-2xx answers go to stderr and exit 1. */
    static int print(CommandLine.Model.CommandSpec spec, UnixHttpClient.Response r) {
        if (r.status() >= 200 && r.status() < 300) {
            if (!r.body().isEmpty()) {
                spec.commandLine().getOut().println(r.body());
            }
            return 0;
        }
        spec.commandLine().getErr().println(r.body());
        return 1;
    }

    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        XdpgateCli parent;
        @Spec
        CommandLine.Model.CommandSpec spec;
    }

    @Command(name = "status", description = "Daemon health and where the program is attached.")
    static final class Status extends Sub {
        @Override
        public Integer call() throws IOException {
            return print(spec, parent.api().get("/healthz"));
        }
    }

    @Command(name = "stats", description = "Every kernel counter by name.")
    static final class Stats extends Sub {
        @Override
        public Integer call() throws IOException {
            return print(spec, parent.api().get("/api/v1/stats"));
        }
    }

    @Command(name = "conns", description = "The connection table.")
    static final class Conns extends Sub {
        @Override
        public Integer call() throws IOException {
            return print(spec, parent.api().get("/api/v1/connections"));
        }
    }

    @Command(name = "events", description = "Recent flow events (new, redirect, closed, drop), newest last; "
            + "with --follow each new one as it comes.")
    static final class Events extends Sub {
        @Option(names = "--limit", paramLabel = "N", description = "at most N, the newest (daemon default: 100; "
                + "with --follow: N recent ones first, default 0)")
        Integer limit;
        @Option(names = "--type", paramLabel = "TYPE", description = "only new, redirect, closed or drop")
        String type;
        @Option(names = "--conn", paramLabel = "ID", description = "only the events of this connection")
        String conn;
        @Option(names = {"-f", "--follow"}, description = "keep printing events as they happen, until Ctrl-C")
        boolean follow;
        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
                description = "with --follow: text (one line per event) or json (the daemon's JSON, one per line)")
        String output;

        @Override
        public Integer call() throws IOException {
            StringBuilder query = new StringBuilder();
            param(query, "follow", follow ? "true" : null);
            param(query, "limit", limit == null ? null : limit.toString());
            param(query, "type", type);
            param(query, "conn", conn);
            if (!follow) {
                return print(spec, parent.api().get("/api/v1/events" + query));
            }
            if (!output.equals("text") && !output.equals("json")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--output=" + output + ": must be text or json");
            }
            return follow("/api/v1/events" + query);
        }

        private int follow(String path) throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean json = output.equals("json");
            long[] lines = {0};
            UnixHttpClient.Response r;
            try {
                r = parent.api().stream(path, line -> {
                    lines[0]++;
                    long lost = EventLine.lost(line);
                    if (lost >= 0) {
                        err.println("xdpgate: " + lost + " events lost here: this client read them too slowly");
                        err.flush();
                    } else {
                        out.println(json ? line : EventLine.format(line));
                        out.flush(); // a pipe (grep) sees each event at once
                    }
                });
            } catch (ClosedByInterruptException stopped) {
                return 0;
            } catch (IOException e) {
                if (lines[0] == 0) {
                    throw e;
                }
                err.println("xdpgate: the daemon went away: " + e.getMessage());
                return 3;
            }
            if (r.status() < 200 || r.status() >= 300) {
                err.println(r.body());
                return 1;
            }
            err.println("xdpgate: the daemon ended the stream (it is stopping)");
            return 3;
        }

        private static void param(StringBuilder query, String name, String value) {
            if (value != null) {
                query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    @Command(name = "detach", description = "Take the firewall off the interfaces; the daemon stays up.")
    static final class Detach extends Sub {
        @Option(names = "--purge", description = "also remove the pinned maps (connections, counters, policy state)")
        boolean purge;

        @Override
        public Integer call() throws IOException {
            return print(spec, parent.api().post("/api/v1/datapath:detach?purge=" + purge, ""));
        }
    }

    @Command(name = "policy", description = "Show, check or replace the policy.",
            subcommands = {Policy.Get.class, Policy.Apply.class, Policy.Validate.class})
    static final class Policy {
        @ParentCommand
        XdpgateCli parent;

        /** A policy subcommand: reaches the API through policy -> xdpgate. */
        abstract static class PolicySub implements Callable<Integer> {
            @ParentCommand
            Policy policy;
            @Spec
            CommandLine.Model.CommandSpec spec;

            UnixHttpClient api() {
                return policy.parent.api();
            }
        }

        @Command(name = "get", description = "The policy in force.")
        static final class Get extends PolicySub {
            @Override
            public Integer call() throws IOException {
                return print(spec, api().get("/api/v1/policy"));
            }
        }

        @Command(name = "apply", description = "Replace the policy with FILE (whole, atomically).")
        static final class Apply extends PolicySub {
            @Parameters(paramLabel = "FILE")
            Path file;

            @Override
            public Integer call() throws IOException {
                return print(spec, api().put("/api/v1/policy", Files.readString(file)));
            }
        }

        @Command(name = "validate", description = "Check FILE without applying it.")
        static final class Validate extends PolicySub {
            @Parameters(paramLabel = "FILE")
            Path file;

            @Override
            public Integer call() throws IOException {
                return print(spec, api().post("/api/v1/policy:validate", Files.readString(file)));
            }
        }
    }
}
