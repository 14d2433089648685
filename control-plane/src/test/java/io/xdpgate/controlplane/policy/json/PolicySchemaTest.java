package io.xdpgate.controlplane.policy.json;

import static io.xdpgate.controlplane.policy.Examples.document;
import static io.xdpgate.controlplane.policy.Examples.gateways;
import static io.xdpgate.controlplane.policy.Examples.rules;
import static io.xdpgate.controlplane.policy.Examples.webGateway;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.xdpgate.abi.Abi;
import io.xdpgate.abi.RuleSlot;
import io.xdpgate.controlplane.policy.DefaultPolicy;
import io.xdpgate.controlplane.policy.Examples;
import io.xdpgate.controlplane.policy.check.GatewayCheck;
import io.xdpgate.controlplane.policy.check.Names;
import io.xdpgate.controlplane.policy.model.FailMode;
import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import io.xdpgate.datapath.policy.RoleFilter;
import io.xdpgate.abi.Action;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * policy.schema.json cannot drift from the model: it names exactly the records' fields, lists
 * exactly the values the code accepts, has the kernel's limits, and the example documents
 * conform to it, as a JSON Schema validator (networknt, draft 2020-12) judges.
 */
class PolicySchemaTest {
    private static JsonNode schema;
    private static Schema validator;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = PolicySchemaTest.class.getResourceAsStream("/policy.schema.json")) {
            assertNotNull(in, "policy.schema.json is on the classpath");
            schema = PolicyParser.JSON.readTree(in);
        }
        validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
    }

    @Test
    void isDraft202012() {
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").asString());
    }

    @Test
    void namesEveryFieldOfTheRecordsAndNoOther() {
        assertFields(schema, PolicyDocument.class);
        assertFields(schema.get("$defs").get("gateway"), GatewaySpec.class);
        assertFields(schema.get("$defs").get("rule"), RuleSpec.class);
    }

    private static void assertFields(JsonNode object, Class<?> record) {
        assertEquals(JsonFieldNames.of(record), List.copyOf(object.get("properties").propertyNames()), record.getName());
        assertEquals(false, object.get("additionalProperties").asBoolean(true), "unknown fields are refused: " + record);
        for (JsonNode required : object.get("required")) {
            assertTrue(object.get("properties").has(required.asString()), required + " is a field of " + record);
        }
    }

    @Test
    void listsExactlyTheValuesTheCodeAccepts() {
        JsonNode gateway = schema.get("$defs").get("gateway").get("properties");
        JsonNode rule = schema.get("$defs").get("rule").get("properties");
        assertEquals("^" + GatewayCheck.PROTOCOL_SYNTAX + "$", gateway.get("protocol").get("pattern").asString(),
                "any name: which protocols exist is the gateway factories' to say");
        assertEquals(Arrays.stream(FailMode.values()).map(FailMode::jsonName).toList(),
                strings(gateway.get("failMode").get("enum")));
        assertEquals(List.of("drop", "pass"), strings(schema.get("properties").get("defaultAction").get("enum")));
        assertEquals(new TreeSet<>(lowerCase(Action.values())), new TreeSet<>(strings(rule.get("action").get("enum"))));
        assertEquals(lowerCase(RoleFilter.values()), strings(rule.get("interface").get("enum")));
        assertEquals("^" + Names.SYNTAX + "$", schema.get("$defs").get("name").get("pattern").asString());
    }

    @Test
    void hasTheKernelsLimits() {
        assertEquals(Abi.XG_MAX_GATEWAYS, schema.get("properties").get("gateways").get("maxItems").asInt());
        assertEquals(Abi.XG_MAX_RULES, schema.get("properties").get("rules").get("maxItems").asInt());
        JsonNode paired = schema.get("$defs").get("rule").get("properties").get("pairedPort");
        assertEquals(RuleSlot.PAIR_MIN, paired.get("minimum").asInt());
        assertEquals(RuleSlot.PAIR_MAX, paired.get("maximum").asInt());
    }

    @Test
    void theExamplesAndTheDefaultPolicyConform() {
        List<String> problems = new ArrayList<>();
        for (String example : Examples.GOOD) {
            problems.addAll(conformityErrors(example, Examples.read(example)));
        }
        String defaultPolicy = new String(DefaultPolicy.json(), StandardCharsets.UTF_8);
        problems.addAll(conformityErrors("default-policy.json", defaultPolicy));
        assertEquals(List.of(), problems);
    }

    record Nonconforming(String description, String json, String instanceLocation, String keyword) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** One schema violation each, of the kinds the schema states; the parser refuses each as well. */
    static Stream<Nonconforming> nonconforming() {
        return Stream.of(
                new Nonconforming("no default action", "{\"rules\":[]}", "", "required"),
                new Nonconforming("unknown rule field", rules("{\"name\":\"a\",\"action\":\"pass\",\"port\":\"80\"}"),
                        "/rules/0", "additionalProperties"),
                new Nonconforming("a number for a string",
                        rules("{\"name\":\"a\",\"protocol\":\"tcp\",\"ports\":80,\"action\":\"pass\"}"),
                        "/rules/0/ports", "type"),
                new Nonconforming("name with capitals", rules("{\"name\":\"Web\",\"action\":\"pass\"}"),
                        "/rules/0/name", "pattern"),
                new Nonconforming("unknown action", rules("{\"name\":\"a\",\"action\":\"allow\"}"),
                        "/rules/0/action", "enum"),
                new Nonconforming("redirect without a gateway", document(webGateway(""),
                        "{\"name\":\"a\",\"protocol\":\"tcp\",\"ports\":\"80\",\"action\":\"redirect\"}"),
                        "/rules/0", "required"),
                new Nonconforming("gateway without an address",
                        gateways("{\"name\":\"g\",\"protocol\":\"http\",\"ports\":\"1-9\"}"),
                        "/gateways/0", "required"),
                new Nonconforming("source NAT address without a pool",
                        gateways(webGateway(",\"snatAddress4\":\"198.18.100.254\"")),
                        "/gateways/0", "dependentRequired"),
                new Nonconforming("paired port 0", rules("{\"name\":\"a\",\"protocol\":\"udp\",\"ports\":\"5004\","
                        + "\"action\":\"pass\",\"pairedPort\":0}"), "/rules/0/pairedPort", "not"),
                new Nonconforming("paired port too far", rules("{\"name\":\"a\",\"protocol\":\"udp\",\"ports\":\"5004\","
                        + "\"action\":\"pass\",\"pairedPort\":17}"), "/rules/0/pairedPort", "maximum"));
    }

    /** The validator can fail: a document that breaks the schema is refused, at the place it breaks it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("nonconforming")
    void refusesADocumentThatDoesNotConform(Nonconforming doc) {
        var errors = validator.validate(doc.json(), InputFormat.JSON);
        assertTrue(errors.stream().anyMatch(e -> e.getKeyword().equals(doc.keyword())
                        && e.getInstanceLocation().toString().equals(doc.instanceLocation())),
                "expected " + doc.keyword() + " at \"" + doc.instanceLocation() + "\", got " + errors);
        assertFalse(Examples.violationsOf(doc.json()).isEmpty(), "the parser refuses it too");
    }

    private static List<String> conformityErrors(String name, String json) {
        return validator.validate(json, InputFormat.JSON).stream().map(e -> name + ": " + e).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static List<String> lowerCase(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
    }
}
