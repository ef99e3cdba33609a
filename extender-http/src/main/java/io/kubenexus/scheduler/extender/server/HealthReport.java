package io.kubenexus.scheduler.extender.server;

import java.time.Instant;

/**
 * What the health probes report about one replica.
 *
 * @param live       the scheduling loop runs (it began an iteration or a wait within the last minute) and the
 *                   replica has not stopped for good
 * @param synced     the informers have listed the cluster and the loop has every object: decisions
 *                   and extender answers reflect the cluster, not a partial picture
 * @param leadership LEADING, STANDBY or STOPPED (leader election), as {@code KubeScheduler.leadership()}
 * @param since      when the replica entered {@code leadership}
 * @param identity   this replica's holder identity in the Lease
 */
public record HealthReport(boolean live, boolean synced, String leadership, Instant since, String identity) {

    public boolean leading() {
        return "LEADING".equals(leadership);
    }

    /**
     * Ready to serve: synced and not stopped. A standby is ready, since it answers the extender's
     * read-only verbs and serves metrics from warm caches; only the leader binds.
     */
    public boolean ready() {
        return live && synced && !"STOPPED".equals(leadership);
    }
}
