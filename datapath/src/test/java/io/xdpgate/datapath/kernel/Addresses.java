package io.xdpgate.datapath.kernel;

import io.xdpgate.abi.IpAddr;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The test hosts' addresses: RFC 2544 benchmarking space and the IPv6 documentation prefix. */
final class Addresses {
    static final String CLIENT4 = "198.18.1.2";
    static final String SERVER4 = "198.18.2.2";
    static final String GATEWAY4 = "198.18.100.1";
    static final String SNAT4 = "198.18.100.254";
    static final String CLIENT6 = "2001:db8:1::2";
    static final String SERVER6 = "2001:db8:2::2";
    static final String GATEWAY6 = "2001:db8:100::1";
    static final String SNAT6 = "2001:db8:100::fe";

    private Addresses() {
    }

    static InetAddress inet(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static IpAddr ip(String literal) {
        return IpAddr.of(inet(literal));
    }
}
