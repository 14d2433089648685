package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.connections.Connection;
import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Tuple;
import java.util.Locale;

/** A connection as GET /api/v1/connections shows it. */
record ConnectionView(long id, TupleView original, TupleView nat, Integer gateway, String verdict, String state,
                      Long rule, double ageSeconds, double idleSeconds, Counts packets, Counts bytes) {
    record TupleView(String text, String src, int srcPort, String dst, int dstPort, String protocol) {
        static TupleView of(Tuple t) {
            return new TupleView(t.toString(), t.saddr().toString(), t.sport(), t.daddr().toString(), t.dport(),
                    io.xdpgate.abi.IpProto.name(t.proto()));
        }
    }

    /** Per direction: original (client to server) and reply. */
    record Counts(long original, long reply) {
    }

    static ConnectionView of(Connection c, long nowNs) {
        Conn e = c.entry();
        boolean redirected = e.verdict() == Action.REDIRECT;
        return new ConnectionView(e.id(), TupleView.of(c.original()), redirected ? TupleView.of(e.nat()) : null,
                redirected ? e.gwId() : null, e.verdict().name().toLowerCase(Locale.ROOT),
                e.tcpState().name().toLowerCase(Locale.ROOT),
                e.ruleId() == (int) Abi.XG_RULE_DEFAULT ? null : Integer.toUnsignedLong(e.ruleId()),
                seconds(nowNs - e.createdNs()), seconds(nowNs - e.lastSeenNs()),
                new Counts(e.packetsOrig(), e.packetsReply()), new Counts(e.bytesOrig(), e.bytesReply()));
    }

    private static double seconds(long nanos) {
        return Math.max(0, nanos) / 1e9;
    }
}
