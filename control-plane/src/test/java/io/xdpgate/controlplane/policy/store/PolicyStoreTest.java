package io.xdpgate.controlplane.policy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.controlplane.policy.Examples;
import io.xdpgate.controlplane.policy.check.PolicyRejectedException;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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

    @Test
    void noFileIsNoPolicy() {
        assertEquals(Optional.empty(), new PolicyStore(dir).load());
    }

    @Test
    void savedDocumentsLoadBackEqual() throws Exception {
        PolicyStore store = new PolicyStore(dir.resolve("var/lib/xdpgate"));
        for (String example : Examples.GOOD) {
            PolicyDocument doc = PolicyParser.parse(Examples.read(example));
            store.save(doc);
            assertEquals(Optional.of(doc), store.load(), example);
        }
        assertTrue(Files.readString(store.file()).endsWith("}\n"), "a text file ends with a newline");
    }

    @Test
    void aCrashWhileSavingLeavesThePreviousPolicy() {
        PolicyDocument before = PolicyParser.parse(Examples.read("issue-example.json"));
        new PolicyStore(dir).save(before);
        AtomicFile crashes = new AtomicFile((channel, content) -> {
            channel.write(content.duplicate().limit(content.limit() / 3));
            throw new IOException("killed");
        });
        PolicyDocument after = PolicyParser.parse(Examples.read("every-field.json"));
        // Unchecked, as the service wants I/O failures; the cause is the write's own.
        var e = assertThrows(UncheckedIOException.class, () -> new PolicyStore(dir, crashes).save(after));
        assertEquals("killed", e.getCause().getMessage());
        assertEquals(Optional.of(before), new PolicyStore(dir).load());
    }

    @Test
    void aLeftoverTemporaryFileFromARealCrashIsIgnored() throws Exception {
        PolicyStore store = new PolicyStore(dir);
        PolicyDocument doc = PolicyParser.parse(Examples.read("minimal.json"));
        store.save(doc);
        Files.writeString(dir.resolve(".policy.json.123456.tmp"), "{\"defaultAct");
        assertEquals(Optional.of(doc), store.load());
        store.save(doc);
        assertEquals(Optional.of(doc), store.load());
    }

    @Test
    void aFileThatIsNotAValidPolicyIsRejectedNotIgnored() throws IOException {
        PolicyStore store = new PolicyStore(dir);
        Files.writeString(store.file(), "{\"defaultAction\":\"drop\",\"rules\":[{\"name\":\"a\"}]}");
        var e = assertThrows(PolicyRejectedException.class, store::load);
        assertEquals(List.of("/rules/0/action"), e.violations().stream().map(Violation::path).toList());
    }
}
