package io.xdpgate.datapath.bpf;

/** {@code enum bpf_map_type} of linux/bpf.h, in kernel order: the ordinal is the kernel value. */
public enum BpfMapType {
    UNSPEC,
    HASH,
    ARRAY,
    PROG_ARRAY,
    PERF_EVENT_ARRAY,
    PERCPU_HASH,
    PERCPU_ARRAY,
    STACK_TRACE,
    CGROUP_ARRAY,
    LRU_HASH,
    LRU_PERCPU_HASH,
    LPM_TRIE,
    ARRAY_OF_MAPS,
    HASH_OF_MAPS,
    DEVMAP,
    SOCKMAP,
    CPUMAP,
    XSKMAP,
    SOCKHASH,
    CGROUP_STORAGE,
    REUSEPORT_SOCKARRAY,
    PERCPU_CGROUP_STORAGE,
    QUEUE,
    STACK,
    SK_STORAGE,
    DEVMAP_HASH,
    STRUCT_OPS,
    RINGBUF,
    INODE_STORAGE,
    TASK_STORAGE,
    BLOOM_FILTER,
    USER_RINGBUF,
    CGRP_STORAGE,
    ARENA,
    /** a type newer than this list */
    UNKNOWN;

    private static final BpfMapType[] VALUES = values();

    public static BpfMapType of(int kernelValue) {
        return kernelValue >= 0 && kernelValue < UNKNOWN.ordinal() ? VALUES[kernelValue] : UNKNOWN;
    }

    /** Values of these maps hold one slot per possible CPU. */
    public boolean isPerCpu() {
        return this == PERCPU_HASH || this == PERCPU_ARRAY || this == LRU_PERCPU_HASH || this == PERCPU_CGROUP_STORAGE;
    }

    /** Every index exists and deletion is refused; clearing means writing zeros. */
    public boolean isArray() {
        return this == ARRAY || this == PERCPU_ARRAY;
    }
}
