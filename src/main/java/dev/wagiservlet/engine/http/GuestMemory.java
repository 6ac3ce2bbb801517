package dev.wagiservlet.engine.http;

/**
 * A module's linear memory as the {@code wasi_experimental_http} calls see it, whatever the engine:
 * byte offsets, little-endian numbers. Offsets are checked by the caller against {@link #size()}.
 */
public interface GuestMemory {

    /** The memory's size in bytes. */
    long size();

    byte[] read(int offset, int length);

    void write(int offset, byte[] bytes, int from, int length);

    void writeI32(int offset, int value);

    void writeI16(int offset, short value);
}
