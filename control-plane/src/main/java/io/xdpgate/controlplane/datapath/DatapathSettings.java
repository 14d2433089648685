package io.xdpgate.controlplane.datapath;

import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.tables.Hook;
import io.xdpgate.datapath.tables.LoadTimeSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the loader needs: the two builds of the packet processor (XDP and tc; the tc one is loaded
 * only when some interface runs at tc), where maps are pinned, the interfaces, the XDP mode, the
 * table sizes (applied only when a map is created; a pinned map keeps its size), the load-time
 * settings and the hook of the daemon's end of each gateway veth.
 */
public record DatapathSettings(Path object, Path tcObject, Path pinDir, List<InterfaceBinding> interfaces,
                               XdpMode xdpMode, int connsMaxEntries, int natMaxEntries, LoadTimeSettings loadTime,
                               HookChoice gatewayHook) {
    public DatapathSettings {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(gatewayHook, "gatewayHook");
        if (tcObject == null) {
            tcObject = siblingTcObject(object);
        }
    }

    /** The tc build where `make bpf` and the package put it: beside the XDP build. */
    public static Path siblingTcObject(Path object) {
        Path dir = object.toAbsolutePath().getParent();
        return dir.resolve(Hook.TC.objectFile());
    }
}
