package io.kubenexus.scheduler.kube.translate;

import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import io.kubenexus.scheduler.core.model.PodInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pod cache keeps translations and placeholders: each version is translated once, handlers get the
 * stored translation for the stored version and for its placeholder (the initial list's adds), a fresh
 * one for versions the store has moved past, and nothing for a placeholder of a deleted pod.
 */
class TranslatingItemStoreTest {
    private final PodTranslator translator = new PodTranslator();
    private final List<String> translated = new ArrayList<>();
    private final TranslatingItemStore<Pod, PodInfo> store = TranslatingItemStore.forPods(pod -> {
        translated.add(pod.getMetadata().getName() + "@" + pod.getMetadata().getResourceVersion());
        return ((Translation.Valid<PodInfo>) translator.translate(pod)).value();
    });

    private static Pod executor(String resourceVersion, String node) {
        Pod pod = pod("exec-1").namespace("spark-jobs").uid("uid-1").label("spark-role", "executor")
                .annotation("kubectl.kubernetes.io/last-applied-configuration", "{}")
                .container("executor").cpu("4").memory("16Gi").nodeName(node).phase("Running")
                .condition("Ready", "True", null, null).build();
        pod.getMetadata().setResourceVersion(resourceVersion);
        return pod;
    }

    @Test
    void keepsAPlaceholderWithOnlyTheIdentityTheInformerReadsBack() {
        Pod full = executor("7", "worker-1");

        store.put(store.getKey(full), full);
        Pod placeholder = store.get("spark-jobs/exec-1");

        assertThat(placeholder.getMetadata().getName()).isEqualTo("exec-1");
        assertThat(placeholder.getMetadata().getNamespace()).isEqualTo("spark-jobs");
        assertThat(placeholder.getMetadata().getUid()).isEqualTo("uid-1");
        assertThat(placeholder.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(placeholder.getSpec()).isNull();
        assertThat(placeholder.getStatus()).isNull();
        assertThat(placeholder.getMetadata().getLabels()).isNull();
        assertThat(placeholder.getMetadata().getAnnotations()).isNull();
        assertThat(placeholder.getMetadata().getManagedFields()).isNull();
        assertThat(Cache.metaNamespaceKeyFunc(placeholder)).isEqualTo("spark-jobs/exec-1");
    }

    @Test
    void theStoredVersionAndItsPlaceholderGiveTheStoredTranslationTranslatedOnce() {
        Pod full = executor("7", "worker-1");
        store.put(store.getKey(full), full);

        PodInfo fromFull = store.translation(full);
        PodInfo fromPlaceholder = store.translation(store.get("spark-jobs/exec-1"));

        assertThat(fromPlaceholder).isSameAs(fromFull);
        assertThat(fromFull.nodeName()).isEqualTo("worker-1");
        assertThat(fromFull.requests().get("cpu")).isEqualTo(4000);
        assertThat(translated).containsExactly("exec-1@7");
    }

    @Test
    void aVersionTheStoreMovedPastIsTranslatedAnew() {
        Pod first = executor("7", "worker-1");
        Pod second = executor("8", "worker-2");
        store.put(store.getKey(first), first);
        Pod firstPlaceholder = store.get("spark-jobs/exec-1");
        store.put(store.getKey(second), second);

        assertThat(store.translation(first).nodeName()).as("an update handled late").isEqualTo("worker-1");
        assertThat(store.translation(second).nodeName()).isEqualTo("worker-2");
        assertThat(store.translation(firstPlaceholder)).as("a placeholder of a replaced version").isNull();
    }

    @Test
    void aPlaceholderOfADeletedPodHasNoTranslationButTheDeletedObjectDoes() {
        Pod full = executor("7", "worker-1");
        store.put(store.getKey(full), full);
        Pod placeholder = store.get("spark-jobs/exec-1");

        Pod removed = store.remove("spark-jobs/exec-1");

        assertThat(removed).isSameAs(placeholder);
        assertThat(store.translation(placeholder)).isNull();
        assertThat(store.translation(full).nodeName()).isEqualTo("worker-1");
        assertThat(store.size()).isZero();
    }

    @Test
    void worksAsTheInformerCacheWithItsNamespaceIndex() {
        CacheImpl<Pod> cache = new CacheImpl<>(Cache.NAMESPACE_INDEX, Cache::metaNamespaceIndexFunc,
                Cache::metaNamespaceKeyFunc);
        cache.setItemStore(store);
        Pod first = executor("7", "worker-1");

        cache.put(first);
        cache.put(executor("8", "worker-2"));

        assertThat(cache.byIndex(Cache.NAMESPACE_INDEX, "spark-jobs")).hasSize(1)
                .allSatisfy(pod -> assertThat(pod.getMetadata().getResourceVersion()).isEqualTo("8"));
        cache.remove(first);
        assertThat(cache.byIndex(Cache.NAMESPACE_INDEX, "spark-jobs")).isEmpty();
        assertThat(cache.list()).isEmpty();
    }

    /** A translator's bug must not escape onto the informer's thread: the pod is kept, as unreadable. */
    @Test
    void aTranslatorThatThrowsIsContainedToItsPod() {
        TranslatingItemStore<Pod, String> contained = TranslatingItemStore.forPods(pod -> {
            if (pod.getMetadata().getName().equals("exec-1")) {
                throw new ArithmeticException("BigInteger would overflow supported range");
            }
            return "ok";
        }, (pod, failure) -> "unreadable: " + failure.getMessage());
        Pod bad = executor("7", "worker-1");
        Pod good = pod("exec-2").namespace("spark-jobs").container("main").build();

        contained.put(contained.getKey(bad), bad);
        contained.put(contained.getKey(good), good);

        assertThat(contained.size()).isEqualTo(2);
        assertThat(contained.translation(contained.get("spark-jobs/exec-1")))
                .isEqualTo("unreadable: BigInteger would overflow supported range");
        assertThat(contained.translation(contained.get("spark-jobs/exec-2"))).isEqualTo("ok");

        TranslatingItemStore<Pod, String> noStandIn = TranslatingItemStore.forPods(pod -> {
            throw new IllegalStateException("bug");
        }, (pod, failure) -> {
            throw new IllegalStateException("another bug");
        });
        noStandIn.put(noStandIn.getKey(bad), bad);
        assertThat(noStandIn.get("spark-jobs/exec-1")).as("still stored for the informer's bookkeeping").isNotNull();
        assertThat(noStandIn.translation(bad)).isNull();
    }
}
