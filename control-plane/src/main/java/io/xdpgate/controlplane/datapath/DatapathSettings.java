package io.xdpgate.controlplane.datapath;

import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.tables.LoadTimeSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * What the loader needs: the object, where maps are pinned, the interfaces, the XDP mode and the
 * table sizes (applied only when a map is created; a pinned map keeps its size).
 */
public record DatapathSettings(Path object, Path pinDir, List<InterfaceBinding> interfaces, XdpMode xdpMode,
                               int connsMaxEntries, int natMaxEntries, LoadTimeSettings loadTime) {
}
