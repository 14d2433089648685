package io.xdpgate.controlplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every table, end to end through the real client and a canned daemon, compared with
 * src/test/resources/cli/*.txt exactly; no line wider than 100 columns (events excepted: one line
 * per event, however long its tuples). {@code -Dxdpgate.golden.write=DIR} writes the outputs
 * there instead, to review and copy.
 */
class CliGoldenTest {
    private CannedDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new CannedDaemon();
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "status,               /healthz=healthz.json /api/v1/gateways=gateways.json,                         status",
        "status-generation,    /healthz=healthz-generation.json /api/v1/gateways=gateways-restarting.json,   status",
        "status-no-gateways,   /healthz=healthz.json /api/v1/gateways=empty.json,                            status",
        "stats,                /api/v1/stats=stats.json,                                                     stats",
        "stats-no-drops,       /api/v1/stats=stats-no-drops.json,                                            stats",
        "stats-many-drops,     /api/v1/stats=stats-many-drops.json,                                          stats",
        "conns,                /api/v1/connections=connections.json /api/v1/gateways=gateways.json,          conns",
        "conns-long,           /api/v1/connections=connections-long.json /api/v1/gateways=gateways-restarting.json, conns",
        "conns-empty,          /api/v1/connections=empty.json /api/v1/gateways=gateways.json,                conns",
        "conns-gateway-dns,    /api/v1/connections=connections.json /api/v1/gateways=gateways.json,          conns --gateway dns",
        "conns-host-v6,        /api/v1/connections=connections-long.json /api/v1/gateways=gateways.json,     conns --host 2001:db8:ff:0::3",
        "conns-state,          /api/v1/connections=connections-long.json /api/v1/gateways=gateways.json,     conns --state established",
        "gateways,             /api/v1/gateways=gateways.json,                                               gateways",
        "gateways-restarting,  /api/v1/gateways=gateways-restarting.json,                                    gateways --counters",
        "gateways-empty,       /api/v1/gateways=empty.json,                                                  gateways",
        "events,               /api/v1/events=events.json,                                                   events",
        "events-empty,         /api/v1/events=empty.json,                                                    events",
    })
    void tableMatchesItsGoldenFile(String golden, String answers, String command) throws Exception {
        for (String a : answers.split(" ")) {
            String[] kv = a.split("=");
            daemon.ok(kv[0], kv[1]);
        }
        String[] args = ("--socket " + daemon.socket() + " " + command).split(" ");
        CliFixtures.Run run = CliFixtures.run(args);
        assertEquals(0, run.exit(), run.err());
        String dir = System.getProperty("xdpgate.golden.write");
        if (dir != null) {
            Files.writeString(Path.of(dir, golden + ".txt"), run.out());
            return;
        }
        assertEquals(CliFixtures.text("cli/" + golden + ".txt"), run.out(), golden);
        if (!golden.startsWith("events")) {
            for (String line : run.out().split("\n")) {
                assertTrue(line.length() <= 100, "wider than 100 columns: " + line);
            }
        }
    }
}
