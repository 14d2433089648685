package io.xdpgate.controlplane.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow log's stdout and file outputs: buffered until flushed, rotated at the size limit
 * without splitting a line, at most max-files kept, and a failing disk counted, never thrown.
 */
class LineWriterTest {
    @TempDir
    Path dir;

    private static String line(int i) {
        return String.format("{\"seq\":%04d,\"pad\":\"%s\"}", i, "x".repeat(78)); // 100 bytes with its newline
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    @Test
    void linesReachTheFileOnFlushNotBefore() throws Exception {
        Path file = dir.resolve("logs/flows.json");
        LineWriter w = LineWriter.file(file, 1 << 20, 5);
        assertTrue(Files.exists(file), "the file and its directory are made at start");
        w.write(Level.INFO, line(1));
        w.write(Level.FINE, "caf\u00e9 \ud83d\ude00");
        assertEquals(0, Files.size(file), "buffered");
        w.flush();
        assertEquals(List.of(line(1), "caf\u00e9 \ud83d\ude00"), lines(file));
        w.write(Level.INFO, line(2));
        w.close();
        assertEquals(List.of(line(1), "caf\u00e9 \ud83d\ude00", line(2)), lines(file), "close flushes");
        w.write(Level.INFO, line(3));
        assertEquals(1, w.lostLines(), "a line after close is counted, not written");
    }

    @Test
    void aFullFileIsRotatedBetweenLinesAndTheOldestGoes() throws Exception {
        Path file = dir.resolve("flows.json");
        RotatingFile out = RotatingFile.open(file, 4096, 3);
        LineWriter w = new LineWriter("test", out);
        for (int i = 0; i < 200; i++) { // 20000 bytes: files of 40 lines, 5 of them written, 3 kept
            w.write(Level.INFO, line(i));
            if (i % 7 == 0) {
                w.flush(); // rotation is exact whether the lines were buffered or written
            }
        }
        w.close();
        List<String> current = lines(file);
        List<String> one = lines(out.numbered(1));
        List<String> two = lines(out.numbered(2));
        assertFalse(Files.exists(out.numbered(3)), "max-files 3: flows.json, .1 and .2");
        assertEquals(40, one.size());
        assertEquals(40, two.size());
        assertEquals(line(80), two.get(0), "the oldest kept");
        assertEquals(line(120), one.get(0));
        assertEquals(line(160), current.get(0));
        assertEquals(line(199), current.get(current.size() - 1));
        for (Path p : List.of(file, out.numbered(1), out.numbered(2))) {
            assertTrue(Files.size(p) <= 4096, p + " within max-file-size: " + Files.size(p));
            byte[] bytes = Files.readAllBytes(p);
            assertEquals('\n', bytes[bytes.length - 1], "ends with a whole line");
            for (String l : lines(p)) {
                assertTrue(l.matches("\\{\"seq\":\\d{4},\"pad\":\"x{78}\"}"), "whole line: " + l);
            }
        }
    }

    @Test
    void aRestartAppendsAndCountsWhatIsThereTowardsTheLimit() throws Exception {
        Path file = dir.resolve("flows.json");
        Files.writeString(file, (line(0) + "\n").repeat(40)); // 4000 bytes from before
        LineWriter w = LineWriter.file(file, 4096, 2);
        w.write(Level.INFO, line(1));
        w.close();
        assertEquals(List.of(line(1)), lines(file), "the 41st line would pass 4096: rotated first");
        assertEquals(40, lines(file.resolveSibling("flows.json.1")).size());
    }

    @Test
    void oneFileInAllIsStartedAfreshWhenFull() throws Exception {
        Path file = dir.resolve("flows.json");
        LineWriter w = LineWriter.file(file, 4096, 1);
        for (int i = 0; i < 41; i++) {
            w.write(Level.INFO, line(i));
        }
        w.close();
        assertEquals(List.of(line(40)), lines(file));
        assertFalse(Files.exists(file.resolveSibling("flows.json.1")));
    }

    @Test
    void anUnwritableFileFailsAtOpenWithTheReason() throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain"), "x");
        IOException e = assertThrows(IOException.class, () -> LineWriter.file(notADir.resolve("flows.json"), 4096, 2));
        assertTrue(e.toString().contains("plain"), e.toString());
        Path aDir = Files.createDirectory(dir.resolve("flows.json"));
        assertThrows(IOException.class, () -> LineWriter.file(aDir, 4096, 2));
    }

    /** /dev/full answers every write with ENOSPC, as a full disk does. */
    @Test
    void aFullDiskLosesLinesCountedAndTheWriterGoesOn() throws Exception {
        LineWriter w = LineWriter.file(Path.of("/dev/full"), 1 << 20, 2);
        for (int i = 0; i < 10; i++) {
            w.write(Level.INFO, line(i));
        }
        w.flush(); // throws nothing
        assertEquals(10, w.lostLines());
        for (int i = 0; i < 1000; i++) { // past the buffer: written, and lost, as it fills
            w.write(Level.INFO, line(i));
        }
        w.close();
        assertEquals(1010, w.lostLines());
    }

    @Test
    void aRunOfFailuresIsCountedOnceLostAndWritingResumes() throws Exception {
        List<byte[]> written = new ArrayList<>();
        boolean[] full = {true};
        LineOutput flaky = new LineOutput() {
            @Override
            public void write(ByteBuffer bytes) throws IOException {
                byte[] b = new byte[bytes.remaining()];
                bytes.get(b);
                if (full[0]) {
                    written.add(java.util.Arrays.copyOf(b, 5)); // part of it, then ENOSPC
                    throw new IOException("No space left on device");
                }
                written.add(b);
            }

            @Override
            public void close() {
            }
        };
        LineWriter w = new LineWriter("flaky", flaky);
        w.write(Level.INFO, "one");
        w.flush();
        w.write(Level.INFO, "two");
        w.flush();
        assertEquals(2, w.lostLines());
        full[0] = false;
        w.write(Level.INFO, "three");
        w.flush();
        assertEquals("three\n", new String(written.get(2), StandardCharsets.UTF_8));
        assertEquals(2, w.lostLines());
    }

    @Test
    void stdoutGetsWholeLinesInPiecesAPipeKeepsWhole() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        List<Integer> pieces = new ArrayList<>();
        var channel = Channels.newChannel(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                sink.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                pieces.add(len);
                sink.write(b, off, len);
            }
        });
        LineWriter w = new LineWriter("stdout", new StdoutOutput(channel));
        for (int i = 0; i < 300; i++) {
            w.write(Level.INFO, line(i));
        }
        w.write(Level.INFO, "y".repeat(5000));
        w.close();
        String[] out = sink.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(301, out.length);
        assertEquals(line(299), out[299]);
        assertTrue(pieces.size() >= 8, "30 KB in pieces: " + pieces);
        for (int i = 0; i < pieces.size() - 1; i++) {
            assertTrue(pieces.get(i) <= StdoutOutput.PIPE_BUF, "a piece within PIPE_BUF: " + pieces);
            assertEquals(0, pieces.get(i) % 100, "whole 100-byte lines: " + pieces);
        }
        assertEquals(5001, pieces.get(pieces.size() - 1), "a longer line goes whole, alone");
    }
}
