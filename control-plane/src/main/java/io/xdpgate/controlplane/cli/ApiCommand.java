package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.cli.view.Json;
import io.xdpgate.controlplane.cli.view.ProblemView;
import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** What every subcommand shares: the root's client, the streams, and the daemon's refusals on stderr. */
abstract class ApiCommand implements Callable<Integer> {
    static final int REFUSED = 1;

    @Spec
    CommandLine.Model.CommandSpec spec;

    UnixHttpClient api() throws DaemonUnreachableException {
        return ((XdpgateCli) spec.root().userObject()).api();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    static boolean ok(UnixHttpClient.Response r) {
        return r.status() >= 200 && r.status() < 300;
    }

    /** A non-2xx answer: its problem on stderr, exit 1. */
    int refused(UnixHttpClient.Response r) {
        PrintWriter err = spec.commandLine().getErr();
        ProblemView.render(r.status(), r.body()).forEach(err::println);
        err.flush();
        return REFUSED;
    }

    JsonNode json(UnixHttpClient.Response r) {
        return Json.parse(r.body());
    }

    int print(List<String> lines) {
        lines.forEach(out()::println);
        out().flush();
        return 0;
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
