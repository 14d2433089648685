package io.xdpgate.datapath.bpf;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.xdpgate.datapath.jna.BpfProgInfo;
import io.xdpgate.datapath.jna.LibBpfNative;
import java.util.List;

/** A program of a loaded {@link BpfObject}; its descriptor closes with the object. */
public final class BpfProgram {
    /** {@code BPF_PROG_TYPE_XDP} of linux/bpf.h */
    static final int BPF_PROG_TYPE_XDP = 6;
    /** {@code BPF_PROG_TYPE_SCHED_CLS} of linux/bpf.h */
    static final int BPF_PROG_TYPE_SCHED_CLS = 3;

    private final BpfObject owner;
    private final Pointer program;
    private final String name;
    private final String sectionName;
    private final int type;

    BpfProgram(BpfObject owner, Pointer program) {
        LibBpfNative lib = NativeLibraries.bpf();
        this.owner = owner;
        this.program = program;
        this.name = lib.bpf_program__name(program);
        this.sectionName = lib.bpf_program__section_name(program);
        this.type = lib.bpf_program__type(program);
    }

    public int fd() {
        owner.ensureOpen();
        int fd = NativeLibraries.bpf().bpf_program__fd(program);
        if (fd < 0) {
            throw Checked.errno("descriptor of program " + name, -fd);
        }
        return fd;
    }

    /** The C function name. */
    public String name() {
        return name;
    }

    /** The ELF section, e.g. {@code xdp} or {@code tc}. */
    public String sectionName() {
        return sectionName;
    }

    /** {@code enum bpf_prog_type} value. */
    public int type() {
        return type;
    }

    public boolean isXdp() {
        return type == BPF_PROG_TYPE_XDP;
    }

    /** A tc classifier ({@code SEC("tc")}, BPF_PROG_TYPE_SCHED_CLS). */
    public boolean isTc() {
        return type == BPF_PROG_TYPE_SCHED_CLS;
    }

    /** The kernel's id of the loaded program, as XDP and tc queries report it. */
    public int id() {
        BpfProgInfo info = new BpfProgInfo();
        IntByReference len = new IntByReference(info.size());
        int rc = NativeLibraries.bpf().bpf_obj_get_info_by_fd(fd(), info, len);
        if (rc < 0) {
            throw Checked.errno("read info of program " + name, -rc);
        }
        return info.id;
    }

    /** Runs the program once (or {@code repeat} times) on a packet with BPF_PROG_TEST_RUN. */
    public TestRunResult testRun(TestRunRequest request) {
        return TestRun.run(this, request);
    }

    /** See {@link Xdp#attach}. */
    public XdpAttachment attachXdp(int ifindex, XdpMode mode) {
        return Xdp.attach(this, ifindex, mode);
    }

    /** See {@link Xdp#detach}. */
    public static void detachXdp(int ifindex, XdpMode mode) {
        Xdp.detach(ifindex, mode);
    }

    /** See {@link Xdp#query}. */
    public static List<XdpAttachment> queryXdp(int ifindex) {
        return Xdp.query(ifindex);
    }

    /** See {@link Tc#attach}. */
    public TcAttachment attachTc(int ifindex, TcDirection direction) {
        return Tc.attach(this, ifindex, direction);
    }

    /** See {@link Tc#detach}. */
    public static void detachTc(TcAttachment attachment) {
        Tc.detach(attachment);
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name + " (" + sectionName + ")]";
    }
}
