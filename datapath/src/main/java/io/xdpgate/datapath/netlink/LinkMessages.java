package io.xdpgate.datapath.netlink;

import io.xdpgate.abi.MacAddr;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the link messages of one rtnetlink datagram (linux/netlink.h, linux/rtnetlink.h): each a
 * {@code nlmsghdr} (16 bytes, host order), for RTM_NEWLINK / RTM_DELLINK an {@code ifinfomsg}
 * (16 bytes) and {@code rtattr}s of which only IFLA_IFNAME and IFLA_ADDRESS are read; NLMSG_DONE and NLMSG_ERROR as
 * the ends of a dump or request. Other message types are skipped by their length. Every length
 * is checked against what the datagram holds: a datagram that does not add up is refused whole
 * (a partial read could leave an interface unnoticed), with the offset and the reason.
 */
public final class LinkMessages {
    static final int NLMSG_HDRLEN = 16;
    static final int IFINFOMSG_LEN = 16;
    static final int RTATTR_HDRLEN = 4;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int NLM_F_DUMP_INTR = 0x10;
    /** IFNAMSIZ - 1: the longest name the kernel gives a device. */
    public static final int MAX_NAME = 15;

    private LinkMessages() {
    }

    /** The link messages in {@code data[0..length)}, in order. */
    public static List<LinkMessage> parse(byte[] data, int length) {
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " outside the buffer of " + data.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        List<LinkMessage> out = new ArrayList<>();
        int at = 0;
        while (at < length) {
            if (length - at < NLMSG_HDRLEN) {
                throw new MalformedNetlinkMessage(at, (length - at) + " bytes left, less than a message header");
            }
            int len = buf.getInt(at);
            int type = Short.toUnsignedInt(buf.getShort(at + 4));
            int flags = Short.toUnsignedInt(buf.getShort(at + 6));
            if (len < NLMSG_HDRLEN) {
                throw new MalformedNetlinkMessage(at, "message length " + Integer.toUnsignedString(len)
                        + " is less than its header");
            }
            if (len > length - at) {
                throw new MalformedNetlinkMessage(at, "message length " + len + " runs past the datagram's "
                        + (length - at) + " bytes");
            }
            boolean interrupted = (flags & NLM_F_DUMP_INTR) != 0;
            switch (type) {
                case RTM_NEWLINK, RTM_DELLINK -> out.add(LinkMessage.of(
                        type == RTM_NEWLINK ? LinkMessage.Type.NEW : LinkMessage.Type.DEL,
                        link(buf, at, len), interrupted));
                case NLMSG_DONE -> out.add(LinkMessage.of(LinkMessage.Type.DONE, null, interrupted));
                case NLMSG_ERROR -> out.add(error(buf, at, len));
                default -> {
                    // NLMSG_NOOP, other rtnetlink families: not about links
                }
            }
            int next = at + align(len);
            at = Math.min(next, length); // the last message's padding may be absent
        }
        return out;
    }

    private static Link link(ByteBuffer buf, int at, int len) {
        if (len < NLMSG_HDRLEN + IFINFOMSG_LEN) {
            throw new MalformedNetlinkMessage(at, "link message of " + len + " bytes has no room for its ifinfomsg");
        }
        int ifindex = buf.getInt(at + NLMSG_HDRLEN + 4);
        if (ifindex <= 0) {
            throw new MalformedNetlinkMessage(at + NLMSG_HDRLEN + 4, "ifindex " + ifindex + " is not positive");
        }
        int end = at + len;
        int a = at + NLMSG_HDRLEN + IFINFOMSG_LEN;
        String name = null;
        MacAddr mac = null;
        while (a < end) {
            if (end - a < RTATTR_HDRLEN) {
                throw new MalformedNetlinkMessage(a, (end - a) + " bytes left, less than an attribute header");
            }
            int alen = Short.toUnsignedInt(buf.getShort(a));
            int atype = Short.toUnsignedInt(buf.getShort(a + 2)) & 0x3fff; // without NLA_F_NESTED / NET_BYTEORDER
            if (alen < RTATTR_HDRLEN || alen > end - a) {
                throw new MalformedNetlinkMessage(a, "attribute length " + alen + " outside 4.." + (end - a));
            }
            if (atype == IFLA_IFNAME) {
                if (name != null) {
                    throw new MalformedNetlinkMessage(a, "IFLA_IFNAME twice for ifindex " + ifindex);
                }
                name = ifname(buf, a + RTATTR_HDRLEN, alen - RTATTR_HDRLEN);
            } else if (atype == IFLA_ADDRESS && alen - RTATTR_HDRLEN == MacAddr.LENGTH) {
                byte[] six = new byte[MacAddr.LENGTH];
                buf.get(a + RTATTR_HDRLEN, six);
                mac = MacAddr.of(six);
            }
            a = Math.min(a + align(alen), end);
        }
        if (name == null) {
            throw new MalformedNetlinkMessage(at, "link message for ifindex " + ifindex + " without IFLA_IFNAME");
        }
        return new Link(ifindex, name, mac);
    }

    /** A NUL-terminated name of 1 to 15 bytes, printable ASCII without space or '/' (dev_valid_name). */
    private static String ifname(ByteBuffer buf, int from, int size) {
        int n = 0;
        while (n < size && buf.get(from + n) != 0) {
            byte b = buf.get(from + n);
            if (b <= ' ' || b >= 0x7f || b == '/' || b == ':') {
                throw new MalformedNetlinkMessage(from + n, "IFLA_IFNAME has byte 0x"
                        + Integer.toHexString(b & 0xff) + ", which no device name has");
            }
            n++;
        }
        if (n == size) {
            throw new MalformedNetlinkMessage(from, "IFLA_IFNAME is not NUL-terminated");
        }
        if (n == 0 || n > MAX_NAME) {
            throw new MalformedNetlinkMessage(from, "IFLA_IFNAME of " + n + " bytes (a name has 1 to " + MAX_NAME + ")");
        }
        byte[] name = new byte[n];
        buf.get(from, name);
        return new String(name, StandardCharsets.US_ASCII);
    }

    private static LinkMessage error(ByteBuffer buf, int at, int len) {
        if (len < NLMSG_HDRLEN + 4) {
            throw new MalformedNetlinkMessage(at, "NLMSG_ERROR of " + len + " bytes has no error code");
        }
        int error = buf.getInt(at + NLMSG_HDRLEN);
        return new LinkMessage(LinkMessage.Type.ERROR, null, -error, false);
    }

    static int align(int len) {
        return (len + 3) & ~3;
    }
}
