package io.xdpgate.controlplane.policy;

import io.xdpgate.datapath.abi.Abi;
import io.xdpgate.datapath.packet.AddressLiteral;
import io.xdpgate.datapath.policy.Cidr;
import io.xdpgate.datapath.policy.PortRange;
import io.xdpgate.datapath.policy.Protocol;
import io.xdpgate.datapath.policy.RoleFilter;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.policy.RuleAction;
import io.xdpgate.datapath.policy.RuleBuilder;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a whole document and translates it. Every problem is collected with its JSON pointer, so
 * one answer tells the user everything to fix; the parsers of the datapath module judge the values.
 */
public final class PolicyValidator {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> GATEWAY_PROTOCOLS = Set.of("http", "dns", "smtp", "ftp", "tls", "tcp", "udp");

    private PolicyValidator() {
    }

    /** The translated policy, or {@link PolicyRejectedException} with every violation. */
    public static TranslatedPolicy translate(PolicyDocument doc) {
        List<Violation> violations = new ArrayList<>();
        RuleAction dflt = defaultAction(doc.defaultAction(), violations);
        List<GatewayAssignment> gateways = gateways(doc.gateways(), violations);
        Map<String, Integer> gatewayIds = new HashMap<>();
        gateways.forEach(g -> gatewayIds.put(g.spec().name(), g.id()));
        List<Rule> rules = rules(doc.rules(), gatewayIds, violations);
        if (!violations.isEmpty()) {
            throw new PolicyRejectedException(violations);
        }
        return new TranslatedPolicy(doc, rules, dflt, gateways);
    }

    public static List<Violation> validate(PolicyDocument doc) {
        try {
            translate(doc);
            return List.of();
        } catch (PolicyRejectedException e) {
            return e.violations();
        }
    }

    private static RuleAction defaultAction(String text, List<Violation> out) {
        if (text == null) {
            out.add(new Violation("/defaultAction", "required: pass or drop"));
            return RuleAction.DROP;
        }
        RuleAction a = check("/defaultAction", text, RuleAction::parse, out);
        if (a == RuleAction.REDIRECT) {
            out.add(new Violation("/defaultAction", "must be pass or drop; redirect needs a rule naming the gateway"));
        }
        return a == null ? RuleAction.DROP : a;
    }

    private static List<GatewayAssignment> gateways(List<GatewaySpec> specs, List<Violation> out) {
        List<GatewayAssignment> result = new ArrayList<>();
        if (specs.size() > Abi.XG_MAX_GATEWAYS) {
            out.add(new Violation("/gateways", "at most " + Abi.XG_MAX_GATEWAYS + " gateways, got " + specs.size()));
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            GatewaySpec g = specs.get(i);
            String at = "/gateways/" + i;
            if (g == null) {
                out.add(new Violation(at, "a gateway must be an object"));
                continue;
            }
            name(at, g.name(), seen, i, "gateway", out);
            if (g.protocol() == null || !GATEWAY_PROTOCOLS.contains(g.protocol())) {
                out.add(new Violation(at + "/protocol", "required, one of " + new java.util.TreeSet<>(GATEWAY_PROTOCOLS)));
            }
            InetAddress a4 = address(at + "/address4", g.address4(), Inet4Address.class, out);
            InetAddress a6 = address(at + "/address6", g.address6(), Inet6Address.class, out);
            if (g.address4() == null && g.address6() == null) {
                out.add(new Violation(at, "needs address4, address6 or both: where redirected flows are sent"));
            }
            PortRange pool = g.ports() == null ? null : check(at + "/ports", g.ports(), PortRange::parse, out);
            if (g.ports() == null) {
                out.add(new Violation(at + "/ports", "required: the gateway's port pool, e.g. \"40000-40999\""));
            } else if (pool != null && pool.low() == 0) {
                out.add(new Violation(at + "/ports", "port 0 cannot be in a pool"));
            }
            String fail = g.failMode() == null ? "closed" : g.failMode();
            if (!fail.equals("closed") && !fail.equals("open")) {
                out.add(new Violation(at + "/failMode", "closed or open, got \"" + fail + "\""));
            }
            if (pool != null) {
                for (GatewayAssignment other : result) {
                    int lo = Math.max(other.portBase(), pool.low());
                    int hi = Math.min(other.portBase() + other.portCount() - 1, pool.high());
                    if (lo <= hi) {
                        out.add(new Violation(at + "/ports", "overlaps the pool of gateway \"" + other.spec().name()
                                + "\" (" + lo + "-" + hi + ")"));
                    }
                }
                result.add(new GatewayAssignment(i, g, a4, a6, pool.low(), pool.high() - pool.low() + 1,
                        fail.equals("open")));
            }
        }
        return result;
    }

    private static List<Rule> rules(List<RuleSpec> specs, Map<String, Integer> gatewayIds, List<Violation> out) {
        if (specs.size() > Abi.XG_MAX_RULES) {
            out.add(new Violation("/rules", "at most " + Abi.XG_MAX_RULES + " rules, got " + specs.size()));
            return List.of();
        }
        List<Rule> rules = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            RuleSpec r = specs.get(i);
            String at = "/rules/" + i;
            if (r == null) {
                out.add(new Violation(at, "a rule must be an object"));
                continue;
            }
            int before = out.size();
            name(at, r.name(), seen, i, "rule", out);
            RuleBuilder b = io.xdpgate.datapath.policy.Rule.builder(i).name(r.name());
            if (r.from() != null) {
                Cidr c = check(at + "/from", r.from(), Cidr::parse, out);
                if (c != null) {
                    b.src(c);
                }
            }
            if (r.to() != null) {
                Cidr c = check(at + "/to", r.to(), Cidr::parse, out);
                if (c != null) {
                    b.dst(c);
                }
            }
            if (r.protocol() != null) {
                Protocol p = check(at + "/protocol", r.protocol(), Protocol::parse, out);
                if (p != null) {
                    b.protocol(p);
                }
            }
            if (r.ports() != null) {
                PortRange p = check(at + "/ports", r.ports(), PortRange::parse, out);
                if (p != null) {
                    b.ports(p);
                }
            }
            if (r.iface() != null) {
                RoleFilter f = check(at + "/interface", r.iface(), RoleFilter::parse, out);
                if (f != null) {
                    b.role(f);
                }
            }
            RuleAction action = r.action() == null ? null : check(at + "/action", r.action(), RuleAction::parse, out);
            if (r.action() == null) {
                out.add(new Violation(at + "/action", "required: pass, drop or redirect"));
            }
            if (action == RuleAction.REDIRECT) {
                Integer gw = r.gateway() == null ? null : gatewayIds.get(r.gateway());
                if (r.gateway() == null) {
                    out.add(new Violation(at + "/gateway", "required for redirect: the name of a gateway"));
                } else if (gw == null) {
                    out.add(new Violation(at + "/gateway", "no gateway named \"" + r.gateway() + "\""));
                } else {
                    b.redirect(gw);
                }
            } else if (action != null) {
                if (r.gateway() != null) {
                    out.add(new Violation(at + "/gateway", "only a redirect rule names a gateway"));
                }
                if (action == RuleAction.PASS) {
                    b.pass();
                } else {
                    b.drop();
                }
            }
            if (out.size() == before) {
                try {
                    rules.add(b.build());
                } catch (IllegalArgumentException e) {
                    out.add(new Violation(at, e.getMessage()));
                }
            }
        }
        return rules;
    }

    private static void name(String at, String name, Map<String, Integer> seen, int index, String what,
                             List<Violation> out) {
        if (name == null) {
            out.add(new Violation(at + "/name", "required"));
        } else if (!NAME.matcher(name).matches()) {
            out.add(new Violation(at + "/name", "\"" + name + "\": lower-case letters, digits and '-', at most 63"));
        } else if (seen.putIfAbsent(name, index) != null) {
            out.add(new Violation(at + "/name", "\"" + name + "\" is already the name of " + what + " "
                    + seen.get(name)));
        }
    }

    private static InetAddress address(String at, String text, Class<? extends InetAddress> family,
                                       List<Violation> out) {
        if (text == null) {
            return null;
        }
        InetAddress a = check(at, text, AddressLiteral::parse, out);
        if (a != null && !family.isInstance(a)) {
            out.add(new Violation(at, "\"" + text + "\" is not an " + (family == Inet4Address.class ? "IPv4" : "IPv6")
                    + " address"));
            return null;
        }
        return a;
    }

    private static <T> T check(String at, String text, Function<String, T> parser, List<Violation> out) {
        try {
            return parser.apply(text.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            out.add(new Violation(at, e.getMessage()));
            return null;
        }
    }
}
