package io.xdpgate.abi;

import java.util.StringJoiner;

/** Bits of the TCP flags byte (byte 13 of the TCP header). */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private static final String[] NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};

    private TcpFlags() {
    }

    /** "SYN|ACK" style text for assertion messages; "none" for 0. */
    public static String describe(int flags) {
        StringJoiner text = new StringJoiner("|");
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                text.add(NAMES[bit]);
            }
        }
        return flags == 0 ? "none" : text.toString();
    }
}
