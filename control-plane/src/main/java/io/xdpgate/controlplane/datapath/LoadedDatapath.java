package io.xdpgate.controlplane.datapath;

import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.BpfProgram;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.tables.Hook;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.tables.PolicyTables;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The packet processor as the daemon holds it: the loaded objects (the XDP build, and the tc
 * build over the same maps when some interface runs at tc), their typed tables, and where they
 * are attached. Closing it releases the daemon's file descriptors only: pinned maps and attached
 * programs stay, so traffic keeps flowing while the daemon restarts.
 */
public final class LoadedDatapath implements AutoCloseable {
    private final BpfObject object;
    private final BpfObject tcObject;
    private final XdpgateTables tables;
    private final PolicyTables policy;
    private final List<Attachment> attachments;
    private final boolean reusedMaps;
    private final Path pinDir;
    private final XdpMode xdpMode;
    private final Hook gatewayHook;
    private volatile boolean detached;

    LoadedDatapath(BpfObject object, BpfObject tcObject, XdpgateTables tables, List<Attachment> attachments,
                   boolean reusedMaps, DatapathSettings settings, Hook gatewayHook) {
        this.object = object;
        this.tcObject = tcObject;
        this.tables = tables;
        this.policy = new PolicyTables(tables);
        this.attachments = List.copyOf(attachments);
        this.reusedMaps = reusedMaps;
        this.pinDir = settings.pinDir();
        this.xdpMode = settings.xdpMode();
        this.gatewayHook = gatewayHook;
    }

    public XdpgateTables tables() {
        return tables;
    }

    public PolicyTables policy() {
        return policy;
    }

    /** The pipeline at XDP. */
    public BpfProgram program() {
        return object.program(MapNames.PROGRAM);
    }

    /** The pipeline at {@code hook}; tc only when the tc build was loaded. */
    public BpfProgram program(Hook hook) {
        if (hook == Hook.XDP) {
            return program();
        }
        if (tcObject == null) {
            throw new IllegalStateException("the tc build is not loaded: no interface runs at tc");
        }
        return tcObject.program(hook.program());
    }

    /** The hop into a local gateway's AF_XDP socket, for the gateway end of its veth. */
    public BpfProgram xskProgram() {
        return object.program(MapNames.XSK_PROGRAM);
    }

    public XdpMode xdpMode() {
        return xdpMode;
    }

    /** The hook of the daemon's end of a gateway veth (a veth: auto picks tc). */
    public Hook gatewayHook() {
        return gatewayHook;
    }

    /** Attaches the pipeline of {@code hook} to a device the daemon made (a gateway veth's end). */
    public Attachment attach(String device, int ifindex, Hook hook) {
        return Attachment.attach(program(hook), device, ifindex, hook, xdpMode);
    }

    public List<Attachment> attachments() {
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
        for (Attachment a : attachments) {
            a.detach();
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
        if (tcObject != null) {
            tcObject.close();
        }
        object.close();
    }
}
