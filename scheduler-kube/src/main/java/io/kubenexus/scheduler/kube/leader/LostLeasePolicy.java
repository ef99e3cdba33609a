package io.kubenexus.scheduler.kube.leader;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a replica does when it loses the Lease it held (a renewal failed or another replica took
 * it), as opposed to giving it up on close. Configuration key {@code leaderElection.onLostLease}.
 */
public enum LostLeasePolicy {
    /** Stop binding, keep the caches warm and compete for the Lease again at once. */
    STANDBY("standby"),
    /**
     * Stop binding and ask the process to exit (non-zero), as kube-scheduler does, so the kubelet
     * restarts it with empty caches.
     */
    EXIT("exit");

    private final String apiName;

    LostLeasePolicy(String apiName) {
        this.apiName = apiName;
    }

    /** The spelling in the configuration file. */
    public String apiName() {
        return apiName;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static LostLeasePolicy fromApiName(String name) {
        for (LostLeasePolicy policy : values()) {
            if (policy.apiName.equals(name)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown value '" + name + "' (expected "
                + Arrays.stream(values()).map(LostLeasePolicy::apiName).collect(Collectors.joining(" or ")) + ")");
    }
}
