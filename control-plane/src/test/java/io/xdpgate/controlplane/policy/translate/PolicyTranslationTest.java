package io.xdpgate.controlplane.policy.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.AddressLiteral;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.RuleSlot;
import io.xdpgate.controlplane.policy.Examples;
import io.xdpgate.controlplane.policy.check.PolicyRejectedException;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import io.xdpgate.datapath.policy.Cidr;
import io.xdpgate.datapath.policy.Classification;
import io.xdpgate.datapath.policy.ClassifierModel;
import io.xdpgate.datapath.policy.CompiledPolicy;
import io.xdpgate.datapath.policy.PacketFields;
import io.xdpgate.datapath.policy.PortRange;
import io.xdpgate.datapath.policy.Protocol;
import io.xdpgate.datapath.policy.RoleFilter;
import io.xdpgate.datapath.policy.Rule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTranslationTest {
    private static final MacAddr GW_MAC = MacAddr.parse("02:00:5e:10:00:02");
    private static final MacAddr LOCAL_MAC = MacAddr.parse("02:00:5e:10:00:01");

    private static TranslatedPolicy translate(String example) {
        return PolicyTranslation.translate(PolicyParser.parse(Examples.read(example)));
    }

    @Test
    void ruleIdsArePositionsAndNamesAreKeptById() {
        TranslatedPolicy t = translate("every-field.json");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), t.rules().stream().map(Rule::id).toList());
        assertEquals(Action.PASS, t.defaultAction());
        assertEquals(Map.of(0, "web-v6", 1, "dns-udp", 2, "dns-tcp", 3, "smtp", 4, "gre", 5, "high-ports", 6, "rtp"),
                t.ruleNames());
        assertEquals("smtp", t.ruleName(3).orElseThrow());
        assertTrue(t.ruleName(Classification.DEFAULT_RULE_ID).isEmpty(), "the default action has no rule name");
        assertEquals(t.document(), PolicyParser.parse(Examples.read("every-field.json")));
    }

    @Test
    void rulesSayWhatTheDocumentSays() {
        TranslatedPolicy t = translate("every-field.json");
        Rule web = t.rules().get(0);
        assertEquals(Cidr.parse("2001:db8:1::/64"), web.src());
        assertEquals(Cidr.parse("2001:db8:2::/64"), web.dst());
        assertEquals(Protocol.TCP, web.protocol());
        assertEquals(PortRange.of(80), web.ports());
        assertEquals(RoleFilter.EXTERNAL, web.role());
        assertEquals(Action.REDIRECT, web.action());
        assertEquals(0, web.gatewayId());
        Rule gre = t.rules().get(4);
        assertEquals(new Protocol(47), gre.protocol());
        assertEquals(Rule.NO_GATEWAY, gre.gatewayId());
        assertEquals(RoleFilter.ANY, gre.role(), "absent interface means any");
        assertEquals(new PortRange(1024, 65535), t.rules().get(5).ports());
        assertEquals(0, web.pairedPort(), "absent: no paired port");
        Rule rtp = t.rules().get(6);
        assertEquals(1, rtp.pairedPort());
        assertEquals(new RuleSlot(6, Action.PASS, 0, 1), t.compile().slots().get(6), "compiled into the rule's slot");
    }

    @Test
    void gatewayIdsArePositionsInTheDocument() {
        TranslatedPolicy t = translate("every-field.json");
        assertEquals(List.of("web", "resolver", "mail"), t.gateways().stream().map(GatewayAssignment::name).toList());
        assertEquals(List.of(0, 1, 2), t.gateways().stream().map(GatewayAssignment::id).toList());
        assertEquals(List.of(1, 1, 2), t.rules().subList(1, 4).stream().map(Rule::gatewayId).toList(),
                "rules name gateways; the translation numbers them");
        assertEquals(translate("every-field.json").gateways(), t.gateways(), "the same document, the same ids");
    }

    @Test
    void theKernelGatewayCarriesAddressesPoolsSourceNatAndFlags() {
        GatewayAssignment web = translate("every-field.json").gateway("web").orElseThrow();
        Gateway k = PolicyTranslation.toKernelGateway(web, 7, GW_MAC, LOCAL_MAC, true);
        assertEquals(ipv4Bits("198.18.100.1"), k.addr4());
        assertEquals(IpAddr.of(AddressLiteral.parseBytes("2001:db8:100::1")), k.addr6());
        assertEquals(ipv4Bits("198.18.100.254"), k.snatAddr4());
        assertEquals(IpAddr.of(AddressLiteral.parseBytes("2001:db8:100::fe")), k.snatAddr6());
        assertEquals(40000, k.portBase());
        assertEquals(1000, k.portCount());
        assertEquals(50000, k.snatPortBase());
        assertEquals(1000, k.snatPortCount());
        assertEquals(7, k.ifindex());
        assertEquals(GW_MAC, k.mac());
        assertEquals(LOCAL_MAC, k.localMac());
        assertEquals(Abi.XG_GW_F_ACTIVE | Abi.XG_GW_F_FAIL_OPEN, k.flags());
        ByteBuffer struct = ByteBuffer.allocate(Gateway.CODEC.size()).order(ByteOrder.nativeOrder());
        Gateway.CODEC.write(k, struct, 0);
        assertEquals(k, Gateway.CODEC.read(struct, 0), "every value fits its C field");
    }

    @Test
    void aGatewayWithoutSourceNatOrIpv4HasZerosThere() {
        GatewayAssignment resolver = translate("every-field.json").gateway("resolver").orElseThrow();
        Gateway k = PolicyTranslation.toKernelGateway(resolver, 9, GW_MAC, LOCAL_MAC, false);
        assertEquals(0, k.addr4(), "zero: no IPv4 address");
        assertEquals(0, k.snatAddr4());
        assertEquals(IpAddr.ZERO, k.snatAddr6());
        assertEquals(0, k.snatPortBase());
        assertEquals(0, k.snatPortCount(), "count 0 turns source NAT off");
        assertEquals(41000, k.portBase());
        assertEquals(100, k.portCount());
        assertEquals(0, k.flags(), "inactive and fail-closed");
        GatewayAssignment mail = translate("every-field.json").gateway("mail").orElseThrow();
        assertEquals(1, PolicyTranslation.toKernelGateway(mail, 9, GW_MAC, LOCAL_MAC, false).portCount(),
                "a single port is a pool of one");
    }

    @Test
    void theTranslationCompilesAndClassifiesAsWritten() {
        CompiledPolicy compiled = translate("issue-example.json").compile();
        Classification web = ClassifierModel.classify(compiled, PacketFields.of("198.18.1.2", "198.18.2.2", 6, 80, Role.EXTERNAL));
        assertEquals(Action.REDIRECT, web.action());
        assertEquals(1, web.ruleId());
        assertEquals(0, web.gatewayId());
        Classification telnet = ClassifierModel.classify(compiled, PacketFields.of("198.18.1.2", "198.18.2.2", 6, 23, Role.EXTERNAL));
        assertEquals(Action.DROP, telnet.action());
        assertEquals(0, telnet.ruleId());
    }

    @Test
    void anInvalidDocumentIsRejectedWithEveryViolation() {
        PolicyDocument doc = new PolicyDocument("drop", List.of(),
                List.of(new RuleSpec("a", null, null, null, "80", null, "pass", null),
                        new RuleSpec("b", null, null, "tcp", null, null, "redirect", "web")));
        var e = assertThrows(PolicyRejectedException.class, () -> PolicyTranslation.translate(doc));
        assertEquals(List.of("/rules/0/ports", "/rules/1/gateway"), e.violations().stream().map(Violation::path).toList());
        assertTrue(e.getMessage().startsWith("policy rejected (2 problems): /rules/0/ports: "), e.getMessage());
    }

    private static int ipv4Bits(String address) {
        return IpAddr.of(AddressLiteral.parse(address)).ipv4Bits();
    }
}
