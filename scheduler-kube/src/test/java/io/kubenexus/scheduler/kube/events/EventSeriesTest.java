package io.kubenexus.scheduler.kube.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventSeriesTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123456789Z");

    private static EventSeries series() {
        return new EventSeries("ns", "driver", "uid-1", "Warning", "FailedScheduling", "Scheduling", "no fit", T0);
    }

    @Test
    void nameFollowsClientGo() {
        assertThat(series().eventName).isEqualTo("driver." + Long.toHexString(1714557600123456789L));
    }

    @Test
    void hundredRepeatsAreOneCreateAndOnePatch() {
        EventSeries s = series();
        EventSeries.Write create = s.occurred(T0);
        assertThat(create).isEqualTo(new EventSeries.Write(true, 1, T0, T0));
        for (int i = 1; i < 100; i++) {
            assertThat(s.occurred(T0.plusSeconds(i))).as("repeat %d", i).isNull();
        }
        assertThat(s.flush()).as("nothing while the create is in flight").isNull();

        s.written(create);
        EventSeries.Write patch = s.flush();
        assertThat(patch).isEqualTo(new EventSeries.Write(false, 100, T0, T0.plusSeconds(99)));
        assertThat(s.flush()).as("one write at a time").isNull();
        s.written(patch);
        assertThat(s.flush()).as("nothing new").isNull();

        s.occurred(T0.plusSeconds(200));
        assertThat(s.flush()).isEqualTo(new EventSeries.Write(false, 101, T0, T0.plusSeconds(200)));
    }

    @Test
    void failedCreateIsRetriedByTheNextFlush() {
        EventSeries s = series();
        s.occurred(T0);
        s.occurred(T0.plusSeconds(1));
        s.failed();
        assertThat(s.flush()).isEqualTo(new EventSeries.Write(true, 2, T0, T0.plusSeconds(1)));
    }

    @Test
    void deletedEventIsRecreatedWithTheFullCount() {
        EventSeries s = series();
        EventSeries.Write create = s.occurred(T0);
        s.written(create);
        s.occurred(T0.plusSeconds(5));
        EventSeries.Write patch = s.flush();
        s.gone();
        assertThat(patch.create()).isFalse();
        assertThat(s.flush()).isEqualTo(new EventSeries.Write(true, 2, T0, T0.plusSeconds(5)));
    }
}
