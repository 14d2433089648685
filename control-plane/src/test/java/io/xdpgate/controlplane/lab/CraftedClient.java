package io.xdpgate.controlplane.lab;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** attack.py run from xg-client: packets crafted with scapy, for the lab's attack tests. */
final class CraftedClient {
    private static final String SCRIPT = Lab.REPO.resolve("control-plane/src/test/resources/lab/attack.py").toString();
    /** Debian's interpreter: python3-scapy is installed for it (tools/deps.sh). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Keeps xg-client's own stack from resetting a session it does not know (iptables rule after -I / -D). */
    private static final List<String> NO_OWN_RESETS = List.of("OUTPUT", "-p", "tcp", "--tcp-flags", "RST", "RST",
            "-d", "198.18.2.2", "-j", "DROP");

    private CraftedClient() {
    }

    static Lab.Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, SCRIPT));
        cmd.addAll(List.of(args));
        return Lab.inNs("xg-client", TIMEOUT, cmd.toArray(String[]::new));
    }

    /** A crafted session to xg-server's {@code port}: attack.py's session STEPs. */
    static Lab.Result session(int port, String... steps) throws Exception {
        iptables("-I");
        try {
            List<String> args = new ArrayList<>(List.of("session", "198.18.2.2", String.valueOf(port)));
            args.addAll(List.of(steps));
            return run(args.toArray(String[]::new));
        } finally {
            iptables("-D");
        }
    }

    private static void iptables(String op) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("iptables", "-w", op));
        cmd.addAll(NO_OWN_RESETS);
        Lab.inNs("xg-client", TIMEOUT, cmd.toArray(String[]::new));
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
