package io.xdpgate.controlplane.policy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStoreTest {
    @TempDir
    Path dir;

    @Test
    void savesAtomicallyAndLoadsBack() throws Exception {
        PolicyStore store = new PolicyStore(dir.resolve("state"));
        assertTrue(store.load().isEmpty());
        store.save(PolicyParser.parse("{\"defaultAction\":\"drop\"}"));
        PolicyDocument pass = PolicyParser.parse("{\"defaultAction\":\"pass\"}");
        store.save(pass);
        assertEquals(pass, store.load().orElseThrow());
        assertEquals(dir.resolve("state/policy.json"), store.file());
        try (var files = Files.list(dir.resolve("state"))) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }
}
