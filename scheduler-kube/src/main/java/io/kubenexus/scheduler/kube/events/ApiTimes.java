package io.kubenexus.scheduler.kube.events;

import io.fabric8.kubernetes.api.model.MicroTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The API's two timestamp encodings: metav1.Time (RFC 3339, seconds) and metav1.MicroTime. */
final class ApiTimes {
    private static final DateTimeFormatter MICRO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private ApiTimes() {
    }

    static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static MicroTime microTime(Instant instant) {
        return new MicroTime(MICRO.format(instant));
    }

    /** client-go's event name suffix: the occurrence time in Unix nanoseconds, in hex. */
    static String nanosHex(Instant instant) {
        return Long.toHexString(instant.getEpochSecond() * 1_000_000_000L + instant.getNano());
    }
}
