package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wagiservlet.engine.MemoryAccount;

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

    /**
     * A memory for a new instance: a spare one with these limits, or a new one; its initial pages,
     * and every page it grows by, booked to the run's account.
     *
     * @throws MemoryRefused if the account has no room for the initial pages
     */
    Memory take(MemoryLimits limits, MemoryAccount account) {
        if (!account.reserve((long) limits.initialPages() * Memory.PAGE_SIZE)) {
            throw new MemoryRefused(limits.initialPages() * (long) Memory.PAGE_SIZE + " bytes of linear memory");
        }
        ResettableMemory memory = spare.take();
        if (memory == null || !memory.madeFor(limits)) {
            memory = new ResettableMemory(limits);
        }
        memory.bookTo(account);
        return memory;
    }

    /** Keeps the memory of an instance whose run has ended normally, if it is worth keeping. */
    void giveBack(Memory given) {
        if (given instanceof ResettableMemory) {
            ResettableMemory memory = (ResettableMemory) given;
            if (memory.pages() == memory.initialPages() && memory.pages() * (long) Memory.PAGE_SIZE <= MAX_POOLED_BYTES) {
                memory.bookTo(MemoryAccount.UNLIMITED); // the run's account is closed with the run
                spare.give(memory);
            }
        }
    }
}
