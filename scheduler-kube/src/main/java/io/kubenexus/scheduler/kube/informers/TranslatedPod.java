package io.kubenexus.scheduler.kube.informers;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.kube.translate.ExecutorResourcesAnnotation;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scheduler keeps of one version of a pod: its translation, made once when the informer
 * stores the pod (see {@link io.kubenexus.scheduler.kube.translate.TranslatingItemStore}), and
 * posted to the loop as often as the informer reports that version.
 *
 * @param pod       the valid pod, or null when the pod cannot be read
 * @param executors the driver's executor-resources annotation: null when absent (or the pod is not
 *                  ours), invalid when malformed
 * @param identity  when the pod cannot be read: what accounting needs of it (identity, node, phase,
 *                  requests when readable; {@link PodTranslator#accounting}), else null
 * @param error     why the pod cannot be read, or null
 */
public record TranslatedPod(PodInfo pod, Translation<ExecutorTemplate> executors, PodInfo identity, String error) {
    private static final Logger LOG = LoggerFactory.getLogger(TranslatedPod.class);

    /**
     * Translates full pods with the given translators. Never throws: a translator's bug is
     * contained to the pod it failed on (logged, and the pod kept as unreadable), since this runs
     * on the informer's thread, where an exception would stop the informer for every pod.
     */
    public static Function<Pod, TranslatedPod> translator(PodTranslator pods, ExecutorResourcesAnnotation executors) {
        return pod -> {
            try {
                Translation<PodInfo> translated = pods.translate(pod);
                if (translated instanceof Translation.Valid<PodInfo> valid) {
                    // The annotation is ours: on someone else's pod it means nothing.
                    Translation<ExecutorTemplate> template =
                            pods.readsOwnAnnotations(valid.value()) ? executors.read(pod) : null;
                    return new TranslatedPod(valid.value(), template, null, null);
                }
                return new TranslatedPod(null, null, pods.accounting(pod), translated.errorOrNull());
            } catch (RuntimeException e) {
                return unreadable(pods, pod, e);
            }
        };
    }

    /** What is kept of a pod a translator threw on (a bug): its accounting view and the failure. Never throws. */
    public static TranslatedPod unreadable(PodTranslator pods, Pod pod, RuntimeException failure) {
        PodInfo identity;
        try {
            identity = pods.accounting(pod);
        } catch (RuntimeException e) {
            identity = new PodInfo(new PodKey("", ""), null, null, null, null, false, 0, null, null, null, null,
                    null, null, null, null, null, null, null, false, null, null);
        }
        LOG.error("pod {} cannot be translated (a translator bug); kept for accounting only", identity.key(), failure);
        return new TranslatedPod(null, null, identity, "pod cannot be read: " + failure);
    }

    /** Hands this version to the loop: an upsert, or the reason it cannot be scheduled. */
    public void postTo(SchedulingLoop loop) {
        if (pod == null) {
            loop.onPodInvalid(identity, error);
            return;
        }
        if (executors != null && !executors.isValid()) {
            loop.onPodInvalid(pod, executors.errorOrNull());
            return;
        }
        if (executors != null) {
            // Posted before the pod, so the driver is tried with its executors sized.
            loop.plugin(GangPlugin.class).ifPresent(gangs -> gangs.onDriverExecutorTemplate(pod.key(), executors.orElseThrow()));
        }
        loop.onPodUpserted(pod);
    }
}
