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
    @MethodSource("readings")
    void readsAPathEveryWayAServerMay(String in, List<String> out) {
        assertEquals(out, List.copyOf(HttpPolicy.readings(in)));
    }

    static Stream<Arguments> readings() {
        return Stream.of(
                Arguments.of("/a/b", List.of("/a/b")),
                Arguments.of("//admin/x", List.of("/admin/x", "//admin/x")),
                Arguments.of("/admin;jsessionid=1/x", List.of("/admin/x", "/admin;jsessionid=1/x")),
                Arguments.of("/public/..;/admin", List.of("/admin", "/public/..;/admin", "/public/../admin")),
                Arguments.of("/a//../b", List.of("/b", "/a/b", "/a/../b", "/a//../b")),
                Arguments.of("/p%2F..%2Fq", List.of("/p%2F..%2Fq", "/q", "/p/../q")),
                Arguments.of("/caf\u00c3\u00a9/%7e%2f%c3%a9", List.of("/caf%C3%A9/~%2F%C3%A9", "/caf%C3%A9/~/%C3%A9")));
    }

    @org.junit.jupiter.api.Test
    void everyReadingMustPass() {
        HttpPolicy deny = new HttpPolicy(Set.of(), List.of(), List.of(), List.of(), List.of("/admin"));
        assertEquals(Optional.of("path /admin/x is denied"), deny.check(get("//admin/x")));
        assertEquals(Optional.of("path /admin/x is denied"), deny.check(get("/admin;x/x")));
        assertEquals(Optional.of("path /admin/../public is denied"), deny.check(get("/admin/../public")));
        assertEquals(Optional.of("path /admin is denied"), deny.check(get("/public/..;/admin")));
        assertEquals(Optional.empty(), deny.check(get("/public//x;y/../z")));
        HttpPolicy allow = new HttpPolicy(Set.of(), List.of(), List.of(), List.of("/public/"), List.of("/public/secret"));
        assertEquals(Optional.of("path /x/../public/a is not allowed"), allow.check(get("/x/../public/a")));
        assertEquals(Optional.of("path /public/secret/ is denied"), allow.check(get("/public/secret//..")));
        assertEquals(Optional.of("path /public/secret is denied"), allow.check(get("/public/a%2F..%2Fsecret")));
        assertEquals(Optional.empty(), allow.check(get("/public/a;b/c?x=//admin")));
        HttpPolicy lowerCasePrefix = new HttpPolicy(Set.of(), List.of(), List.of(), List.of(), List.of("/caf%c3%a9", "/%7euser"));
        assertEquals(Optional.of("path /caf%C3%A9 is denied"), lowerCasePrefix.check(get("/caf\u00c3\u00a9")));
        assertEquals(Optional.of("path /~user/x is denied"), lowerCasePrefix.check(get("/~user/x")));
    }

    private static RequestHead get(String target) {
        return new RequestHead("GET", target, "HTTP/1.1", List.of(new HeaderField("Host", "a")));
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
