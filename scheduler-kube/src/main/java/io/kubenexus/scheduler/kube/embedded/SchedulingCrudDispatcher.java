package io.kubenexus.scheduler.kube.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetList;
import io.kubenexus.scheduler.core.preemption.DisruptionBudget;
import io.kubenexus.scheduler.kube.preemption.DisruptionBudgetTranslator;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.lang.reflect.Field;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD mock dispatcher taught the parts of the API server a scheduler relies on:
 * binding and pod defaulting.
 *
 * <p><b>Binding.</b> POST {@code /api/v1/namespaces/{ns}/pods/{name}/binding} and POST
 * {@code /api/v1/namespaces/{ns}/bindings} behave like the API server's BindingREST: 404
 * {@code NotFound} when the pod does not exist; 409 {@code Conflict} when it is already assigned
 * ({@code pod p is already assigned to node "n"}), is being deleted, or does not have the UID given
 * as precondition in the Binding's metadata.uid; otherwise {@code spec.nodeName} is set, the
 * Binding's annotations are copied onto the pod, condition {@code PodScheduled} becomes True, the
 * pod is stored with a new resourceVersion (watchers get MODIFIED) and the answer is 201 with a
 * Success Status. Without this the mock only stores a Binding object, or answers 409 or hangs.
 * Binds are serialized with one lock and the pod is written with its read resourceVersion, so two
 * concurrent binds of one pod give one success and one 409, and a concurrent writer cannot be lost.
 *
 * <p><b>Pod defaults.</b> A created pod gets what the API server and its admission plugins would
 * fill in: {@code spec.schedulerName: default-scheduler}, {@code spec.priority} (0, or the value of
 * the named PriorityClass stored in the mock or of the two built-in system classes), container
 * requests defaulted from limits, {@code status.phase: Pending} and {@code status.qosClass}. Unlike
 * the API server, a pod with an unreadable quantity is stored (without a QoS class) instead of
 * rejected with 422, so tests can exercise what the scheduler does with pods it cannot read. The
 * base handler assigns metadata.uid, creationTimestamp and resourceVersion. {@code GET /version} answers
 * a version document instead of the mock's list of stored objects.
 *
 * <p><b>Eviction.</b> POST {@code /api/v1/namespaces/{ns}/pods/{name}/eviction} (a policy/v1 Eviction)
 * behaves like the API server's EvictionREST: 404 when the pod does not exist, 409 when the
 * Eviction's UID precondition does not match, 429 {@code TooManyRequests} ("Cannot evict pod as it
 * would violate the pod's disruption budget.") when a PodDisruptionBudget of the pod's namespace
 * selects it and allows no disruption (its {@code status.disruptionsAllowed}, or computed from the
 * spec over the running pods it selects when it has no status), else the pod is deleted and the
 * answer is 201. Unlike a real cluster the pod goes at once (no kubelet honours a grace period), and
 * the budget's {@code disruptionsAllowed} is not decremented (no disruption controller recomputes it).
 *
 * <p><b>kubectl.</b> Discovery documents, Tables for {@code kubectl get}, field selectors on lists and
 * merge patches as the API server applies them ({@link ApiServerViews}).
 *
 * <p><b>Served versions.</b> API groups declared with {@link #serveApi} get discovery documents of
 * exactly what was declared ({@code /apis}, {@code /apis/<group>}, {@code /apis/<group>/<version>}),
 * and versions of theirs not declared answer 404, so a test chooses which versions its cluster serves.
 *
 * <p><b>Faults.</b> With a {@link FaultInjector} whose plan is active, requests of clients under
 * faults (header {@value #UNDER_FAULTS_HEADER}) may get the plan's faults ({@link FaultKind}):
 * binds answered 500, 409 or 429, or answered too late with and without being applied; status and
 * Event writes answered 500; watches closed mid-stream or answered 410 Gone; slow answers. Every
 * watch's close is then handled off the server's event loop ({@link FaultyWatches}). Applied binds
 * are counted per pod UID ({@link #ledger()}) with or without faults.
 *
 * <p><b>Known differences of the mock that remain</b> (see shared/REFERENCE.md):
 * <ul>
 *   <li>Closing a watch while the mock still has events queued for it can block the mock's event
 *       loop for up to a minute, freezing every other request. Stop informers (and close watches)
 *       before closing clients and the server.</li>
 *   <li>Set-based label selectors ({@code in}, {@code notin}) are ignored, and field selectors on watches:
 *       filter on the client side.</li>
 *   <li>Watches replay every object as ADDED and ignore resourceVersion.</li>
 *   <li>Server-side apply answers 415. (JSON merge patch and strategic merge patch are applied
 *       here, {@link ApiServerViews}.)</li>
 *   <li>A stale resourceVersion is accepted on {@code /status}; on the main resource it gets 409.</li>
 * </ul>
 */
public class SchedulingCrudDispatcher extends KubernetesCrudDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulingCrudDispatcher.class);
    private static final Pattern POD_BINDING = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/binding/?");
    private static final Pattern BINDINGS = Pattern.compile("/api/v1/namespaces/([^/]+)/bindings/?");
    private static final Pattern PODS = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/?");
    private static final Pattern POD_EVICTION = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/eviction/?");
    private static final int TOO_MANY_REQUESTS = 429;
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;
    private static final int MAX_WRITE_ATTEMPTS = 5;
    /** Values of the API server's built-in PriorityClasses. */
    private static final Map<String, Integer> SYSTEM_PRIORITIES = Map.of(
            "system-node-critical", 2_000_001_000,
            "system-cluster-critical", 2_000_000_000);

    private static final Pattern POD_STATUS = Pattern.compile("/api/v1/namespaces/[^/]+/pods/[^/]+/status/?");
    private static final Pattern EVENTS = Pattern.compile(
            "(/api/v1|/apis/events\\.k8s\\.io/v1)/namespaces/[^/]+/events(/[^/]+)?/?");
    private static final Pattern RESOURCE_VERSION = Pattern.compile("[?&]resourceVersion=([^&]*)");
    private static final Pattern WATCH = Pattern.compile("[?&]watch=(true|1)(&|$)");
    /** The header that marks the requests of clients under faults ({@link EmbeddedKubernetesApi#newClientUnderFaults()}). */
    public static final String UNDER_FAULTS_HEADER = "X-Kubenexus-Under-Faults";

    private final Clock clock;
    private final FaultInjector faults;
    private final BindLedger ledger = new BindLedger();
    /** Null without faults: watches then behave exactly as the mock's. */
    private final ScheduledExecutorService watchCloser;
    private final FaultyWatches watches;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ServedApiGroups servedApis = new ServedApiGroups(mapper);
    private final KubernetesSerialization serialization = new KubernetesSerialization(mapper, true);
    private final PodTranslator podTranslator = new PodTranslator();
    private final DisruptionBudgetTranslator budgetTranslator = new DisruptionBudgetTranslator();
    private final ApiServerViews views;
    /** Serializes binds: read, check nodeName and write must not interleave for one pod. */
    private final Object bindLock = new Object();

    public SchedulingCrudDispatcher() {
        this(Clock.systemUTC());
    }

    public SchedulingCrudDispatcher(Clock clock) {
        this(clock, new FaultInjector(FaultPlan.NONE));
    }

    /** With a fault layer; {@link FaultPlan#NONE} behaves exactly as without one. */
    public SchedulingCrudDispatcher(Clock clock, FaultInjector faults) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.views = new ApiServerViews(ApiDiscovery.STANDARD, clock, this);
        if (faults.active()) {
            AtomicInteger threads = new AtomicInteger();
            this.watchCloser = Executors.newScheduledThreadPool(8, runnable -> {
                Thread thread = new Thread(runnable, "embedded-api-watch-closer-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            this.watches = new FaultyWatches(watchCloser, mockWatchers());
        } else {
            this.watchCloser = null;
            this.watches = null;
        }
    }

    /**
     * Takes a listener out of the mock's watchers (its private set, read once by reflection: the
     * mock has no API for it). Without it, a watch closed off the event loop can fail a write
     * (see {@link FaultyWatches}); if the field cannot be read, watches are only closed later.
     */
    private Consumer<WebSocketListener> mockWatchers() {
        try {
            Field field = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
            field.setAccessible(true);
            Set<?> watchers = (Set<?>) field.get(this);
            return watchers::remove;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("the mock's watchers cannot be read ({}); closed watches are taken out late", e.toString());
            return listener -> {
            };
        }
    }

    /** The binds applied so far, per pod. */
    public BindLedger ledger() {
        return ledger;
    }

    public FaultInjector faults() {
        return faults;
    }

    /**
     * Declares that the cluster serves {@code group/version} with the namespaced resources
     * {@code kindsByPlural} (plural to kind, e.g. {@code podgroups: PodGroup}): discovery answers
     * documents for them, and other versions of the group answer 404 (see {@link ServedApiGroups}).
     * Groups never declared keep the mock's behaviour.
     */
    public void serveApi(String group, String version, Map<String, String> kindsByPlural) {
        servedApis.serve(group, version, kindsByPlural);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        ServedApiGroups.Answer discovery = servedApis.answer(
                request.getMethod() == null ? "" : request.getMethod().toUpperCase(Locale.ROOT),
                pathOf(request.getPath() == null ? "" : request.getPath()));
        if (discovery != null) {
            return new MockResponse().setResponseCode(discovery.code()).setHeader("Content-Type", "application/json")
                    .setBody(discovery.body());
        }
        if (!faults.active() || request.getHeader(UNDER_FAULTS_HEADER) == null) {
            return served(request);
        }
        String fullPath = request.getPath() == null ? "" : request.getPath();
        String path = pathOf(fullPath);
        String method = request.getMethod() == null ? "" : request.getMethod().toUpperCase(Locale.ROOT);
        if ("GET".equals(method) && WATCH.matcher(fullPath).find()) {
            return watch(request, path, fullPath);
        }
        FaultKind fault = null;
        if ("POST".equals(method) && (POD_BINDING.matcher(path).matches() || BINDINGS.matcher(path).matches())) {
            fault = faults.decide(FaultKind.Target.BIND, bindKey(path, request));
        } else if (("PATCH".equals(method) || "PUT".equals(method)) && POD_STATUS.matcher(path).matches()) {
            fault = faults.decide(FaultKind.Target.STATUS_WRITE, path);
        } else if (("POST".equals(method) || "PATCH".equals(method) || "PUT".equals(method))
                && EVENTS.matcher(path).matches()) {
            fault = faults.decide(FaultKind.Target.EVENT_WRITE, path);
        }
        if (fault != null) {
            return injected(fault, request, path);
        }
        MockResponse response = served(request);
        Duration delay = faults.slowDelay(method + " " + path);
        return delay.isZero() ? response : response.setBodyDelay(delay);
    }

    /** The request as the API server would answer it: kubectl's views first, then the mock's CRUD handling. */
    private MockResponse served(RecordedRequest request) {
        return views.dispatch(request, super::dispatch);
    }

    private MockResponse watch(RecordedRequest request, String path, String fullPath) {
        FaultKind fault = faults.decide(FaultKind.Target.WATCH, path);
        if (fault == FaultKind.WATCH_GONE) {
            Matcher rv = RESOURCE_VERSION.matcher(fullPath);
            return watches.gone(rv.find() ? rv.group(1) : "");
        }
        Duration lifetime = null;
        if (fault == FaultKind.WATCH_CLOSED) {
            long max = faults.plan().watchLifetime().toMillis();
            lifetime = Duration.ofMillis(Math.max(50, (long) (max * faults.fraction(path))));
        }
        return watches.guarded(served(request), lifetime);
    }

    private MockResponse injected(FaultKind fault, RecordedRequest request, String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return switch (fault) {
            case BIND_ERROR, STATUS_WRITE_ERROR, EVENT_WRITE_ERROR -> status(HttpURLConnection.HTTP_INTERNAL_ERROR,
                    "InternalError", "Internal error occurred: injected by the embedded API's fault layer ("
                            + fault.optionName() + ")", null, null);
            case BIND_CONFLICT -> conflict(podName(path, request), "pods/binding",
                    "the object has been modified; please apply your changes to the latest version and try again");
            case BIND_THROTTLED -> {
                long seconds = Math.max(1, faults.plan().retryAfter().toSeconds());
                // As the API server's priority and fairness answers: the header and details.retryAfterSeconds.
                Status throttled = new StatusBuilder()
                        .withApiVersion("v1").withKind("Status").withNewMetadata().endMetadata()
                        .withStatus("Failure").withCode(429).withReason("TooManyRequests")
                        .withMessage("the server has received too many requests and has asked us to try again later")
                        .withNewDetails().withRetryAfterSeconds((int) seconds).endDetails()
                        .build();
                yield new MockResponse().setResponseCode(429).setHeader("Retry-After", Long.toString(seconds))
                        .setBody(serialization.asJson(throttled));
            }
            case BIND_TIMEOUT_APPLIED -> served(request).setBodyDelay(faults.plan().timeoutDelay());
            case BIND_TIMEOUT_LOST -> status(504, "Timeout", "Timeout: request did not complete within the allowed "
                    + "duration", name, "pods/binding").setBodyDelay(faults.plan().timeoutDelay());
            default -> served(request);
        };
    }

    private String bindKey(String path, RecordedRequest request) {
        Matcher podBinding = POD_BINDING.matcher(path);
        if (podBinding.matches()) {
            return podBinding.group(1) + "/" + podBinding.group(2);
        }
        Matcher bindings = BINDINGS.matcher(path);
        return (bindings.matches() ? bindings.group(1) : "") + "/" + podName(path, request);
    }

    /** The pod a binding request names: from the path, or the Binding's metadata.name. */
    private String podName(String path, RecordedRequest request) {
        Matcher podBinding = POD_BINDING.matcher(path);
        if (podBinding.matches()) {
            return podBinding.group(2);
        }
        try {
            return mapper.readTree(request.getUtf8Body()).path("metadata").path("name").asText("");
        } catch (JsonProcessingException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public void shutdown() {
        if (watchCloser != null) {
            watchCloser.shutdownNow();
        }
        super.shutdown();
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        String path = pathOf(request.getPath());
        Matcher podBinding = POD_BINDING.matcher(path);
        if (podBinding.matches()) {
            return bind(podBinding.group(1), podBinding.group(2), request.getUtf8Body());
        }
        Matcher bindings = BINDINGS.matcher(path);
        if (bindings.matches()) {
            return bind(bindings.group(1), null, request.getUtf8Body());
        }
        if (PODS.matcher(path).matches()) {
            return createPod(request);
        }
        Matcher eviction = POD_EVICTION.matcher(path);
        if (eviction.matches()) {
            return evict(eviction.group(1), eviction.group(2), request.getUtf8Body());
        }
        return super.handleCreate(request);
    }

    @Override
    public MockResponse handleGet(String path) {
        if ("/version".equals(pathOf(path))) {
            return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(
                    "{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.0-kubenexus-embedded\","
                            + "\"platform\":\"linux/amd64\"}");
        }
        return super.handleGet(path);
    }

    // ---------------------------------------------------------------- binding

    private MockResponse bind(String namespace, String nameFromPath, String body) {
        JsonNode binding;
        try {
            binding = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return status(HttpURLConnection.HTTP_BAD_REQUEST, "BadRequest", "invalid Binding: " + e.getOriginalMessage(),
                    null, null);
        }
        String bindingName = binding.path("metadata").path("name").asText("");
        String podName = nameFromPath == null ? bindingName : nameFromPath;
        if (nameFromPath != null && !bindingName.isEmpty() && !bindingName.equals(nameFromPath)) {
            return status(HttpURLConnection.HTTP_BAD_REQUEST, "BadRequest",
                    "the name of the object (" + bindingName + ") does not match the name on the URL ("
                            + nameFromPath + ")", podName, "pods/binding");
        }
        String node = binding.path("target").path("name").asText("");
        if (podName.isEmpty() || node.isEmpty()) {
            return status(422, "Invalid", "Binding \"" + podName + "\" is invalid: "
                    + (podName.isEmpty() ? "metadata.name: Required value" : "target.name: Required value"),
                    podName, "Binding");
        }
        String uidPrecondition = binding.path("metadata").path("uid").asText("");
        JsonNode annotations = binding.path("metadata").path("annotations");
        synchronized (bindLock) {
            return bindLocked(namespace, podName, node, uidPrecondition, annotations);
        }
    }

    private MockResponse bindLocked(String namespace, String podName, String node, String uidPrecondition,
                                    JsonNode annotations) {
        String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + podName;
        for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
            MockResponse current = super.handleGet(podPath);
            if (current.code() == HttpURLConnection.HTTP_NOT_FOUND) {
                return status(HttpURLConnection.HTTP_NOT_FOUND, "NotFound", "pods \"" + podName + "\" not found",
                        podName, "pods");
            }
            ObjectNode pod;
            try {
                pod = (ObjectNode) mapper.readTree(current.getBody().readUtf8());
            } catch (JsonProcessingException | ClassCastException e) {
                return status(HttpURLConnection.HTTP_INTERNAL_ERROR, "InternalError", "stored pod unreadable", podName,
                        "pods");
            }
            ObjectNode metadata = object(pod, "metadata");
            ObjectNode spec = object(pod, "spec");
            String uid = metadata.path("uid").asText("");
            if (!uidPrecondition.isEmpty() && !uidPrecondition.equals(uid)) {
                return conflict(podName, "pods", "Precondition failed: UID in precondition: " + uidPrecondition
                        + ", UID in object meta: " + uid);
            }
            if (!metadata.path("deletionTimestamp").asText("").isEmpty()) {
                return conflict(podName, "pods/binding",
                        "pod " + podName + " is being deleted, cannot be assigned to a host");
            }
            String assigned = spec.path("nodeName").asText("");
            if (!assigned.isEmpty()) {
                return conflict(podName, "pods/binding",
                        "pod " + podName + " is already assigned to node \"" + assigned + "\"");
            }

            spec.put("nodeName", node);
            if (annotations.isObject() && annotations.size() > 0) {
                ObjectNode podAnnotations = object(metadata, "annotations");
                annotations.properties().forEach(e -> podAnnotations.set(e.getKey(), e.getValue()));
            }
            setScheduledCondition(object(pod, "status"));

            MockResponse written = super.handleUpdate(request(HttpMethod.PUT, podPath, pod.toString()));
            if (written.code() == HttpURLConnection.HTTP_CONFLICT) {
                continue; // someone else wrote the pod between our read and write; read again
            }
            if (written.code() >= 300) {
                return written;
            }
            ledger.applied(uid, namespace + "/" + podName);
            return new MockResponse().setResponseCode(HttpURLConnection.HTTP_CREATED).setBody(
                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\",\"code\":201}");
        }
        return conflict(podName, "pods/binding", "the pod kept changing while it was being bound");
    }

    /**
     * The API server's UpdatePodCondition: the condition is replaced as a whole (reason and message
     * of an earlier Unschedulable are cleared); lastTransitionTime changes only with the status.
     */
    private void setScheduledCondition(ObjectNode status) {
        ArrayNode conditions = status.has("conditions") && status.get("conditions").isArray()
                ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        String now = RFC3339.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        ObjectNode scheduled = mapper.createObjectNode();
        scheduled.put("type", "PodScheduled");
        scheduled.put("status", "True");
        scheduled.put("lastProbeTime", (String) null);
        for (int i = 0; i < conditions.size(); i++) {
            JsonNode existing = conditions.get(i);
            if ("PodScheduled".equals(existing.path("type").asText())) {
                boolean unchanged = "True".equals(existing.path("status").asText());
                scheduled.put("lastTransitionTime",
                        unchanged ? existing.path("lastTransitionTime").asText(now) : now);
                conditions.set(i, scheduled);
                return;
            }
        }
        scheduled.put("lastTransitionTime", now);
        conditions.add(scheduled);
    }

    // ---------------------------------------------------------------- eviction

    private MockResponse evict(String namespace, String podName, String body) {
        String uidPrecondition;
        try {
            uidPrecondition = mapper.readTree(body).path("deleteOptions").path("preconditions").path("uid").asText("");
        } catch (JsonProcessingException e) {
            return status(HttpURLConnection.HTTP_BAD_REQUEST, "BadRequest", "invalid Eviction: " + e.getOriginalMessage(),
                    podName, "pods/eviction");
        }
        String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + podName;
        synchronized (bindLock) {
            MockResponse current = super.handleGet(podPath);
            if (current.code() == HttpURLConnection.HTTP_NOT_FOUND) {
                return status(HttpURLConnection.HTTP_NOT_FOUND, "NotFound", "pods \"" + podName + "\" not found",
                        podName, "pods");
            }
            Pod pod = serialization.unmarshal(current.getBody().readUtf8(), Pod.class);
            if (!uidPrecondition.isEmpty() && !uidPrecondition.equals(pod.getMetadata().getUid())) {
                return conflict(podName, "pods", "Precondition failed: UID in precondition: " + uidPrecondition
                        + ", UID in object meta: " + pod.getMetadata().getUid());
            }
            String refusal = disruptionRefusal(namespace, pod);
            if (refusal != null) {
                return status(TOO_MANY_REQUESTS, "TooManyRequests", refusal, podName, "pods/eviction");
            }
            super.handleDelete(podPath);
        }
        return new MockResponse().setResponseCode(HttpURLConnection.HTTP_CREATED).setBody(serialization.asJson(
                new StatusBuilder().withApiVersion("v1").withKind("Status").withNewMetadata().endMetadata()
                        .withStatus("Success").build()));
    }

    /** Why a budget refuses to let {@code pod} go, or null. */
    private String disruptionRefusal(String namespace, Pod pod) {
        MockResponse listed = super.handleGet("/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets");
        if (listed.code() != HttpURLConnection.HTTP_OK) {
            return null;
        }
        PodDisruptionBudgetList budgets = serialization.unmarshal(listed.getBody().readUtf8(), PodDisruptionBudgetList.class);
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        for (PodDisruptionBudget pdb : budgets.getItems()) {
            DisruptionBudget budget;
            try {
                budget = budgetTranslator.translate(pdb);
            } catch (RuntimeException e) {
                continue; // the API server would not have stored it
            }
            if (budget.covers(namespace, labels) && budget.disruptionsAllowed(healthyCovered(namespace, budget)) <= 0) {
                return "Cannot evict pod as it would violate the pod's disruption budget.";
            }
        }
        return null;
    }

    private int healthyCovered(String namespace, DisruptionBudget budget) {
        if (budget.allowedByStatus() != null) {
            return 0;
        }
        MockResponse listed = super.handleGet("/api/v1/namespaces/" + namespace + "/pods");
        if (listed.code() != HttpURLConnection.HTTP_OK) {
            return 0;
        }
        int healthy = 0;
        for (Pod pod : serialization.unmarshal(listed.getBody().readUtf8(), PodList.class).getItems()) {
            Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
            if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                    && pod.getMetadata().getDeletionTimestamp() == null && budget.covers(namespace, labels)) {
                healthy++;
            }
        }
        return healthy;
    }

    // ---------------------------------------------------------------- pod defaults

    private MockResponse createPod(RecordedRequest request) {
        ObjectNode pod;
        try {
            JsonNode parsed = mapper.readTree(request.getUtf8Body());
            if (!(parsed instanceof ObjectNode)) {
                return super.handleCreate(request);
            }
            pod = (ObjectNode) parsed;
        } catch (JsonProcessingException e) {
            return super.handleCreate(request); // let the base handler produce its own error
        }
        ObjectNode spec = object(pod, "spec");
        if (spec.path("schedulerName").asText("").isEmpty()) {
            spec.put("schedulerName", PodTranslator.DEFAULT_SCHEDULER_NAME);
        }
        if (!spec.hasNonNull("priority")) {
            spec.put("priority", priorityOf(spec.path("priorityClassName").asText("")));
        }
        defaultRequestsFromLimits(spec.path("containers"));
        defaultRequestsFromLimits(spec.path("initContainers"));

        ObjectNode status = object(pod, "status");
        if (status.path("phase").asText("").isEmpty()) {
            status.put("phase", "Pending");
        }
        // A real API server rejects a pod it cannot read (422). It is stored here, without a QoS
        // class, so tests can drive the scheduler's path for pods it cannot translate.
        String qos = qosClassOf(pod);
        if (qos != null) {
            status.put("qosClass", qos);
        }
        return super.handleCreate(request(HttpMethod.POST, request.getPath(), pod.toString()));
    }

    private String qosClassOf(ObjectNode pod) {
        try {
            Translation<PodInfo> translated = podTranslator.translate(serialization.unmarshal(pod.toString(), Pod.class));
            return translated instanceof Translation.Valid<PodInfo> valid ? qosName(valid.value().qosClass()) : null;
        } catch (RuntimeException e) {
            return null; // not even a Pod shape; the base handler decides what to do with it
        }
    }

    /** The Priority admission plugin: the named class's value, 0 without a class. */
    private int priorityOf(String className) {
        if (className.isEmpty()) {
            return 0;
        }
        Integer system = SYSTEM_PRIORITIES.get(className);
        if (system != null) {
            return system;
        }
        MockResponse stored = super.handleGet("/apis/scheduling.k8s.io/v1/priorityclasses/" + className);
        if (stored.code() == HttpURLConnection.HTTP_OK) {
            try {
                return mapper.readTree(stored.getBody().readUtf8()).path("value").asInt(0);
            } catch (JsonProcessingException e) {
                return 0;
            }
        }
        return 0;
    }

    private static void defaultRequestsFromLimits(JsonNode containers) {
        if (!containers.isArray()) {
            return;
        }
        for (JsonNode container : containers) {
            JsonNode resources = container.path("resources");
            JsonNode limits = resources.path("limits");
            if (!(resources instanceof ObjectNode) || !limits.isObject() || limits.size() == 0) {
                continue;
            }
            ObjectNode requests = object((ObjectNode) resources, "requests");
            for (Map.Entry<String, JsonNode> limit : limits.properties()) {
                if (!requests.has(limit.getKey())) {
                    requests.set(limit.getKey(), limit.getValue().deepCopy());
                }
            }
        }
    }

    private static String qosName(QosClass qos) {
        return switch (qos) {
            case GUARANTEED -> "Guaranteed";
            case BURSTABLE -> "Burstable";
            case BEST_EFFORT -> "BestEffort";
        };
    }

    // ---------------------------------------------------------------- helpers

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode child = parent.get(field);
        if (child instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(field);
    }

    private static String pathOf(String requestPath) {
        int query = requestPath.indexOf('?');
        return query < 0 ? requestPath : requestPath.substring(0, query);
    }

    private static RecordedRequest request(HttpMethod method, String path, String body) {
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        return new RecordedRequest("HTTP/1.1", method, path, headers, new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    private MockResponse conflict(String name, String kind, String cause) {
        String resource = "pods/binding".equals(kind) ? "pods/binding" : "pods";
        return status(HttpURLConnection.HTTP_CONFLICT, "Conflict",
                "Operation cannot be fulfilled on " + resource + " \"" + name + "\": " + cause, name, kind);
    }

    /** A metav1.Status failure body, as the API server sends with every error. */
    private MockResponse status(int code, String reason, String message, String name, String kind) {
        StatusBuilder builder = new StatusBuilder()
                .withApiVersion("v1").withKind("Status").withNewMetadata().endMetadata()
                .withStatus("Failure").withCode(code).withReason(reason).withMessage(message);
        if (name != null) {
            builder.withNewDetails().withName(name).withKind(kind).endDetails();
        }
        Status status = builder.build();
        return new MockResponse().setResponseCode(code).setBody(serialization.asJson(status));
    }
}
