package io.xdpgate.gateways.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CRLF lines however the stream is cut, and the line ends that are refused. */
class CrlfLineReaderTest {
    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** All lines of {@code stream} fed in two pieces cut at {@code cut}. */
    private static List<String> lines(String stream, int cut, int max) throws LineFormatException {
        CrlfLineReader r = new CrlfLineReader(max);
        List<String> out = new ArrayList<>();
        for (ByteBuffer piece : List.of(ascii(stream.substring(0, cut)), ascii(stream.substring(cut)))) {
            for (String line = r.next(piece); line != null; line = r.next(piece)) {
                out.add(line);
            }
            assertFalse(piece.hasRemaining());
        }
        return out;
    }

    @Test
    void linesAreTheSameAtEveryCut() throws LineFormatException {
        String stream = "EHLO x\r\n\r\nMAIL FROM:<a@b>\r\n\u00e9\u00ff\r\n";
        for (int cut = 0; cut <= stream.length(); cut++) {
            assertEquals(List.of("EHLO x", "", "MAIL FROM:<a@b>", "\u00e9\u00ff"), lines(stream, cut, 512), "cut " + cut);
        }
    }

    @Test
    void onlyTheLinesBytesAreTaken() throws LineFormatException {
        CrlfLineReader r = new CrlfLineReader(512);
        ByteBuffer in = ascii("BDAT 3\r\nabc");
        assertEquals("BDAT 3", r.next(in));
        assertEquals(3, in.remaining(), "the chunk after the line is left for the caller");
        assertFalse(r.midLine());
        assertNull(r.next(in));
        assertTrue(r.midLine());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "NOOP\\nQUIT\\r\\n | bare LF in a line (only CRLF ends a line)",
        "NOOP\\rQUIT\\r\\n | bare CR in a line (only CRLF ends a line)",
        "\\n | bare LF in a line (only CRLF ends a line)",
        "\\r\\r\\n | bare CR in a line (only CRLF ends a line)"})
    void bareLineEndsAreRefusedAtEveryCut(String stream, String message) {
        String s = stream.replace("\\r", "\r").replace("\\n", "\n");
        for (int cut = 0; cut <= s.length(); cut++) {
            int at = cut;
            assertEquals(message, assertThrows(LineFormatException.class, () -> lines(s, at, 512)).getMessage());
        }
    }

    @Test
    void theLengthBoundCountsTheCrlf() throws LineFormatException {
        assertEquals(List.of("abc"), lines("abc\r\n", 2, 5));
        assertEquals("line longer than 5 bytes",
                assertThrows(LineFormatException.class, () -> lines("abcd\r\n", 2, 5)).getMessage());
    }
}
