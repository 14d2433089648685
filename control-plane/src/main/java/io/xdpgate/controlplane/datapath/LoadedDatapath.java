package io.xdpgate.controlplane.datapath;

import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.BpfProgram;
import io.xdpgate.datapath.bpf.Xdp;
import io.xdpgate.datapath.bpf.XdpAttachment;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.tables.PolicyTables;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The packet processor as the daemon holds it: the loaded object, its typed tables, and where
 * it is attached. Closing it releases the daemon's file descriptors only: pinned maps and
 * attached programs stay, so traffic keeps flowing while the daemon restarts.
 */
public final class LoadedDatapath implements AutoCloseable {
    private final BpfObject object;
    private final XdpgateTables tables;
    private final PolicyTables policy;
    private final List<XdpAttachment> attachments;
    private final boolean reusedMaps;
    private final Path pinDir;
    private volatile boolean detached;

    LoadedDatapath(BpfObject object, XdpgateTables tables, List<XdpAttachment> attachments, boolean reusedMaps,
                   Path pinDir) {
        this.object = object;
        this.tables = tables;
        this.policy = new PolicyTables(tables);
        this.attachments = List.copyOf(attachments);
        this.reusedMaps = reusedMaps;
        this.pinDir = pinDir;
    }

    public XdpgateTables tables() {
        return tables;
    }

    public PolicyTables policy() {
        return policy;
    }

    public BpfProgram program() {
        return object.program(MapNames.PROGRAM);
    }

    /** The hop into a local gateway's AF_XDP socket, for the gateway end of its veth. */
    public BpfProgram xskProgram() {
        return object.program(MapNames.XSK_PROGRAM);
    }

    public List<XdpAttachment> attachments() {
        return attachments;
    }

    /** True when the maps (and so the connections) of a previous run were taken over. */
    public boolean reusedMaps() {
        return reusedMaps;
    }

    /**
     * Takes the firewall off the node: the program leaves every interface it was attached to, so
     * traffic flows unfiltered; with {@code purge} the pinned maps go too (connections, counters and
     * policy are forgotten; the next start begins afresh).
     */
    public synchronized void detach(boolean purge) {
        for (XdpAttachment a : attachments) {
            Xdp.detach(a.ifindex(), XdpMode.AUTO);
        }
        if (purge) {
            for (String map : MapNames.PINNED) {
                try {
                    Files.deleteIfExists(pinDir.resolve(map));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot unpin " + pinDir.resolve(map), e);
                }
            }
        }
        detached = true;
    }

    public boolean isDetached() {
        return detached;
    }

    @Override
    public void close() {
        object.close();
    }
}
