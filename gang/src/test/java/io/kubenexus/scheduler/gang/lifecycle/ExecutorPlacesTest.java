package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.core.testing.QuietMetrics;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The places held for executors, without a loop: hold, take, give back, fill, release, expire; state and gauge in step. */
class ExecutorPlacesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Map<String, Long> gauge = new HashMap<>();
    private final ExecutorPlaces places = new ExecutorPlaces(new QuietMetrics() {
        @Override
        public void reservedCapacity(String resource, long amount) {
            gauge.put(resource, amount);
        }
    });
    private final ClusterState state = new ClusterState();
    private final PodInfo driver = pod("pi-driver").namespace("spark").cpu(1).build();

    @BeforeEach
    void nodes() {
        state.upsertNode(node("n0").cpu(8).build());
        state.upsertNode(node("n1").cpu(8).build());
    }

    private Reservation hold(String name, String node, Instant expiry) {
        PodInfo placeholder = pod(name).namespace("spark").cpu(2).build().withNodeName(node);
        state.assume(placeholder);
        Reservation reservation = new Reservation(placeholder, "spark/pi", driver, expiry);
        places.hold(reservation);
        places.publish(state);
        return reservation;
    }

    private long requested(String node) {
        return state.podsOnNode(node).stream().mapToLong(k -> state.accountedPod(k).requests().get("cpu")).sum();
    }

    @Test
    void anExecutorTakesAPlaceAndGivesItBackWhenItsBindFails() {
        Reservation place = hold("stand-in 1", "n0", T0.plusSeconds(300));
        assertThat(gauge).containsEntry("cpu", 2000L);
        PodKey executor = new PodKey("spark", "pi-exec-1");

        state.forget(place.placeholder().key());
        places.take(executor, place, state);
        state.assume(pod("pi-exec-1").namespace("spark").cpu(2).build().withNodeName("n0"));
        assertThat(places.heldCount()).isZero();
        assertThat(gauge).containsEntry("cpu", 0L);

        places.giveBack(executor, state);
        assertThat(places.of("spark/pi")).containsExactly(place);
        assertThat(requested("n0")).as("the placeholder again, not the executor").isEqualTo(2000);
        assertThat(gauge).containsEntry("cpu", 2000L);
    }

    @Test
    void anExecutorThatArrivesBoundFillsThePlaceOnItsNodeOnce() {
        hold("stand-in 1", "n0", T0.plusSeconds(300));
        hold("stand-in 2", "n1", T0.plusSeconds(300));
        PodKey executor = new PodKey("spark", "pi-exec-1");

        assertThat(places.fill(executor, "spark/pi", "n1", state)).as("the place on its own node").isFalse();
        assertThat(places.of("spark/pi")).extracting(r -> r.placeholder().nodeName()).containsExactly("n0");
        assertThat(places.fill(executor, "spark/pi", "n1", state)).isFalse();
        assertThat(places.heldCount()).as("counted once").isEqualTo(1);

        assertThat(places.fill(new PodKey("spark", "pi-exec-2"), "spark/pi", "n1", state))
                .as("no place on its node: one elsewhere is freed").isTrue();
        assertThat(places.heldCount()).isZero();
        assertThat(requested("n0")).isZero();
    }

    @Test
    void anExecutorThatTookAPlaceIsNotCountedAgainWhenItShowsUpBound() {
        Reservation first = hold("stand-in 1", "n0", T0.plusSeconds(300));
        hold("stand-in 2", "n1", T0.plusSeconds(300));
        PodKey executor = new PodKey("spark", "pi-exec-1");
        state.forget(first.placeholder().key());
        places.take(executor, first, state);

        assertThat(places.fill(executor, "spark/pi", "n0", state)).isFalse();
        assertThat(places.heldCount()).as("the other executor's place stays").isEqualTo(1);
    }

    @Test
    void placesExpireOnlyWhenDueAndReleaseFreesTheState() {
        hold("stand-in 1", "n0", T0.plusSeconds(60));
        hold("stand-in 2", "n1", T0.plusSeconds(300));
        assertThat(places.expire(T0.plusSeconds(59), state)).isEmpty();
        assertThat(places.nextExpiry()).isEqualTo(T0.plusSeconds(60));

        Map<String, java.util.List<Reservation>> expired = places.expire(T0.plusSeconds(60), state);
        assertThat(expired.get("spark/pi")).hasSize(1);
        assertThat(places.expiredCount()).isEqualTo(1);
        assertThat(places.nextExpiry()).isEqualTo(T0.plusSeconds(300));
        assertThat(requested("n0")).isZero();

        assertThat(places.release("spark/pi", state)).isTrue();
        assertThat(requested("n1")).isZero();
        assertThat(gauge).containsEntry("cpu", 0L);
        assertThat(places.release("spark/pi", state)).isFalse();
    }
}
