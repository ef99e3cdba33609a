package io.kubenexus.scheduler.kube.informers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainedHandlerTest {
    private final Set<String> broken = new HashSet<>();
    private final List<String> seen = new ArrayList<>();
    private final ContainedHandler<GenericKubernetesResource> handler = new ContainedHandler<>("Widget example.io/v1",
            UpsertRemoveHandler.of(object -> {
                if (broken.contains(object.getMetadata().getName())) {
                    throw new IllegalStateException("bug");
                }
                seen.add("upsert " + object.getMetadata().getName());
            }, object -> {
                if (broken.contains(object.getMetadata().getName())) {
                    throw new IllegalStateException("bug");
                }
                seen.add("remove " + object.getMetadata().getName());
            }));

    private static GenericKubernetesResource object(String name) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ml").build());
        return object;
    }

    @Test
    void aFailureStaysWithItsObjectAndIsRememberedOnlyWhileItLasts() {
        broken.add("b");
        handler.onAdd(object("a"));
        handler.onAdd(object("b"));
        handler.onUpdate(object("b"), object("b"));
        handler.onAdd(object("c"));
        assertThat(seen).containsExactly("upsert a", "upsert c");
        assertThat(handler.failingObjects()).as("b, once").isEqualTo(1);

        broken.clear();
        handler.onUpdate(object("b"), object("b"));
        assertThat(handler.failingObjects()).as("fixed by its next version").isZero();

        broken.add("c");
        handler.onDelete(object("c"), false);
        handler.onDelete(object("a"), true);
        assertThat(seen).endsWith("upsert b", "remove a");
        assertThat(handler.failingObjects()).as("a removed object is forgotten even when its removal failed").isZero();
    }
}
