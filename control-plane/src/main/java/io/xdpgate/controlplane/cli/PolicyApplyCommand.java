package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code xdpgate policy apply FILE}: how many rules and gateways are in force now. */
@Command(name = "apply", description = "Replace the policy with FILE (whole, atomically).")
final class PolicyApplyCommand extends PolicyFileCommand {
    @Override
    UnixHttpClient.Response send(UnixHttpClient api, String document) throws IOException {
        return api.put("/api/v1/policy", document);
    }

    @Override
    String summary(UnixHttpClient.Response r) {
        JsonNode a = json(r);
        return "applied " + file + ": " + a.path("rules").asString("?") + " rules, "
                + a.path("gateways").asString("?") + " gateways";
    }
}
