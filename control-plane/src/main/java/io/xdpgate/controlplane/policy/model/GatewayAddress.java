package io.xdpgate.controlplane.policy.model;

import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.AddressLiteral;
import java.util.Arrays;

/**
 * The address literals of a gateway (its own and its source NAT address). Parsed without DNS,
 * by the datapath's literal parser, and refused when the kernel could not use them: the
 * all-zero address means "none" in {@code xg_gateway}, and an IPv4-mapped IPv6 address would
 * pose as IPv4.
 */
public final class GatewayAddress {
    private GatewayAddress() {
    }

    public static IpAddr ipv4(String text) {
        byte[] bytes = AddressLiteral.parseBytes(text);
        if (bytes.length != 4) {
            throw new IllegalArgumentException("\"" + text + "\" is an IPv6 address, not IPv4");
        }
        if (Arrays.equals(bytes, new byte[4])) {
            throw new IllegalArgumentException("0.0.0.0 is not an address a packet can be sent to");
        }
        return IpAddr.of(AddressLiteral.toInetAddress(bytes));
    }

    public static IpAddr ipv6(String text) {
        byte[] bytes = AddressLiteral.parseBytes(text);
        if (bytes.length != 16) {
            throw new IllegalArgumentException("\"" + text + "\" is an IPv4 address, not IPv6");
        }
        IpAddr address = IpAddr.of(bytes);
        if (address.equals(IpAddr.ZERO)) {
            throw new IllegalArgumentException(":: is not an address a packet can be sent to");
        }
        if (address.isIpv4()) {
            throw new IllegalArgumentException("\"" + text + "\" is an IPv4-mapped address; write "
                    + address + " in the IPv4 field");
        }
        return address;
    }
}
