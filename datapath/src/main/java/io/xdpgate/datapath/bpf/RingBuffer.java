package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import com.sun.jna.Pointer;
import io.xdpgate.datapath.jna.LibBpfNative;
import io.xdpgate.datapath.jna.RingBufferSampleFn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * Reader of a BPF_MAP_TYPE_RINGBUF map. {@link #poll} and {@link #consume} hand each record to the
 * consumer on the calling thread as a little-endian view of the ring's memory that is valid only
 * during that call: copy what must outlive it. Use from one thread at a time.
 */
public final class RingBuffer implements AutoCloseable {
    private final LibBpfNative lib;
    private final String mapName;
    private final Consumer<ByteBuffer> consumer;
    /** Held for the ring's lifetime: libbpf keeps the function pointer. */
    private final RingBufferSampleFn sampleFn;
    private Pointer ring;
    private RuntimeException consumerFailure;

    private RingBuffer(BpfMap map, Consumer<ByteBuffer> consumer) {
        if (map.type() != BpfMapType.RINGBUF) {
            throw new IllegalArgumentException("map " + map.name() + " is " + map.type() + ", not RINGBUF");
        }
        this.lib = NativeLibraries.bpf();
        this.mapName = map.name();
        this.consumer = consumer;
        this.sampleFn = this::deliver;
        int fd = map.fd();
        this.ring = Checked.pointer("open ring buffer " + mapName, () -> lib.ring_buffer__new(fd, sampleFn, null, null));
    }

    public static RingBuffer open(BpfMap map, Consumer<ByteBuffer> consumer) {
        return new RingBuffer(map, consumer);
    }

    /**
     * Waits up to {@code timeoutMs} (0: do not wait, -1: forever) for records and delivers them.
     * Returns how many were delivered; an interrupted wait delivers none. A consumer exception
     * stops the poll and is rethrown here; the record that raised it counts as consumed.
     */
    public int poll(int timeoutMs) {
        return check(lib.ring_buffer__poll(handle(), timeoutMs), "poll");
    }

    /** Delivers whatever is ready without waiting. */
    public int consume() {
        return check(lib.ring_buffer__consume(handle()), "consume");
    }

    /** An epoll descriptor that becomes readable when records arrive, for an event loop. */
    public int epollFd() {
        return lib.ring_buffer__epoll_fd(handle());
    }

    @Override
    public void close() {
        if (ring != null) {
            lib.ring_buffer__free(ring);
            ring = null;
        }
    }

    private int deliver(Pointer ctx, Pointer data, long size) {
        try {
            consumer.accept(data.getByteBuffer(0, size).order(ByteOrder.LITTLE_ENDIAN));
            return 0;
        } catch (RuntimeException e) {
            consumerFailure = e;
            return -1; // stops ring_buffer__poll; the exception is rethrown by check()
        }
    }

    private int check(int rc, String what) {
        RuntimeException failure = consumerFailure;
        if (failure != null) {
            consumerFailure = null;
            throw failure;
        }
        if (rc == -Errno.EINTR) {
            return 0;
        }
        if (rc < 0) {
            throw Checked.errno(what + " ring buffer " + mapName, -rc);
        }
        return rc;
    }

    private Pointer handle() {
        if (ring == null) {
            throw new IllegalStateException("ring buffer " + mapName + " is closed");
        }
        return ring;
    }
}
