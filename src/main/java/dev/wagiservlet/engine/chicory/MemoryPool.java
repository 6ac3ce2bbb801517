package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.runtime.ByteBufferMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Linear memories of one module, kept for reuse by its next instances. Allocating (and zeroing)
 * a fresh memory for every request was most of what instantiation cost, and most of the garbage.
 * A memory is reused only at exactly the limits it was made with and only while it has not grown;
 * Chicory zeroes it when it initializes the next instance, before the data segments are written,
 * so nothing of one request's memory is visible to the next.
 */
final class MemoryPool {

    /** Memories kept at most: enough for the runs of a busy route on a small machine. */
    private static final int SPARE = 16;

    /** Larger memories are not kept: the pool must not hold much heap for idle modules. */
    private static final long MAX_POOLED_BYTES = 4L << 20;

    private final ArrayBlockingQueue<Memory> spare = new ArrayBlockingQueue<>(SPARE);

    /** A memory for a new instance: a spare one with these limits, or a new one. */
    Memory take(MemoryLimits limits) {
        Memory memory = spare.poll();
        if (memory != null && memory.initialPages() == limits.initialPages() && memory.maximumPages() == limits.maximumPages()) {
            return memory;
        }
        return new ByteBufferMemory(limits);
    }

    /** Keeps the memory of an instance whose run has ended, if it is worth keeping. */
    void giveBack(Instance instance) {
        Memory memory = instance.memory();
        if (memory != null && memory.pages() == memory.initialPages()
                && memory.pages() * (long) Memory.PAGE_SIZE <= MAX_POOLED_BYTES) {
            spare.offer(memory);
        }
    }
}
