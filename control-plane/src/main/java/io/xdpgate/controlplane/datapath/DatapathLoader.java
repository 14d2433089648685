package io.xdpgate.controlplane.datapath;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.datapath.bpf.BpfFs;
import io.xdpgate.datapath.bpf.BpfMap;
import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.MapSpec;
import io.xdpgate.datapath.bpf.NetDevice;
import io.xdpgate.datapath.bpf.Xdp;
import io.xdpgate.datapath.bpf.XdpAttachment;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Loads the packet processor, taking over the maps a previous run pinned (so established flows
 * survive a restart or an upgrade), pins what is new, describes the interfaces in the ifaces map
 * and attaches the program to them, replacing the previous run's program in place.
 */
public final class DatapathLoader {
    private static final Logger LOG = Logger.getLogger(DatapathLoader.class.getName());

    private DatapathLoader() {
    }

    public static LoadedDatapath load(DatapathSettings settings) {
        BpfFs.ensureMounted(BpfFs.DEFAULT_MOUNT);
        createDirectories(settings.pinDir());
        BpfObject object = BpfObject.open(settings.object());
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
            List<XdpAttachment> attached = new ArrayList<>();
            for (InterfaceBinding binding : settings.interfaces()) {
                attached.add(attach(object, tables, binding, settings.xdpMode()));
            }
            LOG.info(() -> (reused ? "took over pinned maps in " : "created and pinned maps in ") + settings.pinDir());
            return new LoadedDatapath(object, tables, attached, reused, settings.pinDir());
        } catch (RuntimeException e) {
            object.close();
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

    private static XdpAttachment attach(BpfObject object, XdpgateTables tables, InterfaceBinding binding,
                                        XdpMode mode) {
        int ifindex = NetDevice.ifindex(binding.name());
        if (ifindex >= Abi.XG_MAX_IFINDEX) {
            throw new IllegalStateException("interface " + binding.name() + " has ifindex " + ifindex
                    + "; the ifaces map holds ifindexes below " + Abi.XG_MAX_IFINDEX);
        }
        tables.ifaces().put(ifindex, new Iface(binding.role(), 0, macOf(binding.name())));
        XdpAttachment attachment = Xdp.attach(object.program(MapNames.PROGRAM), ifindex, mode);
        if (mode == XdpMode.AUTO && attachment.mode() == XdpMode.GENERIC) {
            LOG.warning(() -> "native XDP refused on " + binding.name() + "; attached in generic (skb) mode, "
                    + "which is slower");
        }
        LOG.info(() -> "attached to " + binding.name() + " (ifindex " + ifindex + ", " + binding.role() + ", "
                + attachment.mode() + ")");
        return attachment;
    }

    /**
     * Through the JDK (netlink/ioctl in this process's network namespace), not /sys/class/net:
     * under {@code ip netns exec} /sys is remounted and bpffs under it is a different instance.
     */
    private static MacAddr macOf(String interfaceName) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(interfaceName);
            byte[] mac = nif == null ? null : nif.getHardwareAddress();
            if (mac == null || mac.length != MacAddr.LENGTH) {
                throw new IllegalStateException("interface " + interfaceName + " has no Ethernet address");
            }
            return MacAddr.of(mac);
        } catch (SocketException e) {
            throw new IllegalStateException("cannot read the MAC address of " + interfaceName, e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
    }
}
