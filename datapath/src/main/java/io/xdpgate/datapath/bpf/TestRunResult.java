package io.xdpgate.datapath.bpf;

import java.util.Arrays;

/**
 * Output of BPF_PROG_TEST_RUN.
 *
 * @param retval     the program's return code (an {@link XdpAction} for XDP)
 * @param dataOut    for XDP: metadata then frame (the kernel copies from data_meta); else the packet
 * @param context    XDP only (null otherwise): the context after the run
 * @param durationNs average run time per repetition
 * @param repeat     the repetitions asked for
 */
public record TestRunResult(int retval, byte[] dataOut, XdpContext context, int durationNs, int repeat) {
    /** The XDP verdict; null for a non-XDP program or an out-of-range return code. */
    public XdpAction xdpAction() {
        return context == null ? null : XdpAction.of(retval);
    }

    /** The tc verdict of a tc program's run (null for an XDP program or an unknown code). */
    public TcAction tcAction() {
        return context == null ? TcAction.of(retval) : null;
    }

    /** XDP metadata in front of the frame after the run (empty when none). */
    public byte[] metadata() {
        return Arrays.copyOfRange(dataOut, 0, metadataLength());
    }

    /** The frame after the run, without metadata. */
    public byte[] packet() {
        return Arrays.copyOfRange(dataOut, metadataLength(), dataOut.length);
    }

    private int metadataLength() {
        return context == null ? 0 : context.metadataLength();
    }
}
