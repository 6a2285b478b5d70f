import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

// java-options: -XX:+UseSerialGC -Xms128m -Xmx128m

/**
 * Watches HotSpot's generational heap at work through the {@code java.lang.management} API: which
 * memory pools exist, which collector manages which pool, what a stream of short-lived objects costs
 * the old generation (nothing), and how a structure that stays reachable moves from eden to a
 * survivor space to the old generation.
 *
 * <p>Mechanism. A generational collector splits the heap by object age. New objects go to eden. A
 * young collection (minor GC) copies the live objects of eden and one survivor space into the other
 * survivor space, adding one to each object's age, and promotes (tenures) objects whose age reached
 * the tenuring threshold, or that do not fit, into the old generation. The old generation is
 * collected rarely: by Serial and Parallel in a stop-the-world full collection, by G1 in mixed
 * collections after concurrent marking.
 *
 * <p>Trade-off. A young collection costs time in proportion to the objects that survive it, not to the
 * garbage, so it is cheap when most objects die young (the weak generational hypothesis). Objects of
 * middling lifetime break the bargain: they are copied several times and then promoted anyway, and
 * the old generation they fill costs a far more expensive collection later.
 *
 * <p>Determinism. Sizes and counts depend on the JDK, the launcher and the moment, so the program
 * prints only names and yes/no facts, each decided from a counter or a usage difference with a wide
 * margin (megabytes against kilobytes of noise).
 *
 * <p>Sources. D. Ungar, "Generation scavenging", ACM SIGSOFT/SIGPLAN Symposium on Practical Software
 * Development Environments, 1984. D. Detlefs, C. Flood, S. Heller, T. Printezis, "Garbage-first
 * garbage collection", ISMM 2004. Oracle, "HotSpot Virtual Machine Garbage Collection Tuning Guide",
 * JDK 21. Java SE API, package {@code java.lang.management}.
 */
public class JvmMemory {

    static final long MIB = 1024 * 1024;

    // tag::generations[]
    /**
     * The names one HotSpot collector gives its young and full collections and its survivor and old
     * pools, as the management API reports them. ZGC and Shenandoah have no survivor pool and are not
     * in the table; the program lists their pools and skips the experiments.
     */
    record Generations(String collector, String youngGc, String fullGc, String survivor, String old) {

        static final List<Generations> KNOWN = List.of(
                new Generations("Serial", "Copy", "MarkSweepCompact", "Survivor Space", "Tenured Gen"),
                new Generations("Parallel", "PS Scavenge", "PS MarkSweep", "PS Survivor Space", "PS Old Gen"),
                new Generations("G1", "G1 Young Generation", "G1 Old Generation", "G1 Survivor Space", "G1 Old Gen"));

        /** The row whose young collector is among the running collectors, if any. */
        static Optional<Generations> among(List<String> collectorNames) {
            return KNOWN.stream().filter(g -> collectorNames.contains(g.youngGc())).findFirst();
        }
    }
    // end::generations[]

    /**
     * Counters and usages of one generational heap, read through its MXBeans. Every read is live: the
     * beans report the collector's current state, not a snapshot.
     */
    static final class Heap {
        final Generations names;
        final GarbageCollectorMXBean youngGc;
        final GarbageCollectorMXBean fullGc;
        final MemoryPoolMXBean survivor;
        final MemoryPoolMXBean old;

        Heap(Generations names) {
            this.names = names;
            this.youngGc = collector(names.youngGc());
            this.fullGc = collector(names.fullGc());
            this.survivor = pool(names.survivor());
            this.old = pool(names.old());
        }

        long youngCollections() {
            return youngGc.getCollectionCount();
        }

        long fullCollections() {
            return fullGc.getCollectionCount();
        }

        long survivorUsed() {
            return survivor.getUsage().getUsed();
        }

        long oldUsed() {
            return old.getUsage().getUsed();
        }

        private static GarbageCollectorMXBean collector(String name) {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .filter(c -> c.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no collector named " + name));
        }

        private static MemoryPoolMXBean pool(String name) {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no memory pool named " + name));
        }
    }

    // tag::churn[]
    /** Written once per call so that the JIT cannot prove the arrays unused and skip allocating them. */
    static volatile Object sink;

    /**
     * Allocates about {@code bytes} of 64-byte arrays (80 bytes each with the header). Each stays
     * reachable only until 1,024 newer ones have replaced it in a ring: a stream of objects that die
     * young, as request handling, parsing and boxing produce.
     */
    static void churn(long bytes) {
        byte[][] recent = new byte[1024][];
        for (long i = 0, n = bytes / 80; i < n; i++) {
            recent[(int) (i & 1023)] = new byte[64];
        }
        sink = recent;
    }

    /** Allocates short-lived garbage, 1 MiB at a time, until the young collector has run n more times. */
    static void churnUntilYoungCollections(Heap heap, long n) {
        long target = heap.youngCollections() + n;
        for (long mib = 0; heap.youngCollections() < target; mib++) {
            if (mib > 64 * 1024) {
                throw new IllegalStateException("64 GiB allocated without " + n + " young collections");
            }
            churn(MIB);
        }
    }

    record ShortLived(boolean youngRan, boolean fullRan, boolean oldGrewUnderOnePercent) {
    }

    static ShortLived shortLived(Heap heap, long bytes) {
        System.gc();                                   // start from an empty young generation
        long young = heap.youngCollections();
        long full = heap.fullCollections();
        long old = heap.oldUsed();
        churn(bytes);
        return new ShortLived(heap.youngCollections() > young, heap.fullCollections() > full,
                heap.oldUsed() - old < bytes / 100);
    }
    // end::churn[]

    // tag::tenure[]
    record Tenure(boolean inSurvivorAfterOne, boolean oldUnchangedAfterOne,
                  boolean inOldAfterMore, boolean survivorReleased, boolean noFullCollection) {
    }

    /**
     * Keeps 8,192 arrays of 128 bytes (1 MiB of payload, more with headers) reachable while short-lived
     * garbage forces young collections. An object's age is a 4-bit field and MaxTenuringThreshold is at
     * most 15, so after 1 + 16 young collections every kept array has been promoted.
     */
    static Tenure tenure(Heap heap) {
        System.gc();                                   // empty survivors, so what they hold next is ours
        long full = heap.fullCollections();
        long oldBefore = heap.oldUsed();
        byte[][] kept = new byte[8192][];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = new byte[128];
        }
        long payload = (long) kept.length * 128;       // a lower bound on the bytes kept occupies

        churnUntilYoungCollections(heap, 1);
        boolean inSurvivor = heap.survivorUsed() >= payload;
        boolean oldUnchanged = heap.oldUsed() - oldBefore < payload;

        churnUntilYoungCollections(heap, 16);
        boolean inOld = heap.oldUsed() - oldBefore >= payload;
        boolean survivorReleased = heap.survivorUsed() < payload;

        sink = kept;                                   // kept stays reachable up to here
        return new Tenure(inSurvivor, oldUnchanged, inOld, survivorReleased, heap.fullCollections() == full);
    }
    // end::tenure[]

    // tag::direct[]
    record Direct(boolean directPoolGrew, boolean heapGrewUnderAQuarter) {
    }

    /** A direct buffer's storage is native memory: the "direct" buffer pool counts it, the heap does not. */
    static Direct direct(int bytes) {
        BufferPoolMXBean pool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long directBefore = pool.getMemoryUsed();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes);
        long directGrowth = pool.getMemoryUsed() - directBefore;
        long heapGrowth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
        sink = buffer;
        return new Direct(directGrowth >= bytes, heapGrowth < bytes / 4);
    }
    // end::direct[]

    public static void main(String[] args) {
        List<String> collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList();
        Optional<Generations> known = Generations.among(collectors);
        System.out.println(known.map(g -> String.format(Locale.ROOT, "Collector: %s (young: %s, full: %s)",
                g.collector(), g.youngGc(), g.fullGc())).orElse("Collectors: " + String.join(", ", sorted(collectors))));

        // tag::pools[]
        System.out.println("Memory pools (type, name, managed by):");
        ManagementFactory.getMemoryPoolMXBeans().stream()
                .sorted(Comparator.comparing((MemoryPoolMXBean p) -> p.getType() != MemoryType.HEAP)
                        .thenComparing(MemoryPoolMXBean::getName))
                .forEach(p -> System.out.println(String.format(Locale.ROOT, "  %-9s %-33s %s", p.getType().name(),
                        p.getName(), String.join(", ", sorted(Arrays.asList(p.getMemoryManagerNames()))))));
        System.out.println("Buffer pools (outside the heap): " + String.join(", ", sorted(
                ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                        .map(BufferPoolMXBean::getName).toList())));
        // end::pools[]

        if (known.isEmpty()) {
            System.out.println("Experiments skipped: they need Serial, Parallel or G1, whose survivor pool they watch.");
            return;
        }
        Heap heap = new Heap(known.get());
        String survivor = heap.names.survivor();
        String old = heap.names.old();

        ShortLived s = shortLived(heap, 256 * MIB);
        System.out.println("256 MiB of short-lived 64-byte arrays, at most 1,024 reachable at a time:");
        line("young collections ran", s.youngRan());
        line("a full collection ran", s.fullRan());
        line(old + " grew by under 1% of the bytes allocated", s.oldGrewUnderOnePercent());

        Tenure t = tenure(heap);
        System.out.println("1 MiB kept reachable (8,192 arrays of 128 bytes):");
        line("after 1 young collection, " + survivor + " holds at least 1 MiB", t.inSurvivorAfterOne());
        line("after 1 young collection, " + old + " grew by under 1 MiB", t.oldUnchangedAfterOne());
        line("after 16 more, " + old + " grew by at least 1 MiB", t.inOldAfterMore());
        line("after 16 more, " + survivor + " holds under 1 MiB", t.survivorReleased());
        line("no full collection was needed", t.noFullCollection());

        Direct d = direct(16 * (int) MIB);
        System.out.println("A 16 MiB direct ByteBuffer:");
        line("the direct buffer pool grew by 16 MiB", d.directPoolGrew());
        line("heap usage grew by under 4 MiB", d.heapGrewUnderAQuarter());
    }

    private static void line(String claim, boolean value) {
        System.out.println(String.format(Locale.ROOT, "  %-66s %b", claim + ":", value));
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }
}
