package io.xdpgate.datapath.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.MacAddr;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Datagrams built as the kernel lays them out; every cut, every bad length is refused with a reason. */
class LinkMessagesTest {
    private static final int IFLA_MTU = 4;
    private static final byte[] MAC_BYTES = {2, 0x78, 0x67, 0, 0, 9};
    private static final MacAddr MAC = MacAddr.of(MAC_BYTES);

    /** nlmsghdr + ifinfomsg + IFLA_MTU + IFLA_IFNAME (with padding), as rtnl_fill_ifinfo writes it. */
    static byte[] linkMessage(int type, int ifindex, String name, int flags) {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        int nameAttr = 4 + nameBytes.length;
        int len = 16 + 16 + 8 + LinkMessages.align(nameAttr) + 12;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) type).putShort((short) flags).putInt(7).putInt(0);
        b.put((byte) 0).put((byte) 0).putShort((short) 1).putInt(ifindex).putInt(0x1003).putInt(0);
        b.putShort((short) 8).putShort((short) IFLA_MTU).putInt(1500);
        b.putShort((short) nameAttr).putShort((short) LinkMessages.IFLA_IFNAME).put(nameBytes);
        b.position(len - 12);
        b.putShort((short) 10).putShort((short) LinkMessages.IFLA_ADDRESS).put(MAC_BYTES);
        return b.array();
    }

    static byte[] done() {
        return ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()).putInt(20)
                .putShort((short) LinkMessages.NLMSG_DONE).putShort((short) 2).putInt(7).putInt(0).putInt(0).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static MalformedNetlinkMessage refused(byte[] data) {
        return assertThrows(MalformedNetlinkMessage.class, () -> LinkMessages.parse(data, data.length));
    }

    @Test
    void readsNewDelAndDoneInOrder() {
        byte[] d = concat(linkMessage(16, 7, "veth1a2b", 0), linkMessage(17, 9, "cali0123456789a", 0), done());
        List<LinkMessage> m = LinkMessages.parse(d, d.length);
        assertEquals(List.of(LinkMessage.of(LinkMessage.Type.NEW, new Link(7, "veth1a2b", MAC), false),
                LinkMessage.of(LinkMessage.Type.DEL, new Link(9, "cali0123456789a", MAC), false),
                LinkMessage.of(LinkMessage.Type.DONE, null, false)), m);
    }

    @Test
    void anInterruptedDumpIsFlagged() {
        byte[] d = linkMessage(16, 3, "eth0", 0x10 | 0x2);
        assertTrue(LinkMessages.parse(d, d.length).get(0).interrupted());
    }

    @Test
    void anAddressOtherThanSixBytesIsNoEthernetAddress() {
        byte[] d = linkMessage(16, 3, "ip6tnl0", 0);
        int len = d.length - 4; // a 4-byte address: its attribute 8 bytes, not 12
        ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()).putInt(0, len).putShort(d.length - 12, (short) 8);
        assertEquals(new Link(3, "ip6tnl0", null), LinkMessages.parse(d, len).get(0).link());
    }

    @Test
    void otherMessageTypesAreSkippedByTheirLength() {
        byte[] addr = linkMessage(20, 5, "ignored", 0); // RTM_NEWADDR laid out alike: skipped, not read
        byte[] d = concat(addr, linkMessage(16, 5, "lxc12", 0));
        assertEquals(List.of(LinkMessage.of(LinkMessage.Type.NEW, new Link(5, "lxc12", MAC), false)),
                LinkMessages.parse(d, d.length));
    }

    @Test
    void theKernelsErrorAnswerCarriesItsErrno() {
        byte[] d = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder()).putInt(36)
                .putShort((short) LinkMessages.NLMSG_ERROR).putShort((short) 0).putInt(1).putInt(0).putInt(-22).array();
        LinkMessage m = LinkMessages.parse(d, d.length).get(0);
        assertEquals(LinkMessage.Type.ERROR, m.type());
        assertEquals(22, m.errno());
    }

    /** A datagram cut anywhere parses only at a message boundary, and then holds exactly the whole messages. */
    @Test
    void aDatagramCutAtEveryOffsetIsRefusedUnlessCutBetweenMessages() {
        byte[] first = linkMessage(16, 7, "veth1a2b", 0);
        byte[] d = concat(first, linkMessage(17, 8, "gke0", 0), done());
        for (int cut = 0; cut <= d.length; cut++) {
            int n = cut;
            if (cut == 0) {
                assertEquals(List.of(), LinkMessages.parse(d, 0));
            } else if (cut == first.length) {
                assertEquals(1, LinkMessages.parse(d, n).size());
            } else if (cut == d.length - 20) {
                assertEquals(2, LinkMessages.parse(d, n).size());
            } else if (cut == d.length) {
                assertEquals(3, LinkMessages.parse(d, n).size());
            } else {
                MalformedNetlinkMessage e = assertThrows(MalformedNetlinkMessage.class, () -> LinkMessages.parse(d, n),
                        "cut at " + cut);
                assertTrue(e.getMessage().contains("header") || e.getMessage().contains("runs past"), e.getMessage());
            }
        }
    }

    /** Inside one message, every wrong attribute length is refused, none read past the message. */
    @Test
    void everyBadAttributeLengthIsRefused() {
        byte[] good = linkMessage(16, 7, "veth0", 0);
        int nameAttr = 16 + 16 + 8;
        for (int alen = 0; alen < 0x10000; alen += alen < 64 ? 1 : 997) {
            byte[] d = good.clone();
            ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()).putShort(nameAttr, (short) alen);
            int a = alen;
            if (alen >= 4 + 6 && alen <= d.length - nameAttr) {
                continue; // still holds the whole NUL-terminated name: fine
            }
            MalformedNetlinkMessage e = assertThrows(MalformedNetlinkMessage.class, () -> LinkMessages.parse(d, d.length),
                    "attribute length " + a);
            assertTrue(e.getMessage().matches(".*(attribute length|NUL-terminated|IFLA_IFNAME of 0).*"), e.getMessage());
        }
    }

    @Test
    void malformedMessagesAreRefusedWithTheirReason() {
        byte[] shortLen = linkMessage(16, 7, "veth0", 0);
        ByteBuffer.wrap(shortLen).order(ByteOrder.nativeOrder()).putInt(0, 8);
        assertTrue(refused(shortLen).getMessage().contains("less than its header"));

        byte[] noInfo = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder()).putInt(24).putShort((short) 16).array();
        assertTrue(refused(noInfo).getMessage().contains("no room for its ifinfomsg"));

        assertTrue(refused(linkMessage(16, 0, "veth0", 0)).getMessage().contains("ifindex 0 is not positive"));
        assertTrue(refused(linkMessage(16, -4, "veth0", 0)).getMessage().contains("not positive"));
        assertTrue(refused(linkMessage(16, 7, "a/b", 0)).getMessage().contains("byte 0x2f"));
        assertTrue(refused(linkMessage(16, 7, "a b", 0)).getMessage().contains("byte 0x20"));
        assertTrue(refused(linkMessage(16, 7, "", 0)).getMessage().contains("IFLA_IFNAME of 0 bytes"));
        assertTrue(refused(linkMessage(16, 7, "sixteen-chars-xx", 0)).getMessage().contains("IFLA_IFNAME of 16 bytes"));

        byte[] noName = linkMessage(16, 7, "veth0", 0);
        ByteBuffer.wrap(noName).order(ByteOrder.nativeOrder()).putShort(16 + 16 + 8 + 2, (short) 5); // IFLA_TXQLEN
        assertTrue(refused(noName).getMessage().contains("without IFLA_IFNAME"));

        byte[] error = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(16)
                .putShort((short) LinkMessages.NLMSG_ERROR).array();
        assertTrue(refused(error).getMessage().contains("no error code"));
    }

    @Test
    void twoNamesInOneMessageAreRefused() {
        byte[] one = linkMessage(16, 7, "veth0", 0);
        byte[] attr = java.util.Arrays.copyOfRange(one, 40, one.length);
        byte[] d = concat(one, attr);
        ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()).putInt(0, d.length);
        assertTrue(refused(d).getMessage().contains("IFLA_IFNAME twice"));
    }
}
