package io.kubenexus.scheduler.kube.leader;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a replica stands in leader election, for readiness probes, logs and tests.
 *
 * @param state       what the replica does now
 * @param since       when it entered {@code state}
 * @param acquisitions how many times this replica has acquired the Lease (its leadership terms)
 * @param leasesLost  how many of those terms ended by losing the Lease, not by giving it up
 */
public record Leadership(State state, Instant since, long acquisitions, long leasesLost) {

    public enum State {
        /** Holds the Lease: schedules and binds. */
        LEADING,
        /** Competes for the Lease with warm caches; binds nothing. A healthy standby is ready. */
        STANDBY,
        /**
         * Not competing: not started yet, closed, or gave up after a lost Lease with
         * {@link LostLeasePolicy#EXIT} and waits for the process to exit. Not ready.
         */
        STOPPED
    }

    public Leadership {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }

    /** Whether a readiness probe should report this replica ready: leading or a standby that competes. */
    public boolean ready() {
        return state != State.STOPPED;
    }
}
