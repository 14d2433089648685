package io.xdpgate.datapath.policy;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.RuleSlot;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compiles ordered rules into the per-field bitmaps of the kernel's
 * classifier (bpf-iptables style): for each field one lookup gives the set of
 * rules that can match on it, the AND of the sets is the set of rules that
 * match, and the lowest position in it wins. See {@link CompiledPolicy}.
 *
 * <p>Fields and what a rule is filed under:
 * <ul>
 * <li>source and destination address: the rule's prefix in the mapped 128-bit
 *     space, or {@link AddressPrefix#ROOT} for "any";</li>
 * <li>(protocol, port): {@link PortPrefix#ROOT} for any protocol, the
 *     protocol's /8 for a protocol without ports, one prefix per aligned block
 *     of a port range;</li>
 * <li>ingress role: a plain bitmap per role.</li>
 * </ul>
 *
 * <p>Address families: an IPv6 prefix never matches IPv4 packets, even one
 * like ::/0 that contains the mapped range. When such a prefix is present the
 * compiler also stores ::ffff:0:0/96 (the IPv4 root), so that IPv4 keys always
 * land on an IPv4 prefix, and IPv4 prefixes inherit only from IPv4 ancestors
 * and the "any" rules.
 */
public final class PolicyCompiler {

    private PolicyCompiler() {
    }

    public static CompiledPolicy compile(List<Rule> rules, Action defaultAction) {
        Objects.requireNonNull(rules, "rules");
        if (defaultAction != Action.DROP && defaultAction != Action.PASS) {
            throw new IllegalArgumentException("the default action must be drop or pass, got " + defaultAction);
        }
        if (rules.size() > Abi.XG_MAX_RULES) {
            throw new PolicyTooLargeException(rules.size());
        }
        checkIdsUnique(rules);

        List<RuleSlot> slots = new ArrayList<>(rules.size());
        for (Rule rule : rules) {
            slots.add(rule.slot());
        }
        return new CompiledPolicy(defaultAction, slots,
                addressBitmaps(rules, true), addressBitmaps(rules, false), portBitmaps(rules), roleBitmaps(rules));
    }

    private static void checkIdsUnique(List<Rule> rules) {
        Set<Integer> seen = new HashSet<>();
        for (int position = 0; position < rules.size(); position++) {
            Rule rule = Objects.requireNonNull(rules.get(position), "rule at position " + position);
            if (!seen.add(rule.id())) {
                throw new IllegalArgumentException("rule id " + rule.id() + " appears twice (again at position "
                        + position + "); events and connections report rules by id");
            }
        }
    }

    private static Map<AddressPrefix, RuleBitmap> addressBitmaps(List<Rule> rules, boolean source) {
        Map<AddressPrefix, List<Integer>> own = new HashMap<>();
        own.put(AddressPrefix.ROOT, new ArrayList<>());
        long[] anyRules = new long[Abi.XG_BITMAP_WORDS];
        boolean ipv6CoversIpv4 = false;
        for (int position = 0; position < rules.size(); position++) {
            Cidr cidr = source ? rules.get(position).src() : rules.get(position).dst();
            if (cidr == null) {
                RuleBitmap.set(anyRules, position);
                own.get(AddressPrefix.ROOT).add(position);
            } else {
                own.computeIfAbsent(cidr.mappedPrefix(), p -> new ArrayList<>()).add(position);
                ipv6CoversIpv4 |= !cidr.isIpv4() && cidr.mappedPrefix().contains(AddressPrefix.IPV4_MAPPED);
            }
        }
        if (ipv6CoversIpv4) {
            own.putIfAbsent(AddressPrefix.IPV4_MAPPED, new ArrayList<>());
        }
        // An IPv4 prefix inherits from IPv4 ancestors only; where it has none it
        // starts from the "any" rules, which the shared root also carries.
        return PrefixBitmaps.compute(own, anyRules,
                (ancestor, prefix) -> ancestor.isIpv4() == prefix.isIpv4());
    }

    private static Map<PortPrefix, RuleBitmap> portBitmaps(List<Rule> rules) {
        Map<PortPrefix, List<Integer>> own = new HashMap<>();
        own.put(PortPrefix.ROOT, new ArrayList<>());
        for (int position = 0; position < rules.size(); position++) {
            for (PortPrefix prefix : portPrefixes(rules.get(position))) {
                own.computeIfAbsent(prefix, p -> new ArrayList<>()).add(position);
            }
        }
        return PrefixBitmaps.compute(own, new long[Abi.XG_BITMAP_WORDS], (ancestor, prefix) -> true);
    }

    /** What a rule is filed under in pol_port. */
    static List<PortPrefix> portPrefixes(Rule rule) {
        if (rule.protocol().isAny()) {
            return List.of(PortPrefix.ROOT);
        }
        int protocol = rule.protocol().number();
        if (rule.ports() == null) {
            return List.of(PortPrefix.protocolOnly(protocol));
        }
        return rule.ports().blocks().stream().map(block -> PortPrefix.of(protocol, block)).toList();
    }

    private static Map<Role, RuleBitmap> roleBitmaps(List<Rule> rules) {
        Map<Role, RuleBitmap> bitmaps = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            long[] words = new long[Abi.XG_BITMAP_WORDS];
            for (int position = 0; position < rules.size(); position++) {
                if (rules.get(position).role().admits(role)) {
                    RuleBitmap.set(words, position);
                }
            }
            bitmaps.put(role, RuleBitmap.wrap(words));
        }
        return bitmaps;
    }
}
