package io.xdpgate.gateways.dns;

import java.nio.ByteBuffer;

/**
 * What the DNS gateway decides about each message of a flow, whatever carries it (a UDP
 * datagram or a TCP length-prefixed message): a query is parsed, judged by the policy and, if
 * it passes, remembered; a response passes only as the answer of a remembered query.
 */
final class DnsInspector {
    /** A query's fate: {@code reason} null when it passes, else why not and (unless dropped) the answer for the client. */
    record Decision(String reason, byte[] answer) {
        static final Decision PASS = new Decision(null, null);

        boolean passes() {
            return reason == null;
        }
    }

    private final DnsGatewayConfig config;
    private final Outstanding outstanding;

    DnsInspector(DnsGatewayConfig config) {
        this.config = config;
        this.outstanding = new Outstanding(config.maxOutstanding());
    }

    Decision query(ByteBuffer msg) {
        DnsMessage q;
        try {
            q = DnsMessage.parse(msg);
        } catch (DnsFormatException e) {
            return new Decision("malformed query: " + e.getMessage(), null);
        }
        if (q.isResponse()) {
            return new Decision("a response from the client", null);
        }
        String refusal = config.policy().refusal(q);
        if (refusal != null) {
            return new Decision(refusal, config.onDeny() == DnsGatewayConfig.DenyMode.DROP ? null
                    : DnsAnswers.refusal(msg, q, config.onDeny().rcode));
        }
        outstanding.add(q);
        return Decision.PASS;
    }

    /** Null when {@code msg} may reach the client, else why not. */
    String response(ByteBuffer msg) {
        DnsMessage r;
        try {
            r = DnsMessage.parse(msg);
        } catch (DnsFormatException e) {
            return "malformed response: " + e.getMessage();
        }
        if (!r.isResponse()) {
            return "a query from the server";
        }
        if (!outstanding.answer(r)) {
            return "a response to no outstanding query (id " + r.id() + ", " + r.name() + " "
                    + DnsTypes.name(r.type()) + ")";
        }
        return null;
    }
}
