package io.xdpgate.datapath.bpf;

import io.xdpgate.datapath.jna.BpfXdpQueryOpts;
import io.xdpgate.datapath.jna.LibBpfNative;
import java.util.ArrayList;
import java.util.List;

/** Attaching XDP programs to interfaces directly (bpf_xdp_attach), without a dispatcher or bpf_link. */
public final class Xdp {
    private Xdp() {
    }

    /**
     * Attaches {@code program} to {@code ifindex}, replacing a program already there in that mode.
     * {@link XdpMode#AUTO} tries native and falls back to generic; the result says which was used.
     */
    public static XdpAttachment attach(BpfProgram program, int ifindex, XdpMode mode) {
        if (mode == XdpMode.OFFLOAD) {
            throw new IllegalArgumentException("offloaded XDP needs a device-bound program");
        }
        if (mode != XdpMode.AUTO) {
            attachIn(program, ifindex, mode);
            return new XdpAttachment(ifindex, program.id(), mode);
        }
        try {
            attachIn(program, ifindex, XdpMode.NATIVE);
            return new XdpAttachment(ifindex, program.id(), XdpMode.NATIVE);
        } catch (BpfException nativeFailure) {
            try {
                attachIn(program, ifindex, XdpMode.GENERIC);
            } catch (BpfException genericFailure) {
                genericFailure.addSuppressed(nativeFailure);
                throw genericFailure;
            }
            return new XdpAttachment(ifindex, program.id(), XdpMode.GENERIC);
        }
    }

    /** Removes the program of {@code mode} from {@code ifindex}; AUTO removes whatever is attached. */
    public static void detach(int ifindex, XdpMode mode) {
        if (mode == XdpMode.AUTO) {
            for (XdpAttachment attached : query(ifindex)) {
                detach(ifindex, attached.mode());
            }
            return;
        }
        LibBpfNative lib = NativeLibraries.bpf();
        Checked.call("detach " + mode + " XDP from ifindex " + ifindex, () -> lib.bpf_xdp_detach(ifindex, mode.flags, null));
    }

    /** The programs attached to {@code ifindex}: none, one, or one per mode. */
    public static List<XdpAttachment> query(int ifindex) {
        BpfXdpQueryOpts opts = new BpfXdpQueryOpts();
        LibBpfNative lib = NativeLibraries.bpf();
        Checked.call("query XDP of ifindex " + ifindex, () -> lib.bpf_xdp_query(ifindex, 0, opts));
        List<XdpAttachment> attached = new ArrayList<>(1);
        addIfSet(attached, ifindex, opts.drv_prog_id, XdpMode.NATIVE);
        addIfSet(attached, ifindex, opts.skb_prog_id, XdpMode.GENERIC);
        addIfSet(attached, ifindex, opts.hw_prog_id, XdpMode.OFFLOAD);
        return attached;
    }

    private static void addIfSet(List<XdpAttachment> attached, int ifindex, int progId, XdpMode mode) {
        if (progId != 0) {
            attached.add(new XdpAttachment(ifindex, progId, mode));
        }
    }

    private static void attachIn(BpfProgram program, int ifindex, XdpMode mode) {
        int fd = program.fd();
        LibBpfNative lib = NativeLibraries.bpf();
        Checked.call("attach " + mode + " XDP program " + program.name() + " to ifindex " + ifindex,
                () -> lib.bpf_xdp_attach(ifindex, fd, mode.flags, null));
    }
}
