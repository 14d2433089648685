package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_BAD_CHECKSUM;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_IP_OPTIONS;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_TTL;

/**
 * What a receiver (or this firewall's own forwarding) checks of a frame before its transport
 * sees it: a frame that would not get that far must not be judged either, or the gateway would
 * have read bytes the receiver never gets. Checked on every frame at intake.
 */
final class IpChecks {
    /**
     * The smallest TTL or hop limit taken: the stack forwards a released frame and decrements
     * it, so one that arrives with 1 dies in this firewall.
     */
    static final int MIN_TTL = 2;

    private IpChecks() {
    }

    /** Null when the frame may go on; else the counter of the drop. */
    static RuntimeStats.Counter check(IpFrame f) {
        if (!f.checksumsValid()) {
            return DROP_BAD_CHECKSUM;
        }
        if (f.ipOptionsLen > 0) {
            return DROP_IP_OPTIONS;
        }
        if (f.ttl < MIN_TTL) {
            return DROP_TTL;
        }
        return null;
    }
}
