package io.xdpgate.datapath.bpf;

/**
 * Input of BPF_PROG_TEST_RUN.
 *
 * @param packet          the frame, starting at the Ethernet header
 * @param metadata        XDP only: bytes placed in front of the frame as if written by
 *                        bpf_xdp_adjust_meta (multiple of 4, at most 32)
 * @param ingressIfindex  the device the packet arrives on (XDP: ctx->ingress_ifindex; tc: ctx->ifindex);
 *                        0 keeps the kernel's default (loopback), else a device of this namespace
 * @param rxQueueIndex    XDP only: ctx->rx_queue_index, valid for that device
 * @param repeat          runs; the reported duration is the average
 * @param dataOutCapacity room for the output frame, which the program may grow
 */
public record TestRunRequest(byte[] packet, byte[] metadata, int ingressIfindex, int rxQueueIndex, int repeat,
                             int dataOutCapacity) {
    /** Headroom for programs that grow the frame (bpf_xdp_adjust_tail / adjust_head). */
    private static final int GROWTH = 4096;

    public static TestRunRequest of(byte[] packet) {
        return new TestRunRequest(packet, new byte[0], 0, 0, 1, packet.length + GROWTH);
    }

    public TestRunRequest withMetadata(byte[] meta) {
        return new TestRunRequest(packet, meta, ingressIfindex, rxQueueIndex, repeat,
                packet.length + meta.length + GROWTH);
    }

    public TestRunRequest withIngressIfindex(int ifindex) {
        return new TestRunRequest(packet, metadata, ifindex, rxQueueIndex, repeat, dataOutCapacity);
    }

    public TestRunRequest withRxQueueIndex(int queue) {
        return new TestRunRequest(packet, metadata, ingressIfindex, queue, repeat, dataOutCapacity);
    }

    public TestRunRequest withRepeat(int times) {
        return new TestRunRequest(packet, metadata, ingressIfindex, rxQueueIndex, times, dataOutCapacity);
    }

    public TestRunRequest withDataOutCapacity(int bytes) {
        return new TestRunRequest(packet, metadata, ingressIfindex, rxQueueIndex, repeat, bytes);
    }
}
