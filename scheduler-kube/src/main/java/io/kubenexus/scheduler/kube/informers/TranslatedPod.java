package io.kubenexus.scheduler.kube.informers;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubenexus.scheduler.core.framework.ExecutorTemplate;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.kube.translate.ExecutorResourcesAnnotation;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.util.function.Function;

/**
 * What the scheduler keeps of one version of a pod: its translation, made once when the informer
 * stores the pod (see {@link io.kubenexus.scheduler.kube.translate.TranslatingItemStore}), and
 * posted to the loop as often as the informer reports that version.
 *
 * @param pod       the valid pod, or null when the pod cannot be read
 * @param executors the driver's executor-resources annotation: null when absent, invalid when malformed
 * @param identity  the pod's identity when it cannot be read (to report it), else null
 * @param error     why the pod cannot be read, or null
 */
public record TranslatedPod(PodInfo pod, Translation<ExecutorTemplate> executors, PodInfo identity, String error) {

    /** Translates full pods with the given translators; never throws. */
    public static Function<Pod, TranslatedPod> translator(PodTranslator pods, ExecutorResourcesAnnotation executors) {
        return pod -> {
            Translation<PodInfo> translated = pods.translate(pod);
            if (translated instanceof Translation.Valid<PodInfo> valid) {
                return new TranslatedPod(valid.value(), executors.read(pod), null, null);
            }
            return new TranslatedPod(null, null, pods.identity(pod), translated.errorOrNull());
        };
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
            loop.onDriverExecutorTemplate(pod.key(), executors.orElseThrow());
        }
        loop.onPodUpserted(pod);
    }
}
