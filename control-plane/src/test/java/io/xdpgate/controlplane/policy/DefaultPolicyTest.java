package io.xdpgate.controlplane.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Action;
import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.Role;
import io.xdpgate.controlplane.policy.check.DocumentCheck;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.PolicyTranslation;
import io.xdpgate.controlplane.policy.translate.TranslatedPolicy;
import io.xdpgate.datapath.policy.Classification;
import io.xdpgate.datapath.policy.ClassifierModel;
import io.xdpgate.datapath.policy.CompiledPolicy;
import io.xdpgate.datapath.policy.PacketFields;
import io.xdpgate.datapath.policy.PolicyCompiler;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lab's default policy parses, validates, compiles, and decides what its comments promise. */
class DefaultPolicyTest {
    private static TranslatedPolicy translated;
    private static CompiledPolicy compiled;

    @BeforeAll
    static void compile() {
        PolicyDocument doc = DefaultPolicy.document();
        assertEquals(List.of(), DocumentCheck.run(doc).violations());
        translated = PolicyTranslation.translate(doc);
        compiled = PolicyCompiler.compile(translated.rules(), translated.defaultAction());
    }

    @Test
    void defaultDropAndTheHttpDnsTlsSmtpAndFtpGateways() {
        assertEquals(Action.DROP, compiled.defaultAction());
        assertEquals(List.of("web", "dns", "tls", "mail", "files"), translated.gateways().stream().map(GatewayAssignment::name).toList());
        assertEquals(List.of("http", "dns", "tls", "smtp", "ftp"), translated.gateways().stream().map(g -> g.spec().protocol()).toList());
        assertEquals(translated.rules().size(), compiled.nrules());
    }

    @ParameterizedTest(name = "{0} -> {1} {2} {3}/{4} on {5}: {6} by {7}")
    @CsvSource(delimiter = '|', textBlock = """
            198.18.1.2      | 198.18.2.2      | icmp   | 8    | EXTERNAL | PASS | ping
            2001:db8:1::2   | 2001:db8:2::2   | icmpv6 | 128  | EXTERNAL | PASS | ping6
            198.18.1.2      | 198.18.2.2      | icmp   | 5    | EXTERNAL | DROP |
            198.18.2.2      | 198.18.2.1      | tcp    | 22   | INTERNAL | PASS | ssh-internal
            198.18.1.2      | 198.18.1.1      | tcp    | 22   | EXTERNAL | DROP |
            198.18.1.2      | 198.18.2.2      | tcp    | 23   | EXTERNAL | DROP | no-telnet
            2001:db8:1::2   | 2001:db8:2::2   | tcp    | 23   | EXTERNAL | DROP | no-telnet
            198.18.1.2      | 198.18.2.2      | tcp    | 80   | EXTERNAL | REDIRECT | http
            198.18.1.2      | 198.18.2.2      | tcp    | 443  | EXTERNAL | REDIRECT | https
            198.18.1.2      | 198.18.2.2      | tcp    | 8080 | EXTERNAL | PASS | http-alt
            2001:db8:1::2   | 2001:db8:2::2   | tcp    | 80   | EXTERNAL | REDIRECT | http6
            2001:db8:1::2   | 2001:db8:2::2   | tcp    | 443  | EXTERNAL | REDIRECT | https6
            2001:db8:1::2   | 2001:db8:2::2   | tcp    | 8080 | EXTERNAL | PASS | http-alt6
            198.18.1.2      | 198.18.2.2      | tcp    | 81   | EXTERNAL | DROP |
            198.18.3.2      | 198.18.2.2      | tcp    | 80   | EXTERNAL | DROP |
            198.18.2.2      | 198.18.1.2      | tcp    | 80   | INTERNAL | DROP |
            198.18.1.2      | 198.18.2.2      | udp    | 53   | EXTERNAL | REDIRECT | dns
            198.18.1.2      | 198.18.2.2      | tcp    | 53   | EXTERNAL | REDIRECT | dns-tcp
            2001:db8:1::2   | 2001:db8:2::2   | udp    | 53   | EXTERNAL | REDIRECT | dns6
            2001:db8:1::2   | 2001:db8:2::2   | tcp    | 53   | EXTERNAL | REDIRECT | dns6-tcp
            198.18.2.2      | 198.18.1.2      | udp    | 53   | INTERNAL | DROP |
            198.18.1.2      | 198.18.2.2      | tcp    | 25   | EXTERNAL | REDIRECT | smtp
            2001:db8:1::2   | 2001:db8:2::2   | tcp    | 25   | EXTERNAL | REDIRECT | smtp6
            198.18.2.2      | 198.18.1.2      | tcp    | 25   | INTERNAL | DROP |
            198.18.1.2      | 198.18.2.2      | tcp    | 21   | EXTERNAL | REDIRECT | ftp
            2001:db8:1::2   | 2001:db8:2::2   | tcp    | 21   | EXTERNAL | REDIRECT | ftp6
            198.18.1.2      | 198.18.2.2      | tcp    | 30000 | EXTERNAL | DROP |
            198.18.2.2      | 198.18.1.2      | tcp    | 40000 | INTERNAL | DROP |
            """)
    void decidesAsDocumented(String src, String dst, String protocol, int port, Role role, Action action,
                             String rule) {
        int number = switch (protocol) {
            case "icmp" -> IpProto.ICMP;
            case "icmpv6" -> IpProto.ICMPV6;
            case "tcp" -> IpProto.TCP;
            default -> IpProto.UDP;
        };
        Classification c = ClassifierModel.classify(compiled, PacketFields.of(src, dst, number, port, role));
        assertEquals(action, c.action());
        assertEquals(rule == null ? "(default)" : rule, c.isDefault() ? "(default)" : translated.ruleName(c.ruleId()).orElseThrow());
    }
}
