package io.xdpgate.gateways.ftp;

/**
 * A server's replies (RFC 959 4.2): {@code NNN text}, or a multiline reply from {@code NNN-text}
 * to the first line that starts with the same code and a space; lines between may hold anything.
 * The first digit is 1 (preliminary) to 5, the second 0 to 5.
 */
final class FtpReplyReader {
    /** A whole reply: its code and the text of its first line. */
    record Reply(int code, String text) {
    }

    private int open = -1;
    private String firstText;

    /** Takes one line (without CRLF); the reply when it was the last line, else null. */
    Reply line(String line) throws FtpRefused {
        if (open >= 0) {
            if (line.length() >= 4 && line.startsWith(String.valueOf(open)) && line.charAt(3) == ' ') {
                Reply r = new Reply(open, firstText);
                open = -1;
                return r;
            }
            return null;
        }
        if (line.length() < 3 || line.charAt(0) < '1' || line.charAt(0) > '5' || line.charAt(1) < '0'
                || line.charAt(1) > '5' || !Character.isDigit(line.charAt(2))
                || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
            throw FtpRefused.server("reply line does not start with a reply code");
        }
        int code = Integer.parseInt(line.substring(0, 3));
        String text = line.length() > 4 ? line.substring(4) : "";
        if (line.length() > 3 && line.charAt(3) == '-') {
            open = code;
            firstText = text;
            return null;
        }
        return new Reply(code, text);
    }
}
