package io.xdpgate.controlplane.datapath;

import io.xdpgate.datapath.bpf.BpfProgram;
import io.xdpgate.datapath.bpf.Tc;
import io.xdpgate.datapath.bpf.TcAttachment;
import io.xdpgate.datapath.bpf.TcDirection;
import io.xdpgate.datapath.bpf.Xdp;
import io.xdpgate.datapath.bpf.XdpAttachment;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.tables.Hook;
import java.util.logging.Logger;

/**
 * Where the packet processor runs on one interface: XDP (and in which mode) or tc ingress, where
 * it is the filter of xdpgate's own handle and priority, so a restart replaces its program in
 * place and a detach removes only it.
 */
public record Attachment(String device, int ifindex, Hook hook, XdpMode xdpMode, int programId) {
    private static final Logger LOG = Logger.getLogger(Attachment.class.getName());
    static final int TC_HANDLE = 0x7867; // "xg"
    static final int TC_PRIORITY = 1;

    /**
     * Attaches {@code program} (of {@code hook}'s build) to the interface, replacing the program a
     * previous run left at that hook, and takes xdpgate off the other hook (a setting changed
     * from xdp to tc or back must not leave the pipeline running twice).
     */
    static Attachment attach(BpfProgram program, String device, int ifindex, Hook hook, XdpMode mode) {
        if (hook == Hook.XDP) {
            XdpAttachment a = Xdp.attach(program, ifindex, mode);
            removeTcFilter(ifindex);
            if (mode == XdpMode.AUTO && a.mode() == XdpMode.GENERIC) {
                LOG.warning(() -> "native XDP refused on " + device + "; attached in generic (skb) mode, which is slower");
            }
            return new Attachment(device, ifindex, Hook.XDP, a.mode(), a.progId());
        }
        TcAttachment a = Tc.attachOrReplace(program, ifindex, TcDirection.INGRESS, TC_HANDLE, TC_PRIORITY);
        Xdp.detach(ifindex, XdpMode.AUTO);
        return new Attachment(device, ifindex, Hook.TC, mode, a.progId());
    }

    /** Removes the program from the interface (XDP: whatever program is attached in any mode). */
    public void detach() {
        if (hook == Hook.XDP) {
            Xdp.detach(ifindex, XdpMode.AUTO);
        } else {
            removeTcFilter(ifindex);
        }
    }

    private static void removeTcFilter(int ifindex) {
        TcAttachment filter = tcFilter(ifindex);
        if (Tc.query(filter).isPresent()) {
            Tc.detach(filter);
        }
    }

    static TcAttachment tcFilter(int ifindex) {
        return new TcAttachment(ifindex, TcDirection.INGRESS, TC_HANDLE, TC_PRIORITY, 0);
    }
}
