package io.xdpgate.abi;

/** Range checks for values headed into fixed-width C fields. */
final class Checks {
    private Checks() {
    }

    static void u8(String field, int value) {
        range(field, value, 0xff);
    }

    static void u16(String field, int value) {
        range(field, value, 0xffff);
    }

    private static void range(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " = " + value + " is outside 0.." + max);
        }
    }
}
