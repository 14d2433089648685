package io.xdpgate.datapath.jna;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/**
 * {@code libbpf_print_fn_t}: {@code int (*)(enum libbpf_print_level level, const char *fmt, va_list args)}.
 * On x86_64 and aarch64 a {@code va_list} parameter arrives as a pointer and can be handed on to
 * {@code vsnprintf} unchanged.
 */
public interface LibbpfPrintFn extends Callback {
    int LIBBPF_WARN = 0;
    int LIBBPF_INFO = 1;
    int LIBBPF_DEBUG = 2;

    int invoke(int level, Pointer format, Pointer vaList);
}
