package io.xdpgate.controlplane.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.translate.PolicyTranslation;
import io.xdpgate.gateways.spi.GatewayFactory;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The policy accepts exactly the protocols of the gateway factories found, with their
 * transports: nothing in the control plane lists a protocol, so a factory added is a protocol
 * accepted, and one absent is a protocol refused with what there is instead.
 */
class GatewayPolicyCheckTest {
    private static final GatewayFactories BUILD = GatewayFactories.discover();

    private static List<Violation> check(String gatewayProtocol, String ruleProtocol, GatewayFactories factories) {
        String json = """
                {"defaultAction": "drop",
                 "gateways": [{"name": "g", "protocol": "%s", "address4": "198.18.255.9", "ports": "45000-45099"}],
                 "rules": [{"name": "r", "protocol": "%s", "ports": "53", "action": "redirect", "gateway": "g"}]}
                """.formatted(gatewayProtocol, ruleProtocol);
        return GatewayPolicyCheck.check(PolicyTranslation.translate(PolicyParser.parse(json)), factories);
    }

    @Test
    void theBuildsFactoriesAreTheProtocolsAccepted() {
        assertEquals(Set.of("dns", "ftp", "http", "smtp", "tls"), BUILD.protocols());
        for (String p : BUILD.protocols()) {
            assertEquals(List.of(), check(p, "tcp", BUILD), p);
        }
        assertEquals(List.of(), check("dns", "udp", BUILD));
    }

    @Test
    void aProtocolNoFactoryServesIsRefusedWithWhatThereIs() {
        assertEquals(List.of(new Violation("/gateways/0/protocol",
                "no gateway here speaks \"tcp\": this daemon has dns, ftp, http, smtp, tls")), check("tcp", "tcp", BUILD));
        assertEquals(List.of(new Violation("/gateways/0/protocol",
                "no gateway here speaks \"gopher\": this daemon has dns, ftp, http, smtp, tls")),
                check("gopher", "tcp", BUILD));
    }

    @Test
    void aRuleMayRedirectOnlyATransportTheGatewayTakes() {
        assertEquals(List.of(new Violation("/rules/0/protocol", "gateway \"g\" speaks http, which runs over tcp, not udp")),
                check("http", "udp", BUILD));
    }

    @Test
    void aFactoryAddedIsAProtocolAccepted() {
        GatewayFactory gopher = new HostHarness.Factory("gopher");
        GatewayFactories more = GatewayFactories.of(Stream.concat(
                ServiceLoader.load(GatewayFactory.class).stream().map(ServiceLoader.Provider::get), Stream.of(gopher))
                .toList());
        assertEquals(List.of(), check("gopher", "tcp", more));
        assertEquals(List.of(new Violation("/rules/0/protocol",
                "gateway \"g\" speaks gopher, which runs over tcp, not udp")), check("gopher", "udp", more));
    }

    @Test
    void aBadConfigIsReportedAtItsGateway() {
        String json = """
                {"defaultAction": "drop",
                 "gateways": [{"name": "g", "protocol": "http", "address4": "198.18.255.9", "ports": "45000-45099",
                               "config": {"allowMethod": ["GET"]}}]}
                """;
        List<Violation> v = GatewayPolicyCheck.check(PolicyTranslation.translate(PolicyParser.parse(json)), BUILD);
        assertEquals(1, v.size(), v.toString());
        assertEquals("/gateways/0/config", v.get(0).path().substring(0, "/gateways/0/config".length()));
    }
}
