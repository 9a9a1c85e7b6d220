using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sitrep.Pipeline;
using Sitrep.Store;

namespace Sitrep.Bench;

/// <summary>
/// The headline benchmark: the real ingest path (<see cref="IngestRun"/> → <see cref="SqliteStore"/> on disk) over the
/// first N articles of a generated corpus, timed from opening the store to closing it (the WAL checkpoint on close is
/// part of what a user waits for), with memory sampled throughout. Run one size per process so peaks are per size.
/// </summary>
public static class EndToEnd
{
    public sealed record Result(
        string Label, int Files, int Articles, long Bytes, int Problems,
        double SetupSeconds, double OpenSeconds, double RunSeconds, double CloseSeconds, double TotalSeconds,
        double FilesPerSecond, double ArticlesPerSecond, double MiBPerSecond, double CpuSeconds, double CpuUtilisation,
        long PeakWorkingSet, long PeakManagedHeap, long PeakGcCommitted, long KernelPeakResident, long AllocatedBytes,
        int Gen0, int Gen1, int Gen2, long DbBytes, long PathListBytes,
        int Indexed, double IndexSeconds, double IndexCpuSeconds, long IndexPeakWorkingSet, long IndexPeakManagedHeap, long DbBytesIndexed, string LoadBefore, string LoadAfter, int ProcessorCount, bool ServerGc, string GcLatency)
    {
        /// <summary>JIT compilation during the timed run (all threads): methods compiled (or re-compiled at a higher tier) and the time spent.</summary>
        public long JitMethods { get; init; }
        public double JitSeconds { get; init; }
        public double GcPauseSeconds { get; init; }
    }

    public static async Task<int> RunAsync(string corpusRoot, int count, string dbPath, int warmup, string? jsonOut)
    {
        var paths = PathsFor(corpusRoot, count);
        Console.WriteLine($"environment: .NET {Environment.Version}, SQLite {SqliteVersion()}, {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}, NER model {Pipelines.NerModelPath ?? "none found"}");
        long pathList = PathListBytes(paths);
        // The pipeline as `sitrep ingest` builds it: the built-in knowledge base (no --kb folders) and the NER model.
        var setupClock = Stopwatch.StartNew();
        var analyzer = Pipelines.AsCli();
        double setup = setupClock.Elapsed.TotalSeconds;
        if (warmup > 0) await WarmUpAsync(analyzer, corpusRoot, warmup, dbPath + ".warmup");
        DeleteDb(dbPath);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();

        var loadBefore = LoadAverage();
        using var self = Process.GetCurrentProcess();
        var cpu0 = self.TotalProcessorTime;
        long alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
        long jitMethods0 = System.Runtime.JitInfo.GetCompiledMethodCount();
        var jitTime0 = System.Runtime.JitInfo.GetCompilationTime();
        var gcPause0 = GC.GetTotalPauseDuration();
        RunReport report;
        double open, run, close;
        MemorySampler sampler;
        var clock = Stopwatch.StartNew();
        using (sampler = new MemorySampler())
        {
            var store = await SqliteStore.OpenAsync(dbPath);
            open = clock.Elapsed.TotalSeconds;
            report = await new IngestRun(analyzer).RunAsync(paths, store);
            run = clock.Elapsed.TotalSeconds - open;
            await store.DisposeAsync();
            close = clock.Elapsed.TotalSeconds - open - run;
        }
        double total = clock.Elapsed.TotalSeconds + setup;
        long jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods0;
        double jitSeconds = (System.Runtime.JitInfo.GetCompilationTime() - jitTime0).TotalSeconds;
        double gcPause = (GC.GetTotalPauseDuration() - gcPause0).TotalSeconds;
        self.Refresh();
        double cpu = (self.TotalProcessorTime - cpu0).TotalSeconds;
        var loadAfter = LoadAverage();

        long dbBytes = new FileInfo(dbPath).Length;
        long kernelPeak = MemorySampler.KernelPeakResident(); // before the index phase below

        // Not part of `sitrep ingest`: the full-text index is brought up to date by `analyze` and `search`
        // (SqliteStore.UpdateSearchIndexAsync). Timed apart, after the ingest, so the cost that left the ingest path shows.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        int indexed;
        double indexSeconds, indexCpu;
        MemorySampler indexSampler;
        var cpuIndex0 = CpuClock.Now();
        var indexClock = Stopwatch.StartNew();
        using (indexSampler = new MemorySampler())
        {
            await using var store = await SqliteStore.OpenAsync(dbPath);
            indexed = await store.UpdateSearchIndexAsync();
        }
        indexSeconds = indexClock.Elapsed.TotalSeconds;
        indexCpu = (CpuClock.Now() - cpuIndex0) / 1e9;
        long dbBytesIndexed = new FileInfo(dbPath).Length;

        var r = new Result(
            Label: $"{count / 1000}k", Files: report.Files, Articles: report.Written.Articles, Bytes: report.Bytes, Problems: report.Problems.Count,
            SetupSeconds: setup, OpenSeconds: open, RunSeconds: run, CloseSeconds: close, TotalSeconds: total,
            FilesPerSecond: report.Files / total, ArticlesPerSecond: report.Written.Articles / total, MiBPerSecond: report.Bytes / 1048576.0 / total,
            CpuSeconds: cpu, CpuUtilisation: cpu / total / Environment.ProcessorCount,
            PeakWorkingSet: sampler.PeakWorkingSet, PeakManagedHeap: sampler.PeakManagedHeap, PeakGcCommitted: sampler.PeakGcCommitted,
            KernelPeakResident: kernelPeak, AllocatedBytes: GC.GetTotalAllocatedBytes(precise: true) - alloc0,
            Gen0: GC.CollectionCount(0) - g0, Gen1: GC.CollectionCount(1) - g1, Gen2: GC.CollectionCount(2) - g2,
            DbBytes: dbBytes, PathListBytes: pathList,
            Indexed: indexed, IndexSeconds: indexSeconds, IndexCpuSeconds: indexCpu, IndexPeakWorkingSet: indexSampler.PeakWorkingSet,
            IndexPeakManagedHeap: indexSampler.PeakManagedHeap, DbBytesIndexed: dbBytesIndexed, LoadBefore: loadBefore, LoadAfter: loadAfter, ProcessorCount: Environment.ProcessorCount,
            ServerGc: System.Runtime.GCSettings.IsServerGC, GcLatency: System.Runtime.GCSettings.LatencyMode.ToString())
        { JitMethods = jitMethods, JitSeconds = jitSeconds, GcPauseSeconds = gcPause };

        foreach (var p in report.Problems.Take(5)) Console.Error.WriteLine($"problem: {p}");
        Print(r);
        if (jsonOut != null) await File.AppendAllTextAsync(jsonOut, JsonSerializer.Serialize(r) + "\n");
        return report.Problems.Count == 0 && report.Files == count ? 0 : 1;
    }

    /// <summary>Whole 10k shards as folders (as a user would pass them), then any remainder as single files.</summary>
    public static List<string> PathsFor(string root, int count)
    {
        var paths = new List<string>();
        int full = count / Corpus.ArticlesPerShard;
        for (int s = 0; s < full; s++) paths.Add(Path.Combine(root, $"shard-{s:D2}"));
        for (int i = full * Corpus.ArticlesPerShard; i < count; i++) paths.Add(Path.Combine(root, Corpus.RelativePath(i)));
        foreach (var p in paths)
            if (!Directory.Exists(p) && !File.Exists(p)) throw new FileNotFoundException($"corpus too small: {p} is missing (generate more articles)");
        return paths;
    }

    /// <summary>Managed bytes retained by the expanded file list (what IngestRun holds for the whole run), measured apart.</summary>
    private static long PathListBytes(List<string> paths)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var expanded = new Sitrep.Ingest.SourceLoader().Expand(paths);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(expanded);
        return after - before;
    }

    private static string SqliteVersion()
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        db.Open();
        using var c = db.CreateCommand();
        c.CommandText = "SELECT sqlite_version()";
        return (string)c.ExecuteScalar()!;
    }

    /// <summary>JIT and SQLite warm-up on a separate, throw-away store: the timed run then measures steady-state code.</summary>
    private static async Task WarmUpAsync(DocumentAnalyzer analyzer, string root, int n, string db)
    {
        DeleteDb(db);
        await using (var store = await SqliteStore.OpenAsync(db))
            await new IngestRun(analyzer).RunAsync(PathsFor(root, n), store);
        DeleteDb(db);
    }

    public static void DeleteDb(string db)
    {
        foreach (var f in new[] { db, db + "-wal", db + "-shm", db + "-journal" })
            if (File.Exists(f)) File.Delete(f);
    }

    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }

    private static void Print(Result r)
    {
        var inv = CultureInfo.InvariantCulture;
        static string M(long b) => (b / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) + " MiB";
        Console.WriteLine(string.Create(inv, $"""
            ingest {r.Label}: {r.Files} files, {r.Articles} articles stored, {r.Bytes / 1048576.0:F1} MiB, {r.Problems} problems
              time      pipeline (KB + NER model load) {r.SetupSeconds:F2} s + open {r.OpenSeconds:F2} s + run {r.RunSeconds:F2} s + close {r.CloseSeconds:F2} s = {r.TotalSeconds:F2} s
              rate      {r.FilesPerSecond:F0} files/s, {r.ArticlesPerSecond:F0} articles/s, {r.MiBPerSecond:F2} MiB/s
              cpu       {r.CpuSeconds:F1} s ({r.CpuUtilisation * 100:F0}% of {r.ProcessorCount} cores)
              memory    peak working set {M(r.PeakWorkingSet)}, peak managed heap {M(r.PeakManagedHeap)}, peak GC committed {M(r.PeakGcCommitted)}, VmHWM {M(r.KernelPeakResident)}
              gc        allocated {r.AllocatedBytes / 1073741824.0:F2} GiB, collections gen0 {r.Gen0} gen1 {r.Gen1} gen2 {r.Gen2} (server GC {r.ServerGc}, {r.GcLatency}), pauses {r.GcPauseSeconds:F2} s
              jit       during the run: {r.JitMethods} methods compiled or re-compiled at a higher tier, {r.JitSeconds:F2} s of JIT time (not counting the slower tier-0 code that ran meanwhile)
              store     {M(r.DbBytes)} on disk
              paths     SourceLoader.Expand's file list alone holds {r.PathListBytes / 1048576.0:F1} MiB of managed heap ({r.PathListBytes / Math.Max(1, r.Files)} B/file)
              search    index catch-up (UpdateSearchIndexAsync, not part of ingest): {r.Indexed} articles in {r.IndexSeconds:F2} s ({r.Indexed / Math.Max(r.IndexSeconds, 1e-9):F0} articles/s), CPU {r.IndexCpuSeconds:F1} s, peak working set {M(r.IndexPeakWorkingSet)}, peak managed heap {M(r.IndexPeakManagedHeap)}, store then {M(r.DbBytesIndexed)}
              load avg  before {r.LoadBefore}, after {r.LoadAfter}
            """));
    }
}
