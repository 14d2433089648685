package io.xdpgate.controlplane.policy;

import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.TranslatedPolicy;
import java.util.List;

/** The deployer of tests whose documents have no gateways: checks nothing, moves nothing. */
public final class NoGateways {
    public static final GatewayDeployer DEPLOYER = new GatewayDeployer() {
        @Override
        public List<Violation> check(TranslatedPolicy policy) {
            return List.of();
        }

        @Override
        public Transition prepare(List<GatewayAssignment> gateways) {
            return new Transition() {
                @Override
                public void beforeSwap(UndoLog undo) {
                }

                @Override
                public void afterSwap(UndoLog undo) {
                }

                @Override
                public void complete() {
                }

                @Override
                public void abort() {
                }
            };
        }
    };

    private NoGateways() {
    }
}
