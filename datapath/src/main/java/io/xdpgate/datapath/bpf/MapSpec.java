package io.xdpgate.datapath.bpf;

/**
 * What a map is, as libbpf compares a pinned map with an object's declaration before reusing it:
 * type, key and value size, capacity and creation flags.
 */
public record MapSpec(BpfMapType type, int keySize, int valueSize, int maxEntries, int flags) {
    @Override
    public String toString() {
        return type + " key " + keySize + " value " + valueSize + " entries " + maxEntries + " flags 0x"
                + Integer.toHexString(flags);
    }
}
