package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.IpAddr;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.gateways.spi.ApplicationGateway;
import java.util.Optional;

/**
 * What the host needs from the node to run a gateway: its veth pair (with the packet processor on
 * the near end and the XSK hop on the far end) and a runtime on the far end's queue. An interface
 * so that transitions and supervision can be tested without a kernel. No map is written here.
 */
interface GatewayPlumbing {
    /** Creates pair {@code instance} of group {@code slot} and attaches the programs; throws with nothing left behind. */
    GatewayVeth createLink(int slot, int instance, Optional<IpAddr> address4);

    /** Deletes the pair; the kernel unbinds any socket still bound to it. */
    void deleteLink(GatewayVeth link);

    /**
     * Opens a socket on the far end and starts its thread, which reports its open flows into the
     * instance's gw_load slot; not yet in gw_xsks.
     */
    HostedRuntime start(GatewayAssignment gateway, GatewayVeth link, ApplicationGateway app);
}
