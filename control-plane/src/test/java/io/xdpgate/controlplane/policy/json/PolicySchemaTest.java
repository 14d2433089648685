package io.xdpgate.controlplane.policy.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.xdpgate.abi.Abi;
import io.xdpgate.controlplane.policy.DefaultPolicy;
import io.xdpgate.controlplane.policy.Examples;
import io.xdpgate.controlplane.policy.check.Names;
import io.xdpgate.controlplane.policy.model.FailMode;
import io.xdpgate.controlplane.policy.model.GatewayProtocol;
import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import io.xdpgate.datapath.policy.RoleFilter;
import io.xdpgate.datapath.policy.RuleAction;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * policy.schema.json cannot drift from the model: it names exactly the records' fields, lists
 * exactly the values the code accepts, has the kernel's limits, and the example documents
 * conform to it.
 */
class PolicySchemaTest {
    private static JsonNode schema;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = PolicySchemaTest.class.getResourceAsStream("/policy.schema.json")) {
            assertNotNull(in, "policy.schema.json is on the classpath");
            schema = PolicyParser.JSON.readTree(in);
        }
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
        assertEquals(Arrays.stream(GatewayProtocol.values()).map(GatewayProtocol::jsonName).toList(),
                strings(gateway.get("protocol").get("enum")));
        assertEquals(Arrays.stream(FailMode.values()).map(FailMode::jsonName).toList(),
                strings(gateway.get("failMode").get("enum")));
        assertEquals(List.of("drop", "pass"), strings(schema.get("properties").get("defaultAction").get("enum")));
        assertEquals(new TreeSet<>(lowerCase(RuleAction.values())), new TreeSet<>(strings(rule.get("action").get("enum"))));
        assertEquals(lowerCase(RoleFilter.values()), strings(rule.get("interface").get("enum")));
        assertEquals("^" + Names.SYNTAX + "$", schema.get("$defs").get("name").get("pattern").asString());
    }

    @Test
    void hasTheKernelsLimits() {
        assertEquals(Abi.XG_MAX_GATEWAYS, schema.get("properties").get("gateways").get("maxItems").asInt());
        assertEquals(Abi.XG_MAX_RULES, schema.get("properties").get("rules").get("maxItems").asInt());
    }

    @Test
    void theExamplesAndTheDefaultPolicyConform() {
        List<String> problems = new ArrayList<>();
        for (String example : Examples.GOOD) {
            conform(PolicyParser.JSON.readTree(Examples.read(example)), schema, example, problems);
        }
        conform(PolicyParser.JSON.readTree(DefaultPolicy.json()), schema, "default-policy.json", problems);
        assertEquals(List.of(), problems);
    }

    /**
     * The subset of JSON Schema the policy schema uses for structure: type, properties,
     * additionalProperties, required, items, maxItems, $ref, enum, pattern. (Not anyOf, if/then,
     * dependentRequired and format: the validator checks those and more.)
     */
    private static void conform(JsonNode value, JsonNode s, String at, List<String> problems) {
        if (s.has("$ref")) {
            String ref = s.get("$ref").asString();
            assertTrue(ref.startsWith("#/$defs/"), ref);
            conform(value, schema.get("$defs").get(ref.substring("#/$defs/".length())), at, problems);
        }
        if (s.has("type") && !hasType(value, s.get("type").asString())) {
            problems.add(at + ": not of type " + s.get("type").asString());
            return;
        }
        if (s.has("enum") && !strings(s.get("enum")).contains(value.asString())) {
            problems.add(at + ": " + value + " is not one of " + s.get("enum"));
        }
        if (s.has("pattern") && !Pattern.compile(s.get("pattern").asString()).matcher(value.asString()).find()) {
            problems.add(at + ": " + value + " does not match " + s.get("pattern"));
        }
        if (s.has("maxItems") && value.size() > s.get("maxItems").asInt()) {
            problems.add(at + ": more than " + s.get("maxItems") + " items");
        }
        if (s.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                conform(value.get(i), s.get("items"), at + "/" + i, problems);
            }
        }
        if (s.has("required")) {
            for (JsonNode field : s.get("required")) {
                if (!value.has(field.asString())) {
                    problems.add(at + ": missing " + field.asString());
                }
            }
        }
        if (s.has("properties")) {
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                JsonNode fieldSchema = s.get("properties").get(field.getKey());
                if (fieldSchema == null) {
                    problems.add(at + ": unknown field " + field.getKey());
                } else {
                    conform(field.getValue(), fieldSchema, at + "/" + field.getKey(), problems);
                }
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isString();
            default -> fail("the schema uses type " + type + ", which this check does not know");
        };
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
