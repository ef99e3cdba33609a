package io.kubenexus.scheduler.core.model;

/** Operators of node selector requirements, as in the Kubernetes API. */
public enum NodeSelectorOperator {
    IN("In"), NOT_IN("NotIn"), EXISTS("Exists"), DOES_NOT_EXIST("DoesNotExist"), GT("Gt"), LT("Lt");

    private final String apiName;

    NodeSelectorOperator(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static NodeSelectorOperator fromApiName(String name) {
        for (NodeSelectorOperator op : values()) {
            if (op.apiName.equals(name)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown node selector operator '" + name + "'");
    }
}
