import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A build management service in miniature: builds are graphs of steps (actions) run by a pool of real
 * worker threads that take ready steps from a shared queue, ordered by priority and, within a priority,
 * round-robin across tenants. A step runs only after every step it depends on has finished.
 *
 * <p><b>Caching.</b> Each step's <i>action key</i> is the SHA-256 of everything that can change its
 * output: its command, its toolchain, the hash of its source tree, and the <i>output</i> hashes of its
 * dependencies. The action cache maps an action key to the hash of the output, and the output itself
 * lives in a content-addressed store (CAS) under its own hash: the two stores of Bazel's remote cache and
 * of the Remote Execution API. A second build of the same inputs is all cache hits; a changed source
 * re-runs its step and, through the output hashes, exactly the steps downstream of it, and stops early
 * where a re-run step produced the same output as before. The trade-off: the cache is correct only for
 * hermetic steps, whose output depends on nothing but their declared inputs.
 *
 * <p><b>Failures.</b> A worker holds a lease on the step it runs; a worker that dies stops renewing it,
 * the lease expires, and a reaper queues the step again with a higher attempt number, which fences off
 * a late answer from the old attempt. Transient failures are retried with capped exponential backoff and
 * full jitter (recorded here, not slept); deterministic failures fail the step at once, its dependents
 * are skipped, and independent steps still finish. Cancelling a build stops new steps from starting and
 * tells running ones through their context.
 *
 * <p>Time comes from a manual clock, so lease expiry is driven by the caller, never by sleeping.
 * Sources: Bazel, "Remote Caching" (bazel.build/remote/caching); the Remote Execution API
 * (github.com/bazelbuild/remote-apis); A. Mokhov, N. Mitchell, S. Peyton Jones, "Build Systems à la
 * Carte", ICFP 2018 (constructive traces, early cutoff); Amazon SQS visibility timeout; M. Brooker,
 * "Exponential Backoff And Jitter", AWS Architecture Blog, 2015.
 */
public class BuildService {

    /* --------------- The model: steps, graphs, hashes --------------- */

    // tag::model[]
    /** Precedence of the queue: declaration order. */
    enum Priority { RELEASE, PRESUBMIT, NIGHTLY }

    /** One action: a command, run by a toolchain, over declared sources and the outputs of its dependencies. */
    record Step(String name, String command, String toolchain, SortedMap<String, String> sources, List<String> deps) {
        Step {
            sources = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(sources));
            deps = List.copyOf(deps);
        }

        Step withSource(String path, String content) {
            TreeMap<String, String> changed = new TreeMap<>(sources);
            changed.put(path, content);
            return new Step(name, command, toolchain, changed, deps);
        }
    }

    /** A validated, acyclic graph of steps: a commit resolved into the actions that build it. */
    static final class Graph {
        private final SortedMap<String, Step> steps = new TreeMap<>();
        private final List<String> order;

        Graph(Collection<Step> all) {
            for (Step s : all) {
                if (steps.put(s.name(), s) != null) {
                    throw new IllegalArgumentException("duplicate step " + s.name());
                }
            }
            for (Step s : all) {
                for (String d : s.deps()) {
                    if (!steps.containsKey(d)) {
                        throw new IllegalArgumentException(s.name() + " depends on unknown step " + d);
                    }
                }
            }
            order = topologicalOrder();
        }

        /** Kahn's algorithm; ties broken by name so the order is the same on every run. */
        private List<String> topologicalOrder() {
            Map<String, Integer> waiting = new HashMap<>();
            TreeSet<String> ready = new TreeSet<>();
            for (Step s : steps.values()) {
                waiting.put(s.name(), s.deps().size());
                if (s.deps().isEmpty()) {
                    ready.add(s.name());
                }
            }
            List<String> result = new ArrayList<>();
            while (!ready.isEmpty()) {
                String next = ready.pollFirst();
                result.add(next);
                for (String d : dependents(next)) {
                    if (waiting.merge(d, -1, Integer::sum) == 0) {
                        ready.add(d);
                    }
                }
            }
            if (result.size() != steps.size()) {
                throw new IllegalArgumentException("the steps form a cycle");
            }
            return List.copyOf(result);
        }

        Step step(String name) {
            return steps.get(name);
        }

        List<String> order() {
            return order;
        }

        SortedSet<String> dependents(String name) {
            TreeSet<String> out = new TreeSet<>();
            for (Step s : steps.values()) {
                if (s.deps().contains(name)) {
                    out.add(s.name());
                }
            }
            return out;
        }

        /** The given steps and every step that depends on them, directly or not. */
        SortedSet<String> downstream(String start) {
            TreeSet<String> seen = new TreeSet<>();
            ArrayDeque<String> todo = new ArrayDeque<>(List.of(start));
            while (!todo.isEmpty()) {
                String s = todo.pop();
                if (seen.add(s)) {
                    todo.addAll(dependents(s));
                }
            }
            return seen;
        }

        /** The same graph with one source file of one step changed: the next commit. */
        Graph withSource(String stepName, String path, String content) {
            List<Step> changed = new ArrayList<>(steps.values());
            changed.replaceAll(s -> s.name().equals(stepName) ? s.withSource(path, content) : s);
            return new Graph(changed);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
    // end::model[]

    // tag::cache-key[]
    /** The hash of a source tree: every path with the hash of its content, in path order. */
    static String sourceTreeHash(SortedMap<String, String> sources) {
        StringBuilder tree = new StringBuilder();
        sources.forEach((path, content) -> tree.append(path).append('\0').append(sha256(content)).append('\n'));
        return sha256(tree.toString());
    }

    /**
     * The action key: everything that can change the step's output, in one canonical encoding. The
     * dependencies enter by the hash of their OUTPUT, not of their inputs, so a dependency that re-ran
     * and produced the same bytes leaves this key unchanged (early cutoff).
     */
    static String actionKey(Step step, SortedMap<String, String> depOutputHashes) {
        StringBuilder key = new StringBuilder();
        key.append("command\0").append(step.command()).append('\n');
        key.append("toolchain\0").append(step.toolchain()).append('\n');
        key.append("sources\0").append(sourceTreeHash(step.sources())).append('\n');
        depOutputHashes.forEach((dep, hash) ->
                key.append("dep\0").append(dep).append('\0').append(hash).append('\n'));
        return sha256(key.toString());
    }

    /** Content-addressed storage: a blob's address is the hash of its bytes, so a blob is stored once. */
    static final class ContentStore {
        private final ConcurrentHashMap<String, byte[]> blobs = new ConcurrentHashMap<>();

        String put(byte[] content) {
            String hash = sha256(content);
            blobs.putIfAbsent(hash, content.clone());
            return hash;
        }

        Optional<byte[]> get(String hash) {
            return Optional.ofNullable(blobs.get(hash)).map(byte[]::clone);
        }

        boolean contains(String hash) {
            return blobs.containsKey(hash);
        }

        int size() {
            return blobs.size();
        }
    }

    /** The action cache: action key to the CAS hash of the output that action produced. */
    static final class ActionCache {
        private final ConcurrentHashMap<String, String> results = new ConcurrentHashMap<>();

        Optional<String> get(String actionKey) {
            return Optional.ofNullable(results.get(actionKey));
        }

        void put(String actionKey, String outputHash) {
            results.put(actionKey, outputHash);
        }

        int size() {
            return results.size();
        }
    }
    // end::cache-key[]

    /* --------------- Tools, failures, retries --------------- */

    // tag::tool[]
    /** What a running step can ask the service: has my build been cancelled, and do I still hold my lease. */
    interface StepContext {
        boolean cancelled();

        /** Renews the lease; false means the lease was lost and the result will be thrown away. */
        boolean heartbeat();
    }

    /** Runs one step. A hermetic tool reads nothing but the step and its dependencies' outputs. */
    interface Tool {
        byte[] run(Step step, SortedMap<String, byte[]> depOutputs, StepContext context) throws StepFailure;
    }

    enum FailureKind { TRANSIENT, DETERMINISTIC, CANCELLED }

    /** A failed step: transient (retry it), deterministic (same inputs, same failure: don't), or cancelled. */
    static final class StepFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final FailureKind kind;

        StepFailure(FailureKind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    /**
     * A stand-in compiler. Its output is a function of the step's declared inputs only, with comment lines
     * dropped (a comment-only edit re-runs the step but yields the same bytes); a source containing
     * "syntax error" fails deterministically, as a real compile error would on every retry.
     */
    static final Tool HERMETIC_TOOL = (step, depOutputs, context) -> {
        StringBuilder out = new StringBuilder(step.toolchain() + " " + step.command() + " -> " + step.name() + "\n");
        for (Map.Entry<String, String> source : step.sources().entrySet()) {
            if (source.getValue().contains("syntax error")) {
                throw new StepFailure(FailureKind.DETERMINISTIC, source.getKey() + ": syntax error");
            }
            String code = source.getValue().lines().filter(l -> !l.strip().startsWith("//"))
                    .reduce("", (a, b) -> a + b + "\n");
            out.append(source.getKey()).append(' ').append(sha256(code)).append('\n');
        }
        depOutputs.forEach((dep, bytes) -> out.append(dep).append(' ').append(sha256(bytes)).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    };

    /** Retry policy: capped exponential backoff with full jitter, from a seed so a run can be replayed. */
    record RetryPolicy(int maxAttempts, long baseDelayMillis, long maxDelayMillis) {
        long backoffMillis(int failedAttempt, long seed) {
            long ceiling = Math.min(maxDelayMillis, baseDelayMillis << Math.min(failedAttempt - 1, 30));
            return new SplittableRandom(seed).nextLong(ceiling + 1);
        }
    }
    // end::tool[]

    /* --------------- Leases --------------- */

    // tag::lease[]
    /** Where the service reads the time. A manual clock moves only when the caller says so. */
    static final class ManualClock {
        private final AtomicLong now = new AtomicLong();

        long millis() {
            return now.get();
        }

        void advance(long millis) {
            now.addAndGet(millis);
        }
    }

    /** One queued piece of work: a step of a build, at an attempt number that fences off older attempts. */
    record Task(String tenant, Priority priority, Build build, String step, int attempt) {
        String id() {
            return build.id + "/" + step;
        }
    }

    /**
     * Leases on running steps, like a queue's visibility timeout. A lease is granted when a worker takes a
     * task and expires {@code timeoutMillis} later unless renewed by a heartbeat. The reaper removes expired
     * leases; their tasks go back on the queue with the next attempt number. Completing with an old lease
     * fails: the attempt number is a fencing token.
     */
    static final class LeaseTable {
        record Lease(Task task, String worker, long expiresAt) {
        }

        private final ManualClock clock;
        private final long timeoutMillis;
        private final Map<String, Lease> active = new HashMap<>();

        LeaseTable(ManualClock clock, long timeoutMillis) {
            this.clock = clock;
            this.timeoutMillis = timeoutMillis;
        }

        synchronized Lease grant(Task task, String worker) {
            Lease lease = new Lease(task, worker, clock.millis() + timeoutMillis);
            active.put(task.id(), lease);
            return lease;
        }

        /** Extends a lease that is still current; returns the renewed lease, or empty if it was lost. */
        synchronized Optional<Lease> heartbeat(Lease lease) {
            if (!isCurrent(lease)) {
                return Optional.empty();
            }
            Lease renewed = new Lease(lease.task(), lease.worker(), clock.millis() + timeoutMillis);
            active.put(lease.task().id(), renewed);
            return Optional.of(renewed);
        }

        /** Ends a lease when its step finishes; false if the lease expired and the step was handed on. */
        synchronized boolean complete(Lease lease) {
            if (!isCurrent(lease)) {
                return false;
            }
            active.remove(lease.task().id());
            return true;
        }

        /** Removes and returns every lease whose time ran out, in task order. */
        synchronized List<Lease> reapExpired() {
            List<Lease> expired = new ArrayList<>();
            active.values().removeIf(l -> {
                boolean gone = l.expiresAt() <= clock.millis();
                if (gone) {
                    expired.add(l);
                }
                return gone;
            });
            expired.sort(java.util.Comparator.comparing(l -> l.task().id()));
            return expired;
        }

        private boolean isCurrent(Lease lease) {
            Lease current = active.get(lease.task().id());
            return current != null && current.task().attempt() == lease.task().attempt();
        }
    }
    // end::lease[]

    /* --------------- The queue --------------- */

    // tag::queue[]
    /**
     * The ready queue: strict priority between classes, round-robin between tenants within a class, FIFO
     * within a tenant. One tenant with a thousand queued steps delays another tenant's next step by at
     * most one step per worker. Strict priority can starve NIGHTLY; production queues add ageing.
     */
    static final class ReadyQueue {
        private final EnumMap<Priority, LinkedHashMap<String, ArrayDeque<Task>>> classes =
                new EnumMap<>(Priority.class);
        private boolean closed;

        ReadyQueue() {
            for (Priority p : Priority.values()) {
                classes.put(p, new LinkedHashMap<>());
            }
        }

        synchronized void offer(Task task) {
            classes.get(task.priority()).computeIfAbsent(task.tenant(), t -> new ArrayDeque<>()).addLast(task);
            notifyAll();
        }

        /** The next task, waiting for one if none is ready; null once closed and drained. */
        synchronized Task take() throws InterruptedException {
            while (true) {
                for (LinkedHashMap<String, ArrayDeque<Task>> tenants : classes.values()) {
                    if (!tenants.isEmpty()) {
                        Map.Entry<String, ArrayDeque<Task>> turn = tenants.entrySet().iterator().next();
                        Task task = turn.getValue().pollFirst();
                        tenants.remove(turn.getKey());
                        if (!turn.getValue().isEmpty()) {
                            tenants.put(turn.getKey(), turn.getValue()); // back of the line
                        }
                        return task;
                    }
                }
                if (closed) {
                    return null;
                }
                wait();
            }
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }
    }
    // end::queue[]

    /* --------------- A build's state --------------- */

    enum StepState { PENDING, QUEUED, RUNNING, SUCCEEDED, CACHED, FAILED, SKIPPED, CANCELLED }

    enum BuildStatus { RUNNING, SUCCEEDED, FAILED, CANCELLED }

    /** What a build did with one step: the state machine's end state and what it cost. */
    record StepReport(String step, StepState state, int executions, int retries, int leaseExpiries,
                      String outputHash, long started, long done) {
    }

    /** A finished build: its status, the target's artifact hash, and one report per step, by name. */
    record BuildResult(int id, Priority priority, BuildStatus status, String artifact, SortedMap<String, StepReport> steps,
                       long cancelledAt, boolean orderHeld) {
        long count(StepState state) {
            return steps.values().stream().filter(s -> s.state() == state).count();
        }

        int retries() {
            return steps.values().stream().mapToInt(StepReport::retries).sum();
        }

        int leaseExpiries() {
            return steps.values().stream().mapToInt(StepReport::leaseExpiries).sum();
        }

        int executions() {
            return steps.values().stream().mapToInt(StepReport::executions).sum();
        }

        SortedSet<String> in(StepState state) {
            TreeSet<String> names = new TreeSet<>();
            steps.values().stream().filter(s -> s.state() == state).forEach(s -> names.add(s.step()));
            return names;
        }
    }

    /** A build request as the API receives it, the commit already resolved into its graph. */
    record BuildRequest(String tenant, Priority priority, String commit, Graph graph, String target) {
    }

    // tag::build[]
    /** One build's state. Every change happens under the build's lock; workers call in when a step ends. */
    static final class Build {
        final int id;
        final BuildRequest request;
        private final AtomicLong events;                        // shared sequence: start/done order
        private final Map<String, Integer> waitingOn = new HashMap<>();
        private final Map<String, StepState> state = new HashMap<>();
        private final Map<String, String> outputs = new HashMap<>();
        private final Map<String, int[]> counts = new HashMap<>(); // executions, retries, lease expiries
        private final Map<String, long[]> times = new HashMap<>(); // first start, done
        private final List<String> log = new ArrayList<>();
        private final CompletableFuture<BuildResult> result = new CompletableFuture<>();
        private volatile boolean cancelled;
        private long cancelledAt;
        private int inFlight;                                    // tasks queued or running

        Build(int id, BuildRequest request, AtomicLong events) {
            this.id = id;
            this.request = request;
            this.events = events;
            for (String s : request.graph().order()) {
                waitingOn.put(s, request.graph().step(s).deps().size());
                state.put(s, StepState.PENDING);
                counts.put(s, new int[3]);
                times.put(s, new long[2]);
            }
        }

        synchronized List<Task> start() {
            List<Task> ready = new ArrayList<>();
            for (String s : request.graph().order()) {
                if (waitingOn.get(s) == 0) {
                    ready.add(enqueue(s, 1));
                }
            }
            return ready;
        }

        private Task enqueue(String step, int attempt) {
            inFlight++;
            state.put(step, StepState.QUEUED);
            return new Task(request.tenant(), request.priority(), this, step, attempt);
        }

        /** A worker took the task: false if the build was cancelled meanwhile, and the task is dropped. */
        synchronized boolean begin(Task task) {
            if (cancelled) {
                state.put(task.step(), StepState.CANCELLED);
                settle();
                return false;
            }
            state.put(task.step(), StepState.RUNNING);
            long[] t = times.get(task.step());
            if (t[0] == 0) {
                t[0] = events.incrementAndGet();
            }
            return true;
        }

        synchronized SortedMap<String, String> depOutputHashes(Step step) {
            SortedMap<String, String> hashes = new TreeMap<>();
            for (String d : step.deps()) {
                if (outputs.containsKey(d)) {
                    hashes.put(d, outputs.get(d));
                }
            }
            return hashes;
        }

        synchronized void executing(Task task) {
            counts.get(task.step())[0]++;
        }

        // tag::finish[]
        /** Records how a step ended and returns the tasks that became ready: dependents, or a retry. */
        synchronized List<Task> finish(Task task, String outputHash, boolean cached, StepFailure failure,
                                       RetryPolicy retry) {
            String step = task.step();
            List<Task> next = new ArrayList<>();
            if (failure == null) {
                state.put(step, cached ? StepState.CACHED : StepState.SUCCEEDED);
                outputs.put(step, outputHash);
                times.get(step)[1] = events.incrementAndGet();
                log(step, (cached ? "cache hit " : "built ") + outputHash.substring(0, 12));
                for (String d : request.graph().dependents(step)) {
                    if (waitingOn.merge(d, -1, Integer::sum) == 0 && !cancelled) {
                        next.add(enqueue(d, 1));
                    }
                }
            } else if (failure.kind == FailureKind.TRANSIENT && task.attempt() < retry.maxAttempts() && !cancelled) {
                counts.get(step)[1]++;
                long delay = retry.backoffMillis(task.attempt(), (long) task.id().hashCode() * 31 + task.attempt());
                log(step, "attempt " + task.attempt() + " failed (" + failure.getMessage() + "), retry after "
                        + delay + " ms");
                next.add(enqueue(step, task.attempt() + 1)); // production: invisible until the delay passes
            } else {
                state.put(step, failure.kind == FailureKind.CANCELLED ? StepState.CANCELLED : StepState.FAILED);
                log(step, failure.kind.name().toLowerCase(Locale.ROOT) + ": " + failure.getMessage());
            }
            settle();
            return next;
        }

        /** The reaper found this task's lease expired: its worker is presumed dead. Queue it again. */
        synchronized List<Task> leaseExpired(Task task, RetryPolicy retry) {
            counts.get(task.step())[2]++;
            log(task.step(), "lease expired on attempt " + task.attempt());
            if (task.attempt() < retry.maxAttempts() && !cancelled) {
                inFlight--;
                return List.of(enqueue(task.step(), task.attempt() + 1));
            }
            state.put(task.step(), cancelled ? StepState.CANCELLED : StepState.FAILED);
            settle();
            return List.of();
        }

        // end::finish[]

        synchronized void cancel() {
            if (!cancelled && !result.isDone()) {
                cancelled = true;
                cancelledAt = events.incrementAndGet();
                log("build", "cancel requested");
            }
        }

        boolean isCancelled() {
            return cancelled;
        }

        /** One task fewer in flight; when none is left the build is over and its result is published. */
        private void settle() {
            if (--inFlight > 0) {
                return;
            }
            for (Map.Entry<String, StepState> e : state.entrySet()) {
                if (e.getValue() == StepState.PENDING || e.getValue() == StepState.QUEUED) {
                    e.setValue(cancelled ? StepState.CANCELLED : StepState.SKIPPED);
                }
            }
            BuildStatus status = cancelled ? BuildStatus.CANCELLED
                    : state.containsValue(StepState.FAILED) ? BuildStatus.FAILED : BuildStatus.SUCCEEDED;
            result.complete(new BuildResult(id, request.priority(), status, outputs.get(request.target()), reports(),
                    cancelledAt, orderHeld()));
        }

        /** Every step that started did so after each of its dependencies was done. */
        private boolean orderHeld() {
            for (String s : request.graph().order()) {
                long started = times.get(s)[0];
                for (String d : request.graph().step(s).deps()) {
                    long depDone = times.get(d)[1];
                    if (started != 0 && (depDone == 0 || depDone > started)) {
                        return false;
                    }
                }
            }
            return true;
        }

        private SortedMap<String, StepReport> reports() {
            SortedMap<String, StepReport> out = new TreeMap<>();
            for (String s : request.graph().order()) {
                int[] c = counts.get(s);
                long[] t = times.get(s);
                out.put(s, new StepReport(s, state.get(s), c[0], c[1], c[2], outputs.get(s), t[0], t[1]));
            }
            return out;
        }

        private void log(String step, String line) {
            log.add(step + ": " + line);
        }

        synchronized List<String> logs(int from) {
            return List.copyOf(log.subList(Math.min(from, log.size()), log.size()));
        }

        synchronized BuildStatus status() {
            return result.isDone() ? result.join().status() : BuildStatus.RUNNING;
        }

        BuildResult await() throws Exception {
            return result.get(60, TimeUnit.SECONDS);       // a hang guard, never reached in a good run
        }
    }
    // end::build[]

    /* --------------- The service: API, workers, reaper --------------- */

    /** Thrown by a test tool to play a worker that dies mid-step: it stops, reports nothing, keeps its lease. */
    static final class WorkerCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WorkerCrash() {
            super("worker died", null, false, false);
        }
    }

    // tag::service[]
    /** The API (submit, status, cancel, logs), the worker pool and the lease reaper. */
    static final class Service implements AutoCloseable {
        private final ReadyQueue queue = new ReadyQueue();
        private final LeaseTable leases;
        private final ContentStore cas;
        private final ActionCache actionCache;
        private final Tool tool;
        private final RetryPolicy retry;
        private final ExecutorService workers;
        private final AtomicLong events = new AtomicLong();
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, Build> builds = new ConcurrentHashMap<>();

        Service(int workerCount, Tool tool, RetryPolicy retry, ManualClock clock, long leaseMillis,
                ContentStore cas, ActionCache actionCache) {
            this.tool = tool;
            this.retry = retry;
            this.cas = cas;
            this.actionCache = actionCache;
            this.leases = new LeaseTable(clock, leaseMillis);
            this.workers = Executors.newFixedThreadPool(workerCount);
            for (int w = 1; w <= workerCount; w++) {
                String name = "worker-" + w;
                workers.execute(() -> workLoop(name));
            }
        }

        Build submit(BuildRequest request) {
            Build build = new Build(ids.incrementAndGet(), request, events);
            builds.put(build.id, build);
            build.start().forEach(queue::offer);
            return build;
        }

        BuildStatus status(int buildId) {
            return builds.get(buildId).status();
        }

        void cancel(int buildId) {
            builds.get(buildId).cancel();
        }

        List<String> logs(int buildId, int fromLine) {
            return builds.get(buildId).logs(fromLine);
        }

        /** Run periodically in production; here the caller runs it after moving the clock. */
        int reapExpiredLeases() {
            List<LeaseTable.Lease> expired = leases.reapExpired();
            for (LeaseTable.Lease lease : expired) {
                lease.task().build().leaseExpired(lease.task(), retry).forEach(queue::offer);
            }
            return expired.size();
        }

        // tag::worker[]
        private void workLoop(String worker) {
            try {
                for (Task task = queue.take(); task != null; task = queue.take()) {
                    Build build = task.build();
                    if (!build.begin(task)) {
                        continue;
                    }
                    LeaseTable.Lease[] lease = {leases.grant(task, worker)};
                    StepContext context = new StepContext() {
                        public boolean cancelled() {
                            return build.isCancelled();
                        }

                        public boolean heartbeat() {
                            Optional<LeaseTable.Lease> renewed = leases.heartbeat(lease[0]);
                            renewed.ifPresent(l -> lease[0] = l);
                            return renewed.isPresent();
                        }
                    };
                    List<Task> next;
                    try {
                        next = runStep(build, task, context);
                    } catch (WorkerCrash dead) {
                        continue;                                // no report, no release: the lease will expire
                    }
                    if (leases.complete(lease[0])) {             // fenced: a stale attempt reports nothing
                        next.forEach(queue::offer);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Cache lookup, else execute, upload the output to the CAS, then record the action result. */
        private List<Task> runStep(Build build, Task task, StepContext context) {
            Step step = build.request.graph().step(task.step());
            SortedMap<String, String> depHashes = build.depOutputHashes(step);
            String key = actionKey(step, depHashes);
            Optional<String> hit = actionCache.get(key).filter(cas::contains);
            if (hit.isPresent()) {
                return build.finish(task, hit.get(), true, null, retry);
            }
            if (context.cancelled()) {
                return build.finish(task, null, false, new StepFailure(FailureKind.CANCELLED, "before start"), retry);
            }
            SortedMap<String, byte[]> depOutputs = new TreeMap<>();
            depHashes.forEach((dep, hash) -> depOutputs.put(dep, cas.get(hash).orElseThrow()));
            build.executing(task);
            try {
                byte[] output = tool.run(step, depOutputs, context);
                String outputHash = cas.put(output);           // the blob first ...
                actionCache.put(key, outputHash);              // ... then the entry that points at it
                return build.finish(task, outputHash, false, null, retry);
            } catch (StepFailure failure) {
                return build.finish(task, null, false, failure, retry);
            }
        }

        // end::worker[]

        @Override
        public void close() {
            queue.close();
            workers.shutdown();
            try {
                if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("workers did not stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
    // end::service[]

    /* --------------- Fault injection and a sequential oracle --------------- */

    /**
     * Wraps a tool with scripted faults: transient failures for a step, a worker that dies in a step, a
     * gate that holds a step until released. It also counts the tool's real invocations per step.
     */
    static final class Faults implements Tool {
        private final Tool inner;
        private final Map<String, AtomicInteger> transientLeft = new ConcurrentHashMap<>();
        private final Map<String, CountDownLatch> crashOnce = new ConcurrentHashMap<>();
        private final Map<String, CountDownLatch[]> gates = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();

        Faults(Tool inner) {
            this.inner = inner;
        }

        void failTransiently(String step, int times) {
            transientLeft.put(step, new AtomicInteger(times));
        }

        void crashOnce(String step, CountDownLatch crashed) {
            crashOnce.put(step, crashed);
        }

        /** The step counts down {@code entered}, then waits for {@code release} before running. */
        void gate(String step, CountDownLatch entered, CountDownLatch release) {
            gates.put(step, new CountDownLatch[] {entered, release});
        }

        int invocations(String step) {
            return invocations.getOrDefault(step, new AtomicInteger()).get();
        }

        int invocations() {
            return invocations.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        void resetCounts() {
            invocations.clear();
        }

        @Override
        public byte[] run(Step step, SortedMap<String, byte[]> depOutputs, StepContext context) throws StepFailure {
            invocations.computeIfAbsent(step.name(), s -> new AtomicInteger()).incrementAndGet();
            CountDownLatch[] gate = gates.remove(step.name());
            if (gate != null) {
                gate[0].countDown();
                awaitQuietly(gate[1]);
                if (context.cancelled()) {
                    throw new StepFailure(FailureKind.CANCELLED, "stopped by cancel");
                }
            }
            CountDownLatch crashed = crashOnce.remove(step.name());
            if (crashed != null) {
                crashed.countDown();
                throw new WorkerCrash();
            }
            AtomicInteger left = transientLeft.get(step.name());
            if (left != null && left.getAndDecrement() > 0) {
                throw new StepFailure(FailureKind.TRANSIENT, "connection reset fetching a dependency");
            }
            return inner.run(step, depOutputs, context);
        }
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The target's artifact hash computed the plain way: one step at a time, in topological order, no cache. */
    static String sequentialBuild(Graph graph, String target, Tool tool) throws StepFailure {
        Map<String, byte[]> outputs = new HashMap<>();
        StepContext none = new StepContext() {
            public boolean cancelled() {
                return false;
            }

            public boolean heartbeat() {
                return true;
            }
        };
        for (String name : graph.order()) {
            Step step = graph.step(name);
            SortedMap<String, byte[]> deps = new TreeMap<>();
            step.deps().forEach(d -> deps.put(d, outputs.get(d)));
            outputs.put(name, tool.run(step, deps, none));
        }
        return sha256(outputs.get(target));
    }

    /* --------------- The demo --------------- */

    // tag::graph[]
    static Step step(String name, String command, List<String> deps, String... pathsAndContents) {
        TreeMap<String, String> sources = new TreeMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            sources.put(pathsAndContents[i], pathsAndContents[i + 1]);
        }
        return new Step(name, command, "jdk-21.0.4", sources, deps);
    }

    /** A small service: generated API code, two libraries, an app, tests, a link and a package step. */
    static Graph demoGraph() {
        return new Graph(List.of(
                step("gen-proto", "protoc --java_out", List.of(), "proto/api.proto", "message Order { int64 id = 1; }"),
                step("compile-util", "javac", List.of(), "util/Strings.java", "class Strings { }"),
                step("compile-json", "javac", List.of("compile-util"), "json/Json.java", "class Json { }"),
                step("compile-api", "javac", List.of("gen-proto", "compile-json"), "api/Client.java", "class Client { }"),
                step("compile-app", "javac", List.of("compile-api", "compile-util"), "app/Main.java", "class Main { }"),
                step("test-util", "junit", List.of("compile-util"), "util/StringsTest.java", "class StringsTest { }"),
                step("test-json", "junit", List.of("compile-json"), "json/JsonTest.java", "class JsonTest { }"),
                step("link", "jar", List.of("compile-app")),
                step("package", "jlink", List.of("link", "test-util", "test-json"))));
    }
    // end::graph[]

    public static void main(String[] args) throws Exception {
        ManualClock clock = new ManualClock();
        ContentStore cas = new ContentStore();
        ActionCache actionCache = new ActionCache();
        Faults tool = new Faults(HERMETIC_TOOL);
        RetryPolicy retry = new RetryPolicy(3, 200, 10_000);
        long leaseMillis = 30_000;
        Graph v1 = demoGraph();
        String target = "package";
        List<String[]> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        try (Service service = new Service(4, tool, retry, clock, leaseMillis, cas, actionCache)) {
            // tag::demo[]
            // 1. Cold cache. compile-json fails transiently once; the worker running package dies.
            tool.failTransiently("compile-json", 1);
            CountDownLatch crashed = new CountDownLatch(1);
            tool.crashOnce("package", crashed);
            Build first = service.submit(new BuildRequest("web", Priority.RELEASE, "c1", v1, target));
            awaitQuietly(crashed);                 // package is the last step, so it runs alone
            clock.advance(leaseMillis + 1);        // no heartbeat arrives: the lease runs out
            int reaped = service.reapExpiredLeases();
            BuildResult r1 = first.await();

            // 2. The same commit again: every step is an action-cache hit.
            BuildResult r2 = service.submit(new BuildRequest("web", Priority.PRESUBMIT, "c1", v1, target)).await();

            // 3. One source changed: exactly its step and everything downstream re-run.
            Graph v2 = v1.withSource("compile-app", "app/Main.java", "class Main { void run() { } }");
            BuildResult r3 = service.submit(new BuildRequest("web", Priority.PRESUBMIT, "c2", v2, target)).await();

            // 4. A comment-only edit: compile-util re-runs, yields the same bytes, dependents hit (early cutoff).
            Graph v3 = v2.withSource("compile-util", "util/Strings.java", "// utilities\nclass Strings { }");
            BuildResult r4 = service.submit(new BuildRequest("web", Priority.NIGHTLY, "c3", v3, target)).await();

            // 5. A compile error: deterministic, so no retry; dependents are skipped, the rest still finish.
            Graph v4 = v3.withSource("compile-json", "json/Json.java", "class Json { syntax error }");
            BuildResult r5 = service.submit(new BuildRequest("mobile", Priority.PRESUBMIT, "c4", v4, target)).await();

            // 6. Cancel while the two first steps run: running steps are told, nothing new starts.
            Graph v5 = v3.withSource("gen-proto", "proto/api.proto", "message Order { int64 id = 1; string sku = 2; }")
                    .withSource("compile-util", "util/Strings.java", "class Strings { static String trim() { } }");
            CountDownLatch entered = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            tool.gate("gen-proto", entered, release);
            tool.gate("compile-util", entered, release);
            Build sixth = service.submit(new BuildRequest("web", Priority.NIGHTLY, "c5", v5, target));
            awaitQuietly(entered);                 // both are running, so no other step is ready yet
            service.cancel(sixth.id);
            release.countDown();
            BuildResult r6 = sixth.await();
            // end::demo[]

            rows.add(row(r1, "c1 cold cache, flaky step, dead worker"));
            rows.add(row(r2, "c1 again"));
            rows.add(row(r3, "c2 app/Main.java edited"));
            rows.add(row(r4, "c3 comment added to util/Strings.java"));
            rows.add(row(r5, "c4 syntax error in json/Json.java"));
            rows.add(row(r6, "c5 two roots edited, then cancelled"));

            notes.add("leases reaped after the worker died: " + reaped);
            notes.add("build 1 artifact = sequential rebuild: " + r1.artifact().equals(sequentialBuild(v1, target, HERMETIC_TOOL))
                    + "; build 2 artifact = build 1: " + r2.artifact().equals(r1.artifact()));
            notes.add("build 3 re-ran " + r3.in(StepState.SUCCEEDED) + " = downstream of compile-app: "
                    + r3.in(StepState.SUCCEEDED).equals(v2.downstream("compile-app"))
                    + "; artifact = sequential rebuild: " + r3.artifact().equals(sequentialBuild(v2, target, HERMETIC_TOOL)));
            notes.add("build 4 re-ran " + r4.in(StepState.SUCCEEDED) + ", artifact unchanged: " + r4.artifact().equals(r3.artifact()));
            notes.add("build 5 failed " + r5.in(StepState.FAILED) + " after " + r5.steps().get("compile-json").executions()
                    + " attempt; skipped " + r5.in(StepState.SKIPPED));
            long startedAfterCancel = r6.steps().values().stream().filter(s -> s.started() > r6.cancelledAt()).count();
            notes.add("build 6 steps started after the cancel: " + startedAfterCancel + "; cancelled while running: "
                    + r6.in(StepState.CANCELLED).stream().filter(s -> r6.steps().get(s).started() != 0).toList());
            notes.add("every step started after its dependencies finished, in all builds: "
                    + List.of(r1, r2, r3, r4, r5, r6).stream().allMatch(BuildResult::orderHeld));
            notes.add("stores: " + cas.size() + " blobs in the CAS, " + actionCache.size() + " action-cache entries");
        }

        // tag::queue-demo[]
        ReadyQueue queue = new ReadyQueue();
        queue.offer(new Task("mobile", Priority.PRESUBMIT, null, "m1", 1));
        queue.offer(new Task("mobile", Priority.PRESUBMIT, null, "m2", 1));
        queue.offer(new Task("mobile", Priority.PRESUBMIT, null, "m3", 1));
        queue.offer(new Task("infra", Priority.NIGHTLY, null, "n1", 1));
        queue.offer(new Task("web", Priority.PRESUBMIT, null, "w1", 1));
        queue.offer(new Task("web", Priority.RELEASE, null, "r1", 1));
        // end::queue-demo[]
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Task t = queue.take();
            taken.add(t.priority().name().toLowerCase(Locale.ROOT) + "/" + t.tenant() + "/" + t.step());
        }

        System.out.println(String.format(Locale.ROOT, "%-2s %-9s %-38s %-9s %3s %4s %7s %7s  %s",
                "#", "priority", "commit, what changed", "status", "ran", "hits", "retries", "expired", "artifact"));
        rows.forEach(r -> System.out.println(String.format(Locale.ROOT, "%-2s %-9s %-38s %-9s %3s %4s %7s %7s  %s",
                (Object[]) r).stripTrailing()));
        notes.forEach(System.out::println);
        System.out.println("queue order: " + String.join(", ", taken));
    }

    private static String[] row(BuildResult r, String commit) {
        return new String[] {
                String.valueOf(r.id()), r.priority().name(), commit, r.status().name(),
                String.valueOf(r.count(StepState.SUCCEEDED)), String.valueOf(r.count(StepState.CACHED)),
                String.valueOf(r.retries()), String.valueOf(r.leaseExpiries()),
                r.artifact() == null ? "-" : r.artifact().substring(0, 12)};
    }
}
