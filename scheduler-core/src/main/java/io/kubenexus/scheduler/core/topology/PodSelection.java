package io.kubenexus.scheduler.core.topology;

import io.kubenexus.scheduler.core.model.LabelSelector;
import io.kubenexus.scheduler.core.model.PodAffinityTerm;
import io.kubenexus.scheduler.core.model.PodInfo;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Which pods one inter-pod term or spread constraint is about: pods in the named namespaces (or in
 * namespaces whose labels match {@code namespaceSelector}) whose labels match {@code selector}, or,
 * for default spread constraints, whose controller is {@code controllerUid}.
 *
 * @param namespaces        namespaces named explicitly (the owner's own for a term that names none)
 * @param namespaceSelector namespaces chosen by label, or null; the empty selector chooses all
 * @param selector          the pods' labels; never null (a term without selector selects no pod
 *                          and gets no selection at all)
 * @param controllerUid     when not null, pods are selected by their controller instead of labels
 */
public record PodSelection(Set<String> namespaces, LabelSelector namespaceSelector, LabelSelector selector,
                           String controllerUid) {
    public PodSelection {
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
        Objects.requireNonNull(selector, "selector");
    }

    /** The pods an affinity term of a pod in {@code ownerNamespace} is about, or null when it selects none. */
    public static PodSelection of(PodAffinityTerm term, String ownerNamespace) {
        if (term.selector() == null) {
            return null;
        }
        Set<String> namespaces = term.ownNamespaceOnly() ? Set.of(ownerNamespace) : term.namespaces();
        return new PodSelection(namespaces, term.namespaceSelector(), term.selector(), null);
    }

    /** Pods of one namespace matching {@code selector}, as topology spread counts them; null selects none. */
    public static PodSelection inNamespace(String namespace, LabelSelector selector) {
        return selector == null ? null : new PodSelection(Set.of(namespace), null, selector, null);
    }

    /** Pods of one namespace owned by one controller: what default spread constraints count here. */
    public static PodSelection sameController(String namespace, String controllerUid) {
        return new PodSelection(Set.of(namespace), null, LabelSelector.EVERYTHING,
                Objects.requireNonNull(controllerUid, "controllerUid"));
    }

    /** Whether the selection depends on namespace labels (and goes stale when they change). */
    public boolean readsNamespaceLabels() {
        return namespaceSelector != null;
    }

    /** Whether {@code pod} is selected; {@code namespaceLabels} gives a namespace's labels. */
    public boolean matches(PodInfo pod, Function<String, Map<String, String>> namespaceLabels) {
        String namespace = pod.key().namespace();
        boolean inNamespace = namespaces.contains(namespace)
                || namespaceSelector != null && namespaceSelector.matches(namespaceLabels.apply(namespace));
        if (!inNamespace) {
            return false;
        }
        return controllerUid != null ? controllerUid.equals(pod.controllerUid()) : selector.matches(pod.labels());
    }
}
