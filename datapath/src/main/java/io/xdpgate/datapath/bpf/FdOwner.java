package io.xdpgate.datapath.bpf;

/** Whoever closes a file descriptor a map or program borrows; using it after close would hit a recycled fd. */
interface FdOwner {
    /** @throws IllegalStateException when the owner has been closed */
    void ensureOpen();
}
