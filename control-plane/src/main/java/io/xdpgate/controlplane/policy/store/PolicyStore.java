package io.xdpgate.controlplane.policy.store;

import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the daemon keeps the policy in force: {@code <stateDir>/policy.json}. Saving is atomic
 * ({@link AtomicFile}): a crash leaves the previous policy or the new one, never a torn file that
 * would keep the daemon from starting.
 */
public final class PolicyStore implements PolicyStorage {
    private final Path file;
    private final AtomicFile atomic;

    public PolicyStore(Path stateDir) {
        this(stateDir, new AtomicFile());
    }

    /** @param atomic replaces the file; a test passes one whose write fails part way */
    PolicyStore(Path stateDir, AtomicFile atomic) {
        this.file = stateDir.resolve("policy.json");
        this.atomic = atomic;
    }

    public Path file() {
        return file;
    }

    /**
     * Empty before the first policy was applied; a file that is there but not a valid policy
     * throws {@link io.xdpgate.controlplane.policy.check.PolicyRejectedException} (with the file
     * named in no violation: the caller knows which file it asked for).
     */
    @Override
    public Optional<PolicyDocument> load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Optional.of(PolicyParser.parse(bytes));
    }

    @Override
    public void save(PolicyDocument doc) {
        try {
            atomic.replace(file, (PolicyParser.write(doc) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
