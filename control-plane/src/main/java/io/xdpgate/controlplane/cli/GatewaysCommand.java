package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.cli.view.GatewaysView;
import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xdpgate gateways}: each gateway's state, load, pool and main counters, then its instances. */
@Command(name = "gateways", description = "The application gateways: state, flows, pool, counters, instances.")
final class GatewaysCommand extends ApiCommand {
    @Mixin
    OutputOption output;
    @Option(names = "--counters", description = "also every non-zero runtime counter of each gateway")
    boolean counters;

    @Override
    public Integer call() throws IOException {
        UnixHttpClient.Response r = api().get("/api/v1/gateways");
        if (!ok(r)) {
            return refused(r);
        }
        if (!output.table()) {
            output.write(out(), r.body());
            return 0;
        }
        return print(GatewaysView.render(json(r), counters));
    }
}
