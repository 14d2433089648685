package io.xdpgate.datapath.jna;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct bpf_map_info} (linux/bpf.h), filled by {@code bpf_obj_get_info_by_fd}. */
@FieldOrder({"type", "id", "key_size", "value_size", "max_entries", "map_flags", "name", "ifindex",
        "btf_vmlinux_value_type_id", "netns_dev", "netns_ino", "btf_id", "btf_key_type_id",
        "btf_value_type_id", "pad0", "map_extra"})
public class BpfMapInfo extends Structure {
    public static final int BPF_OBJ_NAME_LEN = 16;

    public int type;
    public int id;
    public int key_size;
    public int value_size;
    public int max_entries;
    public int map_flags;
    public byte[] name = new byte[BPF_OBJ_NAME_LEN];
    public int ifindex;
    public int btf_vmlinux_value_type_id;
    public long netns_dev;
    public long netns_ino;
    public int btf_id;
    public int btf_key_type_id;
    public int btf_value_type_id;
    /** the unnamed {@code __u32 :32} alignment pad */
    public int pad0;
    public long map_extra;
}
