using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sitrep.Ingest;
using Sitrep.Pipeline;

namespace Sitrep.Bench;

/// <summary>
/// The per-document analysis alone (DocumentAnalyzer as `sitrep ingest` builds it), on one thread, over files read
/// and decoded up front: a warm-up pass, then <c>repeat</c> timed passes (wall and process CPU per file, allocations).
/// Prints a SHA-256 digest of everything analysis stores (segmentation, sentences, entities, time JSON, quote JSON), so
/// two builds can be checked for identical results on the same inputs. Made for profilers too: run it under
/// `perf record` with DOTNET_PerfMapEnabled=1 and the samples are analysis and nothing else.
/// </summary>
public static class AnalyseLoop
{
    public static int Run(IReadOnlyList<string> files, int repeat, bool allocations = false)
    {
        var analyzer = Pipelines.AsCli();
        var docs = new List<SourceDocument>(files.Count);
        foreach (var f in files)
        {
            var (doc, problem) = SourceLoader.Decode(f, File.ReadAllBytes(f));
            if (problem != null) throw new InvalidDataException(problem.ToString());
            docs.Add(doc!);
        }
        // Warm-up (tiered JIT) and the digest, from the same pass.
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int articles = 0;
        foreach (var d in docs)
        {
            var a = analyzer.Analyze(d);
            articles += a.Articles.Count;
            Digest(sha, a);
        }
        string digest = Convert.ToHexStringLower(sha.GetHashAndReset());
        Thread.Sleep(300);
        if (docs.Count < 500) foreach (var d in docs) for (int k = 0; k < 3; k++) analyzer.Analyze(d);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"analyse: {docs.Count} files, {articles} articles, one thread; digest {digest}"));
        using var sampler = allocations ? new AllocationSampler() : null;
        for (int r = 0; r < repeat; r++)
        {
            long alloc0 = GC.GetTotalAllocatedBytes(precise: true);
            long c0 = CpuClock.Now();
            var w = Stopwatch.StartNew();
            foreach (var d in docs) analyzer.Analyze(d);
            double wall = w.Elapsed.TotalSeconds, cpu = (CpuClock.Now() - c0) / 1e9;
            long alloc = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
            Console.WriteLine(string.Create(inv,
                $"pass {r + 1}: wall {wall / docs.Count * 1e6:F1} µs/file, CPU {cpu / docs.Count * 1e6:F1} µs/file, {alloc / 1024.0 / docs.Count:F1} KiB alloc/file; load avg {EndToEnd.LoadAverage()}"));
        }
        if (sampler != null)
        {
            Console.WriteLine("allocation samples (one per ~100 KB allocated) by type, over the timed passes:");
            foreach (var (type, n) in sampler.Top(25)) Console.WriteLine(string.Create(inv, $"  {n,6}  {type}"));
        }
        return 0;
    }

    /// <summary>The runtime's GCAllocationTick events (sampled every ~100 KB of allocation), counted by type name.</summary>
    private sealed class AllocationSampler : System.Diagnostics.Tracing.EventListener
    {
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
                EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
        {
            if (e.EventName == null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames == null) return;
            int i = e.PayloadNames.IndexOf("TypeName");
            var name = i >= 0 ? e.Payload![i] as string ?? "?" : "?";
            lock (_counts) _counts[name] = _counts.GetValueOrDefault(name) + 1;
        }

        public List<(string Type, int Count)> Top(int n)
        {
            lock (_counts) return _counts.OrderByDescending(kv => kv.Value).Take(n).Select(kv => (kv.Key, kv.Value)).ToList();
        }
    }

    /// <summary>Everything the store keeps of an analysis, in a fixed order.</summary>
    public static void Digest(IncrementalHash sha, AnalyzedDocument a)
    {
        var sb = new StringBuilder();
        sb.Append(a.Source.Id).Append('\n');
        foreach (var p in a.Segmentation.Pieces) sb.Append(p.ToString()).Append(';');
        sb.Append('\n');
        foreach (var art in a.Articles)
        {
            sb.Append(art.Id).Append(' ').Append(art.Layout.ToString()).Append(inv($" tokens {art.Tokens}\n"));
            foreach (var s in art.Sentences) sb.Append(inv($"{s.Start}-{s.End}/{s.FirstToken}+{s.TokenCount};"));
            sb.Append('\n');
            foreach (var e in art.Entities)
            {
                sb.Append(inv($"{e.Key}|{e.Name}|{e.KbId}|{e.Type}|{e.Confidence:R}|"));
                foreach (var m in e.Mentions) sb.Append(inv($"{m.Start}-{m.End}:{m.Kind}:{m.Confidence:R}:{m.Source},"));
                foreach (var r in e.Roles) sb.Append(inv($"[{r.Title}|{r.RoleId}|{r.OrgId}|{r.Start}-{r.End}|{r.PersonStart}|{r.Former}]"));
                sb.Append('\n');
            }
            sb.Append(art.TimeJson).Append('\n').Append(art.QuotesJson).Append('\n');
        }
        sha.AppendData(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    private static string inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
