package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.policy.GatewayDeployer;
import io.xdpgate.controlplane.policy.UndoLog;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.TranslatedPolicy;
import java.util.List;

/** A deployer for documents without gateways. */
final class PolicyInformerDeployers {
    static final GatewayDeployer NONE = new GatewayDeployer() {
        public List<Violation> check(TranslatedPolicy p) { return List.of(); }
        public Transition prepare(List<GatewayAssignment> g) {
            return new Transition() {
                public void beforeSwap(UndoLog u) { }
                public void afterSwap(UndoLog u) { }
                public void complete() { }
                public void abort() { }
            };
        }
    };

    private PolicyInformerDeployers() {
    }
}
