package io.xdpgate.controlplane.cli.format;

import java.util.Locale;

/** Byte counts and durations the way a person reads them: 1.2K, 3.4M (1024-based), 2.1s, 4m05s. */
public final class Units {
    private static final String[] PREFIX = {"K", "M", "G", "T", "P", "E"};

    private Units() {
    }

    /** 412B, 1.2K, 12K, 3.4M: one decimal below 10 of the unit, none above. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + "B";
        }
        double v = n;
        int i = -1;
        while (v >= 1024 && i < PREFIX.length - 1) {
            v /= 1024;
            i++;
        }
        return (v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.valueOf((long) v)) + PREFIX[i];
    }

    /** 79ms, 2.1s, 4m05s, 3h02m, 2d03h. */
    public static String duration(double seconds) {
        if (seconds < 1) {
            return Math.round(seconds * 1000) + "ms";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = (long) seconds;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86400, s % 86400 / 3600);
    }

    /** A per-second rate: 0, 12.5, 1234. */
    public static String rate(double perSecond) {
        if (perSecond == 0) {
            return "0";
        }
        return perSecond < 100 ? String.format(Locale.ROOT, "%.1f", perSecond)
                : String.valueOf(Math.round(perSecond));
    }

    /** used/size and the fill in percent: "2/1000 (0.2%)". */
    public static String fill(long used, long size) {
        double pct = size == 0 ? 0 : 100.0 * used / size;
        return used + "/" + size + String.format(Locale.ROOT, " (%.1f%%)", pct);
    }
}
