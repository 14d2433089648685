package io.xdpgate.controlplane.datapath;

import io.xdpgate.datapath.bpf.BpfFs;
import io.xdpgate.datapath.bpf.BpfMap;
import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.BpfProgram;
import io.xdpgate.datapath.bpf.MapSpec;
import io.xdpgate.datapath.bpf.NetDevice;
import io.xdpgate.datapath.tables.Hook;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Loads the packet processor, taking over the maps a previous run pinned (so established flows
 * survive a restart or an upgrade), pins what is new, describes the interfaces in the ifaces map
 * and attaches the pipeline to them at each one's hook (XDP, or tc ingress from the tc build over
 * the same maps), replacing the previous run's program in place.
 */
public final class DatapathLoader {
    private static final Logger LOG = Logger.getLogger(DatapathLoader.class.getName());

    private DatapathLoader() {
    }

    public static LoadedDatapath load(DatapathSettings settings) {
        BpfFs.ensureMounted(BpfFs.DEFAULT_MOUNT);
        createDirectories(settings.pinDir());
        BpfObject object = BpfObject.open(settings.object());
        BpfObject tc = null;
        try {
            object.setMaxEntries(MapNames.CONNS, sizeOf(settings.pinDir(), MapNames.CONNS, settings.connsMaxEntries()));
            object.setMaxEntries(MapNames.NAT_REV, sizeOf(settings.pinDir(), MapNames.NAT_REV, settings.natMaxEntries()));
            // as many sources as connections: the source table is never the one that is full first
            object.setMaxEntries(MapNames.SRC_COUNTS, sizeOf(settings.pinDir(), MapNames.SRC_COUNTS,
                    settings.connsMaxEntries()));
            unpinIncompatible(object, settings.pinDir());
            boolean reused = Files.exists(settings.pinDir().resolve(MapNames.CONNS));
            settings.loadTime().applyTo(object);
            for (String map : MapNames.PINNED) {
                // libbpf reuses a compatible map pinned here and pins the ones it creates
                object.setPinPath(map, settings.pinDir().resolve(map));
            }
            object.load();
            XdpgateTables tables = new XdpgateTables(object::map);
            List<ResolvedInterface> interfaces = settings.interfaces().stream()
                    .map(b -> new ResolvedInterface(b, b.hook().resolve(b.name(), LinkKind::isVeth))).toList();
            Hook gatewayHook = settings.gatewayHook().resolve("gateway veth", veth -> true);
            // a pattern's links are not known yet: any that may land at tc needs the tc build now
            boolean tcNeeded = gatewayHook == Hook.TC || interfaces.stream().anyMatch(i -> i.hook() == Hook.TC)
                    || settings.patterns().stream().anyMatch(p -> p.hook() != HookChoice.XDP);
            tc = tcNeeded ? loadTc(settings.tcObject(), object) : null;
            List<InterfaceAttachment> attached = new ArrayList<>();
            for (ResolvedInterface i : interfaces) {
                attached.add(attach(object, tc, tables, i, settings));
            }
            LOG.info(() -> (reused ? "took over pinned maps in " : "created and pinned maps in ") + settings.pinDir());
            return new LoadedDatapath(object, tc, tables, attached, reused, settings, gatewayHook);
        } catch (RuntimeException e) {
            if (tc != null) {
                tc.close();
            }
            object.close();
            throw e;
        }
    }

    private record ResolvedInterface(InterfaceBinding binding, Hook hook) {
    }

    /** The tc build over the XDP build's maps and settings: one state, two hooks. */
    private static BpfObject loadTc(Path file, BpfObject loaded) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("an interface runs at tc but the tc build " + file + " is missing "
                    + "(xdpgate.bpf-tc-object; `make bpf` writes it beside " + loaded.path().getFileName() + ")");
        }
        BpfObject tc = BpfObject.open(file);
        try {
            return tc.shareStateWith(loaded).load();
        } catch (RuntimeException e) {
            tc.close();
            throw e;
        }
    }

    /**
     * A pinned map this build declares differently (an upgrade changed its layout) cannot be
     * reused: libbpf would refuse to load, and the node would keep the old program with no
     * daemon. Its pin is removed so a new map is created; the old one lives on, still used by the
     * attached program, until the new program replaces it. What that costs is logged per map.
     */
    private static void unpinIncompatible(BpfObject object, Path pinDir) {
        for (String map : MapNames.PINNED) {
            Path pinned = pinDir.resolve(map);
            if (!Files.exists(pinned)) {
                continue;
            }
            MapSpec wanted = object.mapSpec(map);
            MapSpec found;
            try (BpfMap existing = BpfMap.fromPinned(pinned)) {
                found = existing.spec();
            }
            if (found.equals(wanted)) {
                continue;
            }
            LOG.warning(() -> "pinned map " + map + " (" + found + ") differs from this build's (" + wanted
                    + "); replacing it: " + MapNames.lossOnReplace(map));
            try {
                Files.delete(pinned);
            } catch (IOException e) {
                throw new UncheckedIOException("remove incompatible pin " + pinned, e);
            }
        }
    }

    /**
     * A pinned table keeps its size (libbpf reuses a pinned map only when its parameters match);
     * a new size takes effect once the maps are removed ({@code xdpgate detach --purge}).
     */
    private static int sizeOf(Path pinDir, String map, int wanted) {
        Path pinned = pinDir.resolve(map);
        if (!Files.exists(pinned)) {
            return wanted;
        }
        try (BpfMap existing = BpfMap.fromPinned(pinned)) {
            int size = existing.maxEntries();
            if (size != wanted) {
                LOG.warning(() -> map + " keeps its pinned size " + size + " (configured " + wanted
                        + "); remove the pinned maps to resize");
            }
            return size;
        }
    }

    /** Describes the interface in the maps and attaches at its hook. */
    private static InterfaceAttachment attach(BpfObject object, BpfObject tc, XdpgateTables tables,
                                              ResolvedInterface i, DatapathSettings settings) {
        String name = i.binding().name();
        int ifindex = NetDevice.ifindex(name);
        BpfProgram program = (i.hook() == Hook.XDP ? object : tc).program(i.hook().program());
        Attachment a = ManagedInterfaces.attach(program, tables, name, ifindex, null, i.binding().role(), i.hook(),
                settings.xdpMode(), settings.loadTime().fibForward());
        LOG.info(() -> "attached to " + name + " (ifindex " + ifindex + ", " + i.binding().role() + ", "
                + (a.hook() == Hook.XDP ? "XDP " + a.xdpMode() : "tc ingress") + ")");
        return new InterfaceAttachment(a, i.binding().role(), null);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
    }
}
