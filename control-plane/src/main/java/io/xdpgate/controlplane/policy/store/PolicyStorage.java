package io.xdpgate.controlplane.policy.store;

import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.util.Optional;

/** Where the policy in force is kept across restarts; {@link PolicyStore} is the file. */
public interface PolicyStorage {
    /** Empty before the first policy was applied. */
    Optional<PolicyDocument> load();

    /** Replaces the stored policy, all or nothing; throws when it could not (the old one stays). */
    void save(PolicyDocument doc);
}
