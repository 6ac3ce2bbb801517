package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.runtime.ByteBufferMemory;
import com.dylibso.chicory.runtime.ConstantEvaluators;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wagiservlet.engine.MemoryAccount;
import java.util.Arrays;

/**
 * A linear memory that remembers which 4 KiB blocks were written, so that {@link #zero()}, which
 * Chicory calls when the next instance starts with this memory, clears only those blocks. A small
 * CGI handler writes a few blocks of a memory of 128 KiB or more (its data, the top of its stack,
 * a buffer or two), and zeroing all of it was the largest single cost of instantiating a module.
 *
 * <p>Every way to change the memory goes through the methods below (the compiled code, the
 * interpreter and the host functions all use the {@link Memory} interface; the interface's atomic
 * and string defaults end in them). A block is marked before it is written, so a write cut short
 * by an error can only leave a block marked that needs no clearing, never the other way round.
 *
 * <p>Each run books the pages it grows by to its {@link MemoryAccount}; a grow the account refuses
 * fails ({@code -1}), as at the memory's maximum.
 */
final class ResettableMemory implements Memory {

    private static final int BLOCK_SHIFT = 12;
    private static final int BLOCK_SIZE = 1 << BLOCK_SHIFT;
    /** The widest single write (an i64 or f64): a write that starts in a block ends at most this far into the next. */
    private static final int WIDEST_WRITE = Long.BYTES;

    private final MemoryLimits limits;
    private final ByteBufferMemory memory;
    private long[] written;
    private MemoryAccount account = MemoryAccount.UNLIMITED;

    ResettableMemory(MemoryLimits limits) {
        this.limits = limits;
        this.memory = new ByteBufferMemory(limits);
        this.written = bitmapFor(memory.pages());
    }

    /**
     * Whether this memory was made for these limits. (Its own {@link #maximumPages()} can be lower
     * than the limits asked for: Chicory caps it at what a Java array can hold.)
     */
    boolean madeFor(MemoryLimits limits) {
        return this.limits.initialPages() == limits.initialPages() && this.limits.maximumPages() == limits.maximumPages()
                && this.limits.shared() == limits.shared();
    }

    private static long[] bitmapFor(int pages) {
        long blocks = (long) pages * PAGE_SIZE >>> BLOCK_SHIFT;
        return new long[(int) ((blocks + 63) >>> 6)];
    }

    private void mark(int addr) {
        int block = addr >>> BLOCK_SHIFT;
        int word = block >>> 6;
        if (word < written.length) { // past the end, the write fails on its own
            written[word] |= 1L << block;
        }
    }

    private void mark(int addr, int size) {
        if (size <= 0 || addr < 0) {
            return;
        }
        long last = Math.min((long) addr + size - 1, ((long) written.length << (6 + BLOCK_SHIFT)) - 1);
        for (long block = addr >>> BLOCK_SHIFT; block <= last >>> BLOCK_SHIFT; block++) {
            written[(int) (block >>> 6)] |= 1L << block;
        }
    }

    /** Clears the blocks written since the last time, runs of neighbours at once. */
    @Override
    public void zero() {
        int size = memory.pages() * PAGE_SIZE;
        for (int word = 0; word < written.length; word++) {
            long bits = written[word];
            while (bits != 0) {
                int first = Long.numberOfTrailingZeros(bits);
                int run = Long.numberOfTrailingZeros(~(bits >>> first));
                long from = ((long) word << 6 | first) << BLOCK_SHIFT;
                long to = Math.min(size, from + ((long) run << BLOCK_SHIFT) + WIDEST_WRITE);
                memory.fill((byte) 0, (int) from, (int) to);
                bits = run == 64 ? 0 : bits & ~(((1L << run) - 1) << first);
            }
            written[word] = 0;
        }
    }

    @Override
    public void initialize(Instance instance, DataSegment[] dataSegments) {
        initialize(instance, dataSegments, 0);
    }

    @Override
    public void initialize(Instance instance, DataSegment[] dataSegments, int memoryIndex) {
        if (dataSegments != null) {
            for (DataSegment segment : dataSegments) {
                if (segment instanceof ActiveDataSegment && ((ActiveDataSegment) segment).index() == memoryIndex) {
                    ActiveDataSegment active = (ActiveDataSegment) segment;
                    mark((int) ConstantEvaluators.computeConstantValue(instance, active.offsetInstructions())[0],
                            active.data().length);
                }
            }
        }
        memory.initialize(instance, dataSegments, memoryIndex);
    }

    /** The account the current run books its growth to. */
    void bookTo(MemoryAccount account) {
        this.account = account;
    }

    @Override
    public int grow(int size) {
        if (size < 0 || (long) memory.pages() + size > memory.maximumPages()) {
            return -1;
        }
        if (size > 0 && !account.reserve((long) size * PAGE_SIZE)) {
            return -1;
        }
        int previous = memory.grow(size);
        if (previous >= 0) {
            written = Arrays.copyOf(written, bitmapFor(memory.pages()).length);
        }
        return previous;
    }

    @Override
    public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
        mark(dest, size);
        memory.initPassiveSegment(segmentId, dest, offset, size);
    }

    @Override
    public void write(int addr, byte[] data, int offset, int size) {
        mark(addr, size);
        memory.write(addr, data, offset, size);
    }

    @Override
    public void writeI32(int addr, int data) {
        mark(addr);
        memory.writeI32(addr, data);
    }

    @Override
    public void writeLong(int addr, long data) {
        mark(addr);
        memory.writeLong(addr, data);
    }

    @Override
    public void writeShort(int addr, short data) {
        mark(addr);
        memory.writeShort(addr, data);
    }

    @Override
    public void writeByte(int addr, byte data) {
        mark(addr);
        memory.writeByte(addr, data);
    }

    @Override
    public void writeF32(int addr, float data) {
        mark(addr);
        memory.writeF32(addr, data);
    }

    @Override
    public void writeF64(int addr, double data) {
        mark(addr);
        memory.writeF64(addr, data);
    }

    @Override
    public void fill(byte value, int fromIndex, int toIndex) {
        mark(fromIndex, toIndex - fromIndex);
        memory.fill(value, fromIndex, toIndex);
    }

    @Override
    public void copy(int dest, int src, int size) {
        mark(dest, size);
        memory.copy(dest, src, size);
    }

    // What follows reads, or changes nothing in the memory's bytes.

    @Override
    public int pages() {
        return memory.pages();
    }

    @Override
    public int initialPages() {
        return memory.initialPages();
    }

    @Override
    public int maximumPages() {
        return memory.maximumPages();
    }

    @Override
    public boolean shared() {
        return memory.shared();
    }

    // lock, waitOn and notify: Chicory 1.7.5 deprecates them for removal and no longer calls them
    // (atomics go through the atomic* methods), but Memory still declares them abstract, so they must
    // be implemented; each delegates, as Chicory's own ByteBufferMemory does, under a warning
    // suppressed for that method alone.

    @Override
    @SuppressWarnings("removal")
    public Object lock(int address) {
        return memory.lock(address);
    }

    @Override
    @SuppressWarnings("removal")
    public int waitOn(int address, int expected, long timeout) {
        return memory.waitOn(address, expected, timeout);
    }

    @Override
    @SuppressWarnings("removal")
    public int waitOn(int address, long expected, long timeout) {
        return memory.waitOn(address, expected, timeout);
    }

    @Override
    @SuppressWarnings("removal")
    public int notify(int address, int maxThreads) {
        return memory.notify(address, maxThreads);
    }

    @Override
    public void drop(int segment) {
        memory.drop(segment);
    }

    @Override
    public byte read(int addr) {
        return memory.read(addr);
    }

    @Override
    public byte[] readBytes(int addr, int len) {
        return memory.readBytes(addr, len);
    }

    @Override
    public int readInt(int addr) {
        return memory.readInt(addr);
    }

    @Override
    public long readLong(int addr) {
        return memory.readLong(addr);
    }

    @Override
    public short readShort(int addr) {
        return memory.readShort(addr);
    }

    @Override
    public long readU16(int addr) {
        return memory.readU16(addr);
    }

    @Override
    public long readF32(int addr) {
        return memory.readF32(addr);
    }

    @Override
    public float readFloat(int addr) {
        return memory.readFloat(addr);
    }

    @Override
    public double readDouble(int addr) {
        return memory.readDouble(addr);
    }

    @Override
    public long readF64(int addr) {
        return memory.readF64(addr);
    }
}
