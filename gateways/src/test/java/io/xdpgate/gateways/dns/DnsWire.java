package io.xdpgate.gateways.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test-only DNS message writer: queries, responses and the malformed ones the parser must refuse. */
final class DnsWire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static DnsWire header(int id, int flags, int qd, int an, int ns, int ar) {
        DnsWire w = new DnsWire();
        w.u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
        return w;
    }

    /** A standard query (RD set) for {@code name} of {@code type}, class IN, optionally with an OPT record. */
    static byte[] query(int id, String name, int type, boolean edns) {
        DnsWire w = header(id, 0x0100, 1, 0, 0, edns ? 1 : 0).name(name).u16(type).u16(1);
        if (edns) {
            w.opt();
        }
        return w.bytes();
    }

    static byte[] query(int id, String name, int type) {
        return query(id, name, type, false);
    }

    /** A response to that query with one A record (a pointer to the question's name) and NOERROR. */
    static byte[] answer(int id, String name, int type) {
        return header(id, 0x8180, 1, 1, 0, 0).name(name).u16(type).u16(1)
                .u8(0xc0).u8(12).u16(type).u16(1).u32(300).u16(4).u8(198).u8(18).u8(2).u8(53).bytes();
    }

    DnsWire u8(int v) {
        out.write(v);
        return this;
    }

    DnsWire u16(int v) {
        return u8(v >>> 8).u8(v & 0xff);
    }

    DnsWire u32(int v) {
        return u16(v >>> 16).u16(v & 0xffff);
    }

    DnsWire raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** {@code a.b.c} as labels and the root; "" is the root alone. */
    DnsWire name(String name) {
        if (!name.isEmpty()) {
            for (String label : name.split("\\.")) {
                byte[] l = label.getBytes(StandardCharsets.ISO_8859_1);
                u8(l.length).raw(l);
            }
        }
        return u8(0);
    }

    /** An OPT record: root name, type 41, UDP size 1232, no options. */
    DnsWire opt() {
        return u8(0).u16(41).u16(1232).u32(0).u16(0);
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
