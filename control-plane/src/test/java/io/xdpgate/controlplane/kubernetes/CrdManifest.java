package io.xdpgate.controlplane.kubernetes;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The XdpgatePolicy CustomResourceDefinition, made from policy.schema.json ({@link CrdSchema})
 * so the policy's schema is written once: helm/xdpgate/crds/xdpgatepolicies.yaml is this
 * manifest ({@link CrdManifestTest} keeps it so and rewrites it with -Dxdpgate.crd.write=true).
 */
final class CrdManifest {
    static final String FILE = "helm/xdpgate/crds/xdpgatepolicies.yaml";
    static final tools.jackson.databind.ObjectMapper JSON = new tools.jackson.databind.ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private CrdManifest() {
    }

    static JsonNode policySchema() {
        try (InputStream in = CrdManifest.class.getResourceAsStream("/policy.schema.json")) {
            return CrdManifest.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String yaml() {
        return "# Generated from control-plane/src/main/resources/policy.schema.json by CrdManifestTest; do not edit.\n"
                + "# Regenerate: mvn -o -q -pl control-plane -am -Dtest=CrdManifestTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dxdpgate.crd.write=true test\n"
                + Serialization.asYaml(crd());
    }

    static ObjectNode crd() {
        ObjectNode crd = F.objectNode();
        crd.put("apiVersion", "apiextensions.k8s.io/v1");
        crd.put("kind", "CustomResourceDefinition");
        crd.putObject("metadata").put("name", "xdpgatepolicies." + XdpgatePolicy.GROUP);
        ObjectNode spec = crd.putObject("spec");
        spec.put("group", XdpgatePolicy.GROUP);
        spec.put("scope", "Cluster");
        ObjectNode names = spec.putObject("names");
        names.put("kind", "XdpgatePolicy");
        names.put("listKind", "XdpgatePolicyList");
        names.put("plural", "xdpgatepolicies");
        names.put("singular", "xdpgatepolicy");
        names.putArray("shortNames").add("xgp");
        ObjectNode version = spec.putArray("versions").addObject();
        version.put("name", XdpgatePolicy.VERSION);
        version.put("served", true);
        version.put("storage", true);
        version.putObject("subresources").putObject("status");
        ArrayNode columns = version.putArray("additionalPrinterColumns");
        column(columns, "Default", "string", ".spec.defaultAction", "What a flow no rule matches gets");
        column(columns, "Age", "date", ".metadata.creationTimestamp", null);
        ObjectNode schema = version.putObject("schema").putObject("openAPIV3Schema");
        schema.put("type", "object");
        schema.put("description", "A node firewall policy (xdpgate) for the nodes spec.nodeSelector picks (every node"
                + " when absent). Each daemon checks the spec in full and writes its word into status.nodes.");
        ObjectNode props = schema.putObject("properties");
        props.putObject("apiVersion").put("type", "string");
        props.putObject("kind").put("type", "string");
        props.putObject("metadata").put("type", "object");
        ObjectNode specSchema = CrdSchema.of(policySchema());
        ((ObjectNode) specSchema.get("properties")).set("nodeSelector", labelSelector());
        props.set("spec", specSchema);
        props.set("status", status());
        schema.putArray("required").add("spec");
        return crd;
    }

    private static void column(ArrayNode columns, String name, String type, String path, String description) {
        ObjectNode c = columns.addObject();
        c.put("name", name);
        c.put("type", type);
        c.put("jsonPath", path);
        if (description != null) {
            c.put("description", description);
        }
    }

    private static ObjectNode labelSelector() {
        ObjectNode s = F.objectNode();
        s.put("type", "object");
        s.put("description", "The nodes this policy is for (a LabelSelector over node labels); absent: every node."
                + " An object with a selector takes precedence over one without, then the oldest, then the name.");
        ObjectNode p = s.putObject("properties");
        ObjectNode labels = p.putObject("matchLabels");
        labels.put("type", "object");
        labels.putObject("additionalProperties").put("type", "string");
        ObjectNode exprs = p.putObject("matchExpressions");
        exprs.put("type", "array");
        exprs.put("x-kubernetes-list-type", "atomic");
        ObjectNode expr = exprs.putObject("items");
        expr.put("type", "object");
        expr.putArray("required").add("key").add("operator");
        ObjectNode ep = expr.putObject("properties");
        ep.putObject("key").put("type", "string");
        ObjectNode op = ep.putObject("operator");
        op.put("type", "string");
        op.putArray("enum").add("In").add("NotIn").add("Exists").add("DoesNotExist");
        ObjectNode values = ep.putObject("values");
        values.put("type", "array");
        values.put("x-kubernetes-list-type", "atomic");
        values.putObject("items").put("type", "string");
        s.put("x-kubernetes-map-type", "atomic");
        return s;
    }

    /** The shape {@link XdpgatePolicyStatus} writes: one entry per node, each node owning its own. */
    private static ObjectNode status() {
        ObjectNode s = F.objectNode();
        s.put("type", "object");
        ObjectNode nodes = s.putObject("properties").putObject("nodes");
        nodes.put("type", "array");
        nodes.put("x-kubernetes-list-type", "map");
        nodes.putArray("x-kubernetes-list-map-keys").add("name");
        ObjectNode entry = nodes.putObject("items");
        entry.put("type", "object");
        entry.putArray("required").add("name");
        ObjectNode ep = entry.putObject("properties");
        ep.putObject("name").put("type", "string");
        ObjectNode conditions = ep.putObject("conditions");
        conditions.put("type", "array");
        conditions.put("x-kubernetes-list-type", "map");
        conditions.putArray("x-kubernetes-list-map-keys").add("type");
        ObjectNode c = conditions.putObject("items");
        c.put("type", "object");
        c.putArray("required").add("type").add("status");
        ObjectNode cp = c.putObject("properties");
        cp.putObject("type").put("type", "string");
        ObjectNode status = cp.putObject("status");
        status.put("type", "string");
        status.putArray("enum").add("True").add("False").add("Unknown");
        cp.putObject("reason").put("type", "string");
        cp.putObject("message").put("type", "string");
        ObjectNode generation = cp.putObject("observedGeneration");
        generation.put("type", "integer");
        generation.put("format", "int64");
        ObjectNode time = cp.putObject("lastTransitionTime");
        time.put("type", "string");
        time.put("format", "date-time");
        ObjectNode violations = ep.putObject("violations");
        violations.put("type", "array");
        violations.put("x-kubernetes-list-type", "atomic");
        ObjectNode v = violations.putObject("items");
        v.put("type", "object");
        ObjectNode vp = v.putObject("properties");
        vp.putObject("path").put("type", "string");
        vp.putObject("reason").put("type", "string");
        return s;
    }
}
