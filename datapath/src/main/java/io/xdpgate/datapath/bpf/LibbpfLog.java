package io.xdpgate.datapath.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.xdpgate.datapath.jna.LibbpfPrintFn;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * libbpf's print callback. Each message is formatted with libc {@code vsnprintf}, forwarded to the
 * {@code io.xdpgate.datapath.libbpf} System.Logger, and (warnings and info) kept in a bounded
 * per-thread buffer: libbpf prints on the calling thread, so what a failing call printed is what
 * this thread captured since {@link #reset()}.
 */
final class LibbpfLog {
    /** Enough for a long verifier log; when exceeded the oldest lines go (the tail names the error). */
    static final int MAX_LINES = 2000;
    private static final int FIRST_BUFFER = 8192;
    /** sizeof(va_list): a struct of 24 bytes on x86_64, 32 on aarch64. */
    private static final int VA_LIST_SIZE = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 24;
        case "aarch64" -> 32;
        default -> 0;
    };
    private static final System.Logger LOG = System.getLogger("io.xdpgate.datapath.libbpf");
    private static final ThreadLocal<Capture> CAPTURE = ThreadLocal.withInitial(Capture::new);
    private static final ThreadLocal<Memory> BUFFER = ThreadLocal.withInitial(() -> new Memory(FIRST_BUFFER));

    /** Held here for the JVM's lifetime: libbpf keeps the function pointer. */
    static final LibbpfPrintFn PRINTER = LibbpfLog::print;

    private LibbpfLog() {
    }

    /** Forget what this thread captured; call right before a libbpf call whose messages matter. */
    static void reset() {
        CAPTURE.get().clear();
    }

    /** What this thread captured since {@link #reset()}, and forget it. */
    static List<String> drain() {
        return CAPTURE.get().drain();
    }

    private static int print(int level, Pointer format, Pointer vaList) {
        try {
            Level jdkLevel = switch (level) {
                case LibbpfPrintFn.LIBBPF_WARN -> Level.WARNING;
                case LibbpfPrintFn.LIBBPF_INFO -> Level.INFO;
                default -> Level.DEBUG;
            };
            boolean capture = level != LibbpfPrintFn.LIBBPF_DEBUG;
            if (!capture && !LOG.isLoggable(jdkLevel)) {
                return 0; // libbpf is chatty at debug; do not format what nobody reads
            }
            String text = format(format, vaList);
            if (capture) {
                CAPTURE.get().add(text);
            }
            LOG.log(jdkLevel, () -> text.stripTrailing());
        } catch (Throwable t) {
            // an exception must not unwind through libbpf's C frames
        }
        return 0;
    }

    private static String format(Pointer format, Pointer vaList) {
        Memory buffer = BUFFER.get();
        // vsnprintf consumes the va_list; keep a copy (what va_copy does on these ABIs) for a retry.
        Memory vaCopy = null;
        if (VA_LIST_SIZE > 0) {
            vaCopy = new Memory(VA_LIST_SIZE);
            vaCopy.write(0, vaList.getByteArray(0, VA_LIST_SIZE), 0, VA_LIST_SIZE);
        }
        int n = NativeLibraries.c().vsnprintf(buffer, buffer.size(), format, vaList);
        if (n < 0) {
            return "(unformattable libbpf message: " + format.getString(0) + ")";
        }
        if (n >= buffer.size() && vaCopy != null) {
            Memory large = new Memory(n + 1L);
            NativeLibraries.c().vsnprintf(large, large.size(), format, vaCopy);
            return large.getString(0);
        }
        return buffer.getString(0);
    }

    /** One thread's lines, oldest dropped first. */
    private static final class Capture {
        private final ArrayDeque<String> lines = new ArrayDeque<>();
        private int dropped;

        void add(String message) {
            for (String line : message.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                if (lines.size() == MAX_LINES) {
                    lines.removeFirst();
                    dropped++;
                }
                lines.addLast(line.stripTrailing());
            }
        }

        void clear() {
            lines.clear();
            dropped = 0;
        }

        List<String> drain() {
            List<String> out = new ArrayList<>(lines.size() + 1);
            if (dropped > 0) {
                out.add("(" + dropped + " earlier lines dropped)");
            }
            out.addAll(lines);
            clear();
            return out;
        }
    }
}
