package io.xdpgate.controlplane.policy;

import io.xdpgate.datapath.policy.CompiledPolicy;
import io.xdpgate.datapath.policy.PolicyEntryCounts;
import java.util.ArrayList;
import java.util.List;

/** Two policy generations in memory: what each holds, which one classifies, with failure switches. */
public final class FakeKernel implements PolicyKernel {
    public final CompiledPolicy[] generations = new CompiledPolicy[2];
    public int active;
    public boolean failStage;
    public boolean failActivate;
    /** Runs at every activation, before it takes effect (to look at the gateway maps then). */
    public Runnable onActivate = () -> { };
    public final List<Integer> activations = new ArrayList<>();

    @Override
    public void checkCapacity(PolicyEntryCounts counts) {
    }

    @Override
    public int activeGeneration() {
        return active;
    }

    @Override
    public int stage(CompiledPolicy policy) {
        if (failStage) {
            throw new IllegalStateException("injected: update of map pol_rules failed: ENOMEM");
        }
        int gen = 1 - active;
        generations[gen] = policy;
        return gen;
    }

    @Override
    public void activate(int generation) {
        if (failActivate) {
            throw new IllegalStateException("injected: update of map policy_ctl failed");
        }
        onActivate.run();
        activations.add(generation);
        active = generation;
    }

    /** The policy classifying now. */
    public CompiledPolicy classifying() {
        return generations[active];
    }
}
