package io.xdpgate.datapath.packet;

import io.xdpgate.abi.IpProto;

import io.xdpgate.abi.Checksum;

/**
 * The checksum oracle: recomputes every checksum of a frame from scratch and says which are
 * right (see {@link ChecksumReport}), independently of the incremental updates under test.
 */
public final class ChecksumVerifier {

    private ChecksumVerifier() {
    }

    /** The frame must parse with {@link PacketView#parse}, which throws otherwise. */
    public static ChecksumReport verify(byte[] frame) {
        return verify(PacketView.parse(frame));
    }

    static ChecksumReport verify(PacketView view) {
        return new ChecksumReport(ipv4Header(view), l4(view));
    }

    private static ChecksumCheck ipv4Header(PacketView view) {
        if (view.ipVersion() != 4) {
            return ChecksumCheck.notApplicable(view.isIp() ? "IPv6 has no header checksum" : "not IP");
        }
        byte[] frame = view.frame();
        int found = view.ipv4HeaderChecksum();
        int expected = Checksum.ipv4Header(frame, view.l3Offset());
        boolean accepted = Checksum.accepts(0, frame, view.l3Offset(), view.ipv4HeaderLength());
        return new ChecksumCheck(accepted ? ChecksumStatus.CORRECT : ChecksumStatus.WRONG, found, expected,
                "over " + view.ipv4HeaderLength() + " header bytes");
    }

    private static ChecksumCheck l4(PacketView view) {
        if (!view.isIp()) {
            return ChecksumCheck.notApplicable("not IP");
        }
        int protocol = view.protocol();
        boolean known = protocol == IpProto.TCP || protocol == IpProto.UDP
                || protocol == IpProto.ICMP || protocol == IpProto.ICMPV6;
        if (!known) {
            return ChecksumCheck.notApplicable("protocol " + protocol + " has no checksum this verifier knows");
        }
        if (view.isFragment()) {
            // The checksum covers the reassembled datagram, which one fragment does not hold.
            return new ChecksumCheck(ChecksumStatus.INCOMPLETE, -1, -1, "fragment");
        }
        byte[] frame = view.frame();
        int found = view.l4Checksum();
        String name = switch (protocol) {
            case IpProto.TCP -> "TCP";
            case IpProto.UDP -> "UDP";
            case IpProto.ICMP -> "ICMP";
            default -> "ICMPv6";
        };
        if (protocol == IpProto.UDP && found == 0) {
            return view.ipVersion() == 4
                    ? new ChecksumCheck(ChecksumStatus.ABSENT, 0, -1, "UDP over IPv4 without checksum")
                    : new ChecksumCheck(ChecksumStatus.WRONG, 0, expected(view, frame),
                            "UDP over IPv6 must carry a checksum (RFC 8200 8.1)");
        }
        long pseudo = protocol == IpProto.ICMP ? 0
                : Checksum.pseudoHeaderSum(view.srcAddressBytes(), view.checksumDestination(), protocol, view.l4Length());
        boolean accepted = Checksum.accepts(pseudo, frame, view.l4Offset(), view.l4Length());
        return new ChecksumCheck(accepted ? ChecksumStatus.CORRECT : ChecksumStatus.WRONG, found,
                expected(view, frame), name + " over " + view.l4Length() + " bytes");
    }

    private static int expected(PacketView view, byte[] frame) {
        return Checksum.transport(view.srcAddressBytes(), view.checksumDestination(), view.protocol(),
                frame, view.l4Offset(), view.l4Length());
    }
}
