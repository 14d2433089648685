package io.xdpgate.controlplane.policy.check;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.controlplane.policy.model.FailMode;
import io.xdpgate.controlplane.policy.model.GatewayAddress;
import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PortPool;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The fields of one gateway, each on its own; what involves several gateways (unique names,
 * disjoint pools, how many) is {@link DocumentCheck}'s.
 */
public final class GatewayCheck {
    /**
     * The syntax of a protocol name; which protocols exist is the gateway factories' to say, so it
     * is checked where they are known (GatewayDeployer#check), not here. Also in policy.schema.json
     * ($defs/gateway/properties/protocol/pattern); a test keeps the two equal.
     */
    public static final String PROTOCOL_SYNTAX = "[a-z][a-z0-9-]{0,31}";
    private static final Pattern PROTOCOL_NAME = Pattern.compile(PROTOCOL_SYNTAX);
    private final Names names = new Names("gateway");
    private final Violations out;

    GatewayCheck(Violations out) {
        this.out = out;
    }

    /** True when the gateway at {@code at} ("/gateways/2") is valid; violations go to {@code out}. */
    boolean check(String at, GatewaySpec g) {
        if (g == null) {
            out.add(at, "a gateway must be a JSON object, not null");
            return false;
        }
        int before = out.count();
        names.check(at + "/name", g.name(), out);
        if (g.protocol() == null) {
            out.add(at + "/protocol", "missing: what the gateway speaks, e.g. http, dns, smtp, ftp or tls");
        } else if (!PROTOCOL_NAME.matcher(g.protocol()).matches()) {
            out.add(at + "/protocol", "\"" + g.protocol() + "\" is not a protocol name: lower-case"
                    + " letters, digits and '-', 1 to 32, starting with a letter (e.g. http)");
        }
        if (g.address4() == null && g.address6() == null) {
            out.add(at, "needs address4, address6 or both: where redirected flows of that family are sent");
        }
        optional(at + "/address4", g.address4(), GatewayAddress::ipv4);
        optional(at + "/address6", g.address6(), GatewayAddress::ipv6);
        if (g.ports() == null) {
            out.add(at + "/ports", "missing: the gateway's port pool, e.g. \"40000-40999\"; each redirected"
                    + " connection holds one of its ports");
        } else {
            out.parse(at + "/ports", g.ports(), PortPool::parse);
        }
        sourceNat(at, g);
        out.parse(at + "/failMode", g.failMode(), FailMode::parse);
        if (g.instances() != null && (g.instances() < 1 || g.instances() > Abi.XG_MAX_INSTANCES)) {
            out.add(at + "/instances", g.instances() + " is out of range: a gateway runs 1 to "
                    + Abi.XG_MAX_INSTANCES + " instances (the kernel's per-instance map slots)");
        }
        return out.count() == before;
    }

    /**
     * Source NAT is on when snatPorts is given; then every family the gateway serves needs its
     * source address, and an address for a family the gateway does not serve is a mistake.
     */
    private void sourceNat(String at, GatewaySpec g) {
        boolean on = g.snatPorts() != null;
        if (on) {
            out.parse(at + "/snatPorts", g.snatPorts(), PortPool::parse);
        } else if (g.snatAddress4() != null || g.snatAddress6() != null) {
            out.add(at + "/snatPorts", "missing: source NAT needs its port pool as well as snatAddress4/snatAddress6");
        }
        sourceNatAddress(at, "4", g.address4(), g.snatAddress4(), on, GatewayAddress::ipv4);
        sourceNatAddress(at, "6", g.address6(), g.snatAddress6(), on, GatewayAddress::ipv6);
    }

    private void sourceNatAddress(String at, String family, String gatewayAddress, String snatAddress, boolean on,
                                  Function<String, IpAddr> parser) {
        String path = at + "/snatAddress" + family;
        if (snatAddress != null) {
            out.parse(path, snatAddress, parser);
            if (gatewayAddress == null) {
                out.add(path, "the gateway has no address" + family + ", so no IPv" + family
                        + " flow reaches it to be source-NATed");
            }
        } else if (on && gatewayAddress != null) {
            out.add(path, "missing: with snatPorts, IPv" + family + " flows need a source NAT address, because the"
                    + " gateway has address" + family);
        }
    }

    private void optional(String path, String text, Function<String, ?> parser) {
        if (text != null) {
            out.parse(path, text, parser);
        }
    }
}
