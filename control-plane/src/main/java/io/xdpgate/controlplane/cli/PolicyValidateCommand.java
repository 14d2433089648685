package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code xdpgate policy validate FILE}: "valid"; nothing applied. */
@Command(name = "validate", description = "Check FILE without applying it.")
final class PolicyValidateCommand extends PolicyFileCommand {
    @Override
    UnixHttpClient.Response send(UnixHttpClient api, String document) throws IOException {
        return api.post("/api/v1/policy:validate", document);
    }

    @Override
    String summary(UnixHttpClient.Response r) {
        return file + ": valid";
    }
}
