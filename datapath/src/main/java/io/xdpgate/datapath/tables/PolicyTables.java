package io.xdpgate.datapath.tables;

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
import io.xdpgate.datapath.policy.PolicyTooLargeException;
import io.xdpgate.datapath.policy.PortPrefix;
import io.xdpgate.datapath.policy.RuleBitmap;
import java.util.Map;

/**
 * Writes a compiled policy into the kernel and swaps it in atomically: everything goes into the
 * generation that is not classifying, then one write of {@code policy_ctl[0]} makes it the active
 * one. The generation written is first cleared of the policy it held two swaps ago.
 */
public final class PolicyTables {
    /** pol_role slots per generation: XG_ROLE_COUNT. */
    private static final int ROLE_SLOTS = Role.COUNT;

    private final XdpgateTables tables;

    public PolicyTables(XdpgateTables tables) {
        this.tables = tables;
    }

    public int activeGeneration() {
        return tables.policyCtl().get(0).orElse(0) & 1;
    }

    /**
     * Installs the policy and returns the generation now active. Throws before touching any map
     * when the policy does not fit; the running policy then stays in force.
     */
    public int apply(CompiledPolicy policy) {
        int gen = stage(policy);
        activate(gen);
        return gen;
    }

    /**
     * Writes the policy into the inactive generation and returns it, without making it active:
     * a transaction can put other changes between this and {@link #activate}, and leave the
     * running policy untouched if one fails. Throws before touching any map when it does not fit.
     */
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

    /** Makes a generation the one that classifies: one 4-byte array write, atomic for every CPU. */
    public void activate(int generation) {
        if (generation != 0 && generation != 1) {
            throw new IllegalArgumentException("generation " + generation + " is neither 0 nor 1");
        }
        tables.policyCtl().put(0, generation);
    }

    /** Throws {@link PolicyTooLargeException} when one generation of the maps cannot hold the policy. */
    public void checkCapacity(PolicyEntryCounts counts) {
        check(MapNames.POL_SRC, counts.polSrc(), tables.polSrc().map().maxEntries() / 2);
        check(MapNames.POL_DST, counts.polDst(), tables.polDst().map().maxEntries() / 2);
        check(MapNames.POL_PORT, counts.polPort(), tables.polPort().map().maxEntries() / 2);
        check(MapNames.POL_RULES, counts.polRules(), Abi.XG_MAX_RULES);
    }

    private static void check(String map, int needed, int available) {
        if (needed > available) {
            throw new PolicyTooLargeException(map, needed, available);
        }
    }

    private static void writeAddresses(TypedMap<AddrKey, Bitmap> map, Map<AddressPrefix, RuleBitmap> bitmaps, int gen) {
        for (Map.Entry<AddressPrefix, RuleBitmap> e : bitmaps.entrySet()) {
            AddressPrefix p = e.getKey();
            map.put(new AddrKey(p.keyPrefixLength(), gen, IpAddr.of(p.addressBytes())), bitmap(e.getValue()));
        }
    }

    /** Empties one generation: no rules, default drop, no bitmap entries. */
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

    /**
     * The fields no rule constrains: only the wildcard prefix is there, whose bitmap holds every
     * rule, so the kernel may skip the lookup.
     */
    static int wildFields(CompiledPolicy policy) {
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
