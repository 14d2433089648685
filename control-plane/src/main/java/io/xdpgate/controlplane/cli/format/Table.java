package io.xdpgate.controlplane.cli.format;

import java.util.ArrayList;
import java.util.List;

/** Columns aligned on the widest cell, two spaces apart; numeric columns right-aligned. No trailing spaces. */
public final class Table {
    private final List<String> headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    /** Headers, a trailing {@code >} marks a right-aligned (numeric) column: {@code "FLOWS>"}. */
    public Table(String... headers) {
        this.headers = new ArrayList<>();
        this.right = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            right[i] = headers[i].endsWith(">");
            this.headers.add(right[i] ? headers[i].substring(0, headers[i].length() - 1) : headers[i]);
        }
    }

    public Table row(Object... cells) {
        if (cells.length != right.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + right.length + " columns");
        }
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            text[i] = cells[i] == null ? "-" : cells[i].toString();
        }
        rows.add(text);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The header line (when any header is non-empty) and one line per row. */
    public List<String> lines() {
        int[] width = new int[right.length];
        boolean header = headers.stream().anyMatch(h -> !h.isEmpty());
        for (int i = 0; i < width.length; i++) {
            width[i] = header ? headers.get(i).length() : 0;
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        if (header) {
            out.add(line(headers.toArray(String[]::new), width));
        }
        rows.forEach(r -> out.add(line(r, width)));
        return out;
    }

    private String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append("  ");
            }
            String pad = " ".repeat(width[i] - cells[i].length());
            b.append(right[i] ? pad + cells[i] : cells[i] + pad);
        }
        return b.toString().stripTrailing();
    }
}
