package io.xdpgate.abi;

import java.util.Map;

/**
 * Evaluates the integer constant expressions a C header writes in #defines: literals (decimal,
 * hex, with u/l suffixes), earlier constants, parentheses, + - * / % << >> & | ^ ~ with C
 * precedence. Enough for the ABI header, not a C preprocessor.
 */
final class ConstantExpression {
    private final String text;
    private final Map<String, Long> known;
    private int pos;

    private ConstantExpression(String text, Map<String, Long> known) {
        this.text = text;
        this.known = known;
    }

    static long evaluate(String text, Map<String, Long> known) {
        ConstantExpression e = new ConstantExpression(text, known);
        long value = e.or();
        e.skipSpace();
        if (e.pos != text.length()) {
            throw new IllegalArgumentException("cannot evaluate '" + text + "' past position " + e.pos);
        }
        return value;
    }

    private long or() {
        long v = xor();
        while (eat('|')) {
            v |= xor();
        }
        return v;
    }

    private long xor() {
        long v = and();
        while (eat('^')) {
            v ^= and();
        }
        return v;
    }

    private long and() {
        long v = shift();
        while (eat('&')) {
            v &= shift();
        }
        return v;
    }

    private long shift() {
        long v = additive();
        while (true) {
            if (eat("<<")) {
                v <<= additive();
            } else if (eat(">>")) {
                v >>= additive();
            } else {
                return v;
            }
        }
    }

    private long additive() {
        long v = multiplicative();
        while (true) {
            if (eat('+')) {
                v += multiplicative();
            } else if (eat('-')) {
                v -= multiplicative();
            } else {
                return v;
            }
        }
    }

    private long multiplicative() {
        long v = unary();
        while (true) {
            if (eat('*')) {
                v *= unary();
            } else if (eat('/')) {
                v /= unary();
            } else if (eat('%')) {
                v %= unary();
            } else {
                return v;
            }
        }
    }

    private long unary() {
        if (eat('-')) {
            return -unary();
        }
        if (eat('~')) {
            return ~unary();
        }
        if (eat('(')) {
            long v = or();
            if (!eat(')')) {
                throw new IllegalArgumentException("missing ) in '" + text + "'");
            }
            return v;
        }
        skipSpace();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String token = text.substring(start, pos);
        if (token.isEmpty()) {
            throw new IllegalArgumentException("expected a value at position " + start + " of '" + text + "'");
        }
        if (Character.isDigit(token.charAt(0))) {
            String digits = token.replaceAll("[uUlL]+$", "");
            return digits.startsWith("0x") || digits.startsWith("0X")
                    ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
        }
        Long value = known.get(token);
        if (value == null) {
            throw new IllegalArgumentException("unknown name " + token + " in '" + text + "'");
        }
        return value;
    }

    private boolean eat(char c) {
        skipSpace();
        // a lone < or > is not ours; << and >> are eaten by shift()
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean eat(String s) {
        skipSpace();
        if (text.startsWith(s, pos)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
