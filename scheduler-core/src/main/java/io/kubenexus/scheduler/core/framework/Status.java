package io.kubenexus.scheduler.core.framework;

/** A plugin's verdict with a reason in kube-scheduler's wording. */
public record Status(StatusCode code, String reason, String plugin) {
    public static final Status SUCCESS = new Status(StatusCode.SUCCESS, "", "");

    public static Status unschedulable(String plugin, String reason) {
        return new Status(StatusCode.UNSCHEDULABLE, reason, plugin);
    }

    public static Status unresolvable(String plugin, String reason) {
        return new Status(StatusCode.UNSCHEDULABLE_AND_UNRESOLVABLE, reason, plugin);
    }

    public boolean isSuccess() {
        return code == StatusCode.SUCCESS;
    }
}
