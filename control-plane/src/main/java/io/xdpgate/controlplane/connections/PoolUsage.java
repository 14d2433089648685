package io.xdpgate.controlplane.connections;

import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.NatKey;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.util.HashMap;
import java.util.Map;

/**
 * How full each gateway's port pool is: the NAT identities it holds (nat_rev entries, one per
 * redirected connection) against the identities its pools can make (gateway ports, times
 * source-NAT ports when it has a source-NAT pool). One pass over nat_rev.
 */
public final class PoolUsage {
    /** @param used identities held; @param size identities the pools can make */
    public record Pool(long used, long size) {
        /** used / size, 0 for an empty pool. */
        public double fill() {
            return size == 0 ? 0 : (double) used / size;
        }
    }

    private PoolUsage() {
    }

    /** By gateway id, for every gateway entry with a pool. */
    public static Map<Integer, Pool> of(XdpgateTables tables) {
        Map<Integer, Long> used = new HashMap<>();
        for (NatKey key : tables.natRev().keys()) {
            used.merge(key.gwId(), 1L, Long::sum);
        }
        Map<Integer, Pool> out = new HashMap<>();
        for (var entry : tables.gateways().entries()) {
            Gateway g = entry.value();
            if (g.portCount() == 0) {
                continue;
            }
            long size = (long) g.portCount() * Math.max(1, g.snatPortCount());
            out.put(entry.key(), new Pool(used.getOrDefault(entry.key(), 0L), size));
        }
        return out;
    }
}
