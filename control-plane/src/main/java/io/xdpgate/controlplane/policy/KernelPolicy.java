package io.xdpgate.controlplane.policy;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.AddrKey;
import io.xdpgate.abi.Bitmap;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.PolicyMeta;
import io.xdpgate.abi.PortKey;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.RuleSlot;
import io.xdpgate.datapath.map.TypedMap;
import io.xdpgate.datapath.policy.AddressPrefix;
import io.xdpgate.datapath.policy.CompiledPolicy;
import io.xdpgate.datapath.policy.PolicyEntryCounts;
import io.xdpgate.datapath.policy.PortPrefix;
import io.xdpgate.datapath.policy.RuleBitmap;
import io.xdpgate.datapath.tables.PolicyTables;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.util.Map;

/**
 * {@link PolicyKernel} on the packet processor's maps. The layout is {@link PolicyTables}'s (the
 * generation is part of every policy key or index; {@code policy_ctl[0]} names the active one),
 * but the write and the swap are separate steps here, so that the policy service can put the
 * gateway changes of a transaction between them and swap back if a later step fails.
 * (PolicyTables' {@code apply} does both at once; capacity and the active generation are read
 * through it.)
 */
public final class KernelPolicy implements PolicyKernel {
    private static final int ROLE_SLOTS = Role.COUNT;

    private final XdpgateTables tables;
    private final PolicyTables policyTables;

    public KernelPolicy(XdpgateTables tables) {
        this.tables = tables;
        this.policyTables = new PolicyTables(tables);
    }

    @Override
    public void checkCapacity(PolicyEntryCounts counts) {
        policyTables.checkCapacity(counts);
    }

    @Override
    public int activeGeneration() {
        return policyTables.activeGeneration();
    }

    @Override
    public int stage(CompiledPolicy policy) {
        checkCapacity(policy.entryCounts());
        int gen = 1 - activeGeneration();
        clear(gen);
        int base = gen * Abi.XG_MAX_RULES;
        for (int i = 0; i < policy.slots().size(); i++) {
            tables.polRules().put(base + i, policy.slots().get(i));
        }
        writeAddresses(tables.polSrc(), policy.srcBitmaps(), gen);
        writeAddresses(tables.polDst(), policy.dstBitmaps(), gen);
        for (Map.Entry<PortPrefix, RuleBitmap> e : policy.portBitmaps().entrySet()) {
            PortPrefix p = e.getKey();
            tables.polPort().put(new PortKey(p.keyPrefixLength(), gen, p.protocol(), p.port()), bitmap(e.getValue()));
        }
        for (Role role : Role.values()) {
            tables.polRole().put(gen * ROLE_SLOTS + role.value(), bitmap(policy.roleBitmap(role)));
        }
        tables.polMeta().put(gen, new PolicyMeta(policy.nrules(), policy.defaultAction(), wildFields(policy)));
        return gen;
    }

    @Override
    public void activate(int generation) {
        if (generation != 0 && generation != 1) {
            throw new IllegalArgumentException("generation " + generation + " is neither 0 nor 1");
        }
        tables.policyCtl().put(0, generation);
    }

    private static void writeAddresses(TypedMap<AddrKey, Bitmap> map, Map<AddressPrefix, RuleBitmap> bitmaps, int gen) {
        for (Map.Entry<AddressPrefix, RuleBitmap> e : bitmaps.entrySet()) {
            AddressPrefix p = e.getKey();
            map.put(new AddrKey(p.keyPrefixLength(), gen, IpAddr.of(p.addressBytes())), bitmap(e.getValue()));
        }
    }

    /** Empties one generation: no rules, default drop, no bitmap entries (the tries' keys deleted, arrays zeroed). */
    private void clear(int gen) {
        int old = tables.polMeta().get(gen).map(PolicyMeta::nrules).orElse(0);
        tables.polMeta().put(gen, new PolicyMeta(0, Action.DROP, 0));
        RuleSlot none = new RuleSlot(0, Action.DROP, 0);
        for (int i = 0; i < old; i++) {
            tables.polRules().put(gen * Abi.XG_MAX_RULES + i, none);
        }
        tables.polSrc().keys().stream().filter(k -> k.gen() == gen).forEach(tables.polSrc()::remove);
        tables.polDst().keys().stream().filter(k -> k.gen() == gen).forEach(tables.polDst()::remove);
        tables.polPort().keys().stream().filter(k -> k.gen() == gen).forEach(tables.polPort()::remove);
        Bitmap empty = bitmap(RuleBitmap.empty());
        for (int r = 0; r < ROLE_SLOTS; r++) {
            tables.polRole().put(gen * ROLE_SLOTS + r, empty);
        }
    }

    /** The fields no rule constrains (only the wildcard prefix is there): the kernel skips their lookup. */
    private static int wildFields(CompiledPolicy policy) {
        int wild = 0;
        if (policy.srcBitmaps().size() == 1) {
            wild |= Abi.XG_POL_WILD_SRC;
        }
        if (policy.dstBitmaps().size() == 1) {
            wild |= Abi.XG_POL_WILD_DST;
        }
        if (policy.portBitmaps().size() == 1) {
            wild |= Abi.XG_POL_WILD_PORT;
        }
        return wild;
    }

    private static Bitmap bitmap(RuleBitmap b) {
        return new Bitmap(b.first(), b.last(), b.words());
    }
}
