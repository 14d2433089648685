package io.xdpgate.controlplane.policy.translate;

import io.xdpgate.abi.IpAddr;
import io.xdpgate.controlplane.policy.model.FailMode;
import io.xdpgate.controlplane.policy.model.GatewayAddress;
import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PortPool;
import java.util.Optional;

/**
 * A gateway of a valid document with the id the kernel knows it by: its position in the
 * document, so the same document always gives the same ids. Made by {@link PolicyTranslation}
 * (and {@link io.xdpgate.controlplane.policy.check.DocumentCheck}) only for a gateway without
 * violations, which is why the accessors below may parse the spec's text without failing.
 */
public record GatewayAssignment(String name, int id, GatewaySpec spec) {

    /** What it speaks: the name of the gateway factory that serves it ("http"). */
    public String protocol() {
        return spec.protocol();
    }

    public FailMode failMode() {
        return FailMode.parse(spec.failMode());
    }

    /** How many runtimes serve it: 1 unless the document says more. */
    public int instances() {
        return spec.instances() == null ? 1 : spec.instances();
    }

    public PortPool pool() {
        return PortPool.parse(spec.ports());
    }

    /** Empty without source NAT. */
    public Optional<PortPool> snatPool() {
        return Optional.ofNullable(spec.snatPorts()).map(PortPool::parse);
    }

    public Optional<IpAddr> address4() {
        return Optional.ofNullable(spec.address4()).map(GatewayAddress::ipv4);
    }

    public Optional<IpAddr> address6() {
        return Optional.ofNullable(spec.address6()).map(GatewayAddress::ipv6);
    }

    public Optional<IpAddr> snatAddress4() {
        return Optional.ofNullable(spec.snatAddress4()).map(GatewayAddress::ipv4);
    }

    public Optional<IpAddr> snatAddress6() {
        return Optional.ofNullable(spec.snatAddress6()).map(GatewayAddress::ipv6);
    }
}
