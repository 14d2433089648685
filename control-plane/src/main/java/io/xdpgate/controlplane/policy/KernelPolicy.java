package io.xdpgate.controlplane.policy;

import io.xdpgate.datapath.policy.CompiledPolicy;
import io.xdpgate.datapath.policy.PolicyEntryCounts;
import io.xdpgate.datapath.tables.PolicyTables;
import io.xdpgate.datapath.tables.XdpgateTables;

/**
 * {@link PolicyKernel} on the packet processor's maps, through {@link PolicyTables}: the write
 * ({@link #stage}) and the swap ({@link #activate}) are separate steps, so that the policy
 * service can put the gateway changes of a transaction between them and swap back if a later
 * step fails.
 */
public final class KernelPolicy implements PolicyKernel {
    private final PolicyTables policyTables;

    public KernelPolicy(XdpgateTables tables) {
        this.policyTables = new PolicyTables(tables);
    }

    @Override
    public void checkCapacity(PolicyEntryCounts counts) {
        policyTables.checkCapacity(counts);
    }

    @Override
    public int activeGeneration() {
        return policyTables.activeGeneration();
    }

    @Override
    public int stage(CompiledPolicy policy) {
        return policyTables.stage(policy);
    }

    @Override
    public void activate(int generation) {
        policyTables.activate(generation);
    }
}
