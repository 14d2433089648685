package io.xdpgate.datapath.bpf;

/** {@code TC_ACT_*} of linux/pkt_cls.h: what a tc classifier in direct-action mode returns. */
public enum TcAction {
    UNSPEC(-1), OK(0), RECLASSIFY(1), SHOT(2), PIPE(3), STOLEN(4), QUEUED(5), REPEAT(6), REDIRECT(7);

    private final int code;

    TcAction(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The action of return code {@code retval}; null for a value no constant has. */
    public static TcAction of(int retval) {
        for (TcAction a : values()) {
            if (a.code == retval) {
                return a;
            }
        }
        return null;
    }
}
