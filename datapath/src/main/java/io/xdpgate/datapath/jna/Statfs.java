package io.xdpgate.datapath.jna;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** glibc {@code struct statfs} on 64-bit Linux (x86_64, aarch64): every {@code __fsword_t} and count is 8 bytes. */
@FieldOrder({"f_type", "f_bsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree", "f_fsid",
        "f_namelen", "f_frsize", "f_flags", "f_spare"})
public class Statfs extends Structure {
    /** {@code BPF_FS_MAGIC} of linux/magic.h */
    public static final long BPF_FS_MAGIC = 0xcafe4a11L;

    public long f_type;
    public long f_bsize;
    public long f_blocks;
    public long f_bfree;
    public long f_bavail;
    public long f_files;
    public long f_ffree;
    public int[] f_fsid = new int[2];
    public long f_namelen;
    public long f_frsize;
    public long f_flags;
    public long[] f_spare = new long[4];
}
