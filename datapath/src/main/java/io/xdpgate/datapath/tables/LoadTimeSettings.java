package io.xdpgate.datapath.tables;

import io.xdpgate.datapath.bpf.BpfObject;

/**
 * The packet processor's {@code const volatile} settings (bpf/src/config.h), written into
 * .rodata before load.
 *
 * @param tcpStrict  drop TCP segments other than SYN that have no connection (else classify them:
 *                   connections older than the firewall survive its arrival)
 * @param dropEvents emit a ring-buffer event for every refused new flow
 */
public record LoadTimeSettings(boolean tcpStrict, boolean dropEvents) {
    public static final LoadTimeSettings DEFAULTS = new LoadTimeSettings(true, true);

    public void applyTo(BpfObject object) {
        object.setReadOnlyGlobal("cfg_tcp_strict", new byte[] {(byte) (tcpStrict ? 1 : 0)});
        object.setReadOnlyGlobal("cfg_drop_events", new byte[] {(byte) (dropEvents ? 1 : 0)});
    }
}
