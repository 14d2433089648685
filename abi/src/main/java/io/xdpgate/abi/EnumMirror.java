package io.xdpgate.abi;

import java.util.ArrayList;
import java.util.List;

/**
 * A C enum as the Java side sees it: enumerator names and values in declaration order, including
 * a trailing {@code *_COUNT} sentinel where the C enum has one.
 */
public record EnumMirror(String cName, List<Entry> entries) {
    /** One enumerator. */
    public record Entry(String name, long value) {
    }

    static <E extends Enum<E> & CEnum> EnumMirror of(String cName, Class<E> type) {
        return new EnumMirror(cName, List.copyOf(entries(type)));
    }

    /** With a count sentinel after the last constant, as {@code XG_ROLE_COUNT} follows {@code XG_ROLE_GATEWAY}. */
    static <E extends Enum<E> & CEnum> EnumMirror withCount(String cName, Class<E> type, String countName) {
        List<Entry> entries = entries(type);
        entries.add(new Entry(countName, type.getEnumConstants().length));
        return new EnumMirror(cName, List.copyOf(entries));
    }

    private static <E extends Enum<E> & CEnum> List<Entry> entries(Class<E> type) {
        List<Entry> entries = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            entries.add(new Entry(e.cName(), e.value()));
        }
        return entries;
    }
}
