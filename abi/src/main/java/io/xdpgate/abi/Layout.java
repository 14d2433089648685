package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The byte layout of one C struct: fields in declaration order with the offsets C gives them
 * (natural alignment, struct size rounded up to the largest alignment). Fields read and write
 * themselves at {@code base + offset} of a buffer in their own byte order, whatever the buffer's.
 */
public final class Layout {
    /** How a field is stored. */
    public enum Kind {
        U8(1), U16(2), U32(4), U64(8), BE16(2), BE32(4),
        /** {@code __u8 name[n]} */
        BYTES(1),
        /** {@code __u32 name[n]} */
        U32_ARRAY(4),
        /** {@code __u64 name[n]} */
        U64_ARRAY(8),
        /** a nested struct */
        STRUCT(0),
        /** explicit padding ({@code __u8 pad[n]}); written as zeros, never read */
        PAD(1);

        final int unit;

        Kind(int unit) {
            this.unit = unit;
        }
    }

    /**
     * One field.
     *
     * @param count  array length for BYTES, U32_ARRAY, U64_ARRAY and PAD; 1 otherwise
     * @param nested the nested struct's layout for STRUCT, else null
     */
    public record Field(String name, int offset, int size, Kind kind, int count, Layout nested) {
        public boolean isArray() {
            return kind == Kind.BYTES || kind == Kind.U32_ARRAY || kind == Kind.U64_ARRAY || kind == Kind.PAD;
        }

        /** A scalar field (U8 ... BE32) as an unsigned number. */
        public long get(ByteBuffer b, int base) {
            int at = base + offset;
            return switch (kind) {
                case U8 -> b.get(at) & 0xffL;
                case U16 -> order(b.getShort(at), b, ByteOrder.LITTLE_ENDIAN) & 0xffffL;
                case BE16 -> order(b.getShort(at), b, ByteOrder.BIG_ENDIAN) & 0xffffL;
                case U32 -> order(b.getInt(at), b, ByteOrder.LITTLE_ENDIAN) & 0xffffffffL;
                case BE32 -> order(b.getInt(at), b, ByteOrder.BIG_ENDIAN) & 0xffffffffL;
                case U64 -> order(b.getLong(at), b, ByteOrder.LITTLE_ENDIAN);
                default -> throw notA("scalar");
            };
        }

        /** A scalar field of at most 32 bits as a Java int. */
        public int getInt(ByteBuffer b, int base) {
            return (int) get(b, base);
        }

        public void put(ByteBuffer b, int base, long value) {
            int at = base + offset;
            switch (kind) {
                case U8 -> b.put(at, (byte) value);
                case U16 -> b.putShort(at, order((short) value, b, ByteOrder.LITTLE_ENDIAN));
                case BE16 -> b.putShort(at, order((short) value, b, ByteOrder.BIG_ENDIAN));
                case U32 -> b.putInt(at, order((int) value, b, ByteOrder.LITTLE_ENDIAN));
                case BE32 -> b.putInt(at, order((int) value, b, ByteOrder.BIG_ENDIAN));
                case U64 -> b.putLong(at, order(value, b, ByteOrder.LITTLE_ENDIAN));
                default -> throw notA("scalar");
            }
        }

        public byte[] getBytes(ByteBuffer b, int base) {
            requireKind(Kind.BYTES);
            byte[] bytes = new byte[count];
            b.get(base + offset, bytes);
            return bytes;
        }

        public void putBytes(ByteBuffer b, int base, byte[] bytes) {
            requireKind(Kind.BYTES);
            if (bytes.length != count) {
                throw new IllegalArgumentException(name + ": " + bytes.length + " bytes, expected " + count);
            }
            b.put(base + offset, bytes);
        }

        public int[] getInts(ByteBuffer b, int base) {
            requireKind(Kind.U32_ARRAY);
            int[] values = new int[count];
            for (int i = 0; i < count; i++) {
                values[i] = order(b.getInt(base + offset + i * 4), b, ByteOrder.LITTLE_ENDIAN);
            }
            return values;
        }

        public void putInts(ByteBuffer b, int base, int[] values) {
            requireKind(Kind.U32_ARRAY);
            if (values.length != count) {
                throw new IllegalArgumentException(name + ": " + values.length + " values, expected " + count);
            }
            for (int i = 0; i < count; i++) {
                b.putInt(base + offset + i * 4, order(values[i], b, ByteOrder.LITTLE_ENDIAN));
            }
        }

        public long[] getLongs(ByteBuffer b, int base) {
            requireKind(Kind.U64_ARRAY);
            long[] values = new long[count];
            for (int i = 0; i < count; i++) {
                values[i] = order(b.getLong(base + offset + i * 8), b, ByteOrder.LITTLE_ENDIAN);
            }
            return values;
        }

        public void putLongs(ByteBuffer b, int base, long[] values) {
            requireKind(Kind.U64_ARRAY);
            if (values.length != count) {
                throw new IllegalArgumentException(name + ": " + values.length + " values, expected " + count);
            }
            for (int i = 0; i < count; i++) {
                b.putLong(base + offset + i * 8, order(values[i], b, ByteOrder.LITTLE_ENDIAN));
            }
        }

        private void requireKind(Kind expected) {
            if (kind != expected) {
                throw notA(expected.name());
            }
        }

        private IllegalStateException notA(String what) {
            return new IllegalStateException("field " + name + " (" + kind + ") is not " + what);
        }

        private static short order(short v, ByteBuffer b, ByteOrder wanted) {
            return b.order() == wanted ? v : Short.reverseBytes(v);
        }

        private static int order(int v, ByteBuffer b, ByteOrder wanted) {
            return b.order() == wanted ? v : Integer.reverseBytes(v);
        }

        private static long order(long v, ByteBuffer b, ByteOrder wanted) {
            return b.order() == wanted ? v : Long.reverseBytes(v);
        }
    }

    private final String cName;
    private final int size;
    private final int alignment;
    private final List<Field> fields;
    private final Map<String, Field> byName;

    private Layout(String cName, int size, int alignment, List<Field> fields) {
        this.cName = cName;
        this.size = size;
        this.alignment = alignment;
        this.fields = List.copyOf(fields);
        this.byName = new LinkedHashMap<>();
        fields.forEach(f -> byName.put(f.name(), f));
    }

    /** Starts the layout of {@code struct <cName>}. */
    public static Builder struct(String cName) {
        return new Builder(cName);
    }

    /** The C struct name without the {@code struct} keyword, e.g. {@code xg_tuple}. */
    public String cName() {
        return cName;
    }

    public int size() {
        return size;
    }

    public List<Field> fields() {
        return fields;
    }

    public Field field(String name) {
        Field f = byName.get(name);
        if (f == null) {
            throw new IllegalArgumentException("struct " + cName + " has no field " + name);
        }
        return f;
    }

    @Override
    public String toString() {
        return "struct " + cName + " (" + size + " bytes) " + fields;
    }

    /** Appends fields in C declaration order. */
    public static final class Builder {
        private final String cName;
        private final List<Field> fields = new ArrayList<>();
        private int offset;
        private int alignment = 1;

        private Builder(String cName) {
            this.cName = cName;
        }

        public Builder u8(String name) {
            return add(name, Kind.U8, 1, null);
        }

        public Builder u16(String name) {
            return add(name, Kind.U16, 1, null);
        }

        public Builder u32(String name) {
            return add(name, Kind.U32, 1, null);
        }

        public Builder u64(String name) {
            return add(name, Kind.U64, 1, null);
        }

        public Builder be16(String name) {
            return add(name, Kind.BE16, 1, null);
        }

        public Builder be32(String name) {
            return add(name, Kind.BE32, 1, null);
        }

        public Builder bytes(String name, int count) {
            return add(name, Kind.BYTES, count, null);
        }

        public Builder u32s(String name, int count) {
            return add(name, Kind.U32_ARRAY, count, null);
        }

        public Builder u64s(String name, int count) {
            return add(name, Kind.U64_ARRAY, count, null);
        }

        public Builder struct(String name, Layout nested) {
            return add(name, Kind.STRUCT, 1, nested);
        }

        public Builder pad(String name, int count) {
            return add(name, Kind.PAD, count, null);
        }

        public Layout build() {
            return new Layout(cName, roundUp(offset, alignment), alignment, fields);
        }

        private Builder add(String name, Kind kind, int count, Layout nested) {
            int align = nested != null ? nested.alignment : kind.unit;
            int size = nested != null ? nested.size : kind.unit * count;
            offset = roundUp(offset, align);
            fields.add(new Field(name, offset, size, kind, count, nested));
            offset += size;
            alignment = Math.max(alignment, align);
            return this;
        }

        private static int roundUp(int value, int align) {
            return (value + align - 1) / align * align;
        }
    }
}
