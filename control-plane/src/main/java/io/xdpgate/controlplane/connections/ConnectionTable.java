package io.xdpgate.controlplane.connections;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.NatKey;
import io.xdpgate.abi.SrcCount;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.map.TypedMap;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The connection table seen from user space. Removing a connection always removes its NAT slot
 * with it, so the gateway port returns to the pool and no reverse entry is orphaned.
 */
public final class ConnectionTable {
    private final TypedMap<Tuple, Conn> conns;
    private final TypedMap<NatKey, Tuple> natRev;
    private final TypedMap<IpAddr, SrcCount> srcCounts;

    public ConnectionTable(XdpgateTables tables) {
        this.conns = tables.conns();
        this.natRev = tables.natRev();
        this.srcCounts = tables.srcCounts();
    }

    public List<Connection> list() {
        return conns.entries().stream().map(e -> new Connection(e.key(), e.value())).toList();
    }

    public Optional<Connection> find(long id) {
        return list().stream().filter(c -> c.id() == id).findFirst();
    }

    /** Removes the connection and its NAT slot; false when it was already gone. */
    public boolean remove(Connection c) {
        if (c.entry().verdict() == Action.REDIRECT) {
            natRev.remove(natSlot(c.entry()));
        }
        return conns.remove(c.original());
    }

    /**
     * Rewrites the per-source counts (src_counts) from these entries. The kernel counts up as it
     * inserts and down as it removes; removals it cannot see (the GC's, the API's) and lost races
     * are corrected here, so a count is wrong for at most one sweep.
     */
    public void recountSources(List<Connection> entries) {
        Map<IpAddr, int[]> counts = new HashMap<>();
        for (Connection c : entries) {
            int[] n = counts.computeIfAbsent(c.original().saddr(), k -> new int[2]);
            n[0]++;
            if (c.entry().verdict() == Action.REDIRECT) {
                n[1]++;
            }
        }
        for (IpAddr source : srcCounts.keys()) {
            if (!counts.containsKey(source)) {
                srcCounts.remove(source);
            }
        }
        counts.forEach((source, n) -> srcCounts.put(source, new SrcCount(n[0], n[1])));
    }

    /** The nat_rev key of a redirected connection, as the kernel built it. */
    static NatKey natSlot(Conn entry) {
        Tuple nat = entry.nat();
        int snatPort = entry.hasFlag(Abi.XG_CONN_F_SNAT) ? nat.sport() : 0;
        return new NatKey(entry.gwId(), nat.dport(), snatPort, nat.proto());
    }
}
