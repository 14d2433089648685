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
 * settings, the hook of the daemon's end of each gateway veth, and the name patterns whose
 * links the interface watch attaches to as they come and go.
 */
public record DatapathSettings(Path object, Path tcObject, Path pinDir, List<InterfaceBinding> interfaces,
                               XdpMode xdpMode, int connsMaxEntries, int natMaxEntries, LoadTimeSettings loadTime,
                               HookChoice gatewayHook, List<PatternBinding> patterns) {
    public DatapathSettings {
        Objects.requireNonNull(object, "object");
        patterns = List.copyOf(patterns);
        Objects.requireNonNull(gatewayHook, "gatewayHook");
        if (tcObject == null) {
            tcObject = siblingTcObject(object);
        }
    }

    /** Without interface patterns. */
    public DatapathSettings(Path object, Path tcObject, Path pinDir, List<InterfaceBinding> interfaces,
                            XdpMode xdpMode, int connsMaxEntries, int natMaxEntries, LoadTimeSettings loadTime,
                            HookChoice gatewayHook) {
        this(object, tcObject, pinDir, interfaces, xdpMode, connsMaxEntries, natMaxEntries, loadTime, gatewayHook,
                List.of());
    }

    /** The tc build where `make bpf` and the package put it: beside the XDP build. */
    public static Path siblingTcObject(Path object) {
        Path dir = object.toAbsolutePath().getParent();
        return dir.resolve(Hook.TC.objectFile());
    }
}
