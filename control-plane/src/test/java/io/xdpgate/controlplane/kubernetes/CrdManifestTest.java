package io.xdpgate.controlplane.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.xdpgate.controlplane.policy.Examples;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * helm/xdpgate/crds/xdpgatepolicies.yaml is what {@link CrdManifest} makes of policy.schema.json
 * now, is a CustomResourceDefinition, takes every valid example policy and refuses what its
 * schema can say is wrong.
 */
class CrdManifestTest {
    static final Path FILE = Path.of("").toAbsolutePath().getParent().resolve(CrdManifest.FILE);

    @Test
    void theCommittedFileIsWhatTheGeneratorMakes() throws IOException {
        String made = CrdManifest.yaml();
        if (Boolean.getBoolean("xdpgate.crd.write")) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, made, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(FILE), FILE + " exists; make it with -Dxdpgate.crd.write=true");
        assertEquals(made, Files.readString(FILE, StandardCharsets.UTF_8), FILE + " is stale: policy.schema.json or the"
                + " generator changed; regenerate it with -Dxdpgate.crd.write=true");
    }

    @Test
    void parsesIntoFabric8sModel() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(FILE), CustomResourceDefinition.class);
        assertEquals("xdpgatepolicies.xdpgate.io", crd.getMetadata().getName());
        assertEquals("Cluster", crd.getSpec().getScope());
        assertEquals(List.of("xgp"), crd.getSpec().getNames().getShortNames());
        var version = crd.getSpec().getVersions().get(0);
        assertEquals("v1alpha1", version.getName());
        assertTrue(version.getServed() && version.getStorage());
        assertTrue(version.getSubresources().getStatus() != null);
        JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        JSONSchemaProps gateway = spec.getProperties().get("gateways").getItems().getSchema();
        assertTrue(gateway.getProperties().get("config").getXKubernetesPreserveUnknownFields());
        assertEquals("string", spec.getProperties().get("defaultAction").getType(), "a type inferred for the enum");
        assertEquals("object", spec.getProperties().get("nodeSelector").getType());
        assertEquals(List.of("name"), version.getSchema().getOpenAPIV3Schema().getProperties().get("status")
                .getProperties().get("nodes").getXKubernetesListMapKeys());
    }

    @Test
    void structural() {
        // every node outside a junctor has a type; neither default nor additionalProperties false beside properties
        String yaml = CrdManifest.yaml();
        assertFalse(yaml.contains("default:"), "defaults dropped");
        assertFalse(yaml.contains("additionalProperties: false"));
        assertFalse(yaml.contains("$ref") || yaml.contains("const:") || yaml.contains("dependentRequired")
                || yaml.contains("if:") || yaml.contains("then:"));
    }

    @Test
    void everyExampleThePolicyParserTakesValidates() throws IOException {
        List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/policies"))) {
            for (Path f : files.sorted().toList()) {
                String json = Files.readString(f);
                try {
                    PolicyParser.parse(json);
                } catch (RuntimeException refused) {
                    continue;
                }
                assertEquals(List.of(), errors(json), f.toString());
                checked.add(f.getFileName().toString());
            }
        }
        assertTrue(checked.containsAll(Examples.GOOD), "checked " + checked);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"rules\":[]}",
        "{\"defaultAction\":\"reject\"}",
        "{\"defaultAction\":\"drop\",\"rules\":[{\"name\":\"Web\",\"action\":\"pass\"}]}",
        "{\"defaultAction\":\"drop\",\"rules\":[{\"name\":\"web\",\"action\":\"redirect\"}]}",
        "{\"defaultAction\":\"drop\",\"rules\":[{\"name\":\"web\",\"action\":\"pass\",\"gateway\":\"web\"}]}",
        "{\"defaultAction\":\"drop\",\"rules\":[{\"name\":\"web\",\"action\":\"pass\",\"protocol\":\"tcp\",\"pairedPort\":0}]}",
        "{\"defaultAction\":\"drop\",\"rules\":[{\"name\":\"web\",\"action\":\"pass\",\"to\":\"example.com\"}]}",
        "{\"defaultAction\":\"drop\",\"gateways\":[{\"name\":\"web\",\"protocol\":\"http\",\"ports\":\"40000-40999\"}]}",
        "{\"defaultAction\":\"drop\",\"gateways\":[{\"name\":\"web\",\"protocol\":\"http\",\"ports\":\"40000-40999\","
                + "\"address4\":\"198.18.9.1\",\"snatAddress4\":\"198.18.9.2\"}]}",
        "{\"defaultAction\":\"drop\",\"gateways\":[{\"name\":\"web\",\"protocol\":\"http\",\"ports\":\"40000-40999\","
                + "\"address4\":\"198.18.9.1\",\"instances\":9}]}",
        "{\"defaultAction\":\"drop\",\"gateways\":[{\"name\":\"web\",\"protocol\":\"http\",\"ports\":\"40000-40999\","
                + "\"address4\":\"198.18.9.1\",\"failMode\":\"half\"}]}",
    })
    void refusesWhatItsSchemaCanSayIsWrong(String json) {
        assertFalse(errors(json).isEmpty(), json);
    }

    @Test
    void aRedirectWithItsGatewayAndAnSnatWithItsPortsPass() {
        assertEquals(List.of(), errors(Examples.document(Examples.webGateway(",\"snatAddress4\":\"198.18.9.2\","
                + "\"snatPorts\":\"50000-50999\""), "{\"name\":\"web\",\"protocol\":\"tcp\",\"ports\":\"80\","
                + "\"action\":\"redirect\",\"gateway\":\"web\",\"pairedPort\":1}")));
    }

    @Test
    void aKeywordTheGeneratorDoesNotKnowFailsIt() {
        JsonNode schema = CrdManifest.JSON.readTree("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\","
                + "\"contentEncoding\":\"base64\"}}}");
        var e = assertThrows(IllegalArgumentException.class, () -> CrdSchema.of(schema));
        assertTrue(e.getMessage().contains("#/properties/a/contentEncoding"), e.getMessage());
    }

    private static List<String> errors(String json) {
        JsonNode spec = CrdManifest.crd().at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
        Schema validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(spec);
        return validator.validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
    }
}
