package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.cli.view.StatusView;
import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xdpgate status}: health, attachments, policy source, gateways up/down. -o json: /healthz's body. */
@Command(name = "status", description = "Daemon health, where the program is attached, the gateways' pools.")
final class StatusCommand extends ApiCommand {
    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws IOException {
        UnixHttpClient api = api();
        UnixHttpClient.Response health = api.get("/healthz");
        if (!ok(health)) {
            return refused(health);
        }
        if (!output.table()) {
            output.write(out(), health.body());
            return 0;
        }
        UnixHttpClient.Response gateways = api.get("/api/v1/gateways");
        return print(StatusView.render(json(health), ok(gateways) ? json(gateways) : null));
    }
}
