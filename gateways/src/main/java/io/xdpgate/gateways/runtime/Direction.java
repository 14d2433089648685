package io.xdpgate.gateways.runtime;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.Meta;
import io.xdpgate.abi.TcpFlags;

/**
 * Which way a frame goes, client to server or back, and so which connection it belongs to:
 * the packet processor's metadata says; without it, whichever way round the flow is known,
 * else a TCP SYN or any UDP datagram opens it from the client.
 *
 * @param key        the connection, client side first
 * @param fromClient true for client-to-server frames
 */
record Direction(FlowKey key, boolean fromClient) {
    static Direction of(IpFrame f, Meta meta, FlowTable<?> table) {
        IpAddr src = IpAddr.of(f.srcAddr());
        IpAddr dst = IpAddr.of(f.dstAddr());
        FlowKey forward = new FlowKey(src, f.srcPort, dst, f.dstPort);
        boolean fromClient;
        if (meta != null) {
            fromClient = meta.dir() == Abi.XG_DIR_ORIG;
        } else {
            fromClient = table.contains(forward)
                    || !table.contains(new FlowKey(dst, f.dstPort, src, f.srcPort))
                    && (f.proto == IpProto.UDP || f.has(TcpFlags.SYN) && !f.has(TcpFlags.ACK));
        }
        return new Direction(fromClient ? forward : new FlowKey(dst, f.dstPort, src, f.srcPort), fromClient);
    }
}
