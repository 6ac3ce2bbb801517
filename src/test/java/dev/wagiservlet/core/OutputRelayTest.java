package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The relay sends a run's held output once, only after the hold, and never after the run is done. */
class OutputRelayTest {

    private static final long HOLD = TimeUnit.MILLISECONDS.toNanos(OutputRelay.HOLD_MILLIS);

    /** Held output that counts its releases. */
    private static final class Held implements OutputRelay.HeldOutput {
        volatile boolean holding;
        final AtomicInteger releases = new AtomicInteger();
        final CountDownLatch released = new CountDownLatch(1);

        @Override
        public boolean holding() {
            return holding;
        }

        @Override
        public void release() {
            releases.incrementAndGet();
            released.countDown();
        }
    }

    @Test
    void releasedOnceAfterTheHoldAndOnlyIfSomethingIsHeld() throws Exception {
        try (OutputRelay relay = new OutputRelay()) {
            Held output = new Held();
            long start = System.nanoTime();
            relay.hold(output);
            relay.sweep(start + 2 * HOLD);
            assertEquals(0, output.releases.get(), "nothing written yet: nothing to send");
            output.holding = true;
            relay.sweep(start - 1);
            assertEquals(0, output.releases.get(), "still within the hold");
            relay.sweep(start + 2 * HOLD);
            assertTrue(output.released.await(5, TimeUnit.SECONDS), "sent from the relay's thread");
            relay.sweep(start + 4 * HOLD);
            Thread.sleep(50);
            assertEquals(1, output.releases.get(), "once");
        }
    }

    @Test
    void aRunThatIsDoneIsNeverReleased() throws Exception {
        try (OutputRelay relay = new OutputRelay()) {
            Held output = new Held();
            output.holding = true;
            long start = System.nanoTime();
            relay.hold(output);
            relay.done(output);
            relay.sweep(start + 2 * HOLD);
            Thread.sleep(50);
            assertEquals(0, output.releases.get(), "the run's thread owns the response again");
        }
    }
}
