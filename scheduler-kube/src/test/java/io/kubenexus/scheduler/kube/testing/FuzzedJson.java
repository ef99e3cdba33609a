package io.kubenexus.scheduler.kube.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.core.testing.Fuzz;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fuzzed JSON values for custom resources read as {@link GenericKubernetesResource}: fields mostly as
 * operators and exporters write them, sometimes of another JSON type (a string where a number goes,
 * an object where a list goes, null), sometimes a mutated string, and objects with fields dropped
 * or added. Objects pass through JSON as an informer receives them ({@link #throughTheWire}), so the
 * number types are Jackson's (Integer, Long, BigInteger, Double), not the test's.
 */
public final class FuzzedJson {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final List<Object> NUMBERS = List.of(0, 1, -1, 2, 4, 64, Integer.MAX_VALUE, Integer.MIN_VALUE,
            Long.MAX_VALUE, Long.MIN_VALUE, 2147483648L, new BigInteger("99999999999999999999999"), 0.5, -0.5, 1.0,
            2.5, 1e300, -1e300, 4.9e-324, new BigDecimal("1e400"), new BigDecimal("0.0000000001"));

    private final Random random;
    private final List<String> texts;

    /** @param texts example strings for this object's fields (valid values), mutated at times */
    public FuzzedJson(Random random, List<String> texts) {
        this.random = random;
        this.texts = texts;
    }

    /** True with probability {@code percent}/100. */
    public boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    public <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Any JSON value: a mutated string, a number of any size and form, a boolean, null, an object, a list. */
    public Object anyValue() {
        return switch (random.nextInt(9)) {
            case 0, 1 -> Fuzz.mutation(random, texts);
            case 2 -> pick(texts);
            case 3, 4 -> pick(NUMBERS);
            case 5 -> random.nextBoolean();
            case 6 -> null;
            case 7 -> chance(50) ? new LinkedHashMap<>() : new LinkedHashMap<>(Map.of(pick(texts), pick(texts)));
            default -> chance(50) ? new ArrayList<>() : new ArrayList<>(List.of(pick(texts)));
        };
    }

    /** Mostly one of {@code good}, else (1 in 10) any value. */
    public Object mostly(List<?> good) {
        return chance(90) ? good.get(random.nextInt(good.size())) : anyValue();
    }

    /** Adds, at random, a field to {@code object} or drops one: missing and extra fields. */
    public Map<String, Object> reshaped(Map<String, Object> object) {
        if (chance(8) && !object.isEmpty()) {
            List<String> keys = new ArrayList<>(object.keySet());
            object.remove(pick(keys));
        }
        if (chance(8)) {
            object.put(chance(50) ? pick(texts) : Fuzz.mutation(random, texts), anyValue());
        }
        return object;
    }

    /** A list of {@code 0..max} elements from {@code element}. */
    public List<Object> listOf(int max, java.util.function.Supplier<Object> element) {
        List<Object> list = new ArrayList<>();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            list.add(element.get());
        }
        return list;
    }

    /** The object as an informer reads it: written as JSON and read back. */
    public static GenericKubernetesResource throughTheWire(Map<String, Object> object) {
        return SERIALIZATION.unmarshal(SERIALIZATION.asJson(object), GenericKubernetesResource.class);
    }
}
