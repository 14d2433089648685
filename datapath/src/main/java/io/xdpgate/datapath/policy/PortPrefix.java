package io.xdpgate.datapath.policy;

/**
 * A pol_port key without its generation byte: a prefix of the 24 bits
 * (protocol, port). Length 0 is any protocol, 8 one protocol with any port,
 * 8 + n a protocol and a prefix of n port bits. For ICMP and ICMPv6 the port
 * is the message type. The port is host order here; the key holds it big endian.
 */
public record PortPrefix(int protocol, int port, int length) implements Prefix<PortPrefix> {

    public static final PortPrefix ROOT = new PortPrefix(0, 0, 0);

    public PortPrefix {
        if (length < 0 || length > 24) {
            throw new IllegalArgumentException("port prefix length must be 0..24, got " + length);
        }
        if (protocol < 0 || protocol > 255 || port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("protocol must be 0..255 and port 0..65535, got " + protocol + "/" + port);
        }
        int value = protocol << 16 | port;
        if ((value & ~mask(length)) != 0) {
            throw new IllegalArgumentException("port prefix " + protocol + "/" + port + " has bits set past its length " + length);
        }
    }

    /** The full-length key the kernel looks up for a packet. */
    public static PortPrefix exact(int protocol, int port) {
        return new PortPrefix(protocol, port, 24);
    }

    public static PortPrefix protocolOnly(int protocol) {
        return new PortPrefix(protocol, 0, 8);
    }

    public static PortPrefix of(int protocol, PortBlock block) {
        return new PortPrefix(protocol, block.base(), 8 + block.length());
    }

    @Override
    public PortPrefix truncate(int newLength) {
        if (newLength > length) {
            throw new IllegalArgumentException("cannot lengthen /" + length + " to /" + newLength);
        }
        int value = (protocol << 16 | port) & mask(newLength);
        return new PortPrefix(value >>> 16, value & 0xffff, newLength);
    }

    public boolean contains(PortPrefix other) {
        return other.length >= length && other.truncate(length).equals(this);
    }

    /** The LPM key's prefixlen: the 8 generation bits plus this prefix's length. */
    public int keyPrefixLength() {
        return 8 + length;
    }

    @Override
    public int compareTo(PortPrefix other) {
        int byLength = Integer.compare(length, other.length);
        if (byLength != 0) {
            return byLength;
        }
        int byProtocol = Integer.compare(protocol, other.protocol);
        return byProtocol != 0 ? byProtocol : Integer.compare(port, other.port);
    }

    @Override
    public String toString() {
        if (length == 0) {
            return "any";
        }
        if (length == 8) {
            return "proto " + protocol;
        }
        return "proto " + protocol + " port " + port + "/" + (length - 8);
    }

    private static int mask(int length) {
        return length == 0 ? 0 : (0xffffff << (24 - length)) & 0xffffff;
    }
}
