package io.kubenexus.scheduler.kube.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubenexus.scheduler.kube.binding.BindGate;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds (or waits for) the scheduler's coordination.k8s.io Lease with fabric8's LeaderElector and
 * tells a listener when this replica starts or stops leading.
 *
 * <p>Terms. fabric8's elector competes once: after it loses the Lease it never competes again. So
 * each attempt is a term with its own elector. When a term that led ends without {@link #close}
 * (a renewal failed, or another identity holds the Lease), the Lease is lost and
 * {@link LostLeasePolicy} decides: stand by and start the next term at once (the caches stay
 * warm; a lone replica takes the Lease back as soon as it is free), or stop and ask the process to
 * exit ({@link #exitRequested}). Giving the Lease up on close is not a loss, even though fabric8
 * reports it the same way (a new leader {@code null}, then a stop of leading).
 *
 * <p>As a {@link BindGate} it closes the moment the listener has been told that leading stopped,
 * so binds the loop asked for before it heard, and binds still queued for the bind pool, are
 * refused instead of going out under a term that has ended.
 *
 * <p>Thread model: fabric8 calls back on the client's threads; state changes take this object's
 * lock, and nothing calls into fabric8 while holding it (fabric8 calls back from inside its own
 * synchronized methods).
 */
public final class LeaseLeadership implements BindGate, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseLeadership.class);
    /** No term leads; terms are numbered from 1. */
    private static final long NOT_LEADING = 0;

    private final KubernetesClient client;
    private final LeaderElectionSettings settings;
    private final Consumer<Boolean> onLeadershipChange;
    private final Clock clock;
    private final CompletableFuture<String> exitRequested = new CompletableFuture<>();

    /** The term whose binds may go out. Written under the lock, read by bind threads. */
    private volatile long leadingTerm = NOT_LEADING;
    private volatile Leadership leadership;

    // Guarded by this.
    private Term current;
    private long termsStarted;
    private long acquisitions;
    private long leasesLost;
    private boolean started;
    private boolean closed;

    public LeaseLeadership(KubernetesClient client, LeaderElectionSettings settings, Consumer<Boolean> onLeadershipChange,
                           Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.onLeadershipChange = Objects.requireNonNull(onLeadershipChange, "onLeadershipChange");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.leadership = new Leadership(Leadership.State.STOPPED, clock.instant(), 0, 0);
    }

    /** Starts competing for the Lease, or leads at once when election is disabled. */
    public void start() {
        synchronized (this) {
            if (started || closed) {
                return;
            }
            started = true;
            if (!settings.enabled()) {
                acquisitions++;
                leadingTerm = ++termsStarted;
                enter(Leadership.State.LEADING);
            }
        }
        if (settings.enabled()) {
            compete();
        } else {
            onLeadershipChange.accept(true);
        }
    }

    /** Where this replica stands now; cheap, for readiness probes. */
    public Leadership leadership() {
        return leadership;
    }

    /**
     * Completes, with a message naming the Lease, when this replica lost the Lease under
     * {@link LostLeasePolicy#EXIT} and has stopped scheduling for good; never completes otherwise.
     */
    public CompletionStage<String> exitRequested() {
        return exitRequested.minimalCompletionStage();
    }

    @Override
    public long term() {
        return leadingTerm;
    }

    @Override
    public boolean isOpen(long term) {
        return term != NOT_LEADING && term == leadingTerm;
    }

    /**
     * Stops competing. If this replica leads, fabric8 releases the Lease as part of the cancel
     * (releaseOnCancel: the lease is cut to one second), so a standby takes over at once instead
     * of waiting out the full lease duration. Binds not sent yet are refused from now on.
     */
    @Override
    public void close() {
        Term term;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            leadingTerm = NOT_LEADING;
            enter(Leadership.State.STOPPED);
            term = current;
        }
        if (term != null && term.future != null) {
            // fabric8 releases the Lease and calls onStopLeading, which reaches ended() as a close.
            term.future.cancel(true);
        }
    }

    // ------------------------------------------------------------------ terms

    /** One attempt to acquire and hold the Lease, with its own fabric8 elector. */
    private static final class Term {
        final long number;
        /** Guarded by the outer lock. */
        boolean leading;
        boolean ended;
        volatile CompletableFuture<?> future;

        Term(long number) {
            this.number = number;
        }
    }

    private void compete() {
        Term term;
        synchronized (this) {
            if (closed || (current != null && !current.ended)) {
                return;
            }
            term = new Term(++termsStarted);
            current = term;
            enter(Leadership.State.STANDBY);
        }
        CompletableFuture<?> future;
        try {
            future = client.leaderElector().withConfig(config(term)).build().start();
        } catch (RuntimeException e) {
            // Not expected (settings are validated at start-up); competing again beats standing by forever.
            LOG.error("{} could not start competing for lease {}; retrying in {}", settings.identity(), settings.lease(),
                    settings.retryPeriod(), e);
            synchronized (this) {
                term.ended = true;
            }
            competeLater();
            return;
        }
        term.future = future;
        boolean closedMeanwhile;
        synchronized (this) {
            closedMeanwhile = closed;
        }
        if (closedMeanwhile) {
            future.cancel(true);
        }
        // A safety net: fabric8 normally says "stop leading" before the future completes.
        future.whenComplete((ignored, error) -> ended(term, error == null ? null : error.toString()));
    }

    private void competeLater() {
        CompletableFuture.delayedExecutor(settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS).execute(this::compete);
    }

    private LeaderElectionConfig config(Term term) {
        return new LeaderElectionConfigBuilder()
                .withName(settings.leaseName())
                .withLock(new LeaseLock(settings.namespace(), settings.leaseName(), settings.identity()))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> acquired(term),
                        () -> ended(term, null),
                        leader -> LOG.info("lease {} is {}", settings.lease(),
                                leader == null || leader.isEmpty() ? "free (released)" : "held by " + leader)))
                .build();
    }

    private void acquired(Term term) {
        synchronized (this) {
            if (closed || term != current || term.ended || term.leading) {
                return;
            }
            term.leading = true;
            acquisitions++;
            // Open the gate before the loop hears, so its first bind of the term goes out.
            leadingTerm = term.number;
            enter(Leadership.State.LEADING);
        }
        LOG.info("{} acquired lease {}: scheduling", settings.identity(), settings.lease());
        onLeadershipChange.accept(true);
    }

    /** The term is over: fabric8 stopped leading, or its future completed. Idempotent per term. */
    private void ended(Term term, String failure) {
        boolean wasLeading;
        boolean byClose;
        long lost;
        synchronized (this) {
            if (term.ended) {
                return;
            }
            term.ended = true;
            wasLeading = term.leading;
            byClose = closed;
            lost = wasLeading && !byClose ? ++leasesLost : leasesLost;
        }
        if (wasLeading) {
            // The loop first, then the gate: a bind refused by the gate then reaches the loop after
            // it knows it does not lead, so the refusal is not reported to the pod as a failure.
            onLeadershipChange.accept(false);
            synchronized (this) {
                if (leadingTerm == term.number) {
                    leadingTerm = NOT_LEADING;
                }
                if (!closed) {
                    enter(settings.onLostLease() == LostLeasePolicy.EXIT ? Leadership.State.STOPPED
                            : Leadership.State.STANDBY);
                }
            }
        }
        if (byClose) {
            LOG.info("{} stopped competing for lease {}{}", settings.identity(), settings.lease(),
                    wasLeading ? " and released it" : "");
            return;
        }
        if (!wasLeading) {
            // Never led in this term, yet it ended (fabric8 gave up acquiring): compete again, not at once.
            LOG.warn("{}: leader election for lease {} ended without leading ({}); competing again in {}",
                    settings.identity(), settings.lease(), failure == null ? "no error" : failure, settings.retryPeriod());
            competeLater();
            return;
        }
        if (settings.onLostLease() == LostLeasePolicy.EXIT) {
            String message = settings.identity() + " lost lease " + settings.lease()
                    + "; exiting (leaderElection.onLostLease: exit) so that the process is restarted";
            LOG.error("{} (leases lost: {})", message, lost);
            exitRequested.complete(message);
            return;
        }
        LOG.warn("{} lost lease {}; standing by and competing again (leases lost: {})", settings.identity(),
                settings.lease(), lost);
        compete();
    }

    /** Caller holds the lock. Re-entering the same state keeps its {@code since}. */
    private void enter(Leadership.State state) {
        Leadership before = leadership;
        leadership = new Leadership(state, state == before.state() ? before.since() : clock.instant(), acquisitions,
                leasesLost);
    }
}
