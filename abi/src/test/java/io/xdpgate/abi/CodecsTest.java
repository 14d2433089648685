package io.xdpgate.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class CodecsTest {
    @Test
    void integersAreLittleEndianWhateverTheBufferOrder() {
        assertArrayEquals(new byte[] {4, 3, 2, 1}, Codecs.U32.toBytes(0x01020304));
        assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}, Codecs.U64.toBytes(0x0102030405060708L));

        ByteBuffer big = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN);
        Codecs.U32.encode(0x01020304, big);
        Codecs.U64.encode(-2L, big);
        assertArrayEquals(new byte[] {4, 3, 2, 1, -2, -1, -1, -1, -1, -1, -1, -1}, big.array());
        big.flip();
        assertEquals(0x01020304, Codecs.U32.decode(big));
        assertEquals(-2L, Codecs.U64.decode(big));
    }

    @Test
    void unsignedMaximaSurviveTheRoundTrip() {
        assertEquals(-1, Codecs.U32.fromBytes(Codecs.U32.toBytes(-1)));
        assertEquals(Long.MIN_VALUE, Codecs.U64.fromBytes(Codecs.U64.toBytes(Long.MIN_VALUE)));
    }

    @Test
    void bytesCodecChecksTheLength() {
        Codec<byte[]> six = Codecs.bytes(6);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, six.fromBytes(six.toBytes(new byte[] {1, 2, 3, 4, 5, 6})));
        assertThrows(IllegalArgumentException.class, () -> six.toBytes(new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> six.fromBytes(new byte[7]));
    }
}
