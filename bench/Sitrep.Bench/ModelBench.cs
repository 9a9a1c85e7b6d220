using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sitrep.Output;
using Sitrep.Store;
using Sitrep.Stories;

namespace Sitrep.Bench;

/// <summary>
/// The live model at scale. <c>model-gen</c> writes the synthetic corpus (<see cref="Corpus"/>) with a dateline on
/// every article, <c>--per-day</c> articles a day from 2024-01-01, so stories open and close as a real stream's do
/// (shards of 10,000 files, to be ingested one shard per run with the real <c>sitrep ingest</c>). <c>model-query</c>
/// times the reads a user makes of a filled store, in process (the CLI adds its start-up).
/// </summary>
public static class ModelBench
{
    public static long Generate(Corpus corpus, string root, int count, int perDay)
    {
        var start = new DateOnly(2024, 1, 1);
        var utf8 = new UTF8Encoding(false);
        long total = 0;
        for (int s = 0; s * Corpus.ArticlesPerShard < count; s++) Directory.CreateDirectory(Path.Combine(root, $"shard-{s:D2}"));
        Parallel.For(0, count, i =>
        {
            var text = corpus.Article(i);
            int k = text.IndexOf("\n\n", StringComparison.Ordinal) + 2;
            var day = start.AddDays(i / Math.Max(1, perDay));
            text = text[..k] + day.ToString("'BRUSSELS, 'MMMM d, yyyy' (Bench Wire) — '", CultureInfo.InvariantCulture) + text[k..];
            var bytes = utf8.GetBytes(text);
            File.WriteAllBytes(Path.Combine(root, Corpus.RelativePath(i)), bytes);
            Interlocked.Add(ref total, bytes.Length);
        });
        return total;
    }

    public static async Task<int> QueryAsync(string db, int repeats)
    {
        await using var store = await SqliteStore.OpenAsync(db, readOnly: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store: {store.ModelArticleCount()} articles, {store.StoryCount()} stories, {new FileInfo(db).Length / 1048576.0:F0} MiB"));
        var top = store.ReadStories(1).FirstOrDefault()?.Id ?? throw new InvalidOperationException("no stories");
        var median = store.ReadStories().OrderBy(s => s.Articles).ElementAt((int)(store.StoryCount() / 2)).Id;
        void Time(string name, Func<int> run)
        {
            int n = run(); // warm: the first read of a table pays for its pages
            var wall = new List<double>();
            var cpu = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                long c0 = CpuClock.Now();
                var sw = Stopwatch.StartNew();
                n = run();
                wall.Add(sw.Elapsed.TotalMilliseconds);
                cpu.Add((CpuClock.Now() - c0) / 1e6);
            }
            wall.Sort(); cpu.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {wall[wall.Count / 2]:F1} ms wall, {cpu[cpu.Count / 2]:F1} ms CPU (median of {repeats}; {n} items)"));
        }
        Time("stories --top 50", () => CrossSourceView.Read(store, 50, withClaims: false).Stories.Count);
        Time("claims --status anonymous_only --limit 100", () => store.ReadClaims(ClaimStatus.AnonymousOnly, limit: 100).Count);
        Time("claims --status anonymous_only (all)", () => store.ReadClaims(ClaimStatus.AnonymousOnly).Count);
        Time($"claims --story {top} (largest)", () => store.ReadClaims(storyId: top).Count);
        Time($"export --story {median} (median story: its view)", () =>
        {
            var view = CrossSourceView.Read(store, storyId: median);
            var ids = view.Articles.Select(a => a.DocumentId).Distinct().ToList();
            using var ms = new MemoryStream();
            JsonExport.WriteAsync(store.ReadDocumentsAsync(ids), ms, true, default, view).GetAwaiter().GetResult();
            return (int)ms.Length;
        });
        return 0;
    }
}
