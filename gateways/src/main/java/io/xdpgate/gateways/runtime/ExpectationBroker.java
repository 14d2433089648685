package io.xdpgate.gateways.runtime;

import io.xdpgate.gateways.spi.Expectations;
import io.xdpgate.gateways.spi.FlowContext;

/**
 * The host's side of {@link Expectations}: what each flow's session may ask for, and the
 * withdrawal of what it was granted and did not use when the flow ends (a data connection
 * expected for an FTP control connection that is gone must not stay open to anyone).
 */
public interface ExpectationBroker {
    ExpectationBroker NONE = new ExpectationBroker() {
        @Override
        public Expectations open(FlowContext flow) {
            return Expectations.NONE;
        }

        @Override
        public void withdraw(FlowContext flow) {
        }
    };

    /** What {@code flow}'s session may ask for. */
    Expectations open(FlowContext flow);

    /** {@code flow} ended: its unused expectations are withdrawn. */
    void withdraw(FlowContext flow);
}
