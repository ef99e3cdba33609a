package io.kubenexus.scheduler.kube.informers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A callback's bug is contained to its object: the informer's thread never sees the exception. */
class UpsertRemoveHandlerTest {
    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata().build();
    }

    @Test
    void aCallbackThatThrowsIsContainedAndTheNextObjectIsHandled() {
        List<String> seen = new ArrayList<>();
        ResourceEventHandler<Pod> handler = UpsertRemoveHandler.<Pod>of(pod -> {
            if (pod.getMetadata().getName().equals("bad")) {
                throw new IllegalStateException("a translator bug");
            }
            seen.add("upsert " + pod.getMetadata().getName());
        }, pod -> {
            throw new NullPointerException("no metadata");
        });

        assertThatCode(() -> {
            handler.onAdd(pod("bad"));
            handler.onUpdate(pod("bad"), pod("bad"));
            handler.onDelete(pod("bad"), false);
            handler.onAdd(pod("good"));
        }).doesNotThrowAnyException();
        assertThat(seen).containsExactly("upsert good");
    }

    @Test
    void implementorsAreContainedToo() {
        UpsertRemoveHandler<Pod> handler = new UpsertRemoveHandler<>() {
            @Override
            public void upsert(Pod object) {
                throw new IllegalStateException("bug");
            }

            @Override
            public void remove(Pod object) {
                throw new IllegalStateException("bug");
            }
        };
        assertThatCode(() -> {
            handler.onAdd(new Pod());
            handler.onDelete(null, true);
        }).doesNotThrowAnyException();
        assertThat(InformerCallbacks.describe(null)).isEqualTo("null");
        assertThat(InformerCallbacks.describe(pod("p"))).isEqualTo("Pod ns/p");
    }
}
