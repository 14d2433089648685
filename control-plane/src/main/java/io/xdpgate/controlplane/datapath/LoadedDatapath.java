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
import io.xdpgate.datapath.bpf.NetDevice;
import io.xdpgate.datapath.netlink.Link;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The packet processor as the daemon holds it: the loaded objects (the XDP build, and the tc
 * build over the same maps when some interface runs at tc), their typed tables, and where they
 * are attached. Closing it releases the daemon's file descriptors only: pinned maps and attached
 * programs stay, so traffic keeps flowing while the daemon restarts.
 */
public final class LoadedDatapath implements AutoCloseable {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(LoadedDatapath.class.getName());
    private final BpfObject object;
    private final BpfObject tcObject;
    private final XdpgateTables tables;
    private final PolicyTables policy;
    private final List<InterfaceAttachment> named;
    private final Map<Integer, InterfaceAttachment> selected = new ConcurrentHashMap<>();
    private final boolean fibForward;
    private final boolean reusedMaps;
    private final Path pinDir;
    private final XdpMode xdpMode;
    private final Hook gatewayHook;
    private volatile boolean detached;

    LoadedDatapath(BpfObject object, BpfObject tcObject, XdpgateTables tables, List<InterfaceAttachment> named,
                   boolean reusedMaps, DatapathSettings settings, Hook gatewayHook) {
        this.object = object;
        this.tcObject = tcObject;
        this.tables = tables;
        this.policy = new PolicyTables(tables);
        this.named = List.copyOf(named);
        this.fibForward = settings.loadTime().fibForward();
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

    /** The external and internal interfaces: those configured by name, then those patterns selected. */
    public List<InterfaceAttachment> interfaces() {
        List<InterfaceAttachment> all = new ArrayList<>(named);
        all.addAll(selected.values());
        return all;
    }

    public List<Attachment> attachments() {
        return interfaces().stream().map(InterfaceAttachment::attachment).toList();
    }

    /**
     * Attaches to a link a pattern selected, at the hook its binding resolves to for it (auto: tc
     * on a veth); refused once the datapath was detached, so no link is covered again behind the
     * operator's back.
     */
    public synchronized Attachment attachSelected(Link link, PatternBinding binding) {
        if (detached) {
            throw new IllegalStateException("the packet processor was detached from the node");
        }
        Hook hook = binding.hook().resolve(link.name(), LinkKind::isVeth);
        int ifindex = NetDevice.ifindex(link.name());
        if (ifindex != link.ifindex()) {
            throw new IllegalStateException(link.name() + " now has ifindex " + ifindex + ", not " + link.ifindex()
                    + ": it was re-created");
        }
        if (link.mac() == null) {
            throw new IllegalStateException("interface " + link.name() + " has no Ethernet address");
        }
        Attachment a = ManagedInterfaces.attach(program(hook), tables, link.name(), ifindex, link.mac(), binding.role(),
                hook, xdpMode, fibForward);
        selected.put(ifindex, new InterfaceAttachment(a, binding.role(), binding.pattern()));
        return a;
    }

    /** A selected link renamed within its pattern: listed under its new name. */
    public Attachment renameSelected(Attachment attachment, String name) {
        Attachment renamed = new Attachment(name, attachment.ifindex(), attachment.hook(), attachment.xdpMode(),
                attachment.programId());
        selected.computeIfPresent(attachment.ifindex(), (k, v) -> new InterfaceAttachment(renamed, v.role(), v.pattern()));
        return renamed;
    }

    /** Takes the program off a selected link (unless it is gone, and the program with it) and clears its slots. */
    public synchronized void detachSelected(Attachment attachment, boolean gone) {
        if (!gone && !detached) {
            attachment.detach();
        }
        ManagedInterfaces.forget(tables, attachment.ifindex(), fibForward);
        selected.remove(attachment.ifindex());
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
        for (InterfaceAttachment a : named) {
            a.attachment().detach();
        }
        for (InterfaceAttachment a : selected.values()) {
            try {
                a.attachment().detach();
            } catch (RuntimeException e) { // a pod's veth that went a moment ago, its program with it
                LOG.warning(() -> "detach from " + a.attachment().device() + ": " + e.getMessage());
            }
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
