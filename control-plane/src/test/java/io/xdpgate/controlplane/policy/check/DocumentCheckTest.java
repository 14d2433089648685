package io.xdpgate.controlplane.policy.check;

import static io.xdpgate.controlplane.policy.Examples.document;
import static io.xdpgate.controlplane.policy.Examples.gateways;
import static io.xdpgate.controlplane.policy.Examples.rules;
import static io.xdpgate.controlplane.policy.Examples.violationsOf;
import static io.xdpgate.controlplane.policy.Examples.webGateway;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.controlplane.policy.Examples;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table row per kind of violation: a document with exactly that one problem, the path it
 * must be reported at, and words the reason must contain.
 */
class DocumentCheckTest {
    record Bad(String description, String json, String path, String reasonPart) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static final String TCP80 = "\"protocol\":\"tcp\",\"ports\":\"80\"";

    static Stream<Bad> documentViolations() {
        return Stream.of(
                new Bad("no default action", "{\"rules\":[]}", "/defaultAction", "missing: say what happens to flows"
                        + " no rule matches, drop or pass"),
                new Bad("default redirect", "{\"defaultAction\":\"redirect\"}", "/defaultAction",
                        "must be drop or pass: only a rule can redirect"),
                new Bad("default allow", "{\"defaultAction\":\"allow\"}", "/defaultAction",
                        "unknown default action \"allow\": use drop or pass"),
                new Bad("65 gateways", gateways(manyGateways(65)), "/gateways",
                        "has 65 gateways; the kernel has room for 64"),
                new Bad("10,241 rules", rules(manyRules(10_241)), "/rules",
                        "has 10241 rules; the kernel's rule bitmaps hold at most 10240"));
    }

    static Stream<Bad> ruleViolations() {
        return Stream.of(
                new Bad("null rule", rules("null"), "/rules/0", "must be a JSON object, not null"),
                new Bad("no name", rules("{\"action\":\"pass\"}"), "/rules/0/name", "missing: every rule needs a name"),
                new Bad("name with a space and capitals", rules("{\"name\":\"Web In\",\"action\":\"pass\"}"),
                        "/rules/0/name", "\"Web In\" is not a valid name: use 1 to 63 lower-case letters"),
                new Bad("name starting with '-'", rules("{\"name\":\"-a\",\"action\":\"pass\"}"), "/rules/0/name",
                        "not a valid name"),
                new Bad("name of 64 characters", rules("{\"name\":\"" + "a".repeat(64) + "\",\"action\":\"pass\"}"),
                        "/rules/0/name", "not a valid name"),
                new Bad("duplicate name", rules("{\"name\":\"a\",\"action\":\"pass\"},{\"name\":\"a\",\"action\":\"drop\"}"),
                        "/rules/1/name", "\"a\" is already the name of the rule at /rules/0; names must be unique"),
                new Bad("source not a prefix", rules("{\"name\":\"a\",\"from\":\"nonsense\",\"action\":\"pass\"}"),
                        "/rules/0/from", "bad CIDR \"nonsense\""),
                new Bad("host bits in a prefix", rules("{\"name\":\"a\",\"to\":\"198.18.2.1/24\",\"action\":\"pass\"}"),
                        "/rules/0/to", "host bits 0.0.0.1 are set"),
                new Bad("prefix too long", rules("{\"name\":\"a\",\"to\":\"198.18.2.0/33\",\"action\":\"pass\"}"),
                        "/rules/0/to", "exceeds the 32 bits"),
                new Bad("IPv4-mapped prefix", rules("{\"name\":\"a\",\"to\":\"::ffff:198.18.2.0/120\",\"action\":\"pass\"}"),
                        "/rules/0/to", "IPv4-mapped IPv6 prefix; write it in IPv4 form (198.18.2.0/24)"),
                new Bad("mixed families", rules("{\"name\":\"a\",\"from\":\"198.18.1.0/24\",\"to\":\"2001:db8:2::/64\","
                        + "\"action\":\"pass\"}"), "/rules/0/to", "are of different address families"),
                new Bad("unknown protocol", rules("{\"name\":\"a\",\"protocol\":\"sctp\",\"action\":\"pass\"}"),
                        "/rules/0/protocol", "unknown protocol \"sctp\": use tcp, udp, icmp, icmpv6, any"),
                new Bad("icmp with an IPv6 prefix", rules("{\"name\":\"a\",\"to\":\"2001:db8:2::/64\",\"protocol\":\"icmp\","
                        + "\"action\":\"pass\"}"), "/rules/0/protocol", "icmp is IPv4's; IPv6 prefixes need icmpv6"),
                new Bad("icmpv6 with an IPv4 prefix", rules("{\"name\":\"a\",\"from\":\"198.18.1.0/24\","
                        + "\"protocol\":\"icmpv6\",\"action\":\"pass\"}"), "/rules/0/protocol", "icmpv6 is IPv6's"),
                new Bad("port above 65535", rules("{\"name\":\"a\",\"protocol\":\"tcp\",\"ports\":\"80-70000\",\"action\":\"pass\"}"),
                        "/rules/0/ports", "70000 is above 65535"),
                new Bad("reversed range", rules("{\"name\":\"a\",\"protocol\":\"tcp\",\"ports\":\"90-80\",\"action\":\"pass\"}"),
                        "/rules/0/ports", "is empty: low > high"),
                new Bad("port list", rules("{\"name\":\"a\",\"protocol\":\"tcp\",\"ports\":\"80,443\",\"action\":\"pass\"}"),
                        "/rules/0/ports", "is not a port number"),
                new Bad("ports without a protocol", rules("{\"name\":\"a\",\"ports\":\"80\",\"action\":\"pass\"}"),
                        "/rules/0/ports", "need protocol tcp, udp, icmp or icmpv6, not any"),
                new Bad("icmp type above 255", rules("{\"name\":\"a\",\"protocol\":\"icmp\",\"ports\":\"300\",\"action\":\"pass\"}"),
                        "/rules/0/ports", "the ports are message types 0..255"),
                new Bad("unknown interface role", rules("{\"name\":\"a\",\"interface\":\"dmz\",\"action\":\"pass\"}"),
                        "/rules/0/interface", "unknown interface role \"dmz\": use any, external or internal"),
                new Bad("no action", rules("{\"name\":\"a\"}"), "/rules/0/action", "missing: say pass, drop or redirect"),
                new Bad("unknown action", rules("{\"name\":\"a\",\"action\":\"allow\"}"), "/rules/0/action",
                        "unknown action \"allow\""),
                new Bad("gateway on a pass rule", document(webGateway(""), "{\"name\":\"a\"," + TCP80
                        + ",\"action\":\"pass\",\"gateway\":\"web\"}"), "/rules/0/gateway",
                        "only redirect rules name a gateway; this rule's action is pass"),
                new Bad("redirect without a gateway", document(webGateway(""), "{\"name\":\"a\"," + TCP80
                        + ",\"action\":\"redirect\"}"), "/rules/0/gateway", "missing: a redirect rule names the gateway"),
                new Bad("redirect to nobody", rules("{\"name\":\"a\"," + TCP80 + ",\"action\":\"redirect\",\"gateway\":\"x\"}"),
                        "/rules/0/gateway", "no gateway is named \"x\"; the document defines no gateways"),
                new Bad("redirect to a misspelt gateway", document(webGateway(""), "{\"name\":\"a\"," + TCP80
                        + ",\"action\":\"redirect\",\"gateway\":\"wbe\"}"), "/rules/0/gateway",
                        "no gateway is named \"wbe\"; the gateways are web"),
                new Bad("redirect of any protocol", document(webGateway(""), "{\"name\":\"a\",\"action\":\"redirect\","
                        + "\"gateway\":\"web\"}"), "/rules/0/protocol", "redirect needs protocol tcp or udp, not any"),
                new Bad("redirect of icmp", document(webGateway(""), "{\"name\":\"a\",\"protocol\":\"icmp\","
                        + "\"action\":\"redirect\",\"gateway\":\"web\"}"), "/rules/0/protocol",
                        "redirect needs protocol tcp or udp, not icmp"),
                new Bad("paired port 0", rules("{\"name\":\"a\",\"protocol\":\"udp\",\"ports\":\"5004\",\"action\":\"pass\","
                        + "\"pairedPort\":0}"), "/rules/0/pairedPort", "must be an offset from -16 to 16 but 0"),
                new Bad("paired port too far", rules("{\"name\":\"a\",\"protocol\":\"udp\",\"ports\":\"5004\","
                        + "\"action\":\"pass\",\"pairedPort\":17}"), "/rules/0/pairedPort",
                        "must be an offset from -16 to 16 but 0 (the port next to the flow's is 1 or -1), got 17"),
                new Bad("paired port too far down", rules("{\"name\":\"a\",\"protocol\":\"udp\",\"ports\":\"5004\","
                        + "\"action\":\"pass\",\"pairedPort\":-17}"), "/rules/0/pairedPort", "got -17"),
                new Bad("paired port as text", rules("{\"name\":\"a\",\"protocol\":\"udp\",\"ports\":\"5004\","
                        + "\"action\":\"pass\",\"pairedPort\":\"1\"}"), "/rules/0/pairedPort", "a whole number"),
                new Bad("paired port on a drop rule", rules("{\"name\":\"a\",\"protocol\":\"udp\",\"ports\":\"5004\","
                        + "\"action\":\"drop\",\"pairedPort\":1}"), "/rules/0/pairedPort",
                        "needs action pass or redirect: a dropped flow opens no pair"),
                new Bad("paired port without a protocol", rules("{\"name\":\"a\",\"action\":\"pass\",\"pairedPort\":1}"),
                        "/rules/0/pairedPort", "needs protocol tcp or udp (ports to pair), not any"),
                new Bad("paired port for icmp", rules("{\"name\":\"a\",\"protocol\":\"icmp\",\"action\":\"pass\","
                        + "\"pairedPort\":1}"), "/rules/0/pairedPort", "needs protocol tcp or udp (ports to pair), not icmp"));
    }

    static Stream<Bad> gatewayViolations() {
        return Stream.of(
                new Bad("null gateway", gateways("null"), "/gateways/0", "must be a JSON object, not null"),
                new Bad("no name", gateways("{\"protocol\":\"http\",\"address4\":\"198.18.100.1\",\"ports\":\"1-9\"}"),
                        "/gateways/0/name", "missing: every gateway needs a name"),
                new Bad("bad name", gateways(webGateway(",\"name\":\"Web\"").replace("\"name\":\"web\",", "")),
                        "/gateways/0/name", "\"Web\" is not a valid name"),
                new Bad("duplicate name", gateways(webGateway("") + ","
                        + "{\"name\":\"web\",\"protocol\":\"dns\",\"address4\":\"198.18.100.2\",\"ports\":\"100\"}"),
                        "/gateways/1/name", "\"web\" is already the name of the gateway at /gateways/0"),
                new Bad("no protocol", gateways("{\"name\":\"g\",\"address4\":\"198.18.100.1\",\"ports\":\"1-9\"}"),
                        "/gateways/0/protocol", "missing: what the gateway speaks"),
                new Bad("not a protocol name", gateways(webGateway(",\"protocol\":\"HTTP/1.1\"")
                        .replace("\"protocol\":\"http\",", "")), "/gateways/0/protocol",
                        "\"HTTP/1.1\" is not a protocol name: lower-case letters, digits and '-'"),
                new Bad("no address", gateways("{\"name\":\"g\",\"protocol\":\"http\",\"ports\":\"1-9\"}"), "/gateways/0",
                        "needs address4, address6 or both"),
                new Bad("IPv6 in address4", gateways("{\"name\":\"g\",\"protocol\":\"http\",\"address4\":\"2001:db8::1\","
                        + "\"ports\":\"1-9\"}"), "/gateways/0/address4", "\"2001:db8::1\" is an IPv6 address, not IPv4"),
                new Bad("a name in address4", gateways("{\"name\":\"g\",\"protocol\":\"http\",\"address4\":\"gw.example\","
                        + "\"ports\":\"1-9\"}"), "/gateways/0/address4", "not an IPv4 address"),
                new Bad("0.0.0.0", gateways("{\"name\":\"g\",\"protocol\":\"http\",\"address4\":\"0.0.0.0\",\"ports\":\"1-9\"}"),
                        "/gateways/0/address4", "0.0.0.0 is not an address a packet can be sent to"),
                new Bad("IPv4 in address6", gateways("{\"name\":\"g\",\"protocol\":\"http\",\"address6\":\"198.18.100.1\","
                        + "\"ports\":\"1-9\"}"), "/gateways/0/address6", "\"198.18.100.1\" is an IPv4 address, not IPv6"),
                new Bad("mapped address6", gateways("{\"name\":\"g\",\"protocol\":\"http\",\"address6\":\"::ffff:198.18.100.1\","
                        + "\"ports\":\"1-9\"}"), "/gateways/0/address6", "is an IPv4-mapped address; write 198.18.100.1 in the IPv4 field"),
                new Bad("address6 ::", gateways("{\"name\":\"g\",\"protocol\":\"http\",\"address6\":\"::\",\"ports\":\"1-9\"}"),
                        "/gateways/0/address6", ":: is not an address"),
                new Bad("no pool", gateways("{\"name\":\"g\",\"protocol\":\"http\",\"address4\":\"198.18.100.1\"}"),
                        "/gateways/0/ports", "missing: the gateway's port pool"),
                new Bad("pool with port 0", gateways(webGateway(",\"ports\":\"0-99\"").replace("\"ports\":\"40000-40999\",", "")),
                        "/gateways/0/ports", "includes port 0"),
                new Bad("pool not a range", gateways(webGateway(",\"ports\":\"many\"").replace("\"ports\":\"40000-40999\",", "")),
                        "/gateways/0/ports", "bad port range \"many\""),
                new Bad("overlapping pools", gateways(
                        "{\"name\":\"a\",\"protocol\":\"http\",\"address4\":\"198.18.100.1\",\"ports\":\"100-200\"},"
                                + "{\"name\":\"b\",\"protocol\":\"dns\",\"address4\":\"198.18.100.2\",\"ports\":\"150-300\"}"),
                        "/gateways/1/ports", "pool 150-300 overlaps pool 100-200 of gateway \"a\" (/gateways/0)"),
                new Bad("source NAT address without a pool", gateways(webGateway(",\"snatAddress4\":\"198.18.100.254\"")),
                        "/gateways/0/snatPorts", "missing: source NAT needs its port pool"),
                new Bad("source NAT pool without the address", gateways(webGateway(",\"snatPorts\":\"50000-50999\"")),
                        "/gateways/0/snatAddress4", "missing: with snatPorts, IPv4 flows need a source NAT address"),
                new Bad("source NAT for a family the gateway lacks", gateways(webGateway(",\"snatPorts\":\"50000-50999\","
                        + "\"snatAddress4\":\"198.18.100.254\",\"snatAddress6\":\"2001:db8::fe\"")),
                        "/gateways/0/snatAddress6", "the gateway has no address6, so no IPv6 flow reaches it"),
                new Bad("source NAT pool with port 0", gateways(webGateway(",\"snatPorts\":\"0\","
                        + "\"snatAddress4\":\"198.18.100.254\"")), "/gateways/0/snatPorts", "includes port 0"),
                new Bad("bad source NAT address", gateways(webGateway(",\"snatPorts\":\"50000\","
                        + "\"snatAddress4\":\"198.18.100\"")), "/gateways/0/snatAddress4", "not an IPv4 address"),
                new Bad("unknown fail mode", gateways(webGateway(",\"failMode\":\"maybe\"")), "/gateways/0/failMode",
                        "unknown fail mode \"maybe\": use closed"),
                new Bad("no instances", gateways(webGateway(",\"instances\":0")), "/gateways/0/instances",
                        "0 is out of range: a gateway runs 1 to 8 instances"),
                new Bad("more instances than the kernel has slots", gateways(webGateway(",\"instances\":9")),
                        "/gateways/0/instances", "9 is out of range"),
                new Bad("instances as text", gateways(webGateway(",\"instances\":\"2\"")), "/gateways/0/instances",
                        "a whole number"),
                new Bad("a fraction of an instance", gateways(webGateway(",\"instances\":2.5")),
                        "/gateways/0/instances", "a whole number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"documentViolations", "ruleViolations", "gatewayViolations"})
    void reportsExactlyThatProblemAtItsPath(Bad bad) {
        List<Violation> violations = violationsOf(bad.json());
        assertEquals(List.of(bad.path()), violations.stream().map(Violation::path).toList(), violations.toString());
        assertTrue(violations.get(0).reason().contains(bad.reasonPart()),
                "reason \"" + violations.get(0).reason() + "\" should say \"" + bad.reasonPart() + "\"");
    }

    @Test
    void validDocumentsHaveNoViolations() {
        for (String example : Examples.GOOD) {
            assertEquals(List.of(), DocumentCheck.run(PolicyParser.parse(Examples.read(example))).violations(),
                    example);
        }
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        PolicyDocument doc = new PolicyDocument(null,
                List.of(GatewaySpec.of("g", "http", null, null, "0-10")),
                Arrays.asList(
                        new RuleSpec("a", null, "nonsense", null, null, null, "pass", null),
                        new RuleSpec(null, null, null, null, null, null, "jump", null),
                        null,
                        new RuleSpec("a", null, null, "tcp", "80", null, "redirect", "g")));
        assertEquals(List.of("/defaultAction", "/gateways/0", "/gateways/0/ports", "/rules/0/to", "/rules/1/name",
                        "/rules/1/action", "/rules/2", "/rules/3/name"),
                DocumentCheck.run(doc).violations().stream().map(Violation::path).toList(),
                "a redirect to a gateway that has problems of its own adds none");
    }

    @Test
    void limitsAreExactlyTheKernels() {
        assertEquals(List.of(), DocumentCheck.run(PolicyParser.parse(gateways(manyGateways(64)))).violations());
        assertEquals(List.of(), DocumentCheck.run(PolicyParser.parse(rules(manyRules(10_240)))).violations());
    }

    @Test
    void aNullDocumentIsAViolationNotACrash() {
        assertEquals(List.of(new Violation("", "the document must be a JSON object, not null")),
                DocumentCheck.run(null).violations());
    }

    private static String manyGateways(int n) {
        List<String> gws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gws.add("{\"name\":\"g" + i + "\",\"protocol\":\"tcp\",\"address4\":\"198.18.100.1\",\"ports\":\""
                    + (10_000 + 100 * i) + "-" + (10_099 + 100 * i) + "\"}");
        }
        return String.join(",", gws);
    }

    private static String manyRules(int n) {
        List<String> rules = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rules.add("{\"name\":\"r" + i + "\",\"action\":\"pass\"}");
        }
        return String.join(",", rules);
    }
}
