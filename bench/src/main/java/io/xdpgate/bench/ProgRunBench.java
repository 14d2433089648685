package io.xdpgate.bench;

import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.BpfProgram;
import io.xdpgate.datapath.bpf.TestRunRequest;
import io.xdpgate.datapath.bpf.TestRunResult;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ns/packet of the packet processor's paths through BPF_PROG_TEST_RUN's repeat loop (the kernel
 * times the loop), against a trivial XDP_PASS program measured in the same run. Rounds go over all
 * scenarios in turn, so a noisy moment hits every scenario alike; the median round is reported.
 *
 * <p>Run it with {@code sudo make bench}; it writes bench/results/prog-run.md.
 */
public final class ProgRunBench {
    /** Packets per test run: enough that the syscall around the loop is noise. */
    private static final int REPEAT = Integer.getInteger("xdpgate.bench.repeat", 2_000_000);
    /** Rounds over all scenarios; the median is reported. */
    private static final int ROUNDS = Integer.getInteger("xdpgate.bench.rounds", 7);

    private ProgRunBench() {
    }

    public static void main(String[] args) throws IOException {
        Path object = Path.of(System.getProperty("xdpgate.bench.object", "bench/build/xdpgate_bench.bpf.o"));
        Path results = Path.of(System.getProperty("xdpgate.bench.results", "bench/results/prog-run.md"));
        try (BpfObject obj = BpfObject.open(object).load()) {
            XdpgateTables tables = new XdpgateTables(obj::map);
            List<Scenario> scenarios = new Scenarios(tables, obj.program(MapNames.PROGRAM)).all();
            long[][] ns = new long[scenarios.size()][ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < scenarios.size(); i++) {
                    ns[i][round] = measure(obj, scenarios.get(i));
                }
                System.out.printf("round %d/%d done%n", round + 1, ROUNDS);
            }
            List<Measurement> measurements = new ArrayList<>();
            for (int i = 0; i < scenarios.size(); i++) {
                measurements.add(new Measurement(scenarios.get(i), ns[i]));
            }
            String table = ResultTable.render(measurements, REPEAT, ROUNDS);
            ResultTable.write(results, table);
            System.out.println(table);
            System.out.println("written to " + results);
        }
    }

    private static long measure(BpfObject obj, Scenario scenario) {
        scenario.setup().run();
        BpfProgram program = obj.program(scenario.program());
        TestRunResult check = program.testRun(TestRunRequest.of(scenario.frame()));
        if (check.xdpAction() == XdpAction.ABORTED) {
            throw new IllegalStateException(scenario.name() + ": the program aborted; the frame must be >= 128 bytes");
        }
        scenario.setup().run();
        return program.testRun(TestRunRequest.of(scenario.frame()).withRepeat(REPEAT)).durationNs();
    }
}
