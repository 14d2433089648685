package io.xdpgate.controlplane.policy.translate;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.controlplane.policy.check.DocumentCheck;
import io.xdpgate.controlplane.policy.check.PolicyRejectedException;
import io.xdpgate.controlplane.policy.model.FailMode;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.PortPool;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/** A valid document into the datapath's terms: rules for the compiler, gateways for the kernel. */
public final class PolicyTranslation {
    private PolicyTranslation() {
    }

    /** Throws {@link PolicyRejectedException} with every violation when the document is not valid. */
    public static TranslatedPolicy translate(PolicyDocument doc) {
        DocumentCheck.Result checked = DocumentCheck.run(doc);
        if (!checked.violations().isEmpty()) {
            throw new PolicyRejectedException(checked.violations());
        }
        return checked.policy();
    }

    /**
     * The kernel's {@code xg_gateway} for a gateway: what the document says (addresses, pools,
     * fail mode) plus what only the running system knows.
     *
     * @param ifindex  our end of the gateway's veth (xgw0), where redirected frames leave
     * @param mac      the gateway end's MAC (xgw1): destination of redirected frames
     * @param localMac our end's MAC (xgw0): their source
     * @param active   whether the gateway runtime is up; an inactive gateway's flows follow the
     *                 fail mode
     */
    /**
     * What the kernel hashes each flow's pool search start with: chosen once per daemon, so an
     * outsider cannot tell which pool port a flow will get (the search itself is in nat.h).
     */
    private static final int POOL_SEED = new SecureRandom().nextInt();

    public static Gateway toKernelGateway(GatewayAssignment gw, int ifindex, MacAddr mac, MacAddr localMac,
                                          boolean active) {
        return toKernelGateway(gw, ifindex, mac, localMac, active, false);
    }

    /**
     * As above; {@code afXdp}: a local gateway whose AF_XDP socket the kernel watches (gw_xsks),
     * so the gateway counts as down as soon as that socket closes.
     */
    public static Gateway toKernelGateway(GatewayAssignment gw, int ifindex, MacAddr mac, MacAddr localMac,
                                          boolean active, boolean afXdp) {
        Objects.requireNonNull(gw, "gateway");
        PortPool pool = gw.pool();
        Optional<PortPool> snat = gw.snatPool();
        int flags = (active ? Abi.XG_GW_F_ACTIVE : 0) | (gw.failMode() == FailMode.OPEN ? Abi.XG_GW_F_FAIL_OPEN : 0)
                | (afXdp ? Abi.XG_GW_F_XSK : 0);
        return new Gateway(
                gw.address6().orElse(IpAddr.ZERO),
                snat.isPresent() ? gw.snatAddress6().orElse(IpAddr.ZERO) : IpAddr.ZERO,
                gw.address4().map(IpAddr::ipv4Bits).orElse(0),
                snat.isPresent() ? gw.snatAddress4().map(IpAddr::ipv4Bits).orElse(0) : 0,
                pool.base(), pool.count(),
                snat.map(PortPool::base).orElse(0), snat.map(PortPool::count).orElse(0),
                ifindex, mac, localMac, flags, gw.instances(), POOL_SEED);
    }
}
