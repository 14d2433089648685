package io.xdpgate.gateways.dns;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/** Query type names (IANA DNS parameters) the config may use, and the RFC 3597 form {@code TYPE123}. */
final class DnsTypes {
    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("A", 1), Map.entry("NS", 2), Map.entry("CNAME", 5), Map.entry("SOA", 6), Map.entry("PTR", 12),
            Map.entry("HINFO", 13), Map.entry("MX", 15), Map.entry("TXT", 16), Map.entry("AAAA", 28),
            Map.entry("SRV", 33), Map.entry("NAPTR", 35), Map.entry("DS", 43), Map.entry("SSHFP", 44),
            Map.entry("RRSIG", 46), Map.entry("NSEC", 47), Map.entry("DNSKEY", 48), Map.entry("NSEC3", 50),
            Map.entry("TLSA", 52), Map.entry("SVCB", 64), Map.entry("HTTPS", 65), Map.entry("IXFR", 251),
            Map.entry("AXFR", 252), Map.entry("ANY", 255), Map.entry("CAA", 257));

    private DnsTypes() {
    }

    /** "AAAA", "aaaa" or "TYPE28"; empty when it is none of these. */
    static OptionalInt parse(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        Integer known = BY_NAME.get(t);
        if (known != null) {
            return OptionalInt.of(known);
        }
        if (t.startsWith("TYPE") && t.length() > 4 && t.length() <= 9 && t.substring(4).chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(t.substring(4));
            return n <= 0xffff ? OptionalInt.of(n) : OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    static String name(int type) {
        for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
            if (e.getValue() == type) {
                return e.getKey();
            }
        }
        return "TYPE" + type;
    }
}
