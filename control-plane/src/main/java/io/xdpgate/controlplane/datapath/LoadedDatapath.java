package io.xdpgate.controlplane.datapath;

import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.BpfProgram;
import io.xdpgate.datapath.bpf.XdpAttachment;
import io.xdpgate.datapath.tables.PolicyTables;
import io.xdpgate.datapath.tables.XdpgateTables;
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

    LoadedDatapath(BpfObject object, XdpgateTables tables, List<XdpAttachment> attachments, boolean reusedMaps) {
        this.object = object;
        this.tables = tables;
        this.policy = new PolicyTables(tables);
        this.attachments = List.copyOf(attachments);
        this.reusedMaps = reusedMaps;
    }

    public XdpgateTables tables() {
        return tables;
    }

    public PolicyTables policy() {
        return policy;
    }

    public BpfProgram program() {
        return object.program(io.xdpgate.datapath.tables.MapNames.PROGRAM);
    }

    public List<XdpAttachment> attachments() {
        return attachments;
    }

    /** True when the maps (and so the connections) of a previous run were taken over. */
    public boolean reusedMaps() {
        return reusedMaps;
    }

    @Override
    public void close() {
        object.close();
    }
}
