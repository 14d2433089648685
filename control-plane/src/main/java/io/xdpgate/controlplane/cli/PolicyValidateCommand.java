package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code xdpgate policy validate FILE}: "valid", or every violation on stderr (exit 1); nothing applied. */
@Command(name = "validate", description = "Check FILE without applying it.")
final class PolicyValidateCommand extends ApiCommand {
    @Mixin
    OutputOption output;
    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws IOException {
        UnixHttpClient.Response r = api().post("/api/v1/policy:validate", Files.readString(file));
        if (!ok(r)) {
            return refused(r);
        }
        if (!output.table()) {
            output.write(out(), r.body());
            return 0;
        }
        out().println(file + ": valid");
        out().flush();
        return 0;
    }
}
