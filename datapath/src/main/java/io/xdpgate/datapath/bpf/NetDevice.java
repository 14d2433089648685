package io.xdpgate.datapath.bpf;

import com.sun.jna.Native;

/** Network interface names and indexes, as the attach calls want them. */
public final class NetDevice {
    private NetDevice() {
    }

    /** The ifindex of {@code name} in this network namespace. */
    public static int ifindex(String name) {
        int index = NativeLibraries.c().if_nametoindex(name);
        if (index == 0) {
            throw Checked.errno("find interface " + name, Native.getLastError());
        }
        return index;
    }
}
