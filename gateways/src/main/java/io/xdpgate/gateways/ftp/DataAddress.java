package io.xdpgate.gateways.ftp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data connection endpoints FTP announces: the argument of PORT ({@code h1,h2,h3,h4,p1,p2},
 * RFC 959 4.1.2) and EPRT ({@code |1|198.18.1.2|5282|}, RFC 2428 2), and the texts of the 227
 * (six numbers, found as clients find them: the first six comma-separated numbers) and 229
 * ({@code (|||6446|)}, RFC 2428 3) replies. Strict: a number out of range, a leading zero
 * beyond one digit, a host name instead of an address, or anything extra is refused.
 */
final class DataAddress {
    private static final Pattern SIX = Pattern.compile("(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3})");
    private static final Pattern EXTENDED = Pattern.compile("\\(([!-~])\\1\\1(\\d{1,5})\\1\\)");

    private DataAddress() {
    }

    /** PORT's argument. */
    static InetSocketAddress port(String argument) throws FtpRefused {
        Matcher m = SIX.matcher(argument);
        if (!m.matches()) {
            throw FtpRefused.parameters("syntax: PORT h1,h2,h3,h4,p1,p2");
        }
        return six(m, "PORT");
    }

    /** The first six comma-separated numbers in a 227 reply's text. */
    static InetSocketAddress passive(String text) throws FtpRefused {
        Matcher m = SIX.matcher(text);
        if (!m.find()) {
            throw FtpRefused.server("227 without an address");
        }
        return six(m, "227");
    }

    private static InetSocketAddress six(Matcher m, String what) throws FtpRefused {
        byte[] addr = new byte[4];
        int[] n = new int[6];
        for (int i = 0; i < 6; i++) {
            n[i] = number(m.group(i + 1), 255, what);
            if (i < 4) {
                addr[i] = (byte) n[i];
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), n[4] * 256 + n[5]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** EPRT's argument: {@code <d>proto<d>address<d>port<d>} with any printable delimiter. */
    static InetSocketAddress extended(String argument) throws FtpRefused {
        if (argument.length() < 7 || argument.charAt(0) < '!' || argument.charAt(0) > '~') {
            throw FtpRefused.parameters("syntax: EPRT <d>proto<d>address<d>port<d>");
        }
        String d = String.valueOf(argument.charAt(0));
        String[] parts = argument.substring(1).split(Pattern.quote(d), -1);
        if (parts.length != 4 || !parts[3].isEmpty() || !(parts[0].equals("1") || parts[0].equals("2"))) {
            throw FtpRefused.parameters("syntax: EPRT <d>proto<d>address<d>port<d> (proto 1 or 2)");
        }
        InetAddress addr = literal(parts[1], parts[0].equals("1"));
        return new InetSocketAddress(addr, number(parts[2], 65535, "EPRT"));
    }

    /** The port of a 229 reply's {@code (<d><d><d>port<d>)}. */
    static int extendedPassive(String text) throws FtpRefused {
        Matcher m = EXTENDED.matcher(text);
        if (!m.find()) {
            throw FtpRefused.server("229 without (|||port|)");
        }
        return number(m.group(2), 65535, "229");
    }

    private static int number(String digits, int max, String what) throws FtpRefused {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)
                || (digits.length() > 1 && digits.charAt(0) == '0') || Integer.parseInt(digits) > max) {
            throw what.startsWith("2") ? FtpRefused.server(what + " with a bad number \"" + digits + "\"")
                    : FtpRefused.parameters(what + " with a bad number \"" + digits + "\"");
        }
        return Integer.parseInt(digits);
    }

    /** An IPv4 dotted quad or an IPv6 literal, never a name (no lookup). */
    private static InetAddress literal(String text, boolean v4) throws FtpRefused {
        boolean ok = v4 ? text.matches("(\\d{1,3}\\.){3}\\d{1,3}") : text.matches("[0-9A-Fa-f:.]{2,45}") && text.contains(":");
        if (ok) {
            try {
                InetAddress a = InetAddress.getByName(text); // a literal: parsed, not looked up
                if (v4 == (a instanceof java.net.Inet4Address)) {
                    if (v4) {
                        for (String part : text.split("\\.")) {
                            number(part, 255, "EPRT");
                        }
                    }
                    return a;
                }
            } catch (UnknownHostException e) {
                // falls through to the refusal
            }
        }
        throw FtpRefused.parameters("EPRT address is not an IPv" + (v4 ? "4" : "6") + " literal");
    }
}
