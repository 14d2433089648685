package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import io.xdpgate.datapath.jna.BpfTcHook;
import io.xdpgate.datapath.jna.BpfTcOpts;
import io.xdpgate.datapath.jna.LibBpfNative;
import java.util.OptionalInt;

/** tc BPF filters in direct-action mode on the clsact qdisc (bpf_tc_*), for what XDP cannot see. */
public final class Tc {
    private Tc() {
    }

    /** Creates the clsact qdisc if missing and attaches {@code program} with a kernel-chosen handle and priority. */
    public static TcAttachment attach(BpfProgram program, int ifindex, TcDirection direction) {
        return attach(program, ifindex, direction, 0, 0, 0);
    }

    /**
     * Attaches {@code program} as the filter {@code handle}/{@code priority}, replacing the program
     * of a filter already there (a previous run's): the hook never goes without one.
     */
    public static TcAttachment attachOrReplace(BpfProgram program, int ifindex, TcDirection direction, int handle,
                                               int priority) {
        return attach(program, ifindex, direction, handle, priority, BpfTcOpts.BPF_TC_F_REPLACE);
    }

    /** Handle and priority 0: the kernel chooses them. */
    private static TcAttachment attach(BpfProgram program, int ifindex, TcDirection direction, int handle,
                                       int priority, int flags) {
        LibBpfNative lib = NativeLibraries.bpf();
        BpfTcHook hook = hook(ifindex, direction.attachPoint);
        Checked.call("create clsact qdisc on ifindex " + ifindex, () -> lib.bpf_tc_hook_create(hook), Errno.EEXIST);
        BpfTcOpts opts = new BpfTcOpts();
        opts.prog_fd = program.fd();
        opts.handle = handle;
        opts.priority = priority;
        opts.flags = flags;
        Checked.call("attach tc " + direction + " program " + program.name() + " to ifindex " + ifindex,
                () -> lib.bpf_tc_attach(hook, opts));
        return new TcAttachment(ifindex, direction, opts.handle, opts.priority, opts.prog_id);
    }

    public static void detach(TcAttachment attachment) {
        LibBpfNative lib = NativeLibraries.bpf();
        BpfTcHook hook = hook(attachment.ifindex(), attachment.direction().attachPoint);
        BpfTcOpts opts = filter(attachment);
        Checked.call("detach tc " + attachment.direction() + " filter from ifindex " + attachment.ifindex(),
                () -> lib.bpf_tc_detach(hook, opts));
    }

    /** The program id of the filter, or empty when it is gone. */
    public static OptionalInt query(TcAttachment attachment) {
        if (attachment.ifindex() <= 0 || attachment.handle() == 0 || attachment.priority() == 0) {
            throw new IllegalArgumentException("not a filter bpf_tc_attach made: " + attachment);
        }
        LibBpfNative lib = NativeLibraries.bpf();
        BpfTcHook hook = hook(attachment.ifindex(), attachment.direction().attachPoint);
        BpfTcOpts opts = filter(attachment);
        int rc = lib.bpf_tc_query(hook, opts);
        // Valid input given, EINVAL is the kernel saying the filter's chain or the clsact qdisc is gone.
        if (rc == -Errno.ENOENT || rc == -Errno.EINVAL) {
            return OptionalInt.empty();
        }
        if (rc < 0) {
            throw Checked.errno("query tc filter on ifindex " + attachment.ifindex(), -rc);
        }
        return OptionalInt.of(opts.prog_id);
    }

    /** Removes the clsact qdisc and with it every tc filter on both hooks of {@code ifindex}. */
    public static void destroyHooks(int ifindex) {
        LibBpfNative lib = NativeLibraries.bpf();
        BpfTcHook hook = hook(ifindex, BpfTcHook.BPF_TC_INGRESS | BpfTcHook.BPF_TC_EGRESS);
        // The kernel answers EINVAL when there is no clsact qdisc to delete.
        Checked.call("destroy clsact qdisc on ifindex " + ifindex, () -> lib.bpf_tc_hook_destroy(hook), Errno.EINVAL);
    }

    private static BpfTcHook hook(int ifindex, int attachPoint) {
        BpfTcHook hook = new BpfTcHook();
        hook.ifindex = ifindex;
        hook.attach_point = attachPoint;
        return hook;
    }

    private static BpfTcOpts filter(TcAttachment attachment) {
        BpfTcOpts opts = new BpfTcOpts();
        opts.handle = attachment.handle();
        opts.priority = attachment.priority();
        return opts;
    }
}
