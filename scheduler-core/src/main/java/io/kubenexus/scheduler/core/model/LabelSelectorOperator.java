package io.kubenexus.scheduler.core.model;

/** The operators of a {@code metav1.LabelSelectorRequirement}. */
public enum LabelSelectorOperator {
    IN("In"),
    NOT_IN("NotIn"),
    EXISTS("Exists"),
    DOES_NOT_EXIST("DoesNotExist");

    private final String apiName;

    LabelSelectorOperator(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** @throws IllegalArgumentException for a name the API does not define (they are case-sensitive) */
    public static LabelSelectorOperator fromApiName(String name) {
        for (LabelSelectorOperator operator : values()) {
            if (operator.apiName.equals(name)) {
                return operator;
            }
        }
        throw new IllegalArgumentException("unknown label selector operator \"" + name + "\"");
    }
}
