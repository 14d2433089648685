package io.xdpgate.controlplane.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API server accepts only structural schemas for a CRD (Kubernetes' "Specifying a structural
 * schema"); no API server runs here, so its rules are checked on the generated file: every node
 * outside the logical junctors (allOf, anyOf, oneOf, not) says its type (or preserves unknown
 * fields); inside them no type, description, default, additionalProperties or nullable; and every
 * property a junctor names is also one of the node's own properties.
 */
class StructuralSchemaTest {
    @Test
    void theGeneratedCrdIsStructural() throws Exception {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(CrdManifestTest.FILE),
                CustomResourceDefinition.class);
        List<String> wrong = new ArrayList<>();
        JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        node(root, "openAPIV3Schema", wrong);
        assertEquals(List.of(), wrong);
    }

    private static void node(JSONSchemaProps s, String path, List<String> wrong) {
        boolean open = Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields())
                || Boolean.TRUE.equals(s.getXKubernetesIntOrString());
        if (s.getType() == null && !open) {
            wrong.add(path + ": no type");
        }
        if (s.getProperties() != null) {
            s.getProperties().forEach((k, v) -> node(v, path + ".properties." + k, wrong));
        }
        if (s.getItems() != null && s.getItems().getSchema() != null) {
            node(s.getItems().getSchema(), path + ".items", wrong);
        }
        if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
            node(s.getAdditionalProperties().getSchema(), path + ".additionalProperties", wrong);
        }
        Map<String, JSONSchemaProps> own = s.getProperties() == null ? Map.of() : s.getProperties();
        for (var entry : junctors(s).entrySet()) {
            for (int i = 0; i < entry.getValue().size(); i++) {
                junctor(entry.getValue().get(i), own, path + "." + entry.getKey() + "[" + i + "]", wrong);
            }
        }
    }

    /** Inside a junctor: only value checks, over properties the outer node has. */
    private static void junctor(JSONSchemaProps j, Map<String, JSONSchemaProps> outer, String path, List<String> wrong) {
        if (j.getType() != null || j.getDescription() != null || j.getDefault() != null
                || j.getAdditionalProperties() != null || j.getNullable() != null) {
            wrong.add(path + ": type, description, default, additionalProperties or nullable inside a junctor");
        }
        if (j.getProperties() != null) {
            for (var p : j.getProperties().entrySet()) {
                JSONSchemaProps o = outer.get(p.getKey());
                if (o == null) {
                    wrong.add(path + ".properties." + p.getKey() + ": not a property of the node itself");
                } else {
                    junctor(p.getValue(), o.getProperties() == null ? Map.of() : o.getProperties(),
                            path + ".properties." + p.getKey(), wrong);
                }
            }
        }
        if (j.getItems() != null && j.getItems().getSchema() != null) {
            junctor(j.getItems().getSchema(), Map.of(), path + ".items", wrong);
        }
        for (var entry : junctors(j).entrySet()) {
            for (int i = 0; i < entry.getValue().size(); i++) {
                junctor(entry.getValue().get(i), outer, path + "." + entry.getKey() + "[" + i + "]", wrong);
            }
        }
    }

    private static Map<String, List<JSONSchemaProps>> junctors(JSONSchemaProps s) {
        Map<String, List<JSONSchemaProps>> out = new java.util.LinkedHashMap<>();
        if (s.getAllOf() != null) {
            out.put("allOf", s.getAllOf());
        }
        if (s.getAnyOf() != null) {
            out.put("anyOf", s.getAnyOf());
        }
        if (s.getOneOf() != null) {
            out.put("oneOf", s.getOneOf());
        }
        if (s.getNot() != null) {
            out.put("not", List.of(s.getNot()));
        }
        return out;
    }
}
