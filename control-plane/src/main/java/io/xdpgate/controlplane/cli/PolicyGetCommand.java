package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code xdpgate policy get}: the policy document in force, as the daemon writes it. */
@Command(name = "get", description = "The policy in force (JSON, exactly as the daemon gives it).")
final class PolicyGetCommand extends ApiCommand {
    @Override
    public Integer call() throws IOException {
        UnixHttpClient.Response r = api().get("/api/v1/policy");
        if (!ok(r)) {
            return refused(r);
        }
        out().print(r.body());
        out().flush();
        return 0;
    }
}
