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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFilesTest {
    @TempDir
    Path dir;

    @Test
    void noFileIsNoPolicy() throws Exception {
        assertEquals(Optional.empty(), PolicyFiles.load(dir.resolve("policy.json")));
    }

    @Test
    void savedDocumentsLoadBackEqual() throws Exception {
        Path file = dir.resolve("var/lib/xdpgate/policy.json");
        for (String example : Examples.GOOD) {
            PolicyDocument doc = PolicyParser.parse(Examples.read(example));
            PolicyFiles.save(file, doc);
            assertEquals(Optional.of(doc), PolicyFiles.load(file), example);
        }
        assertTrue(Files.readString(file).endsWith("}\n"), "a text file ends with a newline");
    }

    @Test
    void aCrashWhileSavingLeavesThePreviousPolicy() throws Exception {
        Path file = dir.resolve("policy.json");
        PolicyDocument before = PolicyParser.parse(Examples.read("issue-example.json"));
        PolicyFiles.save(file, before);
        AtomicFile crashes = new AtomicFile((channel, content) -> {
            channel.write(content.duplicate().limit(content.limit() / 3));
            throw new IOException("killed");
        });
        PolicyDocument after = PolicyParser.parse(Examples.read("every-field.json"));
        assertThrows(IOException.class, () -> PolicyFiles.save(file, after, crashes));
        assertEquals(Optional.of(before), PolicyFiles.load(file));
    }

    @Test
    void aLeftoverTemporaryFileFromARealCrashIsIgnored() throws Exception {
        Path file = dir.resolve("policy.json");
        PolicyDocument doc = PolicyParser.parse(Examples.read("minimal.json"));
        PolicyFiles.save(file, doc);
        Files.writeString(dir.resolve(".policy.json.123456.tmp"), "{\"defaultAct");
        assertEquals(Optional.of(doc), PolicyFiles.load(file));
        PolicyFiles.save(file, doc);
        assertEquals(Optional.of(doc), PolicyFiles.load(file));
    }

    @Test
    void aFileThatIsNotAValidPolicyIsRejectedNotIgnored() throws IOException {
        Path file = dir.resolve("policy.json");
        Files.writeString(file, "{\"defaultAction\":\"drop\",\"rules\":[{\"name\":\"a\"}]}");
        var e = assertThrows(PolicyRejectedException.class, () -> PolicyFiles.load(file));
        assertEquals(List.of("/rules/0/action"), e.violations().stream().map(Violation::path).toList());
    }
}
