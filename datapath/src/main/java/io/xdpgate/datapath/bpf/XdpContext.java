package io.xdpgate.datapath.bpf;

/**
 * {@code struct xdp_md} as BPF_PROG_TEST_RUN reports it: offsets relative to the start of the data
 * out buffer, so {@code data - dataMeta} is the metadata length.
 */
public record XdpContext(int data, int dataEnd, int dataMeta, int ingressIfindex, int rxQueueIndex,
                         int egressIfindex) {
    public int metadataLength() {
        return data - dataMeta;
    }
}
