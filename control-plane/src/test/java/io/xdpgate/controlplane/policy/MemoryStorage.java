package io.xdpgate.controlplane.policy;

import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.store.PolicyStorage;
import java.util.Optional;

/** A policy store in memory whose saves can be made to fail (a full disk). */
public final class MemoryStorage implements PolicyStorage {
    public PolicyDocument stored;
    public boolean failSave;
    public int saves;

    @Override
    public Optional<PolicyDocument> load() {
        return Optional.ofNullable(stored);
    }

    @Override
    public void save(PolicyDocument doc) {
        if (failSave) {
            throw new java.io.UncheckedIOException(new java.io.IOException("injected: No space left on device"));
        }
        saves++;
        stored = doc;
    }
}
