package io.xdpgate.gateways.spi;

import java.util.Objects;

/**
 * A gateway's answer after each chunk of bytes.
 *
 * <ul>
 *   <li>{@link Approve}: bytes of the direction just fed, up to stream offset {@code through}
 *       (exclusive), may be delivered; the rest stays held. Offsets only grow; an approval
 *       below an earlier one changes nothing. {@code Approve(offset)} at the offset the chunk
 *       started means "hold everything new".</li>
 *   <li>{@link AllowFlow}: stop inspecting this connection; everything passes both ways.</li>
 *   <li>{@link Deny}: end the connection. The client is sent {@code refusal} first when it is
 *       not empty (e.g. an HTTP 403 naming the reason), then both ends are reset; nothing held
 *       is delivered.</li>
 * </ul>
 */
public sealed interface Verdict {
    record Approve(long through) implements Verdict {
        public Approve {
            if (through < 0) {
                throw new IllegalArgumentException("negative stream offset " + through);
            }
        }
    }

    record AllowFlow() implements Verdict {
    }

    record Deny(String reason, byte[] refusal) implements Verdict {
        public Deny {
            Objects.requireNonNull(reason, "reason");
            refusal = refusal == null ? new byte[0] : refusal.clone();
        }

        @Override
        public byte[] refusal() {
            return refusal.clone();
        }
    }

    static Verdict approve(long through) {
        return new Approve(through);
    }

    static Verdict allowFlow() {
        return new AllowFlow();
    }

    static Verdict deny(String reason) {
        return new Deny(reason, null);
    }

    static Verdict deny(String reason, byte[] refusal) {
        return new Deny(reason, refusal);
    }
}
