package io.xdpgate.controlplane.kubernetes;

import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * policy.schema.json (JSON Schema 2020-12) as a structural openAPIV3Schema the API server takes.
 *
 * <p>What it does with each keyword: {@code $ref} is inlined (the referring schema's own keywords,
 * its description, win); {@code const} becomes a one-value {@code enum}; an {@code enum} outside a
 * logical junctor gets the type of its values (structural schemas want a type on every node, and
 * forbid one inside anyOf/allOf/not); {@code if/then/else} becomes
 * {@code allOf: [{anyOf: [{not: if}, then]}, {anyOf: [if, else]}]} and {@code dependentRequired}
 * {@code a: [b, c]} becomes {@code anyOf: [{not: {required: [a]}}, {required: [a, b, c]}]}, both
 * value validations the API server accepts; {@code default} is dropped (the daemon fills in its
 * defaults, and the stored object keeps what the user wrote); {@code additionalProperties: false}
 * is dropped too, since structural schemas forbid it beside {@code properties}: unknown fields are
 * pruned by the API server instead (and refused with kubectl's default strict field validation).
 * The gateways' {@code config} keeps every field ({@code x-kubernetes-preserve-unknown-fields}).
 *
 * <p>What the CRD then leaves to the daemon (which validates every spec in full and says so in
 * the node's condition): prefixes without host bits, one address family per rule, unique names,
 * disjoint port pools, port numbers within 0..65535, and everything else policy.schema.json's
 * description lists as beyond a schema.
 *
 * <p>A keyword it does not know fails the generation, so the schema cannot grow a check the CRD
 * silently lacks.
 */
final class CrdSchema {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Copied as they are. */
    private static final Set<String> VALUES = Set.of("description", "type", "pattern", "format", "minimum", "maximum",
            "maxItems", "minItems", "maxLength", "minLength", "required", "enum");
    /** Of the document, not of a value. */
    private static final Set<String> DOCUMENT = Set.of("$schema", "$id", "title", "$defs");

    private final JsonNode root;

    private CrdSchema(JsonNode root) {
        this.root = root;
    }

    static ObjectNode of(JsonNode policySchema) {
        CrdSchema s = new CrdSchema(policySchema);
        return s.convert(policySchema, "#", false, true);
    }

    /** {@code inJunctor}: under anyOf/allOf/not, where a structural schema allows no type nor description. */
    private ObjectNode convert(JsonNode schema, String at, boolean inJunctor, boolean top) {
        ObjectNode out = F.objectNode();
        if (schema.has("$ref")) {
            out.setAll(convert(resolve(schema.get("$ref").asString(), at), at, inJunctor, false));
        }
        for (String key : schema.propertyNames()) {
            JsonNode v = schema.get(key);
            String here = at + "/" + key;
            switch (key) {
                case "$ref", "default", "additionalProperties" -> {
                    if (key.equals("additionalProperties") && !v.isBoolean()) {
                        throw new IllegalArgumentException(here + ": only additionalProperties false is known");
                    }
                }
                case "const" -> out.set("enum", F.arrayNode().add(v));
                case "properties" -> {
                    ObjectNode props = F.objectNode();
                    for (String name : v.propertyNames()) {
                        props.set(name, convert(v.get(name), here + "/" + name, inJunctor, false));
                    }
                    out.set("properties", props);
                }
                case "items" -> out.set("items", convert(v, here, inJunctor, false));
                case "anyOf", "allOf" -> {
                    ArrayNode list = F.arrayNode();
                    for (int i = 0; i < v.size(); i++) {
                        list.add(convert(v.get(i), here + "/" + i, true, false));
                    }
                    allOf(out).add(F.objectNode().set(key, list));
                }
                case "not" -> allOf(out).add(F.objectNode().set("not", convert(v, here, true, false)));
                case "if" -> {
                    if (!schema.has("then") || !schema.has("else")) {
                        throw new IllegalArgumentException(here + ": if without both then and else is not translated");
                    }
                    ObjectNode cond = convert(v, here, true, false);
                    ObjectNode then = convert(schema.get("then"), at + "/then", true, false);
                    ObjectNode otherwise = convert(schema.get("else"), at + "/else", true, false);
                    allOf(out).add(F.objectNode().set("anyOf", F.arrayNode()
                            .add(F.objectNode().set("not", cond)).add(then)));
                    allOf(out).add(F.objectNode().set("anyOf", F.arrayNode().add(cond.deepCopy()).add(otherwise)));
                }
                case "then", "else" -> {
                    if (!schema.has("if")) {
                        throw new IllegalArgumentException(here + ": without if");
                    }
                }
                case "dependentRequired" -> {
                    for (String name : v.propertyNames()) {
                        ArrayNode all = F.arrayNode().add(name);
                        v.get(name).forEach(all::add);
                        allOf(out).add(F.objectNode().set("anyOf", F.arrayNode()
                                .add(F.objectNode().set("not", F.objectNode().set("required", F.arrayNode().add(name))))
                                .add(F.objectNode().set("required", all))));
                    }
                }
                default -> {
                    if (top && DOCUMENT.contains(key)) {
                        continue;
                    }
                    if (!VALUES.contains(key)) {
                        throw new IllegalArgumentException(here + ": keyword " + key + " is not known to the CRD generator");
                    }
                    if (!(inJunctor && (key.equals("description") || key.equals("type")))) {
                        out.set(key, v.deepCopy());
                    }
                }
            }
        }
        if (!inJunctor && !out.has("type") && out.has("enum")) {
            out.put("type", typeOf(out.get("enum"), at));
        }
        if (!inJunctor && !out.has("type")) {
            throw new IllegalArgumentException(at + ": no type, which a structural schema needs");
        }
        if (out.has("allOf") && out.get("allOf").size() == 1) {
            // one junctor needs no allOf around it
            JsonNode only = out.remove("allOf").get(0);
            String k = only.propertyNames().iterator().next();
            out.set(k, only.get(k));
        }
        if (!inJunctor && "object".equals(out.path("type").asString()) && !out.has("properties")) {
            out.put("x-kubernetes-preserve-unknown-fields", true);
        }
        return out;
    }

    private static ArrayNode allOf(ObjectNode out) {
        if (!out.has("allOf")) {
            out.set("allOf", F.arrayNode());
        }
        return (ArrayNode) out.get("allOf");
    }

    private JsonNode resolve(String ref, String at) {
        if (!ref.startsWith("#/")) {
            throw new IllegalArgumentException(at + ": only local $ref is known: " + ref);
        }
        JsonNode target = root.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalArgumentException(at + ": $ref " + ref + " points at nothing");
        }
        return target;
    }

    private static String typeOf(JsonNode values, String at) {
        List<String> types = values.valueStream().map(v -> v.isString() ? "string" : v.isIntegralNumber() ? "integer"
                : v.isNumber() ? "number" : v.isBoolean() ? "boolean" : "?").distinct().toList();
        if (types.size() != 1 || types.get(0).equals("?")) {
            throw new IllegalArgumentException(at + ": enum of mixed or unknown types " + types);
        }
        return types.get(0);
    }
}
