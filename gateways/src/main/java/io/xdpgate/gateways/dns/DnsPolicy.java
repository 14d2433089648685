package io.xdpgate.gateways.dns;

import io.xdpgate.gateways.names.NamePattern;
import java.util.List;
import java.util.Set;

/**
 * Which queries may pass: a name matching a deny pattern never; with allow patterns only a name
 * matching one; with an allowed type list only those types. Only standard queries (opcode 0)
 * in class IN pass: NOTIFY, UPDATE and the like change a server's zones and have no business
 * crossing a firewall from a client, CHAOS-class queries (version.bind) only tell an attacker
 * what runs.
 *
 * @param allowNames empty: every name not denied
 * @param denyNames  always refused
 * @param allowTypes empty: every type
 */
public record DnsPolicy(List<NamePattern> allowNames, List<NamePattern> denyNames, Set<Integer> allowTypes) {
    static final int CLASS_IN = 1;
    public static final DnsPolicy ALLOW_ALL = new DnsPolicy(List.of(), List.of(), Set.of());

    public DnsPolicy {
        allowNames = List.copyOf(allowNames);
        denyNames = List.copyOf(denyNames);
        allowTypes = Set.copyOf(allowTypes);
    }

    /** Null when {@code q} may pass, else why not. */
    String refusal(DnsMessage q) {
        if (q.opcode() != 0) {
            return "opcode " + q.opcode() + " (only standard queries pass)";
        }
        if (q.qclass() != CLASS_IN) {
            return "class " + q.qclass() + " (only IN passes)";
        }
        for (NamePattern p : denyNames) {
            if (p.matches(q.name())) {
                return "name " + q.name() + " matches denied " + p;
            }
        }
        if (!allowNames.isEmpty() && allowNames.stream().noneMatch(p -> p.matches(q.name()))) {
            return "name " + q.name() + " is not in the allowed names";
        }
        if (!allowTypes.isEmpty() && !allowTypes.contains(q.type())) {
            return "type " + DnsTypes.name(q.type()) + " is not allowed";
        }
        return null;
    }
}
