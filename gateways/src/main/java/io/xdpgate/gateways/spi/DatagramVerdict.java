package io.xdpgate.gateways.spi;

import java.util.Objects;

/**
 * A gateway's answer to one datagram.
 *
 * <ul>
 *   <li>{@link Forward}: the datagram goes on, unchanged.</li>
 *   <li>{@link Drop}: it goes nowhere; {@code reason} is counted and logged.</li>
 *   <li>{@link Reply}: it goes nowhere and the client is sent {@code payload} instead, as if the
 *       server had answered (e.g. a DNS {@code REFUSED}); {@code reason} as for a drop.</li>
 * </ul>
 */
public sealed interface DatagramVerdict {
    DatagramVerdict FORWARD = new Forward();

    record Forward() implements DatagramVerdict {
    }

    record Drop(String reason) implements DatagramVerdict {
        public Drop {
            Objects.requireNonNull(reason, "reason");
        }
    }

    record Reply(String reason, byte[] payload) implements DatagramVerdict {
        public Reply {
            Objects.requireNonNull(reason, "reason");
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }

    static DatagramVerdict drop(String reason) {
        return new Drop(reason);
    }

    static DatagramVerdict reply(String reason, byte[] payload) {
        return new Reply(reason, payload);
    }
}
