package io.xdpgate.datapath.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Values and observations of the binding fixture (src/test/bpf/binding_test.bpf.c). */
final class BindingFixture {
    private BindingFixture() {
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    /** A 64-byte Ethernet frame whose first byte (what binding_xdp judges by) is {@code first}. */
    static byte[] frame(int first) {
        byte[] frame = new byte[64];
        frame[0] = (byte) first;
        frame[12] = 0x08; // EtherType IPv4, so the frame looks like one
        for (int i = 14; i < frame.length; i++) {
            frame[i] = (byte) i;
        }
        return frame;
    }

    /** Frames binding_xdp has seen: slot 0 of packet_count. */
    static long packetCount(BpfObject obj) {
        byte[] value = obj.map("packet_count").lookup(u32(0)).orElseThrow();
        return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
