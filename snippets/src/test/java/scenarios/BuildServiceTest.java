import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link BuildService} to the page's claims with real worker threads: steps start only after their
 * dependencies finish, identical inputs are built once, a change re-runs exactly its downstream closure,
 * the artifact equals a plain sequential build, transient failures are retried and deterministic ones are
 * not, a dead worker's step is retried after its lease expires, and a cancelled build starts nothing new.
 * Tool invocations are counted by the fault-injecting wrapper, independently of the service's own counts.
 */
class BuildServiceTest {

    private static final String TARGET = "package";
    private static final long LEASE = 30_000;

    private final BuildService.ManualClock clock = new BuildService.ManualClock();
    private final BuildService.Faults tool = new BuildService.Faults(BuildService.HERMETIC_TOOL);

    private final BuildService.ContentStore cas = new BuildService.ContentStore();
    private final BuildService.ActionCache actionCache = new BuildService.ActionCache();

    private BuildService.Service service(int workers) {
        return new BuildService.Service(workers, tool, new BuildService.RetryPolicy(3, 200, 10_000), clock, LEASE,
                cas, actionCache);
    }

    private static BuildService.BuildRequest request(BuildService.Graph graph, String target) {
        return new BuildService.BuildRequest("web", BuildService.Priority.PRESUBMIT, "c", graph, target);
    }

    /** The artifact hash computed here, without the service: topological order, one step at a time. */
    private static String oracle(BuildService.Graph graph, String target) throws Exception {
        return BuildService.sequentialBuild(graph, target, BuildService.HERMETIC_TOOL);
    }

    /** Checks start/done order from the step reports themselves, not from the build's own flag. */
    private static void assertStartedAfterDependencies(BuildService.Graph graph, BuildService.BuildResult r) {
        for (BuildService.StepReport s : r.steps().values()) {
            if (s.started() == 0) {
                continue;
            }
            for (String dep : graph.step(s.step()).deps()) {
                long depDone = r.steps().get(dep).done();
                assertTrue(depDone != 0 && depDone < s.started(),
                        s.step() + " started at " + s.started() + " before " + dep + " was done (" + depDone + ")");
            }
        }
        assertTrue(r.orderHeld());
    }

    /** A random DAG: step i depends on a few earlier steps, so every seed gives a valid, different graph. */
    private static BuildService.Graph randomGraph(SplittableRandom random, int size, String salt) {
        List<BuildService.Step> steps = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<String> deps = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (random.nextInt(100) < 20) {
                    deps.add(String.format("s%02d", j));
                }
            }
            steps.add(BuildService.step(String.format("s%02d", i), "cc " + salt, deps, "src/" + i + ".c", "int f" + i + ";"));
        }
        return new BuildService.Graph(steps);
    }

    private static String sink(BuildService.Graph graph) {
        List<String> order = graph.order();
        return order.get(order.size() - 1);
    }

    // ---------------------------------------------------------------- order

    @Test
    void everyStepStartsAfterItsDependenciesAcrossManyConcurrentBuilds() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        try (BuildService.Service service = service(4)) {
            List<BuildService.Graph> graphs = new ArrayList<>();
            List<BuildService.Build> builds = new ArrayList<>();
            for (int run = 0; run < 40; run++) {
                BuildService.Graph g = randomGraph(random, 24, "run" + run);  // distinct commands: no cache hits
                graphs.add(g);
                BuildService.Priority p = BuildService.Priority.values()[run % 3];
                builds.add(service.submit(new BuildService.BuildRequest("t" + run % 5, p, "c" + run, g, sink(g))));
            }
            for (int run = 0; run < builds.size(); run++) {
                BuildService.Graph g = graphs.get(run);
                BuildService.BuildResult r = builds.get(run).await();
                assertEquals(BuildService.BuildStatus.SUCCEEDED, r.status());
                assertEquals(24, r.count(BuildService.StepState.SUCCEEDED));
                assertStartedAfterDependencies(g, r);
                assertEquals(oracle(g, sink(g)), r.artifact(), "run " + run);
            }
        }
    }

    @Test
    void topologicalOrderPutsDependenciesFirstAndRejectsCycles() {
        BuildService.Graph g = BuildService.demoGraph();
        List<String> order = g.order();
        for (String s : order) {
            for (String d : g.step(s).deps()) {
                assertTrue(order.indexOf(d) < order.indexOf(s), d + " before " + s);
            }
        }
        assertThrowsIllegal(() -> new BuildService.Graph(List.of(
                BuildService.step("a", "x", List.of("b")), BuildService.step("b", "x", List.of("a")))));
        assertThrowsIllegal(() -> new BuildService.Graph(List.of(BuildService.step("a", "x", List.of("missing")))));
    }

    private static void assertThrowsIllegal(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError("expected IllegalArgumentException");
    }

    // ---------------------------------------------------------------- cache

    @Test
    void aSecondIdenticalBuildExecutesNothing() throws Exception {
        BuildService.Graph g = BuildService.demoGraph();
        try (BuildService.Service service = service(4)) {
            BuildService.BuildResult first = service.submit(request(g, TARGET)).await();
            assertEquals(9, tool.invocations());
            tool.resetCounts();
            BuildService.BuildResult second = service.submit(request(g, TARGET)).await();
            assertEquals(0, tool.invocations());
            assertEquals(0, second.executions());
            assertEquals(9, second.count(BuildService.StepState.CACHED));
            assertEquals(first.artifact(), second.artifact());
            assertEquals(oracle(g, TARGET), second.artifact());
        }
    }

    @Test
    void changingOneSourceReRunsExactlyItsDownstreamClosure() throws Exception {
        BuildService.Graph g = BuildService.demoGraph();
        try (BuildService.Service service = service(4)) {
            service.submit(request(g, TARGET)).await();
            int edit = 0;
            for (String changed : g.order()) {
                BuildService.Step step = g.step(changed);
                if (step.sources().isEmpty()) {
                    continue;
                }
                String path = step.sources().firstKey();
                g = g.withSource(changed, path, "edit " + (++edit) + " of " + path);
                tool.resetCounts();
                BuildService.BuildResult r = service.submit(request(g, TARGET)).await();
                TreeSet<String> executed = new TreeSet<>();
                for (String s : g.order()) {
                    if (tool.invocations(s) > 0) {
                        executed.add(s);
                    }
                }
                assertEquals(g.downstream(changed), executed, "after editing " + path);
                assertEquals(executed, r.in(BuildService.StepState.SUCCEEDED));
                assertEquals(oracle(g, TARGET), r.artifact(), "after editing " + path);
            }
            assertEquals(7, edit);
        }
    }

    @Test
    void anOutputThatDidNotChangeStopsTheRebuild() throws Exception {
        BuildService.Graph g = BuildService.demoGraph();
        try (BuildService.Service service = service(4)) {
            BuildService.BuildResult before = service.submit(request(g, TARGET)).await();
            BuildService.Graph commented = g.withSource("compile-util", "util/Strings.java", "// a comment\nclass Strings { }");
            tool.resetCounts();
            BuildService.BuildResult after = service.submit(request(commented, TARGET)).await();
            assertEquals(1, tool.invocations());
            assertEquals(1, tool.invocations("compile-util"));
            assertEquals(before.artifact(), after.artifact());
            // a new action-cache entry, but no new blob: a different key produced the same bytes
            assertEquals(10, actionCache.size());
            assertEquals(9, cas.size());
        }
    }

    @Test
    void theActionKeyCoversCommandToolchainSourcesAndDependencyOutputs() {
        BuildService.Step s = BuildService.step("s", "javac", List.of("d"), "A.java", "class A { }");
        SortedMap<String, String> deps = new TreeMap<>(Map.of("d", "aaaa"));
        String key = BuildService.actionKey(s, deps);
        assertEquals(key, BuildService.actionKey(BuildService.step("s", "javac", List.of("d"), "A.java", "class A { }"), deps));
        assertNotEquals(key, BuildService.actionKey(BuildService.step("s", "javac -g", List.of("d"), "A.java", "class A { }"), deps));
        assertNotEquals(key, BuildService.actionKey(new BuildService.Step("s", "javac", "jdk-22", s.sources(), s.deps()), deps));
        assertNotEquals(key, BuildService.actionKey(s.withSource("A.java", "class A { int x; }"), deps));
        assertNotEquals(key, BuildService.actionKey(s.withSource("B.java", "class A { }"), deps));
        assertNotEquals(key, BuildService.actionKey(s, new TreeMap<>(Map.of("d", "bbbb"))));
    }

    @Test
    void theContentStoreKeepsOneCopyPerContent() {
        BuildService.ContentStore cas = new BuildService.ContentStore();
        String h1 = cas.put("same".getBytes(StandardCharsets.UTF_8));
        String h2 = cas.put("same".getBytes(StandardCharsets.UTF_8));
        assertEquals(h1, h2);
        assertEquals(1, cas.size());
        assertEquals(BuildService.sha256("same"), h1);
    }

    // ---------------------------------------------------------------- failures

    @Test
    void aTransientFailureIsRetriedOnceAndThenSucceeds() throws Exception {
        BuildService.Graph g = BuildService.demoGraph();
        tool.failTransiently("compile-json", 1);
        try (BuildService.Service service = service(4)) {
            BuildService.Build build = service.submit(request(g, TARGET));
            BuildService.BuildResult r = build.await();
            assertEquals(BuildService.BuildStatus.SUCCEEDED, r.status());
            assertEquals(2, tool.invocations("compile-json"));
            assertEquals(2, r.steps().get("compile-json").executions());
            assertEquals(1, r.steps().get("compile-json").retries());
            assertEquals(1, r.retries());
            assertEquals(oracle(g, TARGET), r.artifact());
            assertTrue(service.logs(build.id, 0).stream().anyMatch(l -> l.startsWith("compile-json: attempt 1 failed")));
        }
    }

    @Test
    void aTransientFailureThatOutlastsTheRetriesFailsTheBuild() throws Exception {
        tool.failTransiently("compile-json", 10);
        try (BuildService.Service service = service(4)) {
            BuildService.BuildResult r = service.submit(request(BuildService.demoGraph(), TARGET)).await();
            assertEquals(BuildService.BuildStatus.FAILED, r.status());
            assertEquals(3, tool.invocations("compile-json"));     // maxAttempts
        }
    }

    @Test
    void aDeterministicFailureFailsFastAndItsDependentsNeverRun() throws Exception {
        BuildService.Graph g = BuildService.demoGraph().withSource("compile-json", "json/Json.java", "syntax error");
        try (BuildService.Service service = service(4)) {
            BuildService.BuildResult r = service.submit(request(g, TARGET)).await();
            assertEquals(BuildService.BuildStatus.FAILED, r.status());
            assertEquals(1, tool.invocations("compile-json"));
            assertEquals(0, r.steps().get("compile-json").retries());
            TreeSet<String> dependents = new TreeSet<>(g.downstream("compile-json"));
            dependents.remove("compile-json");
            assertEquals(dependents, r.in(BuildService.StepState.SKIPPED));
            for (String d : dependents) {
                assertEquals(0, tool.invocations(d), d);
                assertEquals(0, r.steps().get(d).started(), d);
            }
            // independent steps still finish (keep going): their outputs are cached for the next build
            assertEquals(new TreeSet<>(List.of("compile-util", "gen-proto", "test-util")), r.in(BuildService.StepState.SUCCEEDED));
            assertEquals(null, r.artifact());
        }
    }

    @Test
    void aDeadWorkersStepIsRetriedWhenItsLeaseExpires() throws Exception {
        BuildService.Graph g = BuildService.demoGraph();
        CountDownLatch crashed = new CountDownLatch(1);
        tool.crashOnce(TARGET, crashed);                           // the last step: it runs alone
        try (BuildService.Service service = service(4)) {
            BuildService.Build build = service.submit(request(g, TARGET));
            BuildService.awaitQuietly(crashed);
            assertEquals(0, service.reapExpiredLeases());          // the lease has not run out yet
            assertEquals(BuildService.BuildStatus.RUNNING, service.status(build.id));
            clock.advance(LEASE);
            assertEquals(1, service.reapExpiredLeases());
            BuildService.BuildResult r = build.await();
            assertEquals(BuildService.BuildStatus.SUCCEEDED, r.status());
            assertEquals(2, tool.invocations(TARGET));
            assertEquals(1, r.leaseExpiries());
            assertEquals(oracle(g, TARGET), r.artifact());
        }
    }

    @Test
    void aHeartbeatKeepsALongStepsLease() throws Exception {
        BuildService.Graph g = new BuildService.Graph(List.of(BuildService.step("long", "slow-test", List.of(), "t", "x")));
        CountDownLatch[] phases = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        boolean[] held = new boolean[1];
        BuildService.Tool slow = (step, deps, context) -> {
            phases[0].countDown();                                 // running
            BuildService.awaitQuietly(phases[1]);                  // the test moved the clock 20 s
            held[0] = context.heartbeat();
            phases[2].countDown();                                 // renewed
            BuildService.awaitQuietly(phases[3]);                  // the test moved it 20 s more and reaped
            return new byte[] {1};
        };
        try (BuildService.Service service = new BuildService.Service(2, slow, new BuildService.RetryPolicy(3, 200, 10_000),
                clock, LEASE, new BuildService.ContentStore(), new BuildService.ActionCache())) {
            BuildService.Build build = service.submit(request(g, "long"));
            BuildService.awaitQuietly(phases[0]);
            clock.advance(20_000);
            phases[1].countDown();
            BuildService.awaitQuietly(phases[2]);
            clock.advance(20_000);                                 // 40 s after the grant, 20 s after the heartbeat
            assertEquals(0, service.reapExpiredLeases());
            phases[3].countDown();
            BuildService.BuildResult r = build.await();
            assertTrue(held[0]);
            assertEquals(BuildService.BuildStatus.SUCCEEDED, r.status());
            assertEquals(0, r.leaseExpiries());
        }
    }

    @Test
    void anExpiredLeaseIsFencedOffByTheNextAttempt() {
        BuildService.LeaseTable leases = new BuildService.LeaseTable(clock, LEASE);
        BuildService.Build build = new BuildService.Build(1, request(BuildService.demoGraph(), TARGET), new java.util.concurrent.atomic.AtomicLong());
        BuildService.Task first = new BuildService.Task("web", BuildService.Priority.PRESUBMIT, build, "link", 1);
        BuildService.LeaseTable.Lease old = leases.grant(first, "worker-1");
        clock.advance(LEASE - 1);
        assertTrue(leases.reapExpired().isEmpty());
        clock.advance(1);
        assertEquals(List.of(old), leases.reapExpired());
        BuildService.LeaseTable.Lease next = leases.grant(new BuildService.Task("web", BuildService.Priority.PRESUBMIT, build, "link", 2), "worker-2");
        assertTrue(leases.heartbeat(old).isEmpty(), "the presumed-dead worker may not renew");
        assertFalse(leases.complete(old), "nor report a result");
        assertTrue(leases.complete(next));
    }

    // ---------------------------------------------------------------- cancellation

    @Test
    void aCancelledBuildStartsNoNewSteps() throws Exception {
        BuildService.Graph chain = new BuildService.Graph(List.of(
                BuildService.step("a", "cc", List.of(), "a.c", "a"),
                BuildService.step("b", "cc", List.of("a"), "b.c", "b"),
                BuildService.step("c", "cc", List.of("b"), "c.c", "c")));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        tool.gate("a", entered, release);
        try (BuildService.Service service = service(4)) {
            BuildService.Build build = service.submit(request(chain, "c"));
            BuildService.awaitQuietly(entered);
            service.cancel(build.id);
            release.countDown();
            BuildService.BuildResult r = build.await();
            assertEquals(BuildService.BuildStatus.CANCELLED, r.status());
            assertEquals(0, tool.invocations("b"));
            assertEquals(0, tool.invocations("c"));
            assertEquals(new TreeSet<>(List.of("a", "b", "c")), r.in(BuildService.StepState.CANCELLED));
            assertTrue(r.steps().values().stream().allMatch(s -> s.started() < r.cancelledAt()));
            assertTrue(service.logs(build.id, 0).contains("build: cancel requested"));
        }
    }

    @Test
    void aCancelDropsQueuedStepsOfAWideBuild() throws Exception {
        // 1 worker, held by a gate in one of 6 independent roots: the other 5 are queued when the cancel lands.
        List<BuildService.Step> steps = new ArrayList<>();
        List<String> roots = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            steps.add(BuildService.step("r" + i, "cc", List.of(), "r" + i + ".c", "r" + i));
            roots.add("r" + i);
        }
        steps.add(BuildService.step("top", "ld", roots));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        tool.gate("r0", entered, release);
        try (BuildService.Service service = service(1)) {
            BuildService.Build build = service.submit(request(new BuildService.Graph(steps), "top"));
            BuildService.awaitQuietly(entered);
            service.cancel(build.id);
            release.countDown();
            BuildService.BuildResult r = build.await();
            assertEquals(BuildService.BuildStatus.CANCELLED, r.status());
            assertEquals(1, tool.invocations());
            assertEquals(7, r.count(BuildService.StepState.CANCELLED));
            for (BuildService.StepReport step : r.steps().values()) {
                assertTrue(step.started() < r.cancelledAt(), step.step() + " started after the cancel");
            }
        }
    }

    // ---------------------------------------------------------------- the queue

    @Test
    void theQueueServesPriorityThenTenantsInTurn() throws Exception {
        BuildService.ReadyQueue queue = new BuildService.ReadyQueue();
        for (int i = 0; i < 100; i++) {
            queue.offer(new BuildService.Task("big", BuildService.Priority.PRESUBMIT, null, "b" + i, 1));
        }
        queue.offer(new BuildService.Task("small", BuildService.Priority.PRESUBMIT, null, "s0", 1));
        queue.offer(new BuildService.Task("small", BuildService.Priority.PRESUBMIT, null, "s1", 1));
        queue.offer(new BuildService.Task("cron", BuildService.Priority.NIGHTLY, null, "n0", 1));
        queue.offer(new BuildService.Task("rel", BuildService.Priority.RELEASE, null, "r0", 1));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 104; i++) {
            order.add(queue.take().step());
        }
        assertEquals(List.of("r0", "b0", "s0", "b1", "s1", "b2", "b3"), order.subList(0, 7));
        assertEquals("n0", order.get(103));                           // strict priority: nightly waits for all
        queue.close();
        assertEquals(null, queue.take());
    }

    @Test
    void aReleaseBuildOvertakesAnEarlierNightlyBuildOnTheWorkers() throws Exception {
        // One worker, held busy by a gate. A nightly build is queued first, a release build second.
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        tool.gate("hold", entered, release);
        BuildService.Graph hold = new BuildService.Graph(List.of(BuildService.step("hold", "sleep", List.of(), "h", "h")));
        BuildService.Graph nightly = new BuildService.Graph(List.of(BuildService.step("n", "cc", List.of(), "n", "n")));
        BuildService.Graph rel = new BuildService.Graph(List.of(BuildService.step("r", "cc", List.of(), "r", "r")));
        try (BuildService.Service service = service(1)) {
            BuildService.Build blocker = service.submit(new BuildService.BuildRequest("x", BuildService.Priority.NIGHTLY, "h", hold, "hold"));
            BuildService.awaitQuietly(entered);
            BuildService.Build late = service.submit(new BuildService.BuildRequest("a", BuildService.Priority.NIGHTLY, "n", nightly, "n"));
            BuildService.Build urgent = service.submit(new BuildService.BuildRequest("b", BuildService.Priority.RELEASE, "r", rel, "r"));
            release.countDown();
            blocker.await();
            long nightlyStart = late.await().steps().get("n").started();
            long releaseStart = urgent.await().steps().get("r").started();
            assertTrue(releaseStart < nightlyStart, "release " + releaseStart + " before nightly " + nightlyStart);
        }
    }

    // ---------------------------------------------------------------- the demo

    @Test
    void theDemoPrintsItsInvariants() throws Exception {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            BuildService.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        Map<String, Boolean> mustHold = new HashMap<>();
        mustHold.put("build 1 artifact = sequential rebuild: true; build 2 artifact = build 1: true", true);
        mustHold.put("= downstream of compile-app: true; artifact = sequential rebuild: true", true);
        mustHold.put("build 4 re-ran [compile-util], artifact unchanged: true", true);
        mustHold.put("build 6 steps started after the cancel: 0", true);
        mustHold.put("every step started after its dependencies finished, in all builds: true", true);
        mustHold.put("leases reaped after the worker died: 1", true);
        mustHold.forEach((line, expected) -> assertEquals(expected, out.contains(line), line));
        assertFalse(out.contains("false"), out);
    }
}
