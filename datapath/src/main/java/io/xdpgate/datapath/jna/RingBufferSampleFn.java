package io.xdpgate.datapath.jna;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/** {@code ring_buffer_sample_fn}: {@code int (*)(void *ctx, void *data, size_t size)}; non-zero stops the poll. */
public interface RingBufferSampleFn extends Callback {
    int invoke(Pointer ctx, Pointer data, long size);
}
