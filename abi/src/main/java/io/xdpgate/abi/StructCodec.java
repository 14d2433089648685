package io.xdpgate.abi;

import java.nio.ByteBuffer;

/**
 * A codec for a record mirroring a C struct, reading and writing through its {@link Layout}.
 * {@link #write}/{@link #read} work at an absolute offset (e.g. a struct nested in another, or
 * metadata in an AF_XDP frame); {@link #encode}/{@link #decode} at the position, advancing it.
 */
public abstract class StructCodec<T> implements Codec<T> {
    private final Layout layout;

    protected StructCodec(Layout layout) {
        this.layout = layout;
    }

    public Layout layout() {
        return layout;
    }

    @Override
    public int size() {
        return layout.size();
    }

    @Override
    public void encode(T value, ByteBuffer out) {
        int base = out.position();
        write(value, out, base);
        out.position(base + size());
    }

    @Override
    public T decode(ByteBuffer in) {
        int base = in.position();
        T value = read(in, base);
        in.position(base + size());
        return value;
    }

    /** Writes {@code value} at {@code base}, padding included (as zeros). */
    public final void write(T value, ByteBuffer out, int base) {
        for (int i = 0; i < size(); i++) {
            out.put(base + i, (byte) 0);
        }
        writeFields(value, out, base);
    }

    public abstract T read(ByteBuffer in, int base);

    /** Writes every non-padding field; the bytes were zeroed before. */
    protected abstract void writeFields(T value, ByteBuffer out, int base);
}
