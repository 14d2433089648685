package io.xdpgate.controlplane.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The flow log's lines, exactly, and its rate limit on drops. */
class FlowLogTest {
    static final Tuple ORIG = tuple("198.18.1.2", 40312, "198.18.2.2", 80, 6);
    static final Tuple NAT = tuple("198.18.1.2", 40312, "198.18.255.1", 40000, 6);
    private static final Instant T = Instant.parse("2025-01-02T03:04:05Z");

    private final List<String> lines = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();
    private long now = 5_000_000_000L;

    static Tuple tuple(String src, int sport, String dst, int dport, int proto) {
        try {
            return Tuple.of(InetAddress.getByName(src), sport, InetAddress.getByName(dst), dport, proto);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private FlowLog flowLog(int dropLinesPerSecond) {
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
                levels.add(r.getLevel());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return new FlowLog(FlowText.INSTANCE, new LoggerSink(logger), true, dropLinesPerSecond, () -> now);
    }

    private static FlowEvent drop(int port) {
        return new FlowEvent(1, T, EventType.DROP, 0, tuple("198.18.1.2", 40000 + port, "198.18.2.2", 23, 6), null,
                null, "default", null, null, Stat.DROP_DEFAULT);
    }

    @Test
    void aRedirectJoinsTheOriginalAndTheNatTuple() {
        FlowEvent e = new FlowEvent(1, T, EventType.REDIRECT, 281474976710657L, ORIG, NAT, 1L, "web", 1, "http", null);
        assertEquals("event=redirect conn=281474976710657 orig=tcp 198.18.1.2:40312 -> 198.18.2.2:80"
                + " nat=tcp 198.18.1.2:40312 -> 198.18.255.1:40000 rule=web gateway=http", FlowText.line(e));
    }

    @Test
    void newClosedAndDropLines() {
        assertEquals("event=new conn=7 orig=udp 198.18.1.2:5353 -> 198.18.2.2:53 rule=dns",
                FlowText.line(new FlowEvent(1, T, EventType.NEW, 7, tuple("198.18.1.2", 5353, "198.18.2.2", 53, 17),
                        null, 0L, "dns", null, null, null)));
        assertEquals("event=closed conn=8 orig=tcp 198.18.1.2:40312 -> 198.18.2.2:80"
                        + " nat=tcp 198.18.1.2:40312 -> 198.18.255.1:40000 rule=web gateway=http",
                FlowText.line(new FlowEvent(2, T, EventType.CLOSED, 8, ORIG, NAT, 1L, "web", 1, "http", null)));
        assertEquals("event=drop orig=tcp 198.18.1.2:40005 -> 198.18.2.2:23 rule=default reason=default",
                FlowText.line(drop(5)));
        assertEquals("event=drop orig=tcp 198.18.1.2:40312 -> 198.18.2.2:80 rule=web gateway=http reason=gw_down",
                FlowText.line(new FlowEvent(3, T, EventType.DROP, 0, ORIG, null, 1L, "web", 1, "http",
                        Stat.DROP_GW_DOWN)));
    }

    @Test
    void ipv6InBracketsIcmpAndUnknownNames() {
        assertEquals("event=new conn=9 orig=tcp [2001:db8:1::2]:40000 -> [2001:db8:2::2]:22 rule=#12 gateway=#3",
                FlowText.line(new FlowEvent(1, T, EventType.NEW, 9, tuple("2001:db8:1::2", 40000, "2001:db8:2::2", 22, 6),
                        null, 12L, null, 3, null, null)));
        assertEquals("event=new conn=10 orig=icmp 198.18.1.2:77 -> 198.18.2.2:0 rule=ping",
                FlowText.line(new FlowEvent(1, T, EventType.NEW, 10, tuple("198.18.1.2", 77, "198.18.2.2", 0, 1),
                        null, 0L, "ping", null, null, null)));
        assertEquals("event=drop orig=proto-47 198.18.1.2:0 -> 198.18.2.2:0 rule=default reason=policy",
                FlowText.line(new FlowEvent(1, T, EventType.DROP, 0, new Tuple(ORIG.saddr(),
                        ORIG.daddr(), 0, 0, 47, 4), null, null, "default", null, null,
                        Stat.DROP_POLICY)));
    }

    @Test
    void decisionsAreInfoAndAPassedConnectionsStartAndEndAreDebug() {
        FlowLog log = flowLog(100);
        FlowEvent passed = new FlowEvent(1, T, EventType.NEW, 7, ORIG, null, 0L, "ssh", null, null, null);
        FlowEvent passedEnd = new FlowEvent(2, T, EventType.CLOSED, 7, ORIG, null, 0L, "ssh", null, null, null);
        FlowEvent redirect = new FlowEvent(3, T, EventType.REDIRECT, 8, ORIG, NAT, 1L, "web", 1, "http", null);
        FlowEvent redirectedEnd = new FlowEvent(4, T, EventType.CLOSED, 8, ORIG, NAT, 1L, "web", 1, "http", null);
        assertEquals(Level.FINE, FlowLog.levelOf(passed));
        assertEquals(Level.FINE, FlowLog.levelOf(passedEnd));
        assertEquals(Level.INFO, FlowLog.levelOf(redirect));
        assertEquals(Level.INFO, FlowLog.levelOf(redirectedEnd));
        assertEquals(Level.INFO, FlowLog.levelOf(drop(1)));
        FlowEvent bypassed = new FlowEvent(5, T, EventType.NEW, 9, ORIG, null, 1L, "web", 1, "http", null);
        assertEquals(Level.INFO, FlowLog.levelOf(bypassed), "a redirect rule's flow that bypassed a down gateway");

        for (FlowEvent e : List.of(passed, passedEnd, redirect, redirectedEnd, drop(1))) {
            log.log(e);
        }
        assertEquals(List.of(FlowText.line(redirect), FlowText.line(redirectedEnd), FlowText.line(drop(1))), lines,
                "at the logger's default level (INFO) a passed connection writes nothing");
    }

    @Test
    void dropsOverTheLimitAreCountedAndSummedUpOncePerSecond() {
        FlowLog log = flowLog(3);
        for (int i = 0; i < 10; i++) {
            log.log(drop(i));
            now += 10_000_000; // 10 ms apart: all ten in one second
        }
        assertEquals(List.of(FlowText.line(drop(0)), FlowText.line(drop(1)), FlowText.line(drop(2))), lines);
        assertEquals(7, log.suppressed());

        log.log(new FlowEvent(2, T, EventType.REDIRECT, 5, ORIG, NAT, 1L, "web", 1, "http", null));
        assertEquals(4, lines.size(), "only drops are limited");

        log.tick();
        assertEquals(4, lines.size(), "the second is not over yet");
        now += FlowLog.WINDOW_NS; // the window began at the first drop
        log.tick();
        assertEquals("event=drop-suppressed count=7 limit=3/s", lines.get(4));
        assertEquals(Level.WARNING, levels.get(4));
        log.tick();
        assertEquals(5, lines.size(), "one summary per second");

        log.log(drop(20));
        log.log(drop(21));
        assertEquals(FlowText.line(drop(21)), lines.get(6), "a new second, a new allowance");
        assertEquals(7, log.suppressed());
    }

    @Test
    void aNewDropClosesTheOldSecondWithItsSummaryFirst() {
        FlowLog log = flowLog(1);
        log.log(drop(1));
        log.log(drop(2));
        log.log(drop(3));
        now += FlowLog.WINDOW_NS + 1;
        log.log(drop(4));
        assertEquals(List.of(FlowText.line(drop(1)), "event=drop-suppressed count=2 limit=1/s", FlowText.line(drop(4))),
                lines);
        assertEquals(2, log.suppressed());
    }

    @Test
    void aZeroLimitLogsNoDropsButCountsThem() {
        FlowLog log = flowLog(0);
        log.log(drop(1));
        log.log(drop(2));
        assertEquals(List.of(), lines);
        now += FlowLog.WINDOW_NS;
        log.tick();
        assertEquals(List.of("event=drop-suppressed count=2 limit=0/s"), lines);
        assertEquals(2, log.suppressed());
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> flowLog(-1));
    }

    /** A stdout or file output as the flow log sees it: takes every level, counts flushes. */
    private static final class Lines implements FlowSink {
        final List<String> lines = new ArrayList<>();
        int flushes;
        boolean closed;

        @Override
        public boolean wants(Level level) {
            return true;
        }

        @Override
        public void write(Level level, String line) {
            lines.add(line);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public long lostLines() {
            return 0;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final FlowRecord JSON = new FlowRecord("n1", java.time.Clock.fixed(T, java.time.ZoneOffset.UTC));

    @Test
    void jsonDropsAreRateLimitedAndSummedUpAsARecord() {
        Lines out = new Lines();
        FlowLog log = new FlowLog(JSON, out, true, 2, () -> now);
        for (int i = 0; i < 6; i++) {
            log.log(drop(i));
        }
        assertEquals(List.of(JSON.event(drop(0)), JSON.event(drop(1))), out.lines);
        assertEquals(4, log.suppressed());
        now += FlowLog.WINDOW_NS;
        log.tick();
        assertEquals("{\"timestamp\":\"2025-01-02T03:04:05.000000+0000\",\"host\":\"n1\","
                + "\"event_type\":\"drop_suppressed\",\"count\":4,\"limit\":2}", out.lines.get(2));
        assertEquals(3, out.lines.size());
    }

    @Test
    void anOutputOtherThanTheLoggerGetsPassesUnlessTheyAreLeftOut() {
        FlowEvent passed = new FlowEvent(1, T, EventType.NEW, 7, ORIG, null, 0L, "ssh", null, null, null);
        FlowEvent redirect = new FlowEvent(3, T, EventType.REDIRECT, 8, ORIG, NAT, 1L, "web", 1, "http", null);
        Lines all = new Lines();
        FlowLog everything = new FlowLog(JSON, all, true, 100, () -> now);
        everything.log(passed);
        everything.log(redirect);
        assertEquals(List.of(JSON.event(passed), JSON.event(redirect)), all.lines, "machines filter: every event");
        Lines decisions = new Lines();
        FlowLog noPasses = new FlowLog(JSON, decisions, false, 100, () -> now);
        noPasses.log(passed);
        noPasses.log(redirect);
        assertEquals(List.of(JSON.event(redirect)), decisions.lines);
    }

    @Test
    void everyTickFlushesTheOutputAndCloseClosesIt() {
        Lines out = new Lines();
        FlowLog log = new FlowLog(FlowText.INSTANCE, out, true, 100, () -> now);
        log.tick();
        log.tick();
        assertEquals(2, out.flushes, "the reader ticks after every poll (at most 100 ms apart)");
        log.close();
        assertTrue(out.closed);
    }
}
