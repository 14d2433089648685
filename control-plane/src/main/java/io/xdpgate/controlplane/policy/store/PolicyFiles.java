package io.xdpgate.controlplane.policy.store;

import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Policy documents on disk. Saving is atomic ({@link AtomicFile}): a crash leaves the previous
 * policy or the new one, never a torn file that would keep the daemon from starting.
 */
public final class PolicyFiles {
    private PolicyFiles() {
    }

    public static void save(Path file, PolicyDocument doc) throws IOException {
        save(file, doc, new AtomicFile());
    }

    static void save(Path file, PolicyDocument doc, AtomicFile atomic) throws IOException {
        atomic.replace(file, (PolicyParser.write(doc) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The document in {@code file}, empty when there is no such file; a file that is there but
     * not a valid policy throws {@link io.xdpgate.controlplane.policy.check.PolicyRejectedException}
     * (with the file named in no violation: the caller knows which file it asked for).
     */
    public static Optional<PolicyDocument> load(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(PolicyParser.parse(bytes));
    }
}
