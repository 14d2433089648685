package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** A policy command that sends FILE: one summary line, or every violation on stderr (exit 1). */
abstract class PolicyFileCommand extends ApiCommand {
    @Mixin
    OutputOption output;
    @Parameters(paramLabel = "FILE")
    Path file;

    /** Sends the document to the daemon. */
    abstract UnixHttpClient.Response send(UnixHttpClient api, String document) throws IOException;

    /** The line printed when the daemon took it. */
    abstract String summary(UnixHttpClient.Response r);

    @Override
    public Integer call() throws IOException {
        UnixHttpClient.Response r = send(api(), Files.readString(file));
        if (!ok(r)) {
            return refused(r);
        }
        if (!output.table()) {
            output.write(out(), r.body());
            return 0;
        }
        out().println(summary(r));
        out().flush();
        return 0;
    }
}
