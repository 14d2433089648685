package io.xdpgate.gateways.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpPolicyTest {
    private static final HttpPolicy POLICY = new HttpPolicy(Set.of("GET", "HEAD"), List.of(".example.org"),
            List.of("internal.example.org"), List.of("/public/", "/index.html"), List.of("/public/secret"));

    record Case(String method, String host, String target, String refusal) {
        @Override
        public String toString() {
            return method + " " + host + target + " -> " + (refusal == null ? "pass" : refusal);
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("GET", "www.example.org", "/index.html", null),
                new Case("HEAD", "example.org:8080", "/public/a.txt?x=1", null),
                new Case("POST", "www.example.org", "/index.html", "method POST is not allowed"),
                new Case("GET", "evil.test", "/index.html", "host evil.test is not allowed"),
                new Case("GET", "notexample.org", "/index.html", "host notexample.org is not allowed"),
                new Case("GET", "internal.example.org", "/index.html", "host internal.example.org is denied"),
                new Case("GET", "www.example.org", "/admin", "path /admin is not allowed"),
                new Case("GET", "www.example.org", "/public/../admin", "path /admin is not allowed"),
                new Case("GET", "www.example.org", "/public/%2e%2e/admin", "path /admin is not allowed"),
                new Case("GET", "www.example.org", "/public/secret/key", "path /public/secret/key is denied"),
                new Case("GET", "www.example.org", "/public/./secret", "path /public/secret is denied"),
                new Case("GET", "www.example.org", "/public/%73ecret", "path /public/secret is denied"),
                new Case("GET", "www.example.org", "http://www.example.org/admin", "path /admin is not allowed"),
                new Case("GET", "www.example.org", "HTTP://u:p@WWW.example.org.:8080/public/a?x", null),
                new Case("GET", "www.example.org", "http://www.example.org?x", "path / is not allowed"),
                new Case("GET", "www.example.org", "http://internal.example.org/index.html",
                        "target host internal.example.org does not match Host www.example.org"),
                new Case("GET", "internal.example.org.", "/index.html", "host internal.example.org is denied"),
                new Case("CONNECT", "internal.example.org:443", "internal.example.org:443", "method CONNECT is not allowed"),
                new Case("GET", "www.example.org", "/%70ublic%2F%2E%2E/secret", "path /public%2F../secret is not allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(Case c) {
        RequestHead head = new RequestHead(c.method(), c.target(), "HTTP/1.1",
                List.of(new HeaderField("Host", c.host())));
        assertEquals(Optional.ofNullable(c.refusal()), POLICY.check(head));
    }

    @org.junit.jupiter.api.Test
    void connectIsJudgedByTheHostItNames() {
        HttpPolicy hosts = new HttpPolicy(Set.of(), List.of(), List.of(".internal.example"), List.of(), List.of());
        RequestHead connect = new RequestHead("CONNECT", "db.internal.example:5432", "HTTP/1.1", List.of());
        assertEquals(Optional.of("host db.internal.example is denied"), hosts.check(connect));
        RequestHead lying = new RequestHead("CONNECT", "db.internal.example:5432", "HTTP/1.1",
                List.of(new HeaderField("Host", "www.example.org")));
        assertEquals(Optional.of("target host db.internal.example does not match Host www.example.org"), hosts.check(lying));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void removesDotSegments(String in, String out) {
        assertEquals(out, HttpPolicy.normalize(in));
    }

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of("/a/b/c/./../../g", "/a/g"),
                Arguments.of("/../a", "/a"),
                Arguments.of("/a/..", "/"),
                Arguments.of("/", "/"),
                Arguments.of("/%61dmin/%7Euser/%2d%5F", "/admin/~user/-_"),
                Arguments.of("/a%2fb/%25%41/%4", "/a%2Fb/%25A/%4"));
    }
}
