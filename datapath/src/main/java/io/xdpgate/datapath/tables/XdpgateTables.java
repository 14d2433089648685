package io.xdpgate.datapath.tables;

import io.xdpgate.abi.AddrKey;
import io.xdpgate.abi.Bitmap;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Expect;
import io.xdpgate.abi.ExpectKey;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.NatKey;
import io.xdpgate.abi.PolicyMeta;
import io.xdpgate.abi.PortKey;
import io.xdpgate.abi.RuleSlot;
import io.xdpgate.abi.SrcCount;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Stats;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.BpfMap;
import io.xdpgate.abi.Codecs;
import io.xdpgate.datapath.map.PerCpuArray;
import io.xdpgate.datapath.map.TypedMap;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed handles on every map of the packet processor. Built from any source of maps by name: a
 * freshly loaded object or the pinned directory of a running one.
 */
public final class XdpgateTables {
    private final TypedMap<Tuple, Conn> conns;
    private final TypedMap<NatKey, Tuple> natRev;
    private final TypedMap<Integer, Gateway> gateways;
    private final TypedMap<Integer, Integer> gwTx;
    private final TypedMap<Integer, Integer> gwXsks;
    private final TypedMap<Integer, Integer> gwLoad;
    private final TypedMap<Integer, Integer> fwdPorts;
    private final TypedMap<Integer, Iface> ifaces;
    private final TypedMap<AddrKey, Bitmap> polSrc;
    private final TypedMap<AddrKey, Bitmap> polDst;
    private final TypedMap<PortKey, Bitmap> polPort;
    private final TypedMap<Integer, Bitmap> polRole;
    private final TypedMap<Integer, RuleSlot> polRules;
    private final TypedMap<Integer, PolicyMeta> polMeta;
    private final TypedMap<Integer, Integer> policyCtl;
    private final PerCpuArray<Stats> stats;
    private final TypedMap<IpAddr, SrcCount> srcCounts;
    private final TypedMap<Integer, Tuple> unreplied;
    private final TypedMap<Integer, Integer> unrepliedCursor;
    private final TypedMap<ExpectKey, Expect> expects;
    private final TypedMap<ExpectKey, Expect> pairs;
    private final BpfMap events;

    public XdpgateTables(Function<String, BpfMap> maps) {
        conns = new TypedMap<>(maps.apply(MapNames.CONNS), Tuple.CODEC, Conn.CODEC);
        natRev = new TypedMap<>(maps.apply(MapNames.NAT_REV), NatKey.CODEC, Tuple.CODEC);
        gateways = new TypedMap<>(maps.apply(MapNames.GATEWAYS), Codecs.U32, Gateway.CODEC);
        gwTx = new TypedMap<>(maps.apply(MapNames.GW_TX), Codecs.U32, Codecs.U32);
        gwXsks = new TypedMap<>(maps.apply(MapNames.GW_XSKS), Codecs.U32, Codecs.U32);
        gwLoad = new TypedMap<>(maps.apply(MapNames.GW_LOAD), Codecs.U32, Codecs.U32);
        fwdPorts = new TypedMap<>(maps.apply(MapNames.FWD_PORTS), Codecs.U32, Codecs.U32);
        ifaces = new TypedMap<>(maps.apply(MapNames.IFACES), Codecs.U32, Iface.CODEC);
        polSrc = new TypedMap<>(maps.apply(MapNames.POL_SRC), AddrKey.CODEC, Bitmap.CODEC);
        polDst = new TypedMap<>(maps.apply(MapNames.POL_DST), AddrKey.CODEC, Bitmap.CODEC);
        polPort = new TypedMap<>(maps.apply(MapNames.POL_PORT), PortKey.CODEC, Bitmap.CODEC);
        polRole = new TypedMap<>(maps.apply(MapNames.POL_ROLE), Codecs.U32, Bitmap.CODEC);
        polRules = new TypedMap<>(maps.apply(MapNames.POL_RULES), Codecs.U32, RuleSlot.CODEC);
        polMeta = new TypedMap<>(maps.apply(MapNames.POL_META), Codecs.U32, PolicyMeta.CODEC);
        policyCtl = new TypedMap<>(maps.apply(MapNames.POLICY_CTL), Codecs.U32, Codecs.U32);
        stats = new PerCpuArray<>(maps.apply(MapNames.STATS), Stats.CODEC);
        srcCounts = new TypedMap<>(maps.apply(MapNames.SRC_COUNTS), SrcCount.KEY_CODEC, SrcCount.CODEC);
        unreplied = new TypedMap<>(maps.apply(MapNames.UNREPLIED), Codecs.U32, Tuple.CODEC);
        unrepliedCursor = new TypedMap<>(maps.apply(MapNames.UNREPLIED_CURSOR), Codecs.U32, Codecs.U32);
        expects = new TypedMap<>(maps.apply(MapNames.EXPECTS), ExpectKey.CODEC, Expect.CODEC);
        pairs = new TypedMap<>(maps.apply(MapNames.PAIRS), ExpectKey.CODEC, Expect.CODEC);
        events = maps.apply(MapNames.EVENTS);
    }

    public TypedMap<Tuple, Conn> conns() {
        return conns;
    }

    public TypedMap<NatKey, Tuple> natRev() {
        return natRev;
    }

    public TypedMap<Integer, Gateway> gateways() {
        return gateways;
    }

    /** Instance slot ({@link io.xdpgate.abi.Gateway#slot}) -> ifindex of its veth; redirected frames leave through it. */
    public TypedMap<Integer, Integer> gwTx() {
        return gwTx;
    }

    /**
     * Instance slot ({@link io.xdpgate.abi.Gateway#slot}) -> its AF_XDP socket's fd (write only; the
     * kernel drops the entry when the socket closes, and the packet processor then treats the
     * instance as down).
     */
    public TypedMap<Integer, Integer> gwXsks() {
        return gwXsks;
    }

    /**
     * Ifindex -> the same ifindex, for every interface admitted packets may be forwarded to by FIB
     * lookup (the traffic interfaces the program is attached to).
     */
    public TypedMap<Integer, Integer> fwdPorts() {
        return fwdPorts;
    }

    /** Instance slot ({@link io.xdpgate.abi.Gateway#slot}) -> the load the instance reports (its open flows). */
    public TypedMap<Integer, Integer> gwLoad() {
        return gwLoad;
    }

    /** ifindex -> role of the interface. */
    public TypedMap<Integer, Iface> ifaces() {
        return ifaces;
    }

    public TypedMap<AddrKey, Bitmap> polSrc() {
        return polSrc;
    }

    public TypedMap<AddrKey, Bitmap> polDst() {
        return polDst;
    }

    public TypedMap<PortKey, Bitmap> polPort() {
        return polPort;
    }

    public TypedMap<Integer, Bitmap> polRole() {
        return polRole;
    }

    public TypedMap<Integer, RuleSlot> polRules() {
        return polRules;
    }

    public TypedMap<Integer, PolicyMeta> polMeta() {
        return polMeta;
    }

    public TypedMap<Integer, Integer> policyCtl() {
        return policyCtl;
    }

    /** Source address -> how many entries (and redirected entries) it holds; recounted by the GC. */
    public TypedMap<IpAddr, SrcCount> srcCounts() {
        return srcCounts;
    }

    /** The reclaim ring: tuples of the latest new flows (hints; a slot of family 0 is empty). */
    public TypedMap<Integer, Tuple> unreplied() {
        return unreplied;
    }

    /** [0] where the next new flow is noted in the ring, [1] where the next reclaim looks. */
    public TypedMap<Integer, Integer> unrepliedCursor() {
        return unrepliedCursor;
    }

    /**
     * Connections an application gateway announced (FTP data channels), exact but for the source
     * port: the first packet that matches deletes its entry and is admitted with its action
     * instead of the rules'. The kernel deletes entries it finds expired; one never matched stays
     * until user space removes it.
     */
    public TypedMap<ExpectKey, Expect> expects() {
        return expects;
    }

    /**
     * Connections rules' paired ports expect, as {@link #expects()} but written by the kernel for
     * each new flow such a rule admits, and claimed after them; the least recently written are
     * evicted when it is full.
     */
    public TypedMap<ExpectKey, Expect> pairs() {
        return pairs;
    }

    public BpfMap events() {
        return events;
    }

    /** Every counter, summed over the CPUs. */
    public Map<Stat, Long> counters() {
        long[] sums = stats.sumWords(0);
        Map<Stat, Long> out = new EnumMap<>(Stat.class);
        for (Stat s : Stat.values()) {
            out.put(s, sums[s.value()]);
        }
        return out;
    }

    public long counter(Stat stat) {
        return stats.sumWords(0)[stat.value()];
    }

    /** Zeroes every counter on every CPU. */
    public void resetCounters() {
        stats.setAll(0, new Stats(new long[Stat.COUNT]));
    }
}
