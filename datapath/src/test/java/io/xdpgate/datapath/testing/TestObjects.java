package io.xdpgate.datapath.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.tables.Hook;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build put the BPF objects the tests load. */
public final class TestObjects {
    private TestObjects() {
    }

    /** The binding fixture (src/test/bpf/binding_test.bpf.c), compiled by the Maven build. */
    public static Path bindingTest() {
        return fixture("binding_test.bpf.o");
    }

    /** The verifier-rejected fixture (src/test/bpf/binding_invalid.bpf.c). */
    public static Path bindingInvalid() {
        return fixture("binding_invalid.bpf.o");
    }

    /** The packet processor, built by {@code make bpf}. */
    public static Path xdpgate() {
        return existing(property("xdpgate.bpf.object"), "build it with `make bpf`");
    }

    /** The packet processor's object for a hook: `make bpf` writes them side by side. */
    public static Path xdpgate(Hook hook) {
        return existing(property("xdpgate.bpf.object").resolveSibling(hook.objectFile()), "build it with `make bpf`");
    }

    /** The directory of xdpgate_abi.h. */
    public static Path abiIncludeDir() {
        return existing(property("xdpgate.bpf.include"), "it is bpf/include of the repository");
    }

    private static Path fixture(String name) {
        return existing(property("xdpgate.test.bpf.dir").resolve(name),
                "the Maven build compiles it with clang in generate-test-resources");
    }

    private static Path property(String name) {
        String value = System.getProperty(name);
        assertTrue(value != null && !value.isBlank(), "system property " + name + " is not set (run through Maven)");
        return Path.of(value);
    }

    private static Path existing(Path path, String hint) {
        assertTrue(Files.exists(path), path + " does not exist: " + hint);
        return path;
    }
}
