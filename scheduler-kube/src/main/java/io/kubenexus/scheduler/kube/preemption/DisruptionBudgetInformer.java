package io.kubenexus.scheduler.kube.preemption;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.preemption.DisruptionBudget;
import io.kubenexus.scheduler.core.preemption.DisruptionBudgets;
import io.kubenexus.scheduler.kube.informers.UpsertRemoveHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches policy/v1 PodDisruptionBudgets in every namespace and keeps the loop's
 * {@link DisruptionBudgets} current through {@link SchedulingLoop#onStateUpdate}, in order with the
 * pods. A budget that cannot be read is left out (logged): preemption then does not know it protects
 * anything, which costs a preference, never a decision's correctness.
 */
public final class DisruptionBudgetInformer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DisruptionBudgetInformer.class);

    private final KubernetesClient client;
    private final SchedulingLoop loop;
    private final DisruptionBudgetTranslator translator = new DisruptionBudgetTranslator();
    private SharedIndexInformer<PodDisruptionBudget> informer;

    public DisruptionBudgetInformer(KubernetesClient client, SchedulingLoop loop) {
        this.client = client;
        this.loop = loop;
    }

    /** Starts watching; the stage completes once the first list is in (or failed: logged, never fatal). */
    public synchronized CompletionStage<Void> start() {
        informer = client.policy().v1().podDisruptionBudget().inAnyNamespace().runnableInformer(0);
        informer.addEventHandler(UpsertRemoveHandler.of(this::upsert, this::remove));
        return informer.start().toCompletableFuture().handle((ok, failure) -> {
            if (failure != null) {
                LOG.warn("PodDisruptionBudgets are not watched ({}); preemption does not prefer to spare their pods",
                        failure.toString());
            }
            return (Void) null;
        }).exceptionally(e -> null);
    }

    private void upsert(PodDisruptionBudget pdb) {
        DisruptionBudget budget;
        try {
            budget = translator.translate(pdb);
        } catch (RuntimeException e) {
            LOG.warn("PodDisruptionBudget {}/{} ignored: {}", pdb.getMetadata().getNamespace(), pdb.getMetadata().getName(),
                    e.getMessage());
            remove(pdb);
            return;
        }
        loop.onStateUpdate(state -> state.extension(DisruptionBudgets.class).upsert(budget));
    }

    private void remove(PodDisruptionBudget pdb) {
        String namespace = pdb.getMetadata().getNamespace() == null ? "" : pdb.getMetadata().getNamespace();
        String name = pdb.getMetadata().getName();
        loop.onStateUpdate(state -> state.extension(DisruptionBudgets.class).remove(namespace, name));
    }

    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.stop();
        }
    }
}
