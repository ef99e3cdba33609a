package io.kubenexus.scheduler.numa;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A pod's NUMA placement request, from its annotations {@code numa.scheduling.kubenexus.io/policy}
 * and {@code numa.scheduling.kubenexus.io/resources}.
 *
 * @param policy    the policy
 * @param resources the resources the policy applies to, distinct, in the order given
 */
public record NumaRequest(NumaPolicy policy, List<String> resources) {
    public static final String POLICY_ANNOTATION = "numa.scheduling.kubenexus.io/policy";
    public static final String RESOURCES_ANNOTATION = "numa.scheduling.kubenexus.io/resources";
    public static final List<String> DEFAULT_RESOURCES = List.of("cpu", "memory", "nvidia.com/gpu");

    // A Kubernetes resource name: an optional DNS-subdomain prefix and a name of at most 63 characters.
    private static final Pattern RESOURCE_NAME =
            Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    public NumaRequest {
        if (policy == null) {
            throw new IllegalArgumentException("policy must not be null");
        }
        if (resources == null || resources.isEmpty()) {
            throw new IllegalArgumentException("resources must not be empty");
        }
        resources = List.copyOf(resources);
    }

    /**
     * The pod's request, or null when it has no policy annotation.
     *
     * @throws IllegalArgumentException naming the annotation and the bad value: an unknown policy,
     *                                  a resources list that is empty or names an invalid resource, or
     *                                  a resources annotation without a policy
     */
    public static NumaRequest parse(Map<String, String> annotations) {
        String policyValue = annotations.get(POLICY_ANNOTATION);
        String resourcesValue = annotations.get(RESOURCES_ANNOTATION);
        if (policyValue == null) {
            if (resourcesValue != null) {
                throw new IllegalArgumentException("annotation " + RESOURCES_ANNOTATION + " is set but "
                        + POLICY_ANNOTATION + " is not; set the policy too");
            }
            return null;
        }
        NumaPolicy policy;
        try {
            policy = NumaPolicy.fromApiName(policyValue.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("annotation " + POLICY_ANNOTATION + ": " + e.getMessage(), e);
        }
        if (resourcesValue == null) {
            return new NumaRequest(policy, DEFAULT_RESOURCES);
        }
        Set<String> resources = new LinkedHashSet<>();
        for (String part : resourcesValue.split(",", -1)) {
            String name = part.trim();
            if (name.isEmpty() || !RESOURCE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("annotation " + RESOURCES_ANNOTATION + ": '" + resourcesValue
                        + "' is not a comma-separated list of resource names (bad entry '" + name + "')");
            }
            resources.add(name);
        }
        return new NumaRequest(policy, new ArrayList<>(resources));
    }
}
