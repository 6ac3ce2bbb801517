package dev.wagiservlet.engine.chicory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever is written to a {@link ResettableMemory}, by any of its write methods and at any
 * address, {@code zero()} leaves every byte of it zero: the cheap clear never misses a block.
 */
class ResettableMemoryProperties {

    private static final int PAGES = 3;
    private static final int SIZE = PAGES * Memory.PAGE_SIZE;

    /** One write: which method, where, how long (for the ranged ones) and from where (for copy). */
    record Write(int kind, int addr, int length, int source) {
        void applyTo(Memory memory) {
            switch (kind) {
                case 0 -> memory.writeByte(addr, (byte) 0x5a);
                case 1 -> memory.writeShort(addr, (short) -1);
                case 2 -> memory.writeI32(addr, -1);
                case 3 -> memory.writeLong(addr, -1L);
                case 4 -> memory.writeF32(addr, -1.5f);
                case 5 -> memory.writeF64(addr, -1.5);
                case 6 -> memory.write(addr, filled(length), 0, length);
                case 7 -> memory.fill((byte) 0x77, addr, addr + length);
                case 8 -> memory.copy(addr, source, length);
                case 9 -> memory.atomicAddLong(addr & ~7, 3);
                default -> memory.writeCString(addr, "x".repeat(length));
            }
        }

        int width() {
            return switch (kind) {
                case 0 -> 1;
                case 1 -> 2;
                case 2, 4 -> 4;
                case 3, 5, 9 -> 8;
                case 10 -> length + 1;
                default -> length;
            };
        }
    }

    @Provide
    Arbitrary<List<Write>> writes() {
        Arbitrary<Integer> kinds = Arbitraries.integers().between(0, 10);
        // addresses near block edges (the cases that could be missed) as often as anywhere else
        Arbitrary<Integer> nearEdge = Arbitraries.integers().between(1, SIZE / 4096 - 1)
                .flatMap(block -> Arbitraries.integers().between(block * 4096 - 9, block * 4096 + 1));
        Arbitrary<Integer> addresses = Arbitraries.oneOf(Arbitraries.integers().between(0, SIZE - 1), nearEdge);
        Arbitrary<Integer> lengths = Arbitraries.integers().between(0, 20_000);
        Arbitrary<Write> write = Combinators.combine(kinds, addresses, lengths, Arbitraries.integers().between(0, SIZE - 1))
                .as(Write::new)
                .filter(w -> w.addr() + w.width() <= SIZE && w.source() + w.length() <= SIZE);
        return write.list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 300)
    void zeroLeavesNothingBehind(@ForAll("writes") List<Write> writes) {
        ResettableMemory memory = new ResettableMemory(new MemoryLimits(PAGES, PAGES));
        for (int round = 0; round < 2; round++) { // twice: the marks are cleared and set again
            memory.writeI32(SIZE / 2, 1); // so that copies have something to copy
            writes.forEach(w -> w.applyTo(memory));
            memory.zero();
            assertArrayEquals(new byte[SIZE], memory.readBytes(0, SIZE), "after " + writes);
        }
    }

    @Example
    void aWriteAcrossTheLastBlockEdgeIsCleared() {
        ResettableMemory memory = new ResettableMemory(new MemoryLimits(1, 1));
        memory.writeLong(4092, -1L);
        memory.zero();
        assertArrayEquals(new byte[Memory.PAGE_SIZE], memory.readBytes(0, Memory.PAGE_SIZE));
    }

    @Example
    void grownPagesAreTrackedToo() {
        ResettableMemory memory = new ResettableMemory(new MemoryLimits(1, 4));
        assertEquals(1, memory.grow(2));
        memory.writeByte(3 * Memory.PAGE_SIZE - 1, (byte) 1);
        memory.fill((byte) 2, Memory.PAGE_SIZE + 10, Memory.PAGE_SIZE + 20_000);
        memory.zero();
        assertArrayEquals(new byte[3 * Memory.PAGE_SIZE], memory.readBytes(0, 3 * Memory.PAGE_SIZE));
    }

    @Example
    void aWritePastTheEndStillFailsAsChicorysOwnMemoryDoes() {
        ResettableMemory memory = new ResettableMemory(new MemoryLimits(1, 1));
        assertThrows(RuntimeException.class, () -> memory.writeI32(Memory.PAGE_SIZE, 1));
        assertThrows(RuntimeException.class, () -> memory.writeI32(-4, 1));
        assertThrows(RuntimeException.class, () -> memory.fill((byte) 1, Memory.PAGE_SIZE - 4, Memory.PAGE_SIZE + 4));
    }

    private static byte[] filled(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 0x33);
        return bytes;
    }
}
