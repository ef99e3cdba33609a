package io.kubenexus.scheduler.kube.binding;

/**
 * Lets a bind out only while the leadership term it was decided in lasts. The loop hears of a lost
 * Lease through its inbox, after the iteration it is in; binds it asked for meanwhile, and binds
 * still queued for the bind pool, must not go out under a term that has ended.
 *
 * <p>{@link #term} is read on the scheduling loop's thread when the bind is asked for,
 * {@link #isOpen} on a bind-pool thread just before the request is sent. Both are cheap and
 * never block.
 */
public interface BindGate {
    /** Every bind goes out (tests of the binder alone). */
    BindGate ALWAYS_OPEN = new BindGate() {
        @Override
        public long term() {
            return 0;
        }

        @Override
        public boolean isOpen(long term) {
            return true;
        }
    };

    /** The term now, or a value {@link #isOpen} never accepts when this replica does not lead. */
    long term();

    /** Whether {@code term} is still the current leadership term. */
    boolean isOpen(long term);
}
