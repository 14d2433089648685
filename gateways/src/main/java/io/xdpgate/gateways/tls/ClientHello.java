package io.xdpgate.gateways.tls;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the TLS gateway reads of a ClientHello (RFC 8446 4.1.2, RFC 5246 7.4.1.2): the server
 * name (RFC 6066 3) and whether Encrypted Client Hello (extension 0xfe0d) is offered. The whole
 * message is walked: every length must fit where it stands, and nothing is left over.
 *
 * @param serverName the host_name, lower case; null when there is no server_name extension
 * @param ech        an encrypted_client_hello extension is present: the name above is the outer one
 */
public record ClientHello(String serverName, boolean ech) {
    static final int EXT_SERVER_NAME = 0;
    static final int EXT_ECH = 0xfe0d;
    private static final int NAME_TYPE_HOST = 0;

    /** Parses a ClientHello's body (after the handshake header). */
    static ClientHello parse(ByteBuffer body) throws TlsFormatException {
        ByteBuffer b = body.slice();
        need(b, 2 + 32, "version and random");
        b.position(2 + 32);
        skip(b, u8(b, "session id length"), 32, "session id");
        int suites = u16(b, "cipher suites length");
        if (suites == 0 || suites % 2 != 0) {
            throw new TlsFormatException("cipher suites length " + suites);
        }
        skip(b, suites, 65534, "cipher suites");
        skip(b, u8(b, "compression methods length"), 255, "compression methods");
        if (!b.hasRemaining()) {
            return new ClientHello(null, false); // no extensions (TLS 1.2 allows it)
        }
        int extLen = u16(b, "extensions length");
        if (extLen != b.remaining()) {
            throw new TlsFormatException("extensions length " + extLen + " but " + b.remaining() + " bytes follow");
        }
        String name = null;
        boolean ech = false;
        Set<Integer> seen = new HashSet<>();
        while (b.hasRemaining()) {
            int type = u16(b, "extension type");
            int len = u16(b, "extension length");
            need(b, len, "extension " + type);
            if (!seen.add(type)) {
                throw new TlsFormatException("extension " + type + " twice"); // RFC 8446 4.2
            }
            ByteBuffer ext = b.slice(b.position(), len);
            b.position(b.position() + len);
            if (type == EXT_SERVER_NAME) {
                name = serverName(ext);
            } else if (type == EXT_ECH) {
                ech = true;
            }
        }
        return new ClientHello(name, ech);
    }

    /**
     * The one host_name of a server_name extension. Refused: none or two host names (RFC 6066:
     * at most one of a type), an empty one, a trailing dot, or a byte other than letters, digits,
     * '-', '_' and '.': a name the server's virtual-host lookup might read another way than the
     * policy (a NUL before a good suffix, a trailing dot, an encoded form).
     */
    private static String serverName(ByteBuffer ext) throws TlsFormatException {
        int listLen = u16(ext, "server name list length");
        if (listLen != ext.remaining() || listLen == 0) {
            throw new TlsFormatException("server name list length " + listLen + " but " + ext.remaining() + " bytes follow");
        }
        String host = null;
        while (ext.hasRemaining()) {
            int nameType = u8(ext, "server name type");
            int len = u16(ext, "server name length");
            need(ext, len, "server name");
            byte[] raw = new byte[len];
            ext.get(raw);
            if (nameType != NAME_TYPE_HOST) {
                continue;
            }
            if (host != null) {
                throw new TlsFormatException("two host names in server_name");
            }
            if (len == 0 || raw[len - 1] == '.') {
                throw new TlsFormatException("server name empty or with a trailing dot");
            }
            StringBuilder sb = new StringBuilder(len);
            for (byte c : raw) {
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                    throw new TlsFormatException("server name byte 0x" + Integer.toHexString(c & 0xff)
                            + " (only letters, digits, '-', '_' and '.')");
                }
                sb.append((char) c);
            }
            host = sb.toString().toLowerCase(Locale.ROOT);
        }
        if (host == null) {
            throw new TlsFormatException("server_name without a host name");
        }
        return host;
    }

    private static void need(ByteBuffer b, int n, String what) throws TlsFormatException {
        if (b.remaining() < n) {
            throw new TlsFormatException(what + " cut short");
        }
    }

    private static int u8(ByteBuffer b, String what) throws TlsFormatException {
        need(b, 1, what);
        return b.get() & 0xff;
    }

    private static int u16(ByteBuffer b, String what) throws TlsFormatException {
        need(b, 2, what);
        return b.getShort() & 0xffff;
    }

    private static void skip(ByteBuffer b, int n, int max, String what) throws TlsFormatException {
        if (n > max) {
            throw new TlsFormatException(what + " of " + n + " bytes (at most " + max + ")");
        }
        need(b, n, what);
        b.position(b.position() + n);
    }
}
