package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Codecs of the scalar keys and values maps use: host-order (little-endian) integers. */
public final class Codecs {
    /** {@code __u32} as a Java int (unsigned values above 2^31 come back negative). */
    public static final Codec<Integer> U32 = new Codec<>() {
        @Override
        public int size() {
            return 4;
        }

        @Override
        public void encode(Integer value, ByteBuffer out) {
            out.putInt(out.order() == ByteOrder.LITTLE_ENDIAN ? value : Integer.reverseBytes(value));
        }

        @Override
        public Integer decode(ByteBuffer in) {
            int raw = in.getInt();
            return in.order() == ByteOrder.LITTLE_ENDIAN ? raw : Integer.reverseBytes(raw);
        }
    };

    /** {@code __u64} as a Java long. */
    public static final Codec<Long> U64 = new Codec<>() {
        @Override
        public int size() {
            return 8;
        }

        @Override
        public void encode(Long value, ByteBuffer out) {
            out.putLong(out.order() == ByteOrder.LITTLE_ENDIAN ? value : Long.reverseBytes(value));
        }

        @Override
        public Long decode(ByteBuffer in) {
            long raw = in.getLong();
            return in.order() == ByteOrder.LITTLE_ENDIAN ? raw : Long.reverseBytes(raw);
        }
    };

    private Codecs() {
    }

    /** Raw bytes of a fixed length, e.g. a key whose layout the caller builds itself. */
    public static Codec<byte[]> bytes(int length) {
        return new Codec<>() {
            @Override
            public int size() {
                return length;
            }

            @Override
            public void encode(byte[] value, ByteBuffer out) {
                if (value.length != length) {
                    throw new IllegalArgumentException(value.length + " bytes, expected " + length);
                }
                out.put(value);
            }

            @Override
            public byte[] decode(ByteBuffer in) {
                byte[] value = new byte[length];
                in.get(value);
                return value;
            }
        };
    }
}
