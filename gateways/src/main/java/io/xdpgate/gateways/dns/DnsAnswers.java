package io.xdpgate.gateways.dns;

import java.nio.ByteBuffer;

/** The answers the gateway gives in the server's place. */
final class DnsAnswers {
    private DnsAnswers() {
    }

    /**
     * The answer to refused query {@code q} (its bytes {@code msg}): its id, opcode, RD and
     * question, QR set, RCODE {@code rcode}, no records (RFC 1035 4.1.1). Its EDNS record is not
     * echoed: a responder without EDNS is what the client then sees, which every client takes.
     */
    static byte[] refusal(ByteBuffer msg, DnsMessage q, int rcode) {
        byte[] a = new byte[q.questionEnd()];
        msg.slice().get(a);
        ByteBuffer b = ByteBuffer.wrap(a);
        int flags = 0x8000 | (q.flags() & 0x7900) | rcode; // QR, opcode and RD kept
        b.putShort(2, (short) flags);
        b.putShort(4, (short) 1);
        b.putShort(6, (short) 0);
        b.putShort(8, (short) 0);
        b.putShort(10, (short) 0);
        return a;
    }
}
