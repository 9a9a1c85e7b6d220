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
    public static int Run(IReadOnlyList<string> files, int repeat)
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
        return 0;
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
