package io.xdpgate.controlplane.policy;

import io.xdpgate.datapath.policy.CompiledPolicy;
import io.xdpgate.datapath.policy.PolicyEntryCounts;

/**
 * The packet processor's policy maps as the policy service uses them: two generations, one
 * classifying, the other written at leisure and then made the active one in one atomic write.
 * An interface so the transaction logic can be tested without a kernel.
 */
public interface PolicyKernel {
    /**
     * Throws {@link io.xdpgate.datapath.policy.PolicyTooLargeException} when one generation of
     * the maps cannot hold a policy of these sizes.
     */
    void checkCapacity(PolicyEntryCounts counts);

    /** The generation classifying now (0 or 1). */
    int activeGeneration();

    /**
     * Writes the policy into the generation that is not classifying (cleared first) and returns
     * that generation; nothing the kernel classifies with changes.
     */
    int stage(CompiledPolicy policy);

    /** Makes {@code generation} the one that classifies: one 4-byte array write, atomic for every CPU. */
    void activate(int generation);
}
