package io.xdpgate.gateways.smtp;

import io.xdpgate.gateways.text.Printable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The argument of MAIL ({@code FROM:<path> params}) or RCPT ({@code TO:<path> params}), RFC 5321
 * 4.1.2 and 4.1.1.2-3, read strictly enough that the server cannot read another address out of
 * it: the path in angle brackets, at most 256 bytes with them (4.5.3.1.3), of printable bytes
 * without spaces, quotes, backslashes or brackets inside (quoted local parts and source routes
 * refused: they are where readers of addresses disagree), then ESMTP parameters
 * {@code KEYWORD[=value]}, each once. Spaces after the colon are tolerated, as Postfix does.
 *
 * @param path   between the brackets; empty for the null sender {@code <>}
 * @param params keyword (upper case) to value (null when absent)
 */
record EnvelopeArgument(String path, Map<String, String> params) {
    /** An ESMTP parameter keyword and value (RFC 5321 4.1.2: esmtp-keyword, esmtp-value). */
    private static final Pattern KEYWORD = Pattern.compile("[A-Z0-9][A-Z0-9-]*");
    private static final Pattern VALUE = Pattern.compile("[!-<>-~]+");

    static final int MAX_PATH = 256;

    /** Reads {@code argument} after {@code prefix} ("FROM:" or "TO:"). */
    static EnvelopeArgument read(String verb, String prefix, String argument) throws Refused {
        if (argument.length() < prefix.length() || !argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new Refused(SmtpRefusal.parameters("syntax: " + verb + " " + prefix + "<address>"));
        }
        int at = prefix.length();
        while (at < argument.length() && argument.charAt(at) == ' ') {
            at++;
        }
        int close = argument.indexOf('>', at);
        if (at == argument.length() || argument.charAt(at) != '<' || close < 0) {
            throw new Refused(SmtpRefusal.parameters("syntax: " + verb + " " + prefix + "<address>"));
        }
        String path = argument.substring(at + 1, close);
        if (path.length() + 2 > MAX_PATH) {
            throw new Refused(SmtpRefusal.parameters("address longer than " + MAX_PATH + " bytes"));
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '<' || c == '"' || c == '\\' || c == ',') {
                throw new Refused(SmtpRefusal.parameters("address with a space, control byte, quote, backslash,"
                        + " comma or bracket: <" + Printable.shortened(path) + ">"));
            }
        }
        if (!path.isEmpty()) {
            int sign = path.lastIndexOf('@');
            if (path.startsWith("@")) {
                throw new Refused(SmtpRefusal.parameters("source routes are not accepted: <" + Printable.shortened(path) + ">"));
            }
            if (sign != path.indexOf('@') || sign == 0 || sign == path.length() - 1
                    || (sign < 0 && !path.equalsIgnoreCase("postmaster"))) {
                throw new Refused(SmtpRefusal.parameters("address is not local-part@domain: <" + Printable.shortened(path) + ">"));
            }
        }
        return new EnvelopeArgument(path, params(argument.substring(close + 1)));
    }

    private static Map<String, String> params(String rest) throws Refused {
        Map<String, String> params = new LinkedHashMap<>();
        if (rest.isEmpty()) {
            return params;
        }
        if (rest.charAt(0) != ' ') {
            throw new Refused(SmtpRefusal.parameters("bytes after the address: " + Printable.shortened(rest)));
        }
        for (String p : rest.substring(1).split(" ", -1)) {
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (!KEYWORD.matcher(key).matches() || (eq >= 0 && !VALUE.matcher(p.substring(eq + 1)).matches())) {
                throw new Refused(SmtpRefusal.parameters("invalid parameter \"" + Printable.shortened(p) + "\""));
            }
            if (params.containsKey(key)) {
                throw new Refused(SmtpRefusal.parameters("parameter " + key + " given twice"));
            }
            params.put(key, eq < 0 ? null : p.substring(eq + 1));
        }
        return params;
    }

    /** The domain after the path's {@code @}, lower case; empty for {@code <>} and {@code <postmaster>}. */
    String domain() {
        int sign = path.lastIndexOf('@');
        return sign < 0 ? "" : path.substring(sign + 1).toLowerCase(Locale.ROOT);
    }
}
