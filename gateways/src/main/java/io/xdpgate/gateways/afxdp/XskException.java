package io.xdpgate.gateways.afxdp;

import com.sun.jna.LastErrorException;
import io.xdpgate.abi.Errno;

/** An AF_XDP system call failed: which call, on what, and the errno by name and text. */
public final class XskException extends RuntimeException {
    private final int errno;

    XskException(String operation, int errno) {
        super(operation + ": " + Errno.name(errno) + " (" + Errno.text(errno) + ")");
        this.errno = errno;
    }

    static XskException of(String operation, LastErrorException e) {
        return new XskException(operation, e.getErrorCode());
    }

    public int errno() {
        return errno;
    }
}
