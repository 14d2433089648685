package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.cli.view.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Option;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** {@code -o table|json|yaml} of every read command: json is the daemon's body, byte for byte. */
final class OutputOption {
    enum Format { table, json, yaml }

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json (the API's answer exactly, no newline added) or yaml")
    Format format = Format.table;

    boolean table() {
        return format == Format.table;
    }

    /** Writes an API body as -o asks (not for table). */
    void write(PrintWriter out, String body) {
        if (format == Format.json) {
            out.print(body);
        } else {
            out.print(YAML.writeValueAsString(Json.parse(body)));
        }
        out.flush();
    }
}
