package io.xdpgate.gateways.http;

import io.xdpgate.gateways.text.Printable;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;

/**
 * One connection through the HTTP gateway.
 *
 * <p>Client bytes are approved through the end of each allowed request's head once the head
 * is complete and the policy allows it, then through each of its body bytes as they arrive
 * (chunk framing goes with the data after it, the last chunk and trailer with the end of the
 * request). Of an unfinished head all bytes but the last are approved as they arrive: no server
 * acts on a head before its final LF, a refused head never gets it (the server is reset first),
 * and a sender waiting for ACKs keeps going. Each
 * pipelined request is checked in turn; its method is queued for the response parser. At most
 * {@link HttpLimits#maxPipelined} requests may await their response at once: the next is refused
 * ({@code invalid request: more than N requests awaiting a response}).
 *
 * <p>Server bytes are approved the same way: a response head when complete, then its body as
 * it arrives. A 101 (or 2xx answer to CONNECT) ends inspection: {@link Verdict.AllowFlow} when
 * the config allows upgrades, else a refusal. A 101 passes only when every protocol its Upgrade
 * names was asked for by the request's Upgrade (an HTTP/1.0 request asks for none, RFC 9110 7.8)
 * and is one of {@link HttpGatewayConfig#upgradeProtocols} ({@code h2c} is refused unless named:
 * HTTP/2 after it would go uninspected).
 *
 * <p>Refusals: a request the policy refuses, or a refused upgrade, is denied with a 403 naming
 * the reason; a request the parser refuses with a 400; a response the parser refuses (or one
 * with no request outstanding) with no answer; in {@link HttpGatewayConfig.DenyMode#RESET}
 * mode, always with no answer. Reasons: the policy's, {@code "invalid request: ..."},
 * {@code "invalid response: ..."}, {@code "upgrade to X is not allowed"}.
 *
 * <p>A refusal is answered at once, even when the same chunk also completed an allowed request
 * before it: a deny ends the connection, so the allowed request's answer could not reach the
 * client anyway, and waiting for another call could wait forever. After a Deny or AllowFlow
 * every call gets the same.
 */
final class HttpGatewaySession implements GatewaySession {
    /** One direction's stream offsets. */
    private static final class Direction {
        final String name;
        long next;       // the offset the next call must start at
        long approvable; // bytes before this may pass
        long approved;   // the highest approval answered

        Direction(String name) {
            this.name = name;
        }
    }

    private final HttpGatewayConfig config;
    private final HttpRequestParser requests;
    private final HttpResponseParser responses;
    private final Direction client = new Direction("client");
    private final Direction server = new Direction("server");
    /** The refusal a listener chose just before throwing to stop its parser. */
    private Verdict.Deny refusal;
    private boolean tunnelAllowed;
    private Verdict settled;
    /** For each request awaiting its response, in order: the protocols its Upgrade asked for (lower case). */
    private final Queue<List<String>> offers = new ArrayDeque<>();

    HttpGatewaySession(HttpGatewayConfig config) {
        this.config = config;
        this.requests = new HttpRequestParser(config.limits(), config.syntax(), new Requests());
        this.responses = new HttpResponseParser(config.limits(), new Responses());
    }

    @Override
    public Verdict onClientBytes(long offset, ByteBuffer bytes) {
        return onBytes(client, offset, bytes);
    }

    @Override
    public Verdict onServerBytes(long offset, ByteBuffer bytes) {
        return onBytes(server, offset, bytes);
    }

    private Verdict onBytes(Direction d, long offset, ByteBuffer bytes) {
        if (settled != null) {
            return settled;
        }
        if (offset != d.next) {
            return settled = Verdict.deny(d.name + " bytes out of order: expected stream offset " + d.next
                    + ", got " + offset);
        }
        d.next += bytes.remaining();
        Verdict.Deny deny = null;
        try {
            if (d == client) {
                requests.feed(bytes);
            } else {
                responses.feed(bytes);
            }
        } catch (HttpViolation v) {
            String reason = Printable.escape(v.getMessage());
            deny = refusal != null ? refusal
                    : d == client ? refuse(400, "invalid request: " + reason, true)
                    : new Verdict.Deny("invalid response: " + reason, null);
        }
        if (deny != null) {
            return settled = deny;
        }
        if (tunnelAllowed) {
            return settled = Verdict.allowFlow();
        }
        // Every complete head in these bytes was judged during feed(); what is not approved yet is
        // the unfinished head at the end. All of it but its last byte may go: no server acts on
        // a head before its final LF, and a refused head never gets it (the server is reset
        // first). Holding it all would stall a sender that needs ACKs to go on (after a
        // retransmission timeout, a Linux sender sends nothing new until one arrives).
        d.approved = Math.max(d.approved, Math.max(d.approvable, d.next - 1));
        return Verdict.approve(d.approved);
    }

    private Verdict.Deny refuse(int status, String reason, boolean withBody) {
        return new Verdict.Deny(reason, config.onDeny() == HttpGatewayConfig.DenyMode.RESET ? null
                : HttpGateway.refusal(status, reason, withBody));
    }

    private final class Requests implements HttpRequestParser.Listener {
        @Override
        public void head(RequestHead head) throws HttpViolation {
            Optional<String> why = config.policy().check(head);
            if (why.isPresent()) {
                String reason = Printable.escape(why.get());
                refusal = refuse(403, reason, !head.method().equals("HEAD"));
                throw new HttpViolation(reason);
            }
            if (responses.outstanding() >= config.limits().maxPipelined()) {
                throw new HttpViolation("more than " + config.limits().maxPipelined()
                        + " requests awaiting a response (maxPipelined)");
            }
            client.approvable = requests.position();
            responses.expect(head.method());
            offers.add(head.version().equals("HTTP/1.0") ? List.of() : protocols(head.all("Upgrade")));
        }

        @Override
        public void body(ByteBuffer bytes) {
            client.approvable = requests.position();
        }

        @Override
        public void complete() {
            client.approvable = requests.position();
        }
    }

    private final class Responses implements HttpResponseParser.Listener {
        @Override
        public void head(ResponseHead head) {
            if (!head.interim()) {
                offers.poll();
            }
            server.approvable = responses.position();
        }

        @Override
        public void body(ByteBuffer bytes) {
            server.approvable = responses.position();
        }

        @Override
        public void complete() {
            server.approvable = responses.position();
        }

        @Override
        public void tunnel(ResponseHead head) throws HttpViolation {
            List<String> asked = offers.poll();
            String reason = null;
            if (!config.allowUpgrade()) {
                reason = head.status() == 101
                        ? "upgrade to " + head.header("Upgrade").orElse("another protocol") + " is not allowed"
                        : "CONNECT tunnel is not allowed";
            } else if (head.status() == 101) {
                reason = upgradeRefusal(protocols(head.all("Upgrade")), asked == null ? List.of() : asked);
            }
            if (reason == null) {
                tunnelAllowed = true;
                return;
            }
            reason = Printable.escape(reason);
            refusal = refuse(403, reason, true);
            throw new HttpViolation(reason);
        }
    }

    /** Why a 101 switching to {@code to} may not pass, or null. */
    private String upgradeRefusal(List<String> to, List<String> asked) {
        if (to.isEmpty()) {
            return "101 Switching Protocols without Upgrade";
        }
        for (String p : to) {
            if (asked.stream().noneMatch(a -> sameProtocol(a, p))) {
                return "upgrade to " + p + " was not asked for by the request";
            }
            if (config.upgradeProtocols().stream().noneMatch(a -> a.equals(p) || (a.indexOf('/') < 0 && a.equals(name(p))))) {
                return "upgrade to " + p + " is not allowed";
            }
        }
        return null;
    }

    /** The same protocol, or the same name where one of them has no version. */
    private static boolean sameProtocol(String asked, String protocol) {
        return asked.equals(protocol) || ((asked.indexOf('/') < 0 || protocol.indexOf('/') < 0)
                && name(asked).equals(name(protocol)));
    }

    private static String name(String protocol) {
        int slash = protocol.indexOf('/');
        return slash < 0 ? protocol : protocol.substring(0, slash);
    }

    /** The protocols of Upgrade field values, lower case, each element stripped. */
    private static List<String> protocols(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String element : v.split(",", -1)) {
                String p = MessageReader.stripOws(element).toLowerCase(Locale.ROOT);
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
