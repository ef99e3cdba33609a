package io.kubenexus.scheduler.kube.translate;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of reading an API object into the scheduler's model: either the value or the reason
 * it cannot be read. A bad object is a user error to report on the object (an event), not an
 * exception to unwind the informer thread, so translators return this instead of throwing.
 *
 * @param <T> the model type
 */
public sealed interface Translation<T> permits Translation.Valid, Translation.Invalid {

    /** A translated object. */
    record Valid<T>(T value) implements Translation<T> {
        public Valid {
            Objects.requireNonNull(value, "value");
        }
    }

    /** An object that cannot be translated; {@code message} names the field and the bad value. */
    record Invalid<T>(String message) implements Translation<T> {
        public Invalid {
            Objects.requireNonNull(message, "message");
        }
    }

    static <T> Translation<T> valid(T value) {
        return new Valid<>(value);
    }

    static <T> Translation<T> invalid(String message) {
        return new Invalid<>(message);
    }

    default boolean isValid() {
        return this instanceof Valid;
    }

    /** The value; throws IllegalStateException with the error message when invalid. */
    default T orElseThrow() {
        if (this instanceof Valid<T> valid) {
            return valid.value();
        }
        throw new IllegalStateException(((Invalid<T>) this).message());
    }

    /** The error message, or null when valid. */
    default String errorOrNull() {
        return this instanceof Invalid<T> invalid ? invalid.message() : null;
    }

    default <U> Translation<U> map(Function<? super T, ? extends U> mapper) {
        if (this instanceof Valid<T> valid) {
            return new Valid<>(mapper.apply(valid.value()));
        }
        return new Invalid<>(((Invalid<T>) this).message());
    }
}
