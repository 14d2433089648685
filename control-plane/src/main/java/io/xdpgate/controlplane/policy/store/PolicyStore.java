package io.xdpgate.controlplane.policy.store;

import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** Where the daemon keeps the policy in force: {@code <stateDir>/policy.json}, via {@link PolicyFiles}. */
public final class PolicyStore {
    private final Path file;

    public PolicyStore(Path stateDir) {
        this.file = stateDir.resolve("policy.json");
    }

    public Path file() {
        return file;
    }

    /**
     * Empty before the first policy was applied;
     * {@link io.xdpgate.controlplane.policy.check.PolicyRejectedException} if the file is not valid.
     */
    public Optional<PolicyDocument> load() {
        try {
            return PolicyFiles.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public void save(PolicyDocument doc) {
        try {
            PolicyFiles.save(file, doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
