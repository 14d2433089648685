package io.xdpgate.datapath.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;

/**
 * libbpf 1.1, as declared in {@code /usr/include/bpf/{libbpf,bpf,btf}.h}. Opaque libbpf objects
 * ({@code struct bpf_object}, {@code bpf_map}, {@code bpf_program}, {@code btf}, {@code ring_buffer})
 * are plain pointers. int functions return {@code -errno} on failure; pointer functions return
 * NULL and set errno.
 */
public interface LibBpfNative extends Library {
    /** library name JNA resolves through the linker path */
    String NAME = "bpf";
    /** the runtime soname shipped without the -dev symlink */
    String SONAME = "libbpf.so.1";

    /** {@code enum bpf_map_update} flags of bpf_map_update_elem */
    long BPF_ANY = 0;
    long BPF_NOEXIST = 1;
    long BPF_EXIST = 2;

    /** linux/if_link.h XDP_FLAGS_* */
    int XDP_FLAGS_UPDATE_IF_NOEXIST = 1;
    int XDP_FLAGS_SKB_MODE = 1 << 1;
    int XDP_FLAGS_DRV_MODE = 1 << 2;
    int XDP_FLAGS_HW_MODE = 1 << 3;
    int XDP_FLAGS_REPLACE = 1 << 4;

    /** linux/btf.h BTF_KIND_*: btf__find_by_name_kind's kind, bits 24-28 of btf_type.info */
    int BTF_KIND_ARRAY = 3;
    int BTF_KIND_STRUCT = 4;
    int BTF_KIND_UNION = 5;
    int BTF_KIND_ENUM = 6;
    int BTF_KIND_TYPEDEF = 8;
    int BTF_KIND_VOLATILE = 9;
    int BTF_KIND_CONST = 10;
    int BTF_KIND_RESTRICT = 11;
    int BTF_KIND_TYPE_TAG = 18;
    int BTF_KIND_ENUM64 = 19;
    int BTF_KIND_VAR = 14;
    int BTF_KIND_DATASEC = 15;

    // libbpf.h: library-wide
    Pointer libbpf_set_print(LibbpfPrintFn fn);

    int libbpf_num_possible_cpus();

    // libbpf.h: objects
    Pointer bpf_object__open_file(String path, Pointer opts);

    int bpf_object__load(Pointer obj);

    void bpf_object__close(Pointer obj);

    String bpf_object__name(Pointer obj);

    Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    Pointer bpf_object__next_program(Pointer obj, Pointer prev);

    Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    Pointer bpf_object__next_map(Pointer obj, Pointer prev);

    int bpf_object__pin_maps(Pointer obj, String path);

    int bpf_object__unpin_maps(Pointer obj, String path);

    // libbpf.h: programs
    int bpf_program__fd(Pointer prog);

    String bpf_program__name(Pointer prog);

    String bpf_program__section_name(Pointer prog);

    int bpf_program__type(Pointer prog);

    // libbpf.h: maps of an object
    int bpf_map__fd(Pointer map);

    String bpf_map__name(Pointer map);

    int bpf_map__type(Pointer map);

    int bpf_map__key_size(Pointer map);

    int bpf_map__value_size(Pointer map);

    int bpf_map__max_entries(Pointer map);

    int bpf_map__map_flags(Pointer map);

    int bpf_map__set_max_entries(Pointer map, int maxEntries);

    /** The writable initial contents of a global-data map (.rodata, .data) before load. */
    Pointer bpf_map__initial_value(Pointer map, LongByReference psize);

    /** The object's BTF, owned by the object (not to be freed). */
    Pointer bpf_object__btf(Pointer obj);

    int bpf_map__set_pin_path(Pointer map, String path);

    String bpf_map__pin_path(Pointer map);

    int bpf_map__reuse_fd(Pointer map, int fd);

    // bpf.h: syscall wrappers
    int bpf_map_create(int mapType, String name, int keySize, int valueSize, int maxEntries, Pointer opts);

    int bpf_map_update_elem(int fd, byte[] key, byte[] value, long flags);

    int bpf_map_lookup_elem(int fd, byte[] key, byte[] value);

    int bpf_map_delete_elem(int fd, byte[] key);

    int bpf_map_get_next_key(int fd, byte[] key, byte[] nextKey);

    int bpf_map_lookup_batch(int fd, Pointer inBatch, Pointer outBatch, Pointer keys, Pointer values,
                             IntByReference count, BpfMapBatchOpts opts);

    int bpf_obj_pin(int fd, String path);

    int bpf_obj_get(String path);

    int bpf_obj_get_info_by_fd(int fd, BpfMapInfo info, IntByReference infoLen);

    int bpf_obj_get_info_by_fd(int fd, BpfProgInfo info, IntByReference infoLen);

    int bpf_prog_test_run_opts(int progFd, BpfTestRunOpts opts);

    // libbpf.h: XDP
    int bpf_xdp_attach(int ifindex, int progFd, int flags, BpfXdpAttachOpts opts);

    int bpf_xdp_detach(int ifindex, int flags, BpfXdpAttachOpts opts);

    int bpf_xdp_query(int ifindex, int flags, BpfXdpQueryOpts opts);

    // libbpf.h: tc (clsact)
    int bpf_tc_hook_create(BpfTcHook hook);

    int bpf_tc_hook_destroy(BpfTcHook hook);

    int bpf_tc_attach(BpfTcHook hook, BpfTcOpts opts);

    int bpf_tc_detach(BpfTcHook hook, BpfTcOpts opts);

    int bpf_tc_query(BpfTcHook hook, BpfTcOpts opts);

    // libbpf.h: ring buffer
    Pointer ring_buffer__new(int mapFd, RingBufferSampleFn sampleFn, Pointer ctx, Pointer opts);

    int ring_buffer__poll(Pointer rb, int timeoutMs);

    int ring_buffer__consume(Pointer rb);

    int ring_buffer__epoll_fd(Pointer rb);

    void ring_buffer__free(Pointer rb);

    // btf.h
    Pointer btf__parse(String path, Pointer btfExt);

    void btf__free(Pointer btf);

    int btf__type_cnt(Pointer btf);

    Pointer btf__type_by_id(Pointer btf, int id);

    String btf__name_by_offset(Pointer btf, int offset);

    int btf__find_by_name_kind(Pointer btf, String name, int kind);

    long btf__resolve_size(Pointer btf, int id);

    int btf__resolve_type(Pointer btf, int id);
}
