package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts a value to and from its fixed-size C layout. {@link #encode} writes exactly
 * {@link #size()} bytes at the buffer's position and advances it; {@link #decode} reads as many.
 * A codec fixes the byte order of every field itself (host order is little-endian on the
 * platforms xdpgate runs on, network-order fields are big-endian), whatever the buffer's order.
 */
public interface Codec<T> {
    int size();

    void encode(T value, ByteBuffer out);

    T decode(ByteBuffer in);

    default byte[] toBytes(T value) {
        ByteBuffer buffer = ByteBuffer.allocate(size()).order(ByteOrder.LITTLE_ENDIAN);
        encode(value, buffer);
        return buffer.array();
    }

    default T fromBytes(byte[] bytes) {
        if (bytes.length != size()) {
            throw new IllegalArgumentException(bytes.length + " bytes for a codec of " + size());
        }
        return decode(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }
}
