package dev.wagiservlet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    @Test
    void aRouteCannotTakeMoreThanItsSlotsAndTheOthersKeepTheirs() throws InterruptedException {
        Admission admission = new Admission(4, Duration.ZERO);
        Semaphore flooded = new Semaphore(2);
        Semaphore other = new Semaphore(2);
        assertNotNull(admission.enter(flooded));
        assertNotNull(admission.enter(flooded));
        assertNull(admission.enter(flooded), "the flooded route's share is used up");
        assertNotNull(admission.enter(other), "another route still runs");
    }

    @Test
    void aTicketGivesItsSlotsBackOnce() throws InterruptedException {
        Admission admission = new Admission(1, Duration.ZERO);
        Semaphore route = new Semaphore(1);
        Admission.Ticket ticket = admission.enter(route);
        assertNull(admission.enter(route));
        ticket.release();
        ticket.release(); // the early release at a stop, then the one at the end of the run
        assertEquals(1, route.availablePermits());
        Admission.Ticket next = admission.enter(route);
        assertNotNull(next);
        assertNull(admission.enter(new Semaphore(1)), "the overall slot was given back once, not twice");
    }

    @Test
    void aRunStoppedWhileItWaitsOnItsClientGivesItsSlotsBack() throws Exception {
        Admission admission = new Admission(1, Duration.ZERO);
        Semaphore route = new Semaphore(1);
        Admission.Ticket ticket = admission.enter(route);
        RunGuard[] holder = new RunGuard[1];
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread run = new Thread(() -> {
            RunGuard guard = new RunGuard(Thread.currentThread(), System.nanoTime(), ticket::release);
            holder[0] = guard;
            try {
                guard.input(new InputStream() {
                    @Override
                    public int read() throws IOException {
                        reading.countDown();
                        try {
                            release.await(); // a client that sends nothing; the container's read does not see interrupts
                        } catch (InterruptedException e) {
                            throw new AssertionError("a run in the container's I/O must never be interrupted");
                        }
                        return -1;
                    }
                }).read();
            } catch (IOException | RunGuard.Stopped e) {
                // stopped when the read returned
            }
        });
        run.start();
        reading.await();
        holder[0].stop(RunGuard.Reason.TIMEOUT);
        assertNotNull(admission.enter(route), "the slot is free while the thread still waits on its client");
        release.countDown();
        run.join();
    }
}
