package io.xdpgate.controlplane.events;

import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Tuple;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * How many JSON flow lines per second the flow log writes to a rotated file on this machine
 * (mapping, buffering, writing, rotating), on one thread as the event reader does. A measurement
 * to print, not a test: {@code java -cp <test classpath> io.xdpgate.controlplane.events.FlowLogThroughput [dir]}.
 */
public final class FlowLogThroughput {
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("flowlog-bench");
        Tuple orig = Tuple.of(InetAddress.getByName("198.18.1.2"), 40312, InetAddress.getByName("198.18.2.2"), 80, 6);
        Tuple nat = Tuple.of(InetAddress.getByName("198.18.1.2"), 40312, InetAddress.getByName("198.18.255.1"), 40000, 6);
        FlowLog log = new FlowLog(new FlowRecord("node-1", Clock.systemUTC()),
                LineWriter.file(dir.resolve("flows.json"), 100L << 20, 3), true, 100, System::nanoTime);
        Instant now = Instant.now();
        for (int round = 0; round < 5; round++) {
            int n = 1_000_000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                log.log(new FlowEvent(i, now, EventType.REDIRECT, 281474976710657L + i, orig, nat, 4L, "http", 0, "web",
                        null));
                if ((i & 63) == 63) {
                    log.tick(); // the reader flushes after every poll, a batch of up to 64 events
                }
            }
            log.tick();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("round %d: %,d JSON lines in %.2f s = %,.0f lines/s%n", round, n, seconds, n / seconds);
        }
        log.close();
        System.out.println("written to " + dir + " (rotated at 100 MB, 3 files)");
    }
}
