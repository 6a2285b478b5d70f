// uses: Capacity
import java.util.Locale;

/**
 * Back-of-the-envelope sizing of a build service, computed with {@link Capacity}: how many workers the
 * busiest hour needs (Little's law: work in progress = arrival rate × time each arrival keeps a worker
 * busy), how strongly that depends on the action-cache hit ratio, and what the artifact store, the log
 * store and the metadata database hold under their retention periods. Every figure follows from the
 * assumptions in {@link Assumptions}; change one and the sheet changes with it.
 */
public class BuildServiceEstimate {

    // tag::assumptions[]
    /** The inputs of the estimate. Each is an assumption to state out loud, not a fact. */
    record Assumptions(
            int engineers,
            double buildsPerEngineerPerDay,     // presubmit and CI, per working day
            double peakToAverage,               // builds bunch into working hours
            double workerMinutesPerColdBuild,   // all of one build's actions, summed
            double cacheHitRatio,               // actions answered by the cache
            double utilisation,                 // run workers at most this busy
            double outputBytesPerColdBuild,     // all outputs, nothing cached
            int casRetentionDays,               // the CAS evicts least recently used
            double logBytesPerBuild,            // compressed
            int logRetentionDays,
            double casBytesReadPerBuild,        // inputs of the actions that run
            double releasesPerDay,
            double bytesPerRelease,
            int releaseYears,
            int releaseCopies,                  // the only durable, replicated bytes
            double stepsPerBuild,
            double bytesPerStepRow) {
    }

    static Assumptions defaults() {
        return new Assumptions(5_000, 8, 4, 60, 0.90, 0.75,
                3e9, 14, 5e6, 90, 2e9,
                20, 500e6, 5, 3,
                1_500, 200);
    }
    // end::assumptions[]

    // tag::estimate[]
    /** Workers to provision at peak for a given hit ratio: only cache misses occupy a worker. */
    static int workersAtPeak(Assumptions a, double hitRatio) {
        double buildsPerDay = a.engineers() * a.buildsPerEngineerPerDay();
        double peakBuildsPerSecond = Capacity.peak(Capacity.perSecond(buildsPerDay), a.peakToAverage());
        double workerSecondsPerBuild = a.workerMinutesPerColdBuild() * 60 * (1 - hitRatio);
        return Capacity.servers(peakBuildsPerSecond, 1 / workerSecondsPerBuild, a.utilisation(), 0);
    }

    static Capacity.Sheet load(Assumptions a) {
        double buildsPerDay = a.engineers() * a.buildsPerEngineerPerDay();
        double average = Capacity.perSecond(buildsPerDay);
        double peak = Capacity.peak(average, a.peakToAverage());
        double workerSeconds = a.workerMinutesPerColdBuild() * 60 * (1 - a.cacheHitRatio());
        return new Capacity.Sheet("Build load")
                .line("builds per day", Capacity.count(buildsPerDay),
                        Capacity.count(a.engineers()) + " engineers x " + fmt(a.buildsPerEngineerPerDay()))
                .line("average rate", String.format(Locale.ROOT, "%.2f/s", average), "spread over 24 h")
                .line("peak rate", String.format(Locale.ROOT, "%.2f/s", peak),
                        "x " + fmt(a.peakToAverage()) + " peak-to-average")
                .line("worker time per build", String.format(Locale.ROOT, "%.1f min", workerSeconds / 60),
                        fmt(a.workerMinutesPerColdBuild()) + " min cold x " + pct(1 - a.cacheHitRatio()) + " misses")
                .line("workers busy at peak", Capacity.count(peak * workerSeconds),
                        "Little's law: peak rate x worker time")
                .line("workers to provision", Capacity.count(workersAtPeak(a, a.cacheHitRatio())),
                        "busy / " + pct(a.utilisation()) + " utilisation")
                .line("CAS reads at peak",
                        Capacity.bitsPerSecond(Capacity.bandwidthBytesPerSecond(peak, a.casBytesReadPerBuild())),
                        "peak rate x " + Capacity.bytes(a.casBytesReadPerBuild()) + " per build");
    }

    static Capacity.Sheet hitRatios(Assumptions a) {
        Capacity.Sheet sheet = new Capacity.Sheet("Workers to provision at peak, by action-cache hit ratio");
        int cold = workersAtPeak(a, 0);
        for (double hit : new double[] {0, 0.5, 0.8, 0.9, 0.95}) {
            int workers = workersAtPeak(a, hit);
            sheet.line("hit ratio " + pct(hit), Capacity.count(workers), hit == 0 ? "every action runs"
                    : String.format(Locale.ROOT, "%s of actions run: %.1f x fewer workers",
                            pct(1 - hit), (double) cold / workers));
        }
        return sheet;
    }

    static Capacity.Sheet storage(Assumptions a) {
        double average = Capacity.perSecond(a.engineers() * a.buildsPerEngineerPerDay());
        double newBytesPerBuild = a.outputBytesPerColdBuild() * (1 - a.cacheHitRatio());
        double casYears = a.casRetentionDays() / Capacity.DAYS_PER_YEAR;
        double logYears = a.logRetentionDays() / Capacity.DAYS_PER_YEAR;
        double cas = Capacity.storageBytes(average, newBytesPerBuild, casYears, 1);
        double logs = Capacity.storageBytes(average, a.logBytesPerBuild(), logYears, 1);
        double releases = Capacity.storageBytes(Capacity.perSecond(a.releasesPerDay()), a.bytesPerRelease(),
                a.releaseYears(), a.releaseCopies());
        double metadata = Capacity.storageBytes(average, a.stepsPerBuild() * a.bytesPerStepRow(), 1, 3);
        return new Capacity.Sheet("Storage")
                .line("new CAS bytes per build", Capacity.bytes(newBytesPerBuild),
                        Capacity.bytes(a.outputBytesPerColdBuild()) + " cold x "
                                + pct(1 - a.cacheHitRatio()) + " misses")
                .line("CAS (artifact cache)", Capacity.bytes(cas),
                        a.casRetentionDays() + " days, 1 copy: a lost blob is rebuilt")
                .line("logs", Capacity.bytes(logs),
                        Capacity.bytes(a.logBytesPerBuild()) + " per build, " + a.logRetentionDays() + " days")
                .line("release artifacts", Capacity.bytes(releases), fmt(a.releasesPerDay()) + "/day x "
                        + Capacity.bytes(a.bytesPerRelease()) + ", " + a.releaseYears() + " years, "
                        + a.releaseCopies() + " copies")
                .line("metadata (step rows)", Capacity.bytes(metadata), fmt(a.stepsPerBuild()) + " steps x "
                        + Capacity.bytes(a.bytesPerStepRow()) + " per build, 1 year, 3 replicas");
    }
    // end::estimate[]

    private static String fmt(double x) {
        return x == Math.rint(x) ? Capacity.count(x) : String.format(Locale.ROOT, "%.2f", x);
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }

    public static void main(String[] args) {
        Assumptions a = defaults();
        load(a).print();
        System.out.println();
        hitRatios(a).print();
        System.out.println();
        storage(a).print();
    }
}
