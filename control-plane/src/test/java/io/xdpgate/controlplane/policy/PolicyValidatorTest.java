package io.xdpgate.controlplane.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.policy.PolicyCompiler;
import io.xdpgate.datapath.policy.RuleAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Documents in, violations (path and reason) or a translated policy out. */
class PolicyValidatorTest {
    private static final String GOOD = """
            {"defaultAction":"drop",
             "gateways":[{"name":"web","protocol":"http","address4":"198.18.100.1","ports":"40000-40999"}],
             "rules":[{"name":"no-telnet","protocol":"tcp","ports":"23","action":"drop"},
                      {"name":"web-in","to":"198.18.2.0/24","protocol":"tcp","ports":"80","action":"redirect","gateway":"web"},
                      {"name":"rest","action":"pass"}]}
            """;

    @Test
    void theIssuesExampleTranslates() {
        TranslatedPolicy t = PolicyValidator.translate(PolicyParser.parse(GOOD));
        assertEquals(3, t.rules().size());
        assertEquals(RuleAction.DROP, t.defaultAction());
        assertEquals(1, t.rules().get(1).id(), "rule ids are positions");
        assertEquals(RuleAction.REDIRECT, t.rules().get(1).action());
        assertEquals(0, t.gateways().get(0).id());
        assertEquals(40000, t.gateways().get(0).portBase());
        assertEquals(1000, t.gateways().get(0).portCount());
        PolicyCompiler.compile(t.rules(), t.defaultAction());
    }

    @Test
    void theLabPolicyIsValid() throws Exception {
        String lab = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("lab/policy.json"));
        assertEquals(List.of(), PolicyValidator.validate(PolicyParser.parse(lab)));
    }

    record Bad(String description, String json, String path, String reasonPart) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Bad> badDocuments() {
        return Stream.of(
                new Bad("no default action", "{\"rules\":[]}", "/defaultAction", "required"),
                new Bad("default redirect", "{\"defaultAction\":\"redirect\"}", "/defaultAction", "pass or drop"),
                new Bad("unknown action", rule("{\"name\":\"a\",\"action\":\"allow\"}"), "/rules/0/action", "allow"),
                new Bad("host bits in a prefix", rule("{\"name\":\"a\",\"to\":\"198.18.2.1/24\",\"action\":\"pass\"}"),
                        "/rules/0/to", "host bits"),
                new Bad("port out of range", rule("{\"name\":\"a\",\"protocol\":\"tcp\",\"ports\":\"70000\",\"action\":\"pass\"}"),
                        "/rules/0/ports", "65535"),
                new Bad("ports without protocol", rule("{\"name\":\"a\",\"ports\":\"80\",\"action\":\"pass\"}"),
                        "/rules/0", "port"),
                new Bad("redirect to nobody", rule("{\"name\":\"a\",\"protocol\":\"tcp\",\"action\":\"redirect\",\"gateway\":\"x\"}"),
                        "/rules/0/gateway", "no gateway named"),
                new Bad("duplicate rule name", rule("{\"name\":\"a\",\"action\":\"pass\"},{\"name\":\"a\",\"action\":\"drop\"}"),
                        "/rules/1/name", "already"),
                new Bad("bad rule name", rule("{\"name\":\"Web In\",\"action\":\"pass\"}"), "/rules/0/name", "lower-case"),
                new Bad("unknown interface role", rule("{\"name\":\"a\",\"interface\":\"dmz\",\"action\":\"pass\"}"),
                        "/rules/0/interface", "dmz"),
                new Bad("gateway without address", gateway("{\"name\":\"g\",\"protocol\":\"http\",\"ports\":\"1-9\"}"),
                        "/gateways/0", "address4"),
                new Bad("gateway address of the wrong family",
                        gateway("{\"name\":\"g\",\"protocol\":\"http\",\"address4\":\"2001:db8::1\",\"ports\":\"1-9\"}"),
                        "/gateways/0/address4", "not an IPv4"),
                new Bad("overlapping pools", "{\"defaultAction\":\"drop\",\"gateways\":["
                        + "{\"name\":\"a\",\"protocol\":\"http\",\"address4\":\"198.18.100.1\",\"ports\":\"100-200\"},"
                        + "{\"name\":\"b\",\"protocol\":\"dns\",\"address4\":\"198.18.100.2\",\"ports\":\"150-300\"}]}",
                        "/gateways/1/ports", "overlaps"),
                new Bad("bad fail mode", gateway("{\"name\":\"g\",\"protocol\":\"http\",\"address4\":\"198.18.100.1\","
                        + "\"ports\":\"1-9\",\"failMode\":\"maybe\"}"), "/gateways/0/failMode", "closed or open"),
                new Bad("unknown field", rule("{\"name\":\"a\",\"action\":\"pass\",\"port\":\"80\"}"), "/rules/0/port",
                        "Unrecognized"),
                new Bad("syntax error", "{\"defaultAction\":\"drop\",", "", "line 1"));
    }

    private static String rule(String rules) {
        return "{\"defaultAction\":\"drop\",\"rules\":[" + rules + "]}";
    }

    private static String gateway(String gw) {
        return "{\"defaultAction\":\"drop\",\"gateways\":[" + gw + "]}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDocuments")
    void rejectsWithThePathAndTheReason(Bad bad) {
        var e = assertThrows(PolicyRejectedException.class,
                () -> PolicyValidator.translate(PolicyParser.parse(bad.json())));
        assertTrue(e.violations().stream().anyMatch(v -> v.path().equals(bad.path())
                        && v.reason().toLowerCase().contains(bad.reasonPart().toLowerCase())),
                bad + ": " + e.violations());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String json = rule("{\"name\":\"a\",\"to\":\"nonsense\",\"action\":\"pass\"},{\"action\":\"jump\"}");
        var e = assertThrows(PolicyRejectedException.class, () -> PolicyValidator.translate(PolicyParser.parse(json)));
        assertEquals(List.of("/rules/0/to", "/rules/1/name", "/rules/1/action"),
                e.violations().stream().map(Violation::path).toList());
    }
}
