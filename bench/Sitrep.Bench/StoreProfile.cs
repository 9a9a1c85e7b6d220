using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Sitrep.Ingest;
using Sitrep.Pipeline;
using Sitrep.Store;

namespace Sitrep.Bench;

/// <summary>
/// Where the store's time goes. The first N articles are read and analysed up front (not timed), then written:
/// (1) by SqliteStore.WriteAsync, reporting the rate per chunk of documents so a slowdown as the file grows shows,
/// then the full-text catch-up (SqliteStore.UpdateSearchIndexAsync); (2) by the same writer with its tables switched
/// on one at a time (the internal <see cref="WriteDepth"/>), so each table's share is its difference from the line
/// above, the last line adding the full-text catch-up; (3) with variants of the FTS5 table, each applied to the
/// schema before the full write and catch-up. Every row writes with the store's own statements and pragmas.
/// </summary>
public static class StoreProfile
{
    private const int Chunk = 10_000;

    public static async Task<int> RunAsync(string corpusRoot, int count, string dbPath)
    {
        var analyzer = Pipelines.AsCli();
        var docs = new AnalyzedDocument[count];
        Parallel.For(0, count, i =>
        {
            var path = Path.Combine(corpusRoot, Corpus.RelativePath(i));
            var (doc, problem) = SourceLoader.Decode(path, File.ReadAllBytes(path));
            docs[i] = analyzer.Analyze(doc ?? throw new InvalidDataException(problem!.ToString()));
        });
        var inv = CultureInfo.InvariantCulture;
        int pieces = docs.Sum(d => d.Segmentation.Pieces.Count), articles = docs.Sum(d => d.Articles.Count);
        Console.WriteLine(string.Create(inv, $"store profile over {count} documents ({pieces} pieces, {articles} articles); load avg {EndToEnd.LoadAverage()}"));
        var pipeline = analyzer.Fingerprint;

        // Warm-up (JIT, SQLite) on a throw-away file.
        await WriteOnceAsync(docs.Take(Math.Min(2000, count)).ToArray(), pipeline, dbPath + ".warmup", WriteDepth.Entities, index: true);

        PrintReal(await WriteOnceAsync(docs, pipeline, dbPath, WriteDepth.Entities, index: true), docs.Length);
        Console.WriteLine("| SqliteStore writer (cumulative), variant | wall s | µs/doc | CPU µs/doc | CPU µs/doc first → last chunk | docs/s | MiB on disk |");
        Console.WriteLine("|------------------------------------------|-------:|-------:|-----------:|------------------:|-------:|------------:|");
        foreach (var depth in Enum.GetValues<WriteDepth>())
            PrintRow(Describe(depth), await WriteOnceAsync(docs, pipeline, dbPath, depth, index: false), docs.Length);
        PrintRow("+ full-text catch-up (UpdateSearchIndex)", await WriteOnceAsync(docs, pipeline, dbPath, WriteDepth.Entities, index: true), docs.Length);
        foreach (var (name, sql) in FtsVariants)
        {
            try { PrintRow(name, await WriteOnceAsync(docs, pipeline, dbPath, WriteDepth.Entities, index: true, sql), docs.Length); }
            catch (Exception e) when (e is SqliteException or StoreException) { Console.WriteLine($"| {name,-40} | not supported: {e.Message} |"); }
        }
        return 0;
    }

    /// <summary>One write: the write's wall and CPU time, then the full-text catch-up's (zero when not run), and the CPU at each chunk mark.</summary>
    private sealed record Run(
        double WriteWall, double WriteCpu, double IndexWall, double IndexCpu, int Indexed, long Bytes,
        IReadOnlyList<(int Docs, long Ticks, long Cpu)> Marks, long T0, long C0, long WriteEnd);

    /// <summary>Writes <paramref name="docs"/> into a fresh store down to <paramref name="depth"/>, then (when asked) builds the full-text rows.</summary>
    /// <param name="schemaSql">Run on the fresh store's schema before the write (an FTS5 variant).</param>
    private static async Task<Run> WriteOnceAsync(AnalyzedDocument[] docs, string pipeline, string dbPath, WriteDepth depth, bool index, string? schemaSql = null)
    {
        EndToEnd.DeleteDb(dbPath);
        if (schemaSql != null)
        {
            await (await SqliteStore.OpenAsync(dbPath)).DisposeAsync(); // the real schema
            using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Pooling = false }.ToString());
            db.Open();
            using var c = db.CreateCommand();
            c.CommandText = schemaSql;
            c.ExecuteNonQuery();
        }
        var marks = new List<(int Docs, long Ticks, long Cpu)>();
        long t0 = Stopwatch.GetTimestamp(), c0 = CpuClock.Now();
        async IAsyncEnumerable<AnalyzedDocument> Feed()
        {
            for (int i = 0; i < docs.Length; i++)
            {
                if (i > 0 && i % Chunk == 0) marks.Add((i, Stopwatch.GetTimestamp(), CpuClock.Now()));
                yield return docs[i];
            }
            marks.Add((docs.Length, Stopwatch.GetTimestamp(), CpuClock.Now()));
            await Task.CompletedTask;
        }
        int indexed = 0;
        long ti0, ti1, ci0, ci1;
        await using (var store = await SqliteStore.OpenAsync(dbPath))
        {
            await store.WriteAsync(Feed(), pipeline, depth);
            ti0 = Stopwatch.GetTimestamp(); ci0 = CpuClock.Now();
            if (index) indexed = await store.UpdateSearchIndexAsync();
            ti1 = Stopwatch.GetTimestamp(); ci1 = CpuClock.Now();
        }
        // The write's time includes closing the store (the WAL checkpoint), not the catch-up.
        long t1 = Stopwatch.GetTimestamp() - (ti1 - ti0), c1 = CpuClock.Now() - (ci1 - ci0);
        long size = new FileInfo(dbPath).Length;
        EndToEnd.DeleteDb(dbPath);
        double f = Stopwatch.Frequency;
        return new Run((t1 - t0) / f, (c1 - c0) / 1e9, (ti1 - ti0) / f, (ci1 - ci0) / 1e9, indexed, size, marks, t0, c0, marks[^1].Ticks);
    }

    private static void PrintReal(Run r, int n)
    {
        var inv = CultureInfo.InvariantCulture;
        double f = Stopwatch.Frequency;
        Console.WriteLine(string.Create(inv, $"real SqliteStore.WriteAsync: {r.WriteWall:F2} s wall, {r.WriteCpu:F2} s CPU, {n / r.WriteWall:F0} docs/s, {r.Bytes / 1048576.0:F0} MiB with the full-text rows; close (checkpoint) {r.WriteWall - (r.WriteEnd - r.T0) / f:F2} s"));
        Console.WriteLine(string.Create(inv, $"then SqliteStore.UpdateSearchIndexAsync (full-text catch-up, off the ingest path): {r.Indexed} articles in {r.IndexWall:F2} s wall, {r.IndexCpu * 1e6 / Math.Max(1, r.Indexed):F0} CPU µs/article"));
        Console.WriteLine("| documents written | chunk docs/s (wall) | chunk CPU µs/doc |");
        Console.WriteLine("|------------------:|--------------------:|-----------------:|");
        long pt = r.T0, pc = r.C0;
        int pd = 0;
        foreach (var (d, t, c) in r.Marks)
        {
            Console.WriteLine(string.Create(inv, $"| {d,17} | {(d - pd) / ((t - pt) / f),19:F0} | {(c - pc) / 1e3 / (d - pd),16:F1} |"));
            (pd, pt, pc) = (d, t, c);
        }
    }

    /// <summary>One table row: write plus catch-up (when run) per document, and the first and last chunk's CPU per document.</summary>
    private static void PrintRow(string name, Run r, int n)
    {
        var chunkCpu = new List<double>();
        long pc = r.C0;
        int pd = 0;
        foreach (var (d, _, c) in r.Marks)
        {
            chunkCpu.Add((c - pc) / 1e3 / (d - pd));
            (pd, pc) = (d, c);
        }
        double wall = r.WriteWall + r.IndexWall, cpu = r.WriteCpu + r.IndexCpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name,-40} | {wall,6:F2} | {wall / n * 1e6,6:F0} | {cpu / n * 1e6,10:F0} | {chunkCpu[0],9:F0} → {chunkCpu[^1],4:F0} | {n / wall,6:F0} | {r.Bytes / 1048576.0,11:F0} |"));
    }

    private const string Fts = "DROP TABLE article_search; CREATE VIRTUAL TABLE article_search USING fts5(article_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2'";

    /// <summary>Full-text index variants: what the FTS5 rows would cost with other table options.</summary>
    private static readonly (string Name, string Sql)[] FtsVariants =
    [
        ("fts5 contentless (content='')", Fts + ", content='', contentless_delete=1);"),
        ("fts5 detail=column", Fts + ", detail=column);"),
        ("fts5 hashsize 16 MiB", "INSERT INTO article_search(article_search, rank) VALUES('hashsize', 16777216);"),
        ("fts5 automerge 16", "INSERT INTO article_search(article_search, rank) VALUES('automerge', 16);"),
    ];

    private static string Describe(WriteDepth d) => d switch
    {
        WriteDepth.Documents => "documents + files (lookups, inserts)",
        WriteDepth.Pieces => "+ pieces rows",
        WriteDepth.Articles => "+ articles rows (with time, quotes JSON)",
        _ => "+ entities, mentions, role claims",
    };
}
