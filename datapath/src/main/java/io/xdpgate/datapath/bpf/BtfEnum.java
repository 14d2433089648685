package io.xdpgate.datapath.bpf;

import java.util.List;

/** An enum of a BTF blob with its enumerators in declaration order. */
public record BtfEnum(String name, long size, List<BtfEnum.Value> values) {
    /** One enumerator. */
    public record Value(String name, long value) {
    }
}
