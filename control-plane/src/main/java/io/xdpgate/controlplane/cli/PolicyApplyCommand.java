package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code xdpgate policy apply FILE}: one summary line, or every violation on stderr (exit 1). */
@Command(name = "apply", description = "Replace the policy with FILE (whole, atomically).")
final class PolicyApplyCommand extends ApiCommand {
    @Mixin
    OutputOption output;
    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws IOException {
        UnixHttpClient.Response r = api().put("/api/v1/policy", Files.readString(file));
        if (!ok(r)) {
            return refused(r);
        }
        if (!output.table()) {
            output.write(out(), r.body());
            return 0;
        }
        JsonNode a = json(r);
        out().println("applied " + file + ": " + a.path("rules").asString("?") + " rules, "
                + a.path("gateways").asString("?") + " gateways");
        out().flush();
        return 0;
    }
}
