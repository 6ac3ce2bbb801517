package dev.wagiservlet.engine.chicory;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableFactory;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.Table;
import dev.wagiservlet.engine.MemoryAccount;

/**
 * A table whose entries are booked to the run's {@link MemoryAccount}: Chicory keeps two arrays of
 * an entry each (a reference and its instance), so a module declaring ten million entries takes
 * 80 MB of heap per instance before it runs a single instruction.
 */
final class BookedTable extends TableInstance {

    /** Heap per entry: an int and a (compressed) object reference. */
    static final long BYTES_PER_ENTRY = 8;

    private final MemoryAccount account;

    private BookedTable(Table table, int initialValue, MemoryAccount account) {
        super(table, initialValue);
        this.account = account;
    }

    /** Makes tables booked to the account; an initial size it has no room for fails the instantiation. */
    static TableFactory factory(MemoryAccount account) {
        return (table, initialValue) -> {
            if (!account.reserve(table.limits().min() * BYTES_PER_ENTRY)) {
                throw new MemoryRefused("a table of " + table.limits().min() + " entries");
            }
            return new BookedTable(table, initialValue, account);
        };
    }

    /** Grows as Chicory does, if the account has room for the new entries; else fails (-1). */
    @Override
    public int grow(int size, int value, Instance instance) {
        if (size < 0 || size() + (long) size > limits().max()) {
            return -1;
        }
        if (size > 0 && !account.reserve(size * BYTES_PER_ENTRY)) {
            return -1;
        }
        return super.grow(size, value, instance);
    }
}
