package io.xdpgate.datapath.jna;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct bpf_prog_info} (linux/bpf.h), filled by {@code bpf_obj_get_info_by_fd}. */
@FieldOrder({"type", "id", "tag", "jited_prog_len", "xlated_prog_len", "jited_prog_insns",
        "xlated_prog_insns", "load_time", "created_by_uid", "nr_map_ids", "map_ids", "name", "ifindex",
        "gpl_compatible_bits", "netns_dev", "netns_ino", "nr_jited_ksyms", "nr_jited_func_lens",
        "jited_ksyms", "jited_func_lens", "btf_id", "func_info_rec_size", "func_info", "nr_func_info",
        "nr_line_info", "line_info", "jited_line_info", "nr_jited_line_info", "line_info_rec_size",
        "jited_line_info_rec_size", "nr_prog_tags", "prog_tags", "run_time_ns", "run_cnt",
        "recursion_misses", "verified_insns", "attach_btf_obj_id", "attach_btf_id", "pad0"})
public class BpfProgInfo extends Structure {
    public static final int BPF_TAG_SIZE = 8;
    public static final int BPF_OBJ_NAME_LEN = 16;

    public int type;
    public int id;
    public byte[] tag = new byte[BPF_TAG_SIZE];
    public int jited_prog_len;
    public int xlated_prog_len;
    public long jited_prog_insns;
    public long xlated_prog_insns;
    public long load_time;
    public int created_by_uid;
    public int nr_map_ids;
    public long map_ids;
    public byte[] name = new byte[BPF_OBJ_NAME_LEN];
    public int ifindex;
    /** {@code __u32 gpl_compatible:1; __u32 :31;} */
    public int gpl_compatible_bits;
    public long netns_dev;
    public long netns_ino;
    public int nr_jited_ksyms;
    public int nr_jited_func_lens;
    public long jited_ksyms;
    public long jited_func_lens;
    public int btf_id;
    public int func_info_rec_size;
    public long func_info;
    public int nr_func_info;
    public int nr_line_info;
    public long line_info;
    public long jited_line_info;
    public int nr_jited_line_info;
    public int line_info_rec_size;
    public int jited_line_info_rec_size;
    public int nr_prog_tags;
    public long prog_tags;
    public long run_time_ns;
    public long run_cnt;
    public long recursion_misses;
    public int verified_insns;
    public int attach_btf_obj_id;
    public int attach_btf_id;
    /** the unnamed trailing {@code __u32 :32} */
    public int pad0;
}
