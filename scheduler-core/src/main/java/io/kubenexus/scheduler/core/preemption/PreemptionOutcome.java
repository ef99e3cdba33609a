package io.kubenexus.scheduler.core.preemption;

/** What the {@link PreemptionEngine} found for a set of preemptors. */
public sealed interface PreemptionOutcome {
    /** Evicting the plan's victims makes room for every preemptor on its nominated node. */
    record Planned(PreemptionPlan plan) implements PreemptionOutcome {
    }

    /**
     * Pods already terminating (earlier victims) will free enough room: nothing more is evicted and
     * the preemptors wait (kube-scheduler's rule for terminating victims on the nominated node).
     */
    record Waiting(String reason) implements PreemptionOutcome {
    }

    /** No preemption: not eligible ({@code preemptionPolicy: Never}) or no set of victims helps. */
    record Refused(String reason, boolean notEligible) implements PreemptionOutcome {
    }

    /** The reason in kube-scheduler's "preemption: ..." wording, for the FailedScheduling message. */
    default String describe() {
        if (this instanceof Planned planned) {
            return planned.plan().victims().size() + " victim(s)";
        }
        return this instanceof Waiting waiting ? waiting.reason() : ((Refused) this).reason();
    }
}
