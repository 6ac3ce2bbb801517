package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;

/**
 * Linear memories of one module, kept for reuse by its next instances. Allocating (and zeroing)
 * a fresh memory for every request was most of what instantiation cost, and most of the garbage.
 * A memory is reused only at exactly the limits it was made with, only while it has not grown,
 * and only after a run that ended normally; Chicory zeroes it when it initializes the next
 * instance, before the data segments are written, so nothing of one request's memory is visible
 * to the next ({@link ResettableMemory} makes that zeroing cheap).
 */
final class MemoryPool {

    /** Memories kept at most: enough for the runs of a busy route on a small machine. */
    private static final int SPARE = 16;

    /** Larger memories are not kept: the pool must not hold much heap for idle modules. */
    private static final long MAX_POOLED_BYTES = 4L << 20;

    private final Spares<ResettableMemory> spare = new Spares<>(SPARE);

    /** A memory for a new instance: a spare one with these limits, or a new one. */
    Memory take(MemoryLimits limits) {
        ResettableMemory memory = spare.take();
        if (memory != null && memory.madeFor(limits)) {
            return memory;
        }
        return new ResettableMemory(limits);
    }

    /** Keeps the memory of an instance whose run has ended normally, if it is worth keeping. */
    void giveBack(Memory given) {
        if (given instanceof ResettableMemory) {
            ResettableMemory memory = (ResettableMemory) given;
            if (memory.pages() == memory.initialPages() && memory.pages() * (long) Memory.PAGE_SIZE <= MAX_POOLED_BYTES) {
                spare.give(memory);
            }
        }
    }
}
