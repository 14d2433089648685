package io.xdpgate.controlplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --socket, then $XDPGATE_SOCKET, then the daemon's socket, then the lab's pointer; else exit 3 naming each. */
class SocketDiscoveryTest {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path dir;

    private SocketDiscovery discovery(Map<String, String> env) {
        return new SocketDiscovery(env, dir.resolve("run/api.sock"), dir.resolve("run/lab-socket"), ROOT);
    }

    private Path labPointer(String target) throws Exception {
        Files.createDirectories(dir.resolve("run"));
        Files.setPosixFilePermissions(dir.resolve("run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path p = Files.writeString(dir.resolve("run/lab-socket"), target + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void theOptionWinsOverEverything() throws Exception {
        Files.createDirectories(dir.resolve("run"));
        Files.createFile(dir.resolve("run/api.sock"));
        assertEquals(Path.of("/x/opt.sock"), discovery(Map.of("XDPGATE_SOCKET", "/x/env.sock")).find(Path.of("/x/opt.sock")));
    }

    @Test
    void theEnvironmentComesBeforeTheDaemonsSocket() throws Exception {
        Files.createDirectories(dir.resolve("run"));
        Files.createFile(dir.resolve("run/api.sock"));
        assertEquals(Path.of("/x/env.sock"), discovery(Map.of("XDPGATE_SOCKET", "/x/env.sock")).find(null));
    }

    @Test
    void theDaemonsSocketComesBeforeTheLab() throws Exception {
        Path lab = Files.createFile(dir.resolve("lab.sock"));
        labPointer(lab.toString());
        Files.createFile(dir.resolve("run/api.sock"));
        assertEquals(dir.resolve("run/api.sock"), discovery(Map.of()).find(null));
    }

    @Test
    void withoutTheDaemonsSocketTheLabsPointerIsFollowed() throws Exception {
        Path lab = Files.createFile(dir.resolve("lab.sock"));
        labPointer(lab.toString());
        assertEquals(lab, discovery(Map.of("XDPGATE_SOCKET", "")).find(null));
    }

    @Test
    void aPointerOthersMayWriteIsIgnoredAndSaysWhy() throws Exception {
        Path lab = Files.createFile(dir.resolve("lab.sock"));
        Path pointer = labPointer(lab.toString());
        Files.setPosixFilePermissions(pointer, PosixFilePermissions.fromString("rw-rw-rw-"));
        var e = assertThrows(DaemonUnreachableException.class,
                () -> new SocketDiscovery(Map.of(), dir.resolve("run/api.sock"), pointer, true).find(null));
        assertTrue(e.getMessage().contains(pointer + " (ignored: "), e.getMessage());
    }

    @Test
    void aSymlinkedPointerIsIgnored() throws Exception {
        Path lab = Files.createFile(dir.resolve("lab.sock"));
        Path real = Files.writeString(dir.resolve("elsewhere"), lab.toString());
        Files.createDirectories(dir.resolve("run"));
        Files.createSymbolicLink(dir.resolve("run/lab-socket"), real);
        var e = assertThrows(DaemonUnreachableException.class, () -> discovery(Map.of()).find(null));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void nothingFoundNamesEveryPlaceLooked() {
        var e = assertThrows(DaemonUnreachableException.class, () -> discovery(Map.of()).find(null));
        String m = e.getMessage();
        for (String place : new String[] {"--socket (not given)", "$XDPGATE_SOCKET (not set)",
                dir.resolve("run/api.sock") + " (no such socket)", dir.resolve("run/lab-socket") + " (no lab running)"}) {
            assertTrue(m.contains(place), m);
        }
    }

    @Test
    void aPointerToAGoneSocketSaysSo() throws Exception {
        labPointer(dir.resolve("gone.sock").toString());
        var e = assertThrows(DaemonUnreachableException.class, () -> discovery(Map.of()).find(null));
        assertTrue(e.getMessage().contains("-> " + dir.resolve("gone.sock") + " (no such socket)"), e.getMessage());
    }

    @Test
    void theCliExitsThreeWithThePlaces() {
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        int exit = XdpgateCli.run(new String[] {"stats"}, new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                discovery(Map.of()));
        assertEquals(3, exit);
        assertTrue(err.toString().contains("no daemon socket found; looked at: --socket (not given)"), err.toString());
    }
}
