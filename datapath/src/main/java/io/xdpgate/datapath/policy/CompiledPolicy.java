package io.xdpgate.datapath.policy;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.RuleSlot;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One generation's worth of policy maps, as plain data for the map writer.
 *
 * <ul>
 * <li>{@link #slots()}: pol_rules, index = rule position;</li>
 * <li>{@link #srcBitmaps()}, {@link #dstBitmaps()}: pol_src / pol_dst, keyed by
 *     {@link AddressPrefix} (key prefixlen = 8 generation bits + its length);
 *     the root prefix is always present, so a lookup never misses;</li>
 * <li>{@link #portBitmaps()}: pol_port, keyed by {@link PortPrefix} (key
 *     prefixlen = 8 + its length; port big endian in the key); root always present;</li>
 * <li>{@link #roleBitmaps()}: pol_role, slot = {@link Role#value()};
 *     the gateway role's bitmap is empty;</li>
 * <li>{@link #nrules()}, {@link #defaultAction()}: pol_meta.</li>
 * </ul>
 * Bitmaps never have bits at or above {@link #nrules()}; an empty bitmap has
 * first = {@value Abi#XG_BITMAP_WORDS} and last = 0 (see {@link RuleBitmap}).
 */
public final class CompiledPolicy {
    private final Action defaultAction;
    private final List<RuleSlot> slots;
    private final Map<AddressPrefix, RuleBitmap> src;
    private final Map<AddressPrefix, RuleBitmap> dst;
    private final Map<PortPrefix, RuleBitmap> ports;
    private final Map<Role, RuleBitmap> roles;

    CompiledPolicy(Action defaultAction, List<RuleSlot> slots, Map<AddressPrefix, RuleBitmap> src,
                   Map<AddressPrefix, RuleBitmap> dst, Map<PortPrefix, RuleBitmap> ports,
                   Map<Role, RuleBitmap> roles) {
        this.defaultAction = defaultAction;
        this.slots = List.copyOf(slots);
        this.src = Collections.unmodifiableMap(src);
        this.dst = Collections.unmodifiableMap(dst);
        this.ports = Collections.unmodifiableMap(ports);
        this.roles = Collections.unmodifiableMap(roles);
    }

    public int nrules() {
        return slots.size();
    }

    public Action defaultAction() {
        return defaultAction;
    }

    public List<RuleSlot> slots() {
        return slots;
    }

    /** Shortest prefixes first. */
    public Map<AddressPrefix, RuleBitmap> srcBitmaps() {
        return src;
    }

    public Map<AddressPrefix, RuleBitmap> dstBitmaps() {
        return dst;
    }

    public Map<PortPrefix, RuleBitmap> portBitmaps() {
        return ports;
    }

    public Map<Role, RuleBitmap> roleBitmaps() {
        return roles;
    }

    public RuleBitmap roleBitmap(Role role) {
        return roles.get(role);
    }

    public PolicyEntryCounts entryCounts() {
        return new PolicyEntryCounts(src.size(), dst.size(), ports.size(), slots.size());
    }
}
