package io.xdpgate.gateways.tls;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Test-only ClientHello writer: the handshake message, and its records cut as a client may cut them. */
final class Hellos {
    private Hellos() {
    }

    static byte[] extension(int type, byte[] data) {
        return ByteBuffer.allocate(4 + data.length).putShort((short) type).putShort((short) data.length).put(data).array();
    }

    static byte[] sni(String... names) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (String n : names) {
            byte[] b = n.getBytes(StandardCharsets.ISO_8859_1);
            list.write(0);
            list.write(b.length >>> 8);
            list.write(b.length);
            list.writeBytes(b);
        }
        byte[] l = list.toByteArray();
        return extension(0, ByteBuffer.allocate(2 + l.length).putShort((short) l.length).put(l).array());
    }

    /** The handshake message: header, a TLS 1.2-style body with the given extensions. */
    static byte[] hello(byte[]... extensions) {
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        for (byte[] e : extensions) {
            ext.writeBytes(e);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {3, 3});
        body.writeBytes(new byte[32]);
        body.write(0); // session id
        body.writeBytes(new byte[] {0, 4, (byte) 0xc0, 0x2f, 0x13, 0x01});
        body.writeBytes(new byte[] {1, 0});
        byte[] e = ext.toByteArray();
        body.write(e.length >>> 8);
        body.write(e.length);
        body.writeBytes(e);
        byte[] b = body.toByteArray();
        return ByteBuffer.allocate(4 + b.length).putInt(0x01000000 | b.length).put(b).array();
    }

    /** {@code handshake} in records of at most {@code size} bytes each. */
    static byte[] records(byte[] handshake, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < handshake.length; at += size) {
            int n = Math.min(size, handshake.length - at);
            out.writeBytes(new byte[] {22, 3, 1, (byte) (n >>> 8), (byte) n});
            out.write(handshake, at, n);
        }
        return out.toByteArray();
    }

    static byte[] records(byte[] handshake) {
        return records(handshake, 1 << 14);
    }
}
