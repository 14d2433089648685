package io.xdpgate.datapath.bpf;

/** {@code enum xdp_action}: what an XDP program returns. */
public enum XdpAction {
    ABORTED, DROP, PASS, TX, REDIRECT;

    private static final XdpAction[] VALUES = values();

    /** The action of return code {@code retval}; null for a value outside the enum. */
    public static XdpAction of(int retval) {
        return retval >= 0 && retval < VALUES.length ? VALUES[retval] : null;
    }
}
