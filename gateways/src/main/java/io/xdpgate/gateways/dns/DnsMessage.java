package io.xdpgate.gateways.dns;

import java.nio.ByteBuffer;

/**
 * A DNS message (RFC 1035 4.1) read whole and checked, as the gateway judges it: the header, its
 * one question, and whether it carries EDNS (RFC 6891). Every record of every section is walked,
 * so a message is taken only when each name and record fits where the counts say and nothing is
 * left over: a server must not read records the gateway skipped.
 *
 * <p>Refused, with the reason: fewer than 12 bytes; a question count other than 1 (RFC 9619);
 * a label length byte over 63 (longer labels, and the label types 0x40 and 0x80 such bytes
 * would mean); a name over 255 bytes; a compression
 * pointer that does not point strictly backwards, or more than {@link #MAX_POINTERS} in one name;
 * a label with a dot or a byte outside printable ASCII in the question (its text form would be
 * ambiguous: {@code a.b} as one label or two); a record cut short; bytes after the last record;
 * more than one OPT record, one outside the additional section or with a name other than the root.
 *
 * @param id       the message id
 * @param flags    the 16 flag bits (QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE)
 * @param name     the question's name, lower case, without the trailing dot ("" for the root)
 * @param type     the question's type
 * @param qclass   the question's class
 * @param questionEnd where the question ends (from the message's start): header and question
 *                 are {@code [0, questionEnd)}
 * @param answers  the answer count
 * @param edns     an OPT record is present
 */
public record DnsMessage(int id, int flags, String name, int type, int qclass, int questionEnd, int answers,
                         boolean edns) {
    /** Pointers followed at most in one name: a name of 255 bytes has at most 127 labels, the last being the root. */
    static final int MAX_POINTERS = 126;
    static final int MAX_LABEL = 63;
    static final int MAX_NAME = 255;
    static final int HEADER = 12;
    static final int TYPE_OPT = 41;

    public boolean isResponse() {
        return (flags & 0x8000) != 0;
    }

    public int opcode() {
        return (flags >>> 11) & 0xf;
    }

    public int rcode() {
        return flags & 0xf;
    }

    /** Reads {@code msg} from its position to its limit, which must be exactly one message. */
    public static DnsMessage parse(ByteBuffer msg) throws DnsFormatException {
        ByteBuffer m = msg.slice();
        int len = m.remaining();
        if (len < HEADER) {
            throw new DnsFormatException("shorter than a DNS header (" + len + " bytes)");
        }
        int id = m.getShort(0) & 0xffff;
        int flags = m.getShort(2) & 0xffff;
        int qd = m.getShort(4) & 0xffff;
        int an = m.getShort(6) & 0xffff;
        int ns = m.getShort(8) & 0xffff;
        int ar = m.getShort(10) & 0xffff;
        if (qd != 1) {
            throw new DnsFormatException("question count " + qd + ", not 1");
        }
        StringBuilder name = new StringBuilder();
        int at = readName(m, HEADER, name, true);
        if (at + 4 > len) {
            throw new DnsFormatException("question cut short");
        }
        int type = m.getShort(at) & 0xffff;
        int qclass = m.getShort(at + 2) & 0xffff;
        at += 4;
        int questionEnd = at;
        boolean edns = false;
        int records = an + ns + ar;
        for (int i = 0; i < records; i++) {
            int owner = at;
            at = readName(m, at, null, false);
            if (at + 10 > len) {
                throw new DnsFormatException("record " + (i + 1) + " of " + records + " cut short");
            }
            int rtype = m.getShort(at) & 0xffff;
            int rdlen = m.getShort(at + 8) & 0xffff;
            at += 10;
            if (at + rdlen > len) {
                throw new DnsFormatException("record " + (i + 1) + " of " + records + ": data of " + rdlen
                        + " bytes runs past the message");
            }
            at += rdlen;
            if (rtype == TYPE_OPT) {
                if (i < an + ns) {
                    throw new DnsFormatException("an OPT record outside the additional section");
                }
                if (edns) {
                    throw new DnsFormatException("more than one OPT record");
                }
                if (m.get(owner) != 0) {
                    throw new DnsFormatException("an OPT record whose name is not the root");
                }
                edns = true;
            }
        }
        if (at != len) {
            throw new DnsFormatException((len - at) + " bytes after the last of the records the counts announce");
        }
        return new DnsMessage(id, flags, name.toString(), type, qclass, questionEnd, an, edns);
    }

    /**
     * Reads the name at {@code at}; returns where it ends in place (after its terminating root
     * label or its first pointer). With {@code out} the labels are written to it, lower case and
     * dot-joined; {@code strict} refuses labels whose text form would be ambiguous.
     */
    private static int readName(ByteBuffer m, int at, StringBuilder out, boolean strict) throws DnsFormatException {
        int len = m.limit();
        int end = -1;
        int pointers = 0;
        int nameLen = 1; // the root label's length byte
        int pos = at;
        while (true) {
            if (pos >= len) {
                throw new DnsFormatException("name cut short");
            }
            int b = m.get(pos) & 0xff;
            if (b == 0) {
                return end < 0 ? pos + 1 : end;
            }
            switch (b & 0xc0) {
                case 0xc0 -> {
                    if (pos + 2 > len) {
                        throw new DnsFormatException("compression pointer cut short");
                    }
                    int target = ((b & 0x3f) << 8) | (m.get(pos + 1) & 0xff);
                    if (++pointers > MAX_POINTERS) {
                        throw new DnsFormatException("more than " + MAX_POINTERS + " compression pointers in one name");
                    }
                    if (target >= pos || target < HEADER) {
                        throw new DnsFormatException("compression pointer to " + target + " at " + pos
                                + " does not point back into the message");
                    }
                    if (end < 0) {
                        end = pos + 2;
                    }
                    pos = target;
                }
                case 0x00 -> {
                    if (pos + 1 + b > len) {
                        throw new DnsFormatException("label cut short");
                    }
                    nameLen += 1 + b;
                    if (nameLen > MAX_NAME) {
                        throw new DnsFormatException("name longer than " + MAX_NAME + " bytes");
                    }
                    if (out != null) {
                        if (out.length() > 0) {
                            out.append('.');
                        }
                        for (int i = pos + 1; i <= pos + b; i++) {
                            int c = m.get(i) & 0xff;
                            if (strict && (c == '.' || c <= 0x20 || c >= 0x7f)) {
                                throw new DnsFormatException("a question label with a dot, a space or a byte outside"
                                        + " printable ASCII (0x" + Integer.toHexString(c) + ")");
                            }
                            out.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c));
                        }
                    }
                    pos += 1 + b;
                }
                default -> throw new DnsFormatException("label length byte " + b + ": a label is at most " + MAX_LABEL
                        + " bytes, and label types 0x40 and 0x80 (RFC 6891 5) are not taken");
            }
        }
    }
}
