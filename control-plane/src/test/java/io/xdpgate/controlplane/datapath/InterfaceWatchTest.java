package io.xdpgate.controlplane.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Role;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.netlink.Link;
import io.xdpgate.datapath.netlink.LinkEvents;
import io.xdpgate.datapath.netlink.LinkMessage;
import io.xdpgate.datapath.netlink.LinkMessages;
import io.xdpgate.datapath.tables.Hook;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watch with scripted events and a scripted link list: whatever the events say, what is
 * attached follows the list; lost events (overflow) and malformed datagrams are counted and
 * followed by a full re-list.
 */
class InterfaceWatchTest {
    private static final PatternBinding VETH = new PatternBinding(new InterfacePattern("veth*"), Role.INTERNAL,
            HookChoice.AUTO);

    private final BlockingQueue<Supplier<LinkEvents.Received>> script = new LinkedBlockingQueue<>();
    private final AtomicReference<List<Link>> links = new AtomicReference<>(List.of());
    private final Map<Integer, String> attached = new ConcurrentHashMap<>();
    private final AtomicBoolean detached = new AtomicBoolean();
    private final LinkReconciler reconciler = new LinkReconciler(List.of(VETH), Set.of(), n -> n.startsWith("xgw"),
            new LinkAttacher() {
                @Override
                public Attachment attach(Link link, PatternBinding binding) {
                    attached.put(link.ifindex(), link.name());
                    return new Attachment(link.name(), link.ifindex(), Hook.TC, XdpMode.AUTO, 1);
                }

                @Override
                public void detach(Attachment a, boolean gone) {
                    attached.remove(a.ifindex());
                }

                @Override
                public Attachment renamed(Attachment a, String name) {
                    return a;
                }
            }, 3);
    private final LinkEvents events = new LinkEvents() {
        @Override
        public Received receive() {
            try {
                Supplier<Received> next = script.poll(20, TimeUnit.MILLISECONDS);
                return next == null ? new Received(Received.Status.TIMEOUT, List.of()) : next.get();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
        }
    };
    private final InterfaceWatch watch = new InterfaceWatch(reconciler, () -> events, links::get, detached::get,
            Duration.ofMillis(50), Duration.ofHours(1));

    @AfterEach
    void stop() {
        watch.close();
    }

    private static LinkEvents.Received event(LinkMessage.Type type, Link link) {
        return new LinkEvents.Received(LinkEvents.Received.Status.MESSAGES,
                List.of(new LinkMessage(type, link, 0, false)));
    }

    @Test
    void startAttachesWhatExistsBeforeReturning() {
        links.set(List.of(new Link(2, "eth0"), new Link(5, "veth1")));
        watch.start();
        assertEquals(Map.of(5, "veth1"), attached);
        assertEquals(1, watch.passes());
    }

    @Test
    void anEventWakesAReListAndTheListNotTheEventDecides() throws Exception {
        watch.start();
        // the event names veth9, but by the time the list is read it is gone and veth7 is there
        links.set(List.of(new Link(7, "veth7")));
        script.add(() -> event(LinkMessage.Type.NEW, new Link(9, "veth9")));
        await(() -> attached.containsKey(7));
        assertFalse(attached.containsKey(9));
        links.set(List.of());
        script.add(() -> event(LinkMessage.Type.DEL, new Link(7, "veth7")));
        await(attached::isEmpty);
    }

    @Test
    void lostEventsAreCountedAndRepairedByAFullResync() throws Exception {
        watch.start();
        links.set(List.of(new Link(5, "veth5"), new Link(6, "veth6")));
        script.add(() -> new LinkEvents.Received(LinkEvents.Received.Status.OVERFLOW, List.of()));
        await(() -> attached.size() == 2);
        assertEquals(1, watch.overflows());

        links.set(List.of(new Link(6, "veth6")));
        script.add(() -> {
            LinkMessages.parse(new byte[8], 8); // a datagram shorter than a header: refused
            throw new AssertionError("parsed");
        });
        await(() -> attached.size() == 1);
        assertEquals(1, watch.malformed());
        assertEquals(Map.of(6, "veth6"), attached);
    }

    @Test
    void aLinkThatFailedIsRetriedWithoutAnEvent() throws Exception {
        AtomicBoolean listFails = new AtomicBoolean(true);
        InterfaceWatch flaky = new InterfaceWatch(reconciler, () -> events, () -> {
            if (listFails.getAndSet(false)) {
                throw new IllegalStateException("the link list kept changing during 5 dumps");
            }
            return List.of(new Link(5, "veth5"));
        }, detached::get, Duration.ofMillis(50), Duration.ofHours(1));
        try {
            flaky.start();
            assertTrue(attached.isEmpty());
            await(() -> attached.containsKey(5)); // no event came: the failed list is tried again
        } finally {
            flaky.close();
        }
    }

    @Test
    void afterTheOperatorDetachedNothingIsAttachedAgain() throws Exception {
        watch.start();
        detached.set(true);
        Thread.sleep(100);
        links.set(List.of(new Link(5, "veth5")));
        script.add(() -> event(LinkMessage.Type.NEW, new Link(5, "veth5")));
        Thread.sleep(200);
        assertTrue(attached.isEmpty());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 2_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 2 s");
            }
            Thread.sleep(5);
        }
    }
}
