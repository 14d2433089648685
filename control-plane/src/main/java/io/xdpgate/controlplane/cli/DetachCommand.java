package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xdpgate detach}: the firewall off the interfaces; prints the daemon's answer. */
@Command(name = "detach", description = "Take the firewall off the interfaces; the daemon stays up.")
final class DetachCommand extends ApiCommand {
    @Option(names = "--purge", description = "also remove the pinned maps (connections, counters, policy state)")
    boolean purge;

    @Override
    public Integer call() throws IOException {
        UnixHttpClient.Response r = api().post("/api/v1/datapath:detach?purge=" + purge, "");
        if (!ok(r)) {
            return refused(r);
        }
        out().println(r.body());
        out().flush();
        return 0;
    }
}
