package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import java.util.List;

/**
 * A libbpf or bpf() call failed. Carries errno and what libbpf printed while the call ran, so a
 * program the verifier rejected surfaces the verifier log in {@link #getMessage()}.
 */
public class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final transient List<String> libbpfLog;

    public BpfException(String operation, int errno, List<String> libbpfLog) {
        super(message(operation, errno, libbpfLog));
        this.operation = operation;
        this.errno = errno;
        this.libbpfLog = List.copyOf(libbpfLog);
    }

    public BpfException(String operation, int errno) {
        this(operation, errno, List.of());
    }

    /** What was attempted, e.g. {@code load BPF object /x.o}. */
    public String operation() {
        return operation;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }

    public String errnoText() {
        return Errno.text(errno);
    }

    /** libbpf's messages (warnings and info) printed on this thread during the failing call. */
    public List<String> libbpfLog() {
        return libbpfLog;
    }

    private static String message(String operation, int errno, List<String> log) {
        StringBuilder sb = new StringBuilder(operation).append(" failed: ")
                .append(Errno.name(errno)).append(" (").append(Errno.text(errno)).append(')');
        if (!log.isEmpty()) {
            sb.append("\nlibbpf:");
            for (String line : log) {
                sb.append("\n  ").append(line);
            }
        }
        return sb.toString();
    }
}
