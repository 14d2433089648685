package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.Action;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.TranslatedPolicy;
import io.xdpgate.datapath.policy.Protocol;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.gateways.spi.GatewayFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * What only the gateway factories found can say about a policy: the policy accepts exactly their
 * protocols (a gateway nobody here can run is refused, not left down), each gateway's config is
 * one its factory accepts, and a rule redirects to a gateway only a transport it takes. Adding a
 * protocol is adding a factory; nothing here names one.
 */
final class GatewayPolicyCheck {
    private static final Logger LOG = Logger.getLogger(GatewayPolicyCheck.class.getName());

    private GatewayPolicyCheck() {
    }

    static List<Violation> check(TranslatedPolicy policy, GatewayFactories factories) {
        List<Violation> out = new ArrayList<>();
        Map<Integer, GatewayAssignment> known = new HashMap<>();
        for (GatewayAssignment g : policy.gateways()) {
            Optional<GatewayFactory> f = factories.forProtocol(g.protocol());
            if (f.isEmpty()) {
                out.add(new Violation("/gateways/" + g.id() + "/protocol", "no gateway here speaks \"" + g.protocol()
                        + "\": this daemon has " + String.join(", ", factories.protocols())));
                continue;
            }
            known.put(g.id(), g);
            config(g, f.get(), out);
        }
        for (Rule r : policy.rules()) {
            GatewayAssignment g = r.action() == Action.REDIRECT ? known.get(r.gatewayId()) : null;
            if (g == null) {
                continue;
            }
            GatewayFactory f = factories.forProtocol(g.protocol()).orElseThrow();
            if (!takes(f, r.protocol())) {
                out.add(new Violation("/rules/" + r.id() + "/protocol", "gateway \"" + g.name() + "\" speaks "
                        + f.protocol() + ", which runs over " + f.transports().stream()
                        .map(t -> t.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(" or "))
                        + ", not " + r.protocol()));
            }
        }
        return out;
    }

    private static void config(GatewayAssignment g, GatewayFactory f, List<Violation> out) {
        try {
            f.create(g.spec().config() == null ? Map.of() : g.spec().config());
        } catch (IllegalArgumentException e) {
            out.add(new Violation("/gateways/" + g.id() + "/config", e.getMessage()));
        } catch (RuntimeException e) {
            // a factory that fails otherwise is a bug of its own: the details belong in the log
            LOG.log(Level.WARNING, "gateway " + g.name() + ": the " + g.protocol() + " gateway failed on its config", e);
            out.add(new Violation("/gateways/" + g.id() + "/config",
                    "not a configuration the " + g.protocol() + " gateway accepts"));
        }
    }

    /** A redirect rule's protocol is tcp or udp (RuleCheck): one of the gateway's transports. */
    private static boolean takes(GatewayFactory f, Protocol protocol) {
        return f.transports().stream().anyMatch(t -> t.ipProto() == protocol.number());
    }
}
