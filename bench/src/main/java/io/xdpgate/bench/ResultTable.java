package io.xdpgate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** Renders measurements as the markdown table committed under bench/results/. */
final class ResultTable {
    private ResultTable() {
    }

    static String render(List<Measurement> ms, int repeat, int rounds) {
        double floor = find(ms, Scenarios.FLOOR).median();
        double harness = find(ms, Scenarios.HARNESS).median();
        StringBuilder out = new StringBuilder();
        out.append("# Packet processor: ns/packet through BPF_PROG_TEST_RUN\n\n");
        out.append("Command: `sudo make bench` (").append(String.format(Locale.ROOT, "%,d", repeat))
                .append(" packets per test run, median of ").append(rounds).append(" rounds). ")
                .append("Date: ").append(LocalDate.now()).append(". Kernel: ").append(System.getProperty("os.version"))
                .append(". CPU: ").append(cpuModel()).append(".\n\n");
        out.append("\"x floor\" divides by the trivial XDP_PASS program measured in the same run. Paths that rewrite ")
                .append("the frame run inside bench_pipeline, which saves and restores the frame around the pipeline ")
                .append("(test runs reuse one buffer); for them \"net x floor\" first subtracts the harness's own ")
                .append("cost (bench_harness) and adds the floor back.\n\n");
        out.append("| path | ns/packet (median) | min | max | x floor | net x floor |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        for (Measurement m : ms) {
            double med = m.median();
            String net = m.scenario().harnessed()
                    ? String.format(Locale.ROOT, "%.2f", (med - harness + floor) / floor) : "";
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %d | %d | %.2f | %s |%n", m.scenario().name(), med,
                    m.min(), m.max(), med / floor, net));
        }
        out.append("\nNew-flow rows classify a TCP SYN whose matching rule drops, so no entry is created and every ")
                .append("packet of the loop is a new flow; a refused flow also writes a drop event until the ring ")
                .append("buffer is full (nobody reads it during the run).\n");
        return out.toString();
    }

    static void write(Path file, String table) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, table, StandardCharsets.UTF_8);
    }

    private static Measurement find(List<Measurement> ms, String program) {
        return ms.stream().filter(m -> m.scenario().program().equals(program)).findFirst().orElseThrow();
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
