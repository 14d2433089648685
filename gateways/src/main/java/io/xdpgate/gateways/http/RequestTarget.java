package io.xdpgate.gateways.http;

import io.xdpgate.gateways.text.Printable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The request-target rules of the request parser (RFC 9112 3.2, RFC 3986), strict where servers
 * read one target two ways:
 *
 * <ul>
 *   <li>its form: {@code /path}, an absolute {@code http} or {@code https} URI, {@code host:port}
 *       for CONNECT, {@code *} for OPTIONS; no fragment ({@code #}: some servers cut the path
 *       there, others do not); no user info in an absolute URI ({@code http://a@b/}: RFC 9110
 *       4.2.4) and a well-formed host;</li>
 *   <li>its bytes: visible ASCII, or also well-formed UTF-8 when {@link HttpSyntax#allowUtf8Target};</li>
 *   <li>its path: no backslash (IIS and some frameworks read it as {@code /}), every {@code %}
 *       followed by two hex digits, no encoded {@code .} {@code \} {@code ;} or control character
 *       ({@code %2E %5C %3B %00}-{@code %1F %7F}: a server that decodes before it routes reads a
 *       path the one that routes first does not), no {@code %2F} unless
 *       {@link HttpSyntax#allowEncodedSlash}, and the bytes it decodes to well-formed UTF-8
 *       ({@code %C0%AE} is an overlong {@code .} to a lenient decoder).</li>
 * </ul>
 */
final class RequestTarget {
    private static final Pattern HOST = Pattern.compile("\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._~-]+");

    private RequestTarget() {
    }

    static void check(String method, String target, HttpSyntax syntax) throws HttpViolation {
        String shown = Printable.shortened(target);
        boolean nonAscii = false;
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new HttpViolation("invalid request target \"" + shown + "\"");
            }
            nonAscii |= c >= 0x80;
        }
        if (target.isEmpty()) {
            throw new HttpViolation("invalid request target \"\"");
        }
        if (nonAscii) {
            if (!syntax.allowUtf8Target()) {
                throw new HttpViolation("non-ASCII byte in the request target \"" + shown + "\" (allowUtf8Target)");
            }
            if (!isUtf8(target)) {
                throw new HttpViolation("request target is not UTF-8: \"" + shown + "\"");
            }
        }
        if (target.indexOf('#') >= 0) {
            throw new HttpViolation("fragment (#) in the request target \"" + shown + "\"");
        }
        if (method.equals("CONNECT")) {
            if (!isHostPort(target, true)) {
                throw new HttpViolation("invalid request target \"" + shown + "\": CONNECT takes host:port");
            }
            return;
        }
        if (target.equals("*") && method.equals("OPTIONS")) {
            return;
        }
        if (RequestHead.isAbsoluteForm(target)) {
            String scheme = target.substring(0, target.indexOf(':')).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new HttpViolation("scheme of the request target must be http or https: \"" + shown + "\"");
            }
            String authority = RequestHead.authority(target);
            if (authority.indexOf('@') >= 0) {
                throw new HttpViolation("user info in the request target \"" + shown + "\"");
            }
            if (!isHostPort(authority, false)) {
                throw new HttpViolation("invalid host in the request target \"" + shown + "\"");
            }
        } else if (!target.startsWith("/")) {
            throw new HttpViolation("invalid request target \"" + shown
                    + "\": /path, an absolute URI, host:port for CONNECT or * for OPTIONS");
        }
        checkPath(RequestHead.pathOf(target), syntax);
    }

    private static void checkPath(String path, HttpSyntax syntax) throws HttpViolation {
        String shown = Printable.shortened(path);
        if (path.indexOf('\\') >= 0) {
            throw new HttpViolation("backslash in the request path \"" + shown + "\"");
        }
        ByteBuffer decoded = ByteBuffer.allocate(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '%') {
                decoded.put((byte) c);
                continue;
            }
            if (i + 2 >= path.length() || !Tokens.isHexDigit(path.charAt(i + 1)) || !Tokens.isHexDigit(path.charAt(i + 2))) {
                throw new HttpViolation("malformed percent-encoding in the request path \"" + shown + "\"");
            }
            int d = Integer.parseInt(path.substring(i + 1, i + 3), 16);
            String escape = "%" + path.substring(i + 1, i + 3).toUpperCase(Locale.ROOT);
            if (d == '/' && !syntax.allowEncodedSlash()) {
                throw new HttpViolation("encoded \"/\" (%2F) in the request path \"" + shown + "\" (allowEncodedSlash)");
            }
            if (d == '.' || d == '\\' || d == ';') {
                throw new HttpViolation("encoded \"" + (char) d + "\" (" + escape + ") in the request path \"" + shown + "\"");
            }
            if (d < 0x20 || d == 0x7f) {
                throw new HttpViolation("encoded control character (" + escape + ") in the request path \"" + shown + "\"");
            }
            decoded.put((byte) d);
            i += 2;
        }
        decoded.flip();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(decoded);
        } catch (CharacterCodingException e) {
            throw new HttpViolation("request path is not UTF-8 once percent-decoded: \"" + shown + "\"");
        }
    }

    /**
     * {@code host[:port]} with a host of letters, digits, {@code . _ ~ -} or an IP literal in
     * brackets, a port of 1 to 5 digits up to 65535.
     *
     * @param needPort whether the port is required (CONNECT)
     */
    static boolean isHostPort(String s, boolean needPort) {
        int colon = s.startsWith("[") ? s.indexOf(':', Math.max(0, s.indexOf(']'))) : s.indexOf(':');
        String host = colon < 0 ? s : s.substring(0, colon);
        if (!HOST.matcher(host).matches()) {
            return false;
        }
        if (colon < 0) {
            return !needPort;
        }
        String port = s.substring(colon + 1);
        return !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')
                && Integer.parseInt(port) <= 65535;
    }

    /** The Host header's value: {@link #isHostPort}, or empty (RFC 9110 7.2, a target without authority). */
    static boolean isHostHeader(String v) {
        return v.isEmpty() || isHostPort(v, false);
    }

    private static boolean isUtf8(String latin1) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1)));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
