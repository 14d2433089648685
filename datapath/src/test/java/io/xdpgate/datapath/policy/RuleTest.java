package io.xdpgate.datapath.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Action;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class RuleTest {

    private static void refused(String expectedPart, Supplier<Rule> rule) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, rule::get);
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }

    @Test
    void validCombinations() {
        Rule redirect = Rule.builder(7).name("web").dst("198.18.2.0/24").tcp().ports("80").redirect(3).build();
        assertEquals(Action.REDIRECT, redirect.action());
        assertEquals(3, redirect.gatewayId());
        assertEquals("rule 7 \"web\" any src any dst 198.18.2.0/24 proto tcp ports 80 -> redirect gateway 3",
                redirect.toString());
        Rule ping = Rule.builder(8).protocol("icmp").ports("8").src("198.18.0.0/15").pass().build();
        assertEquals(new PortRange(8, 8), ping.ports());
        Rule any = Rule.builder(9).build();
        assertEquals(Protocol.ANY, any.protocol());
        assertEquals(Action.DROP, any.action());
        assertEquals(Rule.NO_GATEWAY, any.gatewayId());
        Rule mixedFamilyThroughWildcard = Rule.builder(10).src("198.18.0.0/15").pass().build();
        assertEquals(IpFamily.IPV4, mixedFamilyThroughWildcard.src().family());
    }

    @Test
    void portsNeedAProtocolThatHasThem() {
        refused("need protocol tcp, udp, icmp or icmpv6, not any", () -> Rule.builder(1).ports("80").build());
        refused("not 47", () -> Rule.builder(1).protocol("47").ports("80").build());
        refused("message types 0..255", () -> Rule.builder(1).protocol("icmpv6").ports("100-300").build());
    }

    @Test
    void redirectNeedsTcpOrUdpAndAGateway() {
        refused("redirect needs protocol tcp or udp, not icmp", () -> Rule.builder(1).protocol("icmp").redirect(1).build());
        refused("redirect needs protocol tcp or udp, not any", () -> Rule.builder(1).redirect(1).build());
        refused("gateway id 0..63, got -1", () -> Rule.builder(1).tcp().redirect(-1).build());
        refused("gateway id 0..63, got 64", () -> Rule.builder(1).tcp().redirect(64).build());
        refused("only redirect rules name a gateway", () -> Rule.builder(1).tcp().action(Action.PASS, 2).build());
    }

    @Test
    void familiesMustAgree() {
        refused("different address families", () -> Rule.builder(1).src("198.18.0.0/15").dst("2001:db8::/32").build());
        refused("icmp is IPv4's", () -> Rule.builder(1).dst("2001:db8::/32").protocol("icmp").build());
        refused("icmpv6 is IPv6's", () -> Rule.builder(1).src("198.18.1.1").protocol("icmpv6").build());
    }

    @Test
    void idsAreNonNegative() {
        refused("id must be", () -> Rule.builder(-1).build());
    }

    @Test
    void valueParsing() {
        assertEquals(Protocol.TCP, Protocol.parse("TCP"));
        assertEquals(Protocol.ICMPV6, Protocol.parse("58"));
        assertEquals(new Protocol(47), Protocol.parse("47"));
        assertEquals(Protocol.ANY, Protocol.parse("any"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Protocol.parse("sctp")).getMessage()
                .contains("unknown protocol \"sctp\""));
        assertThrows(IllegalArgumentException.class, () -> Protocol.parse("256"));
        assertEquals(RoleFilter.EXTERNAL, RoleFilter.parse("external"));
        assertEquals(Action.REDIRECT, Action.parse("Redirect"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RoleFilter.parse("dmz")).getMessage()
                .contains("use any, external or internal"));
    }
}
