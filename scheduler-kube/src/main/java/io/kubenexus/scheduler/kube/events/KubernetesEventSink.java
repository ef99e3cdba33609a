package io.kubenexus.scheduler.kube.events;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.ports.EventSink;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports decisions the way kube-scheduler does, so {@code kubectl describe pod} and the cluster
 * autoscaler understand them: core/v1 Events ({@code Scheduled}, {@code FailedScheduling}) and the
 * pod's {@code PodScheduled} condition (False with reason {@code Unschedulable}, which the
 * autoscaler acts on, or {@code SchedulerError} for a pod whose spec cannot be read, which it
 * should not scale up for).
 *
 * <p><b>Aggregation.</b> A pod retried every few seconds would otherwise write an Event per try.
 * Events with the same pod UID, reason and message form a series: the first occurrence creates
 * the Event, repeats only count in memory, and every {@code aggregationInterval} a flush patches
 * the count and lastTimestamp of series whose count changed (one JSON patch each). 100 retries
 * cost one create and a patch per interval. Series are forgotten 10 minutes after their last use
 * (client-go's correlator window) and at most {@value #MAX_SERIES} are kept.
 *
 * <p><b>Threads.</b> The sink is called from the scheduling loop and never blocks it: API calls run
 * on the injected executor, failures are logged and dropped, the flush runs on the injected
 * scheduler. Timestamps come from the injected clock.
 */
public final class KubernetesEventSink implements EventSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventSink.class);

    public static final Duration DEFAULT_AGGREGATION_INTERVAL = Duration.ofSeconds(30);
    static final Duration SERIES_TTL = Duration.ofMinutes(10);
    static final int MAX_SERIES = 50_000;
    /** The API server rejects longer notes on Events that carry an eventTime. */
    static final int MAX_MESSAGE_LENGTH = 1024;
    static final int MAX_REPORTING_INSTANCE_LENGTH = 128;

    static final String REASON_SCHEDULED = "Scheduled";
    static final String REASON_FAILED = "FailedScheduling";
    static final String REASON_PREEMPTED = "Preempted";
    static final String REASON_PREEMPTING = "Preempting";
    static final String REASON_NOMINATED = "Nominated";
    static final String CONDITION_UNSCHEDULABLE = "Unschedulable";
    static final String CONDITION_SCHEDULER_ERROR = "SchedulerError";

    private final KubernetesClient client;
    private final String schedulerName;
    private final String instance;
    private final Executor writes;
    private final Clock clock;
    private final Cache<SeriesKey, EventSeries> series;
    private final PodConditionWriter conditions;
    private final ScheduledFuture<?> flushTask;
    private volatile boolean closed;

    /**
     * @param schedulerName        source and reporting component of the Events
     * @param instance             this replica's identity (reportingInstance)
     * @param writes               runs the API calls; a bounded pool owned by the caller
     * @param flushTimer           runs the periodic flush; owned by the caller
     * @param aggregationInterval  how often repeated Events update their count
     */
    public KubernetesEventSink(KubernetesClient client, String schedulerName, String instance, Executor writes,
                               ScheduledExecutorService flushTimer, Duration aggregationInterval, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.schedulerName = Objects.requireNonNull(schedulerName, "schedulerName");
        String id = Objects.requireNonNull(instance, "instance");
        this.instance = id.length() > MAX_REPORTING_INSTANCE_LENGTH ? id.substring(0, MAX_REPORTING_INSTANCE_LENGTH) : id;
        this.writes = Objects.requireNonNull(writes, "writes");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (aggregationInterval == null || aggregationInterval.isNegative() || aggregationInterval.isZero()) {
            throw new IllegalArgumentException("aggregationInterval must be positive, got " + aggregationInterval);
        }
        this.series = Caffeine.newBuilder()
                .expireAfterAccess(SERIES_TTL)
                .maximumSize(MAX_SERIES)
                .ticker(new ClockTicker(clock))
                .executor(Runnable::run)
                .build();
        this.conditions = new PodConditionWriter(client, writes, clock, SERIES_TTL, MAX_SERIES);
        long period = aggregationInterval.toMillis();
        this.flushTask = flushTimer.scheduleAtFixedRate(this::flushQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void scheduled(PodInfo pod, String nodeName) {
        scheduled(pod, nodeName, null);
    }

    /** kube-scheduler's message, with what we chose within the node appended ("... to n1 (NUMA zone 0)"). */
    @Override
    public void scheduled(PodInfo pod, String nodeName, String placement) {
        if (closed) {
            return;
        }
        conditions.forget(pod);
        String message = "Successfully assigned " + pod.key().namespace() + "/" + pod.key().name() + " to " + nodeName;
        record(pod, "Normal", REASON_SCHEDULED, "Binding",
                placement == null || placement.isEmpty() ? message : message + " (" + placement + ")");
    }

    @Override
    public void unschedulable(PodInfo pod, String message) {
        if (closed) {
            return;
        }
        record(pod, "Warning", REASON_FAILED, "Scheduling", message);
        conditions.request(pod, new PodConditionWriter.Verdict("False", CONDITION_UNSCHEDULABLE, message));
    }

    @Override
    public void invalid(PodInfo pod, String message) {
        if (closed) {
            return;
        }
        record(pod, "Warning", REASON_FAILED, "Scheduling", message);
        conditions.request(pod, new PodConditionWriter.Verdict("False", CONDITION_SCHEDULER_ERROR, message));
    }

    @Override
    public void warning(PodInfo pod, String reason, String message) {
        record(pod, "Warning", reason, "Scheduling", message);
    }

    @Override
    public void bindFailed(PodInfo pod, String nodeName, String message) {
        if (closed) {
            return;
        }
        record(pod, "Warning", REASON_FAILED, "Binding", "Binding rejected: " + message);
    }

    /** kube-scheduler's wording: "Preempted by ns/name on node X" on the victim. */
    @Override
    public void preempted(PodInfo victim, PodInfo preemptor, String nodeName) {
        if (closed) {
            return;
        }
        record(victim, "Normal", REASON_PREEMPTED, "Preempting", "Preempted by " + preemptor.key().namespace() + "/"
                + preemptor.key().name() + " on node " + nodeName);
    }

    /** On the preemptor: which pods go for it ({@code Preempting}) and where it is nominated ({@code Nominated}). */
    @Override
    public void preempting(PodInfo preemptor, String nodeName, java.util.List<PodInfo> victims) {
        if (closed) {
            return;
        }
        StringBuilder names = new StringBuilder();
        for (PodInfo victim : victims) {
            names.append(names.isEmpty() ? "" : ", ").append(victim.key());
        }
        record(preemptor, "Normal", REASON_PREEMPTING, "Preempting", "Preempting " + victims.size()
                + " pod(s) on node " + nodeName + (victims.isEmpty() ? "" : ": " + names));
        record(preemptor, "Normal", REASON_NOMINATED, "Scheduling", "Nominated to node " + nodeName
                + " once the preempted pods have gone");
    }

    /** Sends the pending count updates now (the periodic flush calls this). Never throws. */
    public void flush() {
        for (EventSeries s : series.asMap().values()) {
            EventSeries.Write write = s.flush();
            if (write != null) {
                submit(s, write);
            }
        }
    }

    /** Stops the periodic flush and sends what is pending; later reports are ignored. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        flushTask.cancel(false);
        flushQuietly();
    }

    private void record(PodInfo pod, String type, String reason, String action, String rawMessage) {
        String message = truncate(rawMessage == null ? "" : rawMessage);
        Instant now = clock.instant();
        String podId = pod.uid().isEmpty() ? pod.key().toString() : pod.uid();
        EventSeries s = series.get(new SeriesKey(podId, reason, message),
                key -> new EventSeries(pod.key().namespace(), pod.key().name(), pod.uid(), type, reason, action,
                        message, now));
        EventSeries.Write write = s.occurred(now);
        if (write != null) {
            submit(s, write);
        }
    }

    private void submit(EventSeries s, EventSeries.Write write) {
        try {
            writes.execute(() -> send(s, write));
        } catch (RejectedExecutionException e) {
            s.failed();
            LOG.debug("event {} dropped: executor rejected it", s.eventName);
        }
    }

    private void send(EventSeries s, EventSeries.Write write) {
        try {
            if (write.create()) {
                client.v1().events().inNamespace(s.namespace).resource(event(s, write)).create();
            } else {
                String patch = "[{\"op\":\"replace\",\"path\":\"/count\",\"value\":" + write.count() + "},"
                        + "{\"op\":\"replace\",\"path\":\"/lastTimestamp\",\"value\":\""
                        + ApiTimes.time(write.last()) + "\"}]";
                client.v1().events().inNamespace(s.namespace).withName(s.eventName)
                        .patch(PatchContext.of(PatchType.JSON), patch);
            }
            s.written(write);
        } catch (KubernetesClientException e) {
            if (write.create() && e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                // An earlier create landed although its answer was lost; count patches will follow.
                s.written(new EventSeries.Write(true, 0, write.first(), write.last()));
            } else if (!write.create() && e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                s.gone();
            } else {
                s.failed();
                LOG.warn("writing event {} {} for pod {}/{} failed: {}", s.reason, s.eventName, s.namespace,
                        s.podName, e.getMessage());
            }
        } catch (RuntimeException e) {
            s.failed();
            LOG.warn("writing event {} for pod {}/{} failed", s.eventName, s.namespace, s.podName, e);
        }
    }

    private Event event(EventSeries s, EventSeries.Write write) {
        String first = ApiTimes.time(write.first());
        return new EventBuilder()
                .withNewMetadata().withNamespace(s.namespace).withName(s.eventName).endMetadata()
                .withNewInvolvedObject()
                    .withKind("Pod").withApiVersion("v1").withNamespace(s.namespace).withName(s.podName)
                    .withUid(s.podUid.isEmpty() ? null : s.podUid)
                .endInvolvedObject()
                .withType(s.type)
                .withReason(s.reason)
                .withMessage(s.message)
                .withAction(s.action)
                .withNewSource().withComponent(schedulerName).endSource()
                .withReportingComponent(schedulerName)
                .withReportingInstance(instance)
                .withFirstTimestamp(first)
                .withLastTimestamp(ApiTimes.time(write.last()))
                .withEventTime(ApiTimes.microTime(write.first()))
                .withCount((int) Math.min(Integer.MAX_VALUE, write.count()))
                .build();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("event flush failed", e);
        }
    }

    private static String truncate(String message) {
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
    }
}
