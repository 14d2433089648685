package io.xdpgate.controlplane.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Event;
import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fan-out to followers: the event reader never waits on one, a slow one loses (and is told), the cap holds. */
class FollowersTest {
    private static final long MONO = 10_000_000_000L;
    private static final int QUEUE = 1024;

    // drops unlogged (rate 0): the flow log must not be what the timing measures
    private final EventLog log = new EventLog(new RecentEvents(64), new FlowLog(0, () -> MONO), () -> null,
            Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC), () -> MONO);
    private final Followers followers = new Followers(log, 16, QUEUE);

    private void accept(int n) {
        for (int i = 0; i < n; i++) {
            log.accept(new Event(MONO, 0, FlowLogTest.ORIG, Tuple.ZERO, (int) Abi.XG_RULE_DEFAULT, 0, EventType.DROP,
                    Stat.DROP_DEFAULT));
        }
    }

    private static List<Follower.Item> drain(Follower f, int n) throws InterruptedException {
        List<Follower.Item> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Follower.Item item = f.next(1, TimeUnit.SECONDS);
            if (item == null) {
                break;
            }
            items.add(item);
        }
        return items;
    }

    @Test
    void aFollowerThatNeverReadsDoesNotHoldUpTheReaderAndIsToldExactlyHowManyItLost() throws Exception {
        Follower stuck = followers.follow(null, null);
        CountDownLatch blocked = new CountDownLatch(1);
        // a writer that took one event and then hangs, as on a client that stopped reading
        Thread writer = new Thread(() -> {
            try {
                stuck.next(5, TimeUnit.SECONDS);
                blocked.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writer.start();
        accept(1);
        while (writer.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }
        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> accept(10_000));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 2_000, "10,000 events took " + ms + " ms");
        assertEquals(10_000 - QUEUE, stuck.lost());
        assertEquals(10_000 - QUEUE, followers.lost());

        blocked.countDown();
        writer.join();
        List<Follower.Item> queued = drain(stuck, QUEUE);
        assertEquals(QUEUE, queued.size());
        assertEquals(2, queued.get(0).event().seq(), "the oldest that fitted, in order");
        assertEquals(QUEUE + 1, queued.get(QUEUE - 1).event().seq());
        assertTrue(queued.stream().allMatch(i -> i.lostBefore() == 0));
        assertNull(stuck.next(10, TimeUnit.MILLISECONDS), "the lost ones are not queued");

        accept(1);
        Follower.Item next = stuck.next(1, TimeUnit.SECONDS);
        assertEquals(10_002, next.event().seq());
        assertEquals(10_000 - QUEUE, next.lostBefore(), "the marker before the next event: exactly the lost");
        accept(1);
        assertEquals(0, stuck.next(1, TimeUnit.SECONDS).lostBefore(), "said once");
    }

    @Test
    void aFastFollowerReceivesEveryEventInOrderBesideASlowOne() throws Exception {
        Follower slow = followers.follow(null, null);
        Follower fast = followers.follow(null, null);
        List<Long> seen = new ArrayList<>();
        for (int batch = 0; batch < 20; batch++) {
            accept(500);
            for (Follower.Item i : drain(fast, 500)) {
                assertEquals(0, i.lostBefore());
                seen.add(i.event().seq());
            }
        }
        assertEquals(10_000, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1, seen.get(i));
        }
        assertEquals(0, fast.lost());
        assertEquals(10_000 - QUEUE, slow.lost());
    }

    @Test
    void aFollowerGetsOnlyTheTypeAndConnectionItAskedFor() throws Exception {
        Follower closes = followers.follow(EventType.CLOSED, 7L);
        log.accept(new Event(MONO, 7, FlowLogTest.ORIG, Tuple.ZERO, 0, 0, EventType.NEW, null));
        log.accept(new Event(MONO, 8, FlowLogTest.ORIG, Tuple.ZERO, 0, 0, EventType.CLOSED, null));
        log.accept(new Event(MONO, 7, FlowLogTest.ORIG, Tuple.ZERO, 0, 0, EventType.CLOSED, null));
        assertEquals(3, closes.next(1, TimeUnit.SECONDS).event().seq());
        assertNull(closes.next(10, TimeUnit.MILLISECONDS));
    }

    @Test
    void closingFreesThePlaceAndStopsTheEvents() throws Exception {
        List<Follower> all = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            all.add(followers.follow(null, null));
        }
        Follower gone = all.get(3);
        gone.close();
        gone.close();
        assertEquals(15, followers.count());
        accept(5);
        assertNull(gone.next(10, TimeUnit.MILLISECONDS), "a closed follower receives nothing");
        assertEquals(0, gone.lost(), "nor counts losses");
        Follower again = followers.follow(null, null);
        assertEquals(16, followers.count());
        accept(1);
        assertEquals(6, again.next(1, TimeUnit.SECONDS).event().seq());
    }

    @Test
    void closeWakesAWaitingWriter() throws Exception {
        Follower f = followers.follow(null, null);
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            f.close();
        });
        closer.start();
        long start = System.nanoTime();
        assertNull(f.next(10, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "woken by close, not by the timeout");
        assertTrue(f.isClosed());
    }

    @Test
    void theSeventeenthIsRefusedWithTheLimit() {
        for (int i = 0; i < 16; i++) {
            followers.follow(null, null);
        }
        var refused = assertThrows(Followers.TooManyFollowers.class, () -> followers.follow(null, null));
        assertEquals(16, refused.max());
        assertTrue(refused.getMessage().contains("at most 16 clients may follow the events at once"),
                refused.getMessage());
        assertEquals(16, followers.count(), "the refused one holds no place");
        followers.close();
        assertEquals(0, followers.count());
        followers.follow(null, null);
    }
}
