package io.xdpgate.controlplane.policy.json;

import static io.xdpgate.controlplane.policy.Examples.rules;
import static io.xdpgate.controlplane.policy.Examples.violationsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.controlplane.policy.Examples;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/** JSON text in; a document, or every violation with its path, out. */
class PolicyParserTest {
    static final List<String> GOOD = Examples.GOOD;

    @ParameterizedTest
    @FieldSource("GOOD")
    void goodDocumentsRoundTrip(String example) {
        PolicyDocument doc = PolicyParser.parse(Examples.read(example));
        String written = PolicyParser.write(doc);
        assertEquals(doc, PolicyParser.parse(written), written);
        assertEquals(written, PolicyParser.write(PolicyParser.parse(written)), "writing is stable");
    }

    @Test
    void bytesAndTextParseAlike() {
        String json = Examples.read("every-field.json");
        assertEquals(PolicyParser.parse(json), PolicyParser.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theModelHoldsWhatWasWritten() {
        PolicyDocument doc = PolicyParser.parse(Examples.read("every-field.json"));
        GatewaySpec web = doc.gateways().get(0);
        assertEquals("open", web.failMode());
        assertEquals("50000-50999", web.snatPorts());
        assertEquals(Arrays.asList(1, 2.5, "three", null, true), ((Map<?, ?>) web.config().get("nested")).get("list"),
                "config is kept as written, null included");
        assertEquals("external", doc.rules().get(0).iface(), "\"interface\" binds to iface");
        assertNull(doc.rules().get(1).iface(), "absent stays absent (means any)");
    }

    @Test
    void absentFieldsAreLeftOutWhenWritten() {
        String written = PolicyParser.write(PolicyParser.parse(Examples.read("minimal.json")));
        assertEquals(List.of("defaultAction", "gateways", "rules"),
                PolicyParser.JSON.readTree(written).propertyNames().stream().toList());
        String rule = PolicyParser.write(PolicyParser.parse(rules("{\"name\":\"a\",\"action\":\"pass\"}")));
        assertTrue(!rule.contains("null") && !rule.contains("\"from\""), rule);
    }

    record Bad(String description, String json, List<String> paths, String reasonPart) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Bad> badText() {
        return Stream.of(
                new Bad("unknown rule field", rules("{\"name\":\"a\",\"action\":\"pass\",\"port\":\"80\"}"),
                        List.of("/rules/0/port"), "unknown field \"port\"; a rule has the fields name, from, to,"
                        + " protocol, ports, interface, action, gateway"),
                new Bad("unknown gateway field", Examples.gateways(Examples.webGateway(",\"snatport\":\"1-2\"")),
                        List.of("/gateways/0/snatport"), "unknown field \"snatport\"; a gateway has the fields name,"),
                new Bad("unknown top-level field", "{\"defaultAction\":\"drop\",\"rule\":[]}", List.of("/rule"),
                        "the document has the fields defaultAction, gateways, rules"),
                new Bad("unknown field whose name needs escaping", "{\"defaultAction\":\"drop\",\"a/b~c\":{\"x\":[1]}}",
                        List.of("/a~1b~0c"), "unknown field \"a/b~c\""),
                new Bad("syntax: missing comma, reported where it is", "{\n  \"defaultAction\": \"drop\",\n  \"rules\": [\n"
                        + "    {\"name\": \"a\" \"action\": \"pass\"}\n  ]\n}", List.of("/rules/0/name"), "line 4, column"),
                new Bad("syntax: cut short, reported after the last field read", "{\"defaultAction\":\"drop\",",
                        List.of("/defaultAction"), "not valid JSON (line 1, column 25): Unexpected end-of-input"),
                new Bad("syntax: trailing garbage", "{\"defaultAction\":\"drop\"} x", List.of(""), "not valid JSON"),
                new Bad("syntax: duplicate field", rules("{\"name\":\"a\",\"action\":\"pass\",\"action\":\"drop\"}"),
                        List.of("/rules/0/action"), "Duplicate"),
                new Bad("empty", "  \n", List.of(""), "the document is empty"),
                new Bad("null", "null", List.of(""), "must be a JSON object, not null"),
                new Bad("an array", "[]", List.of(""), "must be a JSON object, not an array"),
                new Bad("a string", "\"drop\"", List.of(""), "must be a JSON object, not a string"),
                new Bad("rules not an array", "{\"defaultAction\":\"drop\",\"rules\":{\"name\":\"a\"}}", List.of("/rules"),
                        "expected an array, found an object"),
                new Bad("a rule not an object", rules("\"allow all\""), List.of("/rules/0"),
                        "expected an object, found a string"),
                new Bad("a name not a string", rules("{\"name\":[\"a\"],\"action\":\"pass\"}"), List.of("/rules/0/name"),
                        "expected a string, found an array"),
                new Bad("config not an object", Examples.gateways(Examples.webGateway(",\"config\":[1]")),
                        List.of("/gateways/0/config"), "expected an object, found an array"),
                new Bad("a number for a string", rules("{\"name\":\"a\",\"protocol\":\"tcp\",\"ports\":80,\"action\":\"pass\"}"),
                        List.of("/rules/0/ports"), "expected a string, found a number (line 1, column 71); write it in"
                        + " quotes: \"80\""),
                new Bad("a boolean for a string", rules("{\"name\":\"a\",\"action\":true}"), List.of("/rules/0/action"),
                        "expected a string, found a boolean"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badText")
    void rejectsWithThePathAndAReason(Bad bad) {
        List<Violation> violations = violationsOf(bad.json());
        assertEquals(bad.paths(), violations.stream().map(Violation::path).toList(), violations.toString());
        assertTrue(violations.get(0).reason().contains(bad.reasonPart()), violations.toString());
    }

    @Test
    void syntaxErrorsSayLineAndColumn() {
        String json = "{\n  \"defaultAction\": \"drop\",\n  \"rules\": [\n    {\"name\": \"a\", \"action\": pass}\n  ]\n}";
        Violation v = violationsOf(json).get(0);
        assertEquals("/rules/0/action", v.path());
        assertTrue(v.reason().startsWith("not valid JSON (line 4, column 29): Unrecognized token 'pass'"), v.reason());
    }

    @Test
    void bindingProblemsAndValidationAreReportedTogether() {
        String json = Examples.document(Examples.webGateway(",\"failmode\":\"open\""),
                "{\"name\":\"a\",\"to\":\"198.18.2.1/24\",\"action\":\"pass\",\"gatway\":\"web\"},"
                        + "{\"name\":{\"first\":\"b\"},\"action\":\"pass\"},"
                        + "{\"name\":\"c\",\"protocol\":\"icmp\",\"action\":\"redirect\",\"gateway\":\"web\"},"
                        + "{\"name\":\"d\",\"protocol\":\"tcp\",\"ports\":80,\"action\":\"pass\"}");
        List<String> paths = violationsOf(json).stream().map(Violation::path).sorted().toList();
        assertEquals(List.of("/gateways/0/failmode", "/rules/0/gatway", "/rules/0/to", "/rules/1/name",
                "/rules/2/protocol", "/rules/3/ports"), paths, "unknown fields, wrong types, a bad prefix and an icmp"
                + " redirect; a wrong type is not also reported as missing");
    }

    @Test
    void severalWrongTypesAreAllReported() {
        String json = "{\"defaultAction\":[\"drop\"],\"gateways\":{},\"rules\":[7,{\"name\":\"a\",\"from\":{},\"action\":\"pass\"}]}";
        assertEquals(List.of("/defaultAction", "/gateways", "/rules/0", "/rules/1/from"),
                violationsOf(json).stream().map(Violation::path).toList());
    }
}
