package io.xdpgate.gateways.ftp;

import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.nio.ByteBuffer;

/**
 * An inspected FTP data connection: its bytes pass as they come, both ways, counted; past
 * {@code maxTransferBytes} the connection is reset (the transfer fails, as a server would fail
 * it, with no reply on the data connection).
 */
final class FtpDataSession implements GatewaySession {
    private final long max;
    private long bytes;

    FtpDataSession(long maxTransferBytes) {
        this.max = maxTransferBytes;
    }

    @Override
    public Verdict onClientBytes(long offset, ByteBuffer chunk) {
        return pass(offset, chunk);
    }

    @Override
    public Verdict onServerBytes(long offset, ByteBuffer chunk) {
        return pass(offset, chunk);
    }

    private Verdict pass(long offset, ByteBuffer chunk) {
        bytes += chunk.remaining();
        if (max > 0 && bytes > max) {
            return Verdict.deny("data connection over " + max + " bytes (maxTransferBytes)");
        }
        return Verdict.approve(offset + chunk.remaining());
    }
}
