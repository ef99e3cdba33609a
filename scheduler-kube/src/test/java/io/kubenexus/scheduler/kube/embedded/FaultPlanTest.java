package io.kubenexus.scheduler.kube.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultPlanTest {

    @Test
    void noneInjectsNothingAndChaosHasTheDocumentedRates() {
        assertThat(FaultPlan.NONE.active()).isFalse();
        FaultPlan chaos = FaultPlan.chaos(3);
        assertThat(chaos.seed()).isEqualTo(3);
        assertThat(chaos.describeRates()).isEqualTo("bind-error=0.05,bind-conflict=0.05,bind-throttled=0.05,"
                + "bind-timeout-applied=0.03,bind-timeout-lost=0.02,status-write-error=0.1,event-write-error=0.1,"
                + "watch-closed=0.25,watch-gone=0.1,slow-response=0.05");
    }

    @Test
    void ratesOverrideOnlyTheKindsNamed() {
        FaultPlan plan = FaultPlan.chaos(1).withRates("bind-error=0.5, watch-gone=0");
        assertThat(plan.rate(FaultKind.BIND_ERROR)).isEqualTo(0.5);
        assertThat(plan.rate(FaultKind.WATCH_GONE)).isZero();
        assertThat(plan.rate(FaultKind.BIND_CONFLICT)).isEqualTo(0.05);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bind-eror=0.1            | unknown fault kind \"bind-eror\"; known: bind-error, bind-conflict,",
            "bind-error               | \"bind-error\": expected kind=rate, e.g. bind-error=0.05",
            "bind-error=              | \"bind-error=\": expected kind=rate",
            "bind-error=lots          | \"bind-error=lots\": the rate \"lots\" is not a number",
            "bind-error=1.5           | \"bind-error=1.5\": a rate must be in [0, 1]",
            "bind-error=-0.1          | \"bind-error=-0.1\": a rate must be in [0, 1]",
            "bind-error=NaN           | \"bind-error=NaN\": a rate must be in [0, 1]",
            "bind-error=0.6,bind-conflict=0.6 | the rates of the bind faults add up to 1.2",
    })
    void badRatesAreRejectedNamingTheEntry(String spec, String message) {
        assertThatThrownBy(() -> FaultPlan.NONE.withRates(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message.trim());
    }

    @Test
    void equalSeedsGiveEqualDecisionsWhateverTheInterleaving() {
        FaultPlan plan = FaultPlan.chaos(11);
        FaultInjector first = new FaultInjector(plan);
        FaultInjector second = new FaultInjector(plan);
        List<FaultKind> forA = new ArrayList<>();
        List<FaultKind> forAAgain = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            forA.add(first.decide(FaultKind.Target.BIND, "ns/a"));
            second.decide(FaultKind.Target.BIND, "ns/b" + i); // other requests in between change nothing
            forAAgain.add(second.decide(FaultKind.Target.BIND, "ns/a"));
        }
        assertThat(forAAgain).isEqualTo(forA);
        assertThat(decisions(plan, "ns/a")).isEqualTo(forA);
        assertThat(decisions(plan.withSeed(12), "ns/a")).as("another seed, other faults").isNotEqualTo(forA);
    }

    @Test
    void shareOfFaultsFollowsTheRatesAndIsCountedByKind() {
        FaultInjector injector = new FaultInjector(FaultPlan.NONE.withRates("bind-error=0.2,bind-conflict=0.1"));
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            injector.decide(FaultKind.Target.BIND, "ns/p" + (i % 100));
            assertThat(injector.decide(FaultKind.Target.WATCH, "/api/v1/pods")).isNull();
        }
        assertThat(injector.count(FaultKind.BIND_ERROR) / (double) n).isBetween(0.18, 0.22);
        assertThat(injector.count(FaultKind.BIND_CONFLICT) / (double) n).isBetween(0.08, 0.12);
        assertThat(injector.total()).isEqualTo(injector.count(FaultKind.BIND_ERROR)
                + injector.count(FaultKind.BIND_CONFLICT));
        assertThat(injector.counts()).containsOnlyKeys(FaultKind.values());
    }

    private static List<FaultKind> decisions(FaultPlan plan, String key) {
        FaultInjector injector = new FaultInjector(plan);
        List<FaultKind> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            out.add(injector.decide(FaultKind.Target.BIND, key));
        }
        return out;
    }
}
