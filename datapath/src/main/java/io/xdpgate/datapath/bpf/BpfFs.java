package io.xdpgate.datapath.bpf;

import com.sun.jna.Native;
import io.xdpgate.datapath.jna.LibCNative;
import io.xdpgate.datapath.jna.Statfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The BPF filesystem that pins live on. */
public final class BpfFs {
    /** Where systemd and most distributions mount it. */
    public static final Path DEFAULT_MOUNT = Path.of("/sys/fs/bpf");

    private BpfFs() {
    }

    /** True when {@code dir} exists and lies on a bpffs. */
    public static boolean isBpfFs(Path dir) {
        Statfs stat = new Statfs();
        if (NativeLibraries.c().statfs(dir.toString(), stat) != 0) {
            return false;
        }
        return (stat.f_type & 0xffffffffL) == Statfs.BPF_FS_MAGIC;
    }

    /**
     * Mounts a bpffs on {@code dir} (creating the directory) unless one is there already.
     *
     * @return true when this call mounted it
     */
    public static boolean ensureMounted(Path dir) {
        if (isBpfFs(dir)) {
            return false;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("create bpffs mount point " + dir, e);
        }
        if (NativeLibraries.c().mount("bpf", dir.toString(), "bpf", 0, null) != 0) {
            throw Checked.errno("mount bpffs on " + dir, Native.getLastError());
        }
        return true;
    }

    /** Unmounts the filesystem on {@code dir} lazily (it goes once no one uses it). */
    public static void unmount(Path dir) {
        if (NativeLibraries.c().umount2(dir.toString(), LibCNative.MNT_DETACH) != 0) {
            throw Checked.errno("unmount " + dir, Native.getLastError());
        }
    }
}
