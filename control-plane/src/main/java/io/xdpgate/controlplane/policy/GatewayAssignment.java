package io.xdpgate.controlplane.policy;

import java.net.InetAddress;

/** A gateway of the document with the id the kernel knows it by (its position) and its parsed values. */
public record GatewayAssignment(int id, GatewaySpec spec, InetAddress address4, InetAddress address6, int portBase,
                                int portCount, boolean failOpen) {
}
