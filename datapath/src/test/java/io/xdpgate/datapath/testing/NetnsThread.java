package io.xdpgate.datapath.testing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A thread that lives in a network namespace ({@code ip netns add}): what it calls sees that
 * namespace's devices, routes and neighbours. BPF_PROG_TEST_RUN looks the ingress device up, and
 * bpf_fib_lookup routes, in the namespace of the calling thread, and a devmap resolves ifindexes
 * there; a test of forwarding runs them here so that it never routes in the host's namespace.
 */
public final class NetnsThread implements AutoCloseable {
    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    /** setns(2) is per thread: only this thread moves. */
    private interface Setns extends Library {
        Setns C = Native.load("c", Setns.class);

        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private final ExecutorService thread;

    public NetnsThread(String netns) {
        thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "netns-" + netns));
        call(() -> {
            String path = "/var/run/netns/" + netns;
            int fd = Setns.C.open(path, O_RDONLY);
            if (fd < 0) {
                throw new IllegalStateException("open " + path + ": errno " + Native.getLastError());
            }
            try {
                if (Setns.C.setns(fd, CLONE_NEWNET) != 0) {
                    throw new IllegalStateException("setns " + path + ": errno " + Native.getLastError());
                }
            } finally {
                Setns.C.close(fd);
            }
            return null;
        });
    }

    /** Runs {@code task} on the thread inside the namespace; its exceptions come out as they are. */
    public <T> T call(Callable<T> task) {
        try {
            return thread.submit(task).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
