package io.xdpgate.gateways.dns;

import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.nio.ByteBuffer;

/**
 * DNS over TCP (RFC 1035 4.2.2, RFC 7766): each message behind a two-byte length, any number of
 * them per connection, both ways. A message is judged once it is whole and passes with its
 * length prefix; a refused query ends the connection after its answer (or without one when
 * refusals are dropped), a refused response ends it without.
 */
final class DnsStreamSession implements GatewaySession {
    /**
     * One direction's bytes not yet judged: at most a length prefix and its message, from
     * {@code start}. Judged messages only move {@code start}; the rest moves to the front when
     * room is needed, so a block of many small messages is not copied once per message.
     */
    private static final class Pending {
        byte[] buf = new byte[512];
        int start;
        int end;
        /** The stream offset of buf[start]. */
        long base;

        void add(ByteBuffer bytes) {
            int n = bytes.remaining();
            if (end + n > buf.length) {
                int len = end - start;
                byte[] to = len + n > buf.length ? new byte[Math.max(buf.length * 2, len + n)] : buf;
                System.arraycopy(buf, start, to, 0, len);
                buf = to;
                start = 0;
                end = len;
            }
            bytes.get(buf, end, n);
            end += n;
        }

        /** The next whole message's length, or -1 while it is incomplete. */
        int next() {
            if (end - start < 2) {
                return -1;
            }
            int m = ((buf[start] & 0xff) << 8) | (buf[start + 1] & 0xff);
            return end - start >= 2 + m ? m : -1;
        }

        /** The next whole message, without its prefix, {@code m} bytes. */
        ByteBuffer message(int m) {
            return ByteBuffer.wrap(buf, start + 2, m);
        }

        void consume(int n) {
            start += n;
            base += n;
            if (start == end) {
                start = 0;
                end = 0;
                if (buf.length > 4096) {
                    buf = new byte[512]; // a large message is gone: give its room back
                }
            }
        }
    }

    private final DnsInspector inspector;
    private final Pending client = new Pending();
    private final Pending server = new Pending();

    DnsStreamSession(DnsGatewayConfig config) {
        this.inspector = new DnsInspector(config);
    }

    @Override
    public Verdict onClientBytes(long offset, ByteBuffer bytes) {
        client.add(bytes);
        for (int m; (m = client.next()) >= 0; ) {
            DnsInspector.Decision d = inspector.query(client.message(m));
            if (!d.passes()) {
                return Verdict.deny(d.reason(), d.answer() == null ? null : framed(d.answer()));
            }
            client.consume(2 + m);
        }
        return Verdict.approve(client.base);
    }

    @Override
    public Verdict onServerBytes(long offset, ByteBuffer bytes) {
        server.add(bytes);
        for (int m; (m = server.next()) >= 0; ) {
            String refusal = inspector.response(server.message(m));
            if (refusal != null) {
                return Verdict.deny(refusal);
            }
            server.consume(2 + m);
        }
        return Verdict.approve(server.base);
    }

    private static byte[] framed(byte[] msg) {
        byte[] out = new byte[2 + msg.length];
        out[0] = (byte) (msg.length >>> 8);
        out[1] = (byte) msg.length;
        System.arraycopy(msg, 0, out, 2, msg.length);
        return out;
    }
}
