package io.xdpgate.datapath.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.MacAddr;
import io.xdpgate.datapath.netlink.Link;
import io.xdpgate.datapath.netlink.LinkEvents;
import io.xdpgate.datapath.netlink.LinkMessage;
import io.xdpgate.datapath.testing.Commands;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.TestNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rtnetlink socket against this kernel: the dump, the events of a veth's life, and a lost burst. */
@KernelTest
class NetlinkRouteKernelTest {
    private static MacAddr macOf(String device) {
        String json = Commands.run("ip", "-j", "link", "show", "dev", device);
        int at = json.indexOf("\"address\":\"") + "\"address\":\"".length();
        return MacAddr.parse(json.substring(at, json.indexOf('"', at)));
    }

    @Test
    void theDumpListsEveryLinkWithItsIfindexNameAndMac() {
        try (TestNetwork net = new TestNetwork()) {
            String[] veth = net.veth("la", "lb");
            List<Link> links = NetlinkRoute.listLinks();
            assertTrue(links.contains(new Link(1, "lo", MacAddr.ZERO)), links.toString());
            for (String d : veth) {
                assertTrue(links.contains(new Link(NetDevice.ifindex(d), d, macOf(d))), d + " in " + links);
            }
            assertEquals(Commands.run("ip", "-o", "link", "show").lines().count(), links.size(), links.toString());
        }
    }

    @Test
    void aSubscriptionSeesAVethAppearAndGo() {
        try (TestNetwork net = new TestNetwork();
             NetlinkRoute events = NetlinkRoute.subscribeLinks(Duration.ofMillis(100))) {
            String[] veth = net.veth("ea", "eb");
            int ifindex = NetDevice.ifindex(veth[0]);
            Commands.run("ip", "link", "del", veth[0]);
            List<LinkMessage> seen = drain(events);
            assertTrue(seen.stream().anyMatch(m -> m.type() == LinkMessage.Type.NEW && m.link().ifindex() == ifindex
                    && m.link().name().equals(veth[0])), seen.toString());
            assertTrue(seen.stream().anyMatch(m -> m.type() == LinkMessage.Type.DEL && m.link().ifindex() == ifindex),
                    seen.toString());
        }
    }

    /** Events nobody reads fill the socket's buffer: the next receive says so, rather than pretending all is seen. */
    @Test
    void aFullBufferIsReportedAsOverflow() {
        try (TestNetwork net = new TestNetwork();
             NetlinkRoute events = NetlinkRoute.subscribeLinks(Duration.ofMillis(100), 1024)) {
            for (int i = 0; i < 8; i++) {
                net.veth("o" + i, "p" + i);
            }
            LinkEvents.Received first = events.receive();
            List<LinkEvents.Received.Status> statuses = new ArrayList<>(List.of(first.status()));
            for (LinkEvents.Received r = first; r.status() != LinkEvents.Received.Status.TIMEOUT; ) {
                r = events.receive();
                statuses.add(r.status());
            }
            assertTrue(statuses.contains(LinkEvents.Received.Status.OVERFLOW), statuses.toString());
        }
    }

    private static List<LinkMessage> drain(NetlinkRoute events) {
        List<LinkMessage> seen = new ArrayList<>();
        for (LinkEvents.Received r = events.receive(); r.status() != LinkEvents.Received.Status.TIMEOUT;
             r = events.receive()) {
            seen.addAll(r.messages());
        }
        return seen;
    }
}
