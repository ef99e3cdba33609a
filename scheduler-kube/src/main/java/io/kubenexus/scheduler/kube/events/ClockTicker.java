package io.kubenexus.scheduler.kube.events;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;

/** Lets Caffeine's expiry follow the injected Clock, so tests can move time instead of sleeping. */
record ClockTicker(Clock clock) implements Ticker {
    @Override
    public long read() {
        return clock.millis() * 1_000_000L;
    }
}
