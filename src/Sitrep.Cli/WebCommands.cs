using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Sitrep.Ingest;
using Sitrep.Ingest.Dedup;
using Sitrep.Ingest.Warc;
using Sitrep.Ingest.Web;
using Sitrep.Pipeline;
using Sitrep.Store;
using Sitrep.Stories;

namespace Sitrep.Cli;

/// <summary>Web input for the CLI: URLs, feeds and WARC files for <c>ingest</c> and <c>watch</c>; <c>eval dedup</c>, <c>eval warc</c>.</summary>
public static partial class WebCommands
{
    public static bool IsUrl(string arg) =>
        Uri.TryCreate(arg, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);

    public static string HttpCachePath(string db) => db + ".http-cache.json";
    public static string WatchStatePath(string db) => db + ".watch-state.json";
    /// <summary>Where stores before schema v6 kept their duplicate index (now in the store); removed with the other side files of a new store.</summary>
    public static string DedupPath(string db) => db + ".dedup.bin";

    /// <summary>
    /// The side files kept next to a database (HTTP validators, watch state, duplicate index) describe what it holds; for a
    /// database that did not exist before this run they are stale and are removed, so a 304 never hides a page the new
    /// database lacks.
    /// </summary>
    internal static void ResetSideFiles(string db)
    {
        foreach (var f in new[] { HttpCachePath(db), WatchStatePath(db), DedupPath(db) })
            if (File.Exists(f)) File.Delete(f);
    }

    /// <summary>"15m", "30s", "2h", "1d", "90" (seconds) or "00:15:00".</summary>
    public static TimeSpan? ParseDuration(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        s = s.Trim();
        var inv = CultureInfo.InvariantCulture;
        char unit = s[^1];
        if (char.IsLetter(unit) && double.TryParse(s[..^1], NumberStyles.Float, inv, out var n) && n >= 0)
            return unit switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
        if (double.TryParse(s, NumberStyles.Float, inv, out var secs) && secs >= 0) return TimeSpan.FromSeconds(secs);
        return TimeSpan.TryParse(s, inv, out var t) && t >= TimeSpan.Zero ? t : null;
    }

    /// <summary>What a web run saw besides the stored documents: 304s, skipped WARC records, duplicates and wire credits.</summary>
    public sealed class WebRunCounts
    {
        public int ExactDuplicates, NearDuplicates, WireCredited;
    }

    /// <summary>Files, folders, WARC files and URLs as one stream of inputs, in the order given (folders expanded, sorted).</summary>
    internal static async IAsyncEnumerable<SourceInput> InputsAsync(IReadOnlyList<string> args, WebSource web, WarcSource warc,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var loader = new SourceLoader();
        foreach (var arg in args)
        {
            if (IsUrl(arg))
            {
                await foreach (var i in web.ReadAsync([new Uri(arg)], ct: ct).ConfigureAwait(false)) yield return i;
                continue;
            }
            if (WarcReader.IsWarcPath(arg) && File.Exists(arg))
            {
                await foreach (var i in warc.ReadAsync(arg, ct).ConfigureAwait(false)) yield return i;
                continue;
            }
            var (files, problems, _) = loader.Expand([arg]);
            foreach (var p in problems) yield return SourceInput.Failed(p);
            foreach (var f in files)
            {
                if (WarcReader.IsWarcPath(f))
                {
                    await foreach (var i in warc.ReadAsync(f, ct).ConfigureAwait(false)) yield return i;
                    continue;
                }
                var (doc, problem) = await loader.LoadAsync(f, ct).ConfigureAwait(false);
                yield return problem != null ? SourceInput.Failed(problem) : SourceInput.Decoded(doc!);
            }
        }
    }

    /// <summary>
    /// Runs a mixed ingest through <see cref="IngestRun"/>'s input overload, then the cross-source stage; saves the
    /// HTTP validators (next to the database) only after the run has been stored, forgetting those of failed URLs.
    /// </summary>
    internal static async Task<(RunReport Report, WebRunCounts Counts, int WarcSkipped)> IngestAsync(
        IReadOnlyList<string> args, SqliteStore store, DocumentAnalyzer analyzer, FetchOptions fetch, CancellationToken ct, TimeSpan? timeLimit = null)
    {
        var cachePath = HttpCachePath(store.Path);
        var cache = await LoadCacheAsync(cachePath, ct).ConfigureAwait(false);
        using var fetcher = new HttpFetcher(fetch, cache);
        var web = new WebSource(fetcher);
        var warc = new WarcSource();
        var counts = new WebRunCounts();
        var run = new IngestRun(analyzer) { AnalysisTimeLimit = timeLimit ?? DocumentAnalyzer.DefaultTimeLimit };
        var report = await run.RunAsync(InputsAsync(args, web, warc, ct), store, null, ct).ConfigureAwait(false);
        web.ForgetFailures(report.Problems);
        if (args.Any(IsUrl)) await cache.SaveAsync(cachePath, ct).ConfigureAwait(false);
        Count(await new CrossSourceStage().UpdateAsync(store, ct).ConfigureAwait(false), counts);
        return (report with { NotModified = web.NotModified, Skipped = warc.Skipped }, counts, warc.Skipped);
    }

    private static async Task<JsonHttpCache> LoadCacheAsync(string path, CancellationToken ct)
    {
        try { return await JsonHttpCache.LoadAsync(path, ct).ConfigureAwait(false); }
        catch (InvalidDataException e) { throw new BadInputException(e.Message); }
    }

    internal static void Count(ModelUpdate u, WebRunCounts counts)
    {
        counts.ExactDuplicates += u.ExactDuplicates;
        counts.NearDuplicates += u.NearDuplicates;
        counts.WireCredited += u.WireCredited;
    }

    internal static string Summary(RunReport r, WebRunCounts c)
    {
        var parts = new List<string>();
        if (r.NotModified > 0) parts.Add($"{r.NotModified} URL{(r.NotModified == 1 ? "" : "s")} not modified since the last run");
        if (r.Skipped > 0) parts.Add($"{r.Skipped} WARC record{(r.Skipped == 1 ? "" : "s")} skipped (not an HTML 200 response)");
        if (c.ExactDuplicates + c.NearDuplicates > 0) parts.Add($"{c.ExactDuplicates} exact and {c.NearDuplicates} near duplicate article{(c.ExactDuplicates + c.NearDuplicates == 1 ? "" : "s")} linked to their origin");
        if (c.WireCredited > 0) parts.Add($"{c.WireCredited} article{(c.WireCredited == 1 ? "" : "s")} credit a news agency");
        return string.Join("; ", parts);
    }

    /// <summary>Reads a watch list: one feed URL per line; blank lines and lines starting with # are ignored.</summary>
    internal static List<Uri> ReadFeedList(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: no such file");
        var feeds = new List<Uri>();
        int n = 0;
        foreach (var raw in File.ReadLines(path))
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (!IsUrl(line)) throw new BadInputException($"{path}:{n}: not an http(s) URL: {line}");
            feeds.Add(new Uri(line));
        }
        if (feeds.Count == 0) throw new BadInputException($"{path}: no feed URLs (one per line)");
        return feeds;
    }

    /// <summary>One poll of every feed: new items only, then the seen state and the HTTP validators are saved.</summary>
    internal static async Task<(RunReport Report, WebRunCounts Counts)> PollAsync(
        IReadOnlyList<Uri> feeds, SqliteStore store, DocumentAnalyzer analyzer, FetchOptions fetch, CancellationToken ct)
    {
        var cachePath = HttpCachePath(store.Path);
        var statePath = WatchStatePath(store.Path);
        var cache = await LoadCacheAsync(cachePath, ct).ConfigureAwait(false);
        FeedWatchState state;
        try { state = await FeedWatchState.LoadAsync(statePath, ct).ConfigureAwait(false); }
        catch (InvalidDataException e) { throw new BadInputException(e.Message); }
        using var fetcher = new HttpFetcher(fetch, cache);
        var web = new WebSource(fetcher);
        var counts = new WebRunCounts();
        var run = new IngestRun(analyzer);
        var inputs = web.ReadAsync(feeds, feedsOnly: true, isNew: (feed, entry) => !state.HasSeen(feed, entry.Key!), ct: ct);
        var report = await run.RunAsync(inputs, store, null, ct).ConfigureAwait(false);
        Count(await new CrossSourceStage().UpdateAsync(store, ct).ConfigureAwait(false), counts);
        var failed = report.Problems.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var item in web.Items)
            if (!failed.Contains(item.Path)) state.MarkSeen(item.Feed, item.Key);
        web.ForgetFailures(report.Problems);
        await state.SaveAsync(statePath, ct).ConfigureAwait(false);
        await cache.SaveAsync(cachePath, ct).ConfigureAwait(false);
        return (report with { NotModified = web.NotModified }, counts);
    }
}

public static partial class WebCommands
{
    /// <summary><c>eval dedup --data DIR [--split test|dev] [--seed N]</c>: near-duplicate precision/recall on FNC-1 (docs/benchmarks.md).</summary>
    public static System.CommandLine.Command EvalDedup()
    {
        var data = new System.CommandLine.Option<string>("--data") { Description = "FNC-1 folder (train_bodies.csv, train_stances.csv): ../shared/data/stance/fnc1", Required = true, HelpName = "DIR" };
        var split = new System.CommandLine.Option<string>("--split") { Description = "Bodies with odd ids (test) or even ids (dev, used for tuning)", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "dev");
        var seed = new System.CommandLine.Option<int>("--seed") { Description = "Seed of the copy edits and the stream order", DefaultValueFactory = _ => 1 };
        var shingle = new System.CommandLine.Option<int?>("--shingle") { Description = "Override: words per shingle" };
        var containment = new System.CommandLine.Option<double?>("--containment") { Description = "Override: least containment" };
        var jaccard = new System.CommandLine.Option<double?>("--jaccard") { Description = "Override: least Jaccard similarity" };
        var cmd = new System.CommandLine.Command("dedup", "Near-duplicate detection: edited copies of FNC-1 bodies vs different articles on the same story; prints precision, recall, throughput, F1 (last)")
        {
            data, split, seed, shingle, containment, jaccard,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var dir = parse.GetValue(data)!;
            if (!File.Exists(Path.Combine(dir, "train_bodies.csv")) || !File.Exists(Path.Combine(dir, "train_stances.csv")))
            {
                await stderr.WriteLineAsync($"sitrep: {dir}: no train_bodies.csv and train_stances.csv (FNC-1)");
                return ExitCodes.BadInput;
            }
            var o = new NearDuplicateOptions();
            if (parse.GetValue(shingle) is { } k) o = o with { ShingleWords = k };
            if (parse.GetValue(containment) is { } c) o = o with { MinContainment = c };
            if (parse.GetValue(jaccard) is { } j) o = o with { MinSimilarity = j };
            var s = await Task.Run(() => DedupEvaluation.Run(dir, parse.GetValue(split) == "test", parse.GetValue(seed), o), ct);
            var inv = CultureInfo.InvariantCulture;
            await stdout.WriteLineAsync(string.Create(inv, $"split: {parse.GetValue(split)} (seed {parse.GetValue(seed)})"));
            await stdout.WriteLineAsync(string.Create(inv, $"index: {o.ShingleWords}-word shingles, MinHash {o.Bands}x{o.RowsPerBand}, containment >= {o.MinContainment}, jaccard >= {o.MinSimilarity}"));
            await stdout.WriteLineAsync(string.Create(inv, $"bodies: {s.Bodies}"));
            await stdout.WriteLineAsync(string.Create(inv, $"edited copies (positives): {s.Copies}"));
            await stdout.WriteLineAsync(string.Create(inv, $"hard negative pairs (same headline, related stance): {s.HardNegativePairs}"));
            await stdout.WriteLineAsync(string.Create(inv, $"hard negatives that are copies in the data (exact {o.ShingleWords}-shingle containment >= 0.5): {s.NoisyNegatives}"));
            await stdout.WriteLineAsync(string.Create(inv, $"pairs precision without them: {s.CleanPairPrecision:F4} ({s.PairFalsePositives - s.NoisyFalsePositives} fp)"));
            await stdout.WriteLineAsync(string.Create(inv, $"pairs precision: {s.PairPrecision:F4} ({s.PairTruePositives} tp, {s.PairFalsePositives} fp)"));
            await stdout.WriteLineAsync(string.Create(inv, $"pairs recall: {s.PairRecall:F4} ({s.PairFalseNegatives} fn)"));
            await stdout.WriteLineAsync(string.Create(inv, $"pairs F1: {s.PairF1:F4}"));
            await stdout.WriteLineAsync(string.Create(inv, $"stream links: {s.Links} ({s.TruePositiveLinks} right)"));
            await stdout.WriteLineAsync(string.Create(inv, $"stream hard negatives joined: {s.HardNegativesLinked} of {s.HardNegativePairs}"));
            await stdout.WriteLineAsync(string.Create(inv, $"stream precision: {s.Precision:F4}"));
            await stdout.WriteLineAsync(string.Create(inv, $"stream recall: {s.Recall:F4}"));
            await stdout.WriteLineAsync(string.Create(inv, $"throughput: {(s.Bodies + s.Copies) / Math.Max(s.Seconds, 1e-9):F0} articles/s ({s.Characters / 1048576.0 / Math.Max(s.Seconds, 1e-9):F1} MB/s of text, one thread)"));
            await stdout.WriteLineAsync(string.Create(inv, $"F1: {s.F1:F4}"));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// <c>eval warc --data DIR --records N [--out FILE] [--keep]</c>: writes a WARC.gz of N records (FNC-1 bodies wrapped
    /// in HTML pages with realistic boilerplate, one gzip member per record, plus request, image and 404 records), then
    /// streams it through the WARC reader and the decoder (HTML extraction) and reports the peak working set.
    /// </summary>
    public static System.CommandLine.Command EvalWarc()
    {
        var data = new System.CommandLine.Option<string>("--data") { Description = "FNC-1 folder (train_bodies.csv)", Required = true, HelpName = "DIR" };
        var records = new System.CommandLine.Option<int>("--records") { Description = "HTML response records to write", DefaultValueFactory = _ => 50_000 };
        var output = new System.CommandLine.Option<string?>("--out") { Description = "WARC file to write (default: a temporary file, deleted after)", HelpName = "FILE" };
        var keep = new System.CommandLine.Option<bool>("--keep") { Description = "Keep the generated file" };
        var readOnly = new System.CommandLine.Option<bool>("--read-only") { Description = "Do not generate: read the existing --out file" };
        var cmd = new System.CommandLine.Command("warc", "Stream a large generated WARC file through the reader and decoder; prints records, MB, seconds, peak working set (last)")
        {
            data, records, output, keep, readOnly,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var inv = CultureInfo.InvariantCulture;
            var path = parse.GetValue(output) ?? Path.Combine(Path.GetTempPath(), $"sitrep-bench-{Environment.ProcessId}.warc.gz");
            long uncompressed = 0;
            if (!parse.GetValue(readOnly))
            {
                var (bodies, _) = DedupEvaluation.Load(parse.GetValue(data)!);
                var gen = Stopwatch.StartNew();
                uncompressed = await BenchWarc.WriteAsync(path, bodies.Select(b => b.Text).ToList(), parse.GetValue(records), ct);
                await stdout.WriteLineAsync(string.Create(inv, $"generated: {path} ({new FileInfo(path).Length / 1048576.0:F0} MB compressed, {uncompressed / 1048576.0:F0} MB uncompressed) in {gen.Elapsed.TotalSeconds:F1} s"));
            }
            var peakBefore = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;
            var clock = Stopwatch.StartNew();
            var warc = new WarcSource();
            int docs = 0, problems = 0;
            long chars = 0;
            await Parallel.ForEachAsync(warc.ReadAsync(path, ct), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, (input, _) =>
            {
                var (doc, problem) = input.Decode();
                if (doc != null) { Interlocked.Increment(ref docs); Interlocked.Add(ref chars, doc.Text.Length); }
                else if (problem != null) Interlocked.Increment(ref problems);
                return ValueTask.CompletedTask;
            });
            clock.Stop();
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            await stdout.WriteLineAsync(string.Create(inv, $"records: {warc.Records} ({docs} documents, {warc.Skipped} skipped, {problems} problems)"));
            await stdout.WriteLineAsync(string.Create(inv, $"extracted text: {chars / 1048576.0:F0} M chars"));
            await stdout.WriteLineAsync(string.Create(inv, $"read+decode: {clock.Elapsed.TotalSeconds:F1} s ({docs / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} documents/s)"));
            await stdout.WriteLineAsync(string.Create(inv, $"peak working set before reading: {peakBefore / 1048576.0:F0} MB"));
            await stdout.WriteLineAsync(string.Create(inv, $"peak working set: {self.PeakWorkingSet64 / 1048576.0:F0} MB"));
            if (parse.GetValue(output) == null && !parse.GetValue(keep)) File.Delete(path);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

/// <summary>Writes the benchmark WARC: one gzip member per record.</summary>
internal static class BenchWarc
{
    private static readonly string Boilerplate = BuildBoilerplate();

    private static string BuildBoilerplate()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("<script>window.dataLayer=window.dataLayer||[];");
        for (int i = 0; i < 300; i++) sb.Append(CultureInfo.InvariantCulture, $"function f{i}(a,b){{return a*{i}+b-Math.floor(a/{i + 1});}}");
        sb.Append("</script><nav><ul>");
        for (int i = 0; i < 60; i++) sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/section/{i}\">Section {i}</a></li>");
        sb.Append("</ul></nav>");
        return sb.ToString();
    }

    public static async Task<long> WriteAsync(string path, IReadOnlyList<string> bodies, int records, CancellationToken ct)
    {
        long total = 0;
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (int i = 0; i < records; i++)
        {
            ct.ThrowIfCancellationRequested();
            var body = bodies[i % bodies.Count];
            var uri = $"https://news.example/{i / bodies.Count}/story-{i}";
            var paras = string.Join("", body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => "<p>" + System.Net.WebUtility.HtmlEncode(p) + "</p>"));
            var html = $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Story {i}</title></head><body>{Boilerplate}<article><h1>Story {i}</h1>{paras}</article><footer>© News Example</footer></body></html>";
            total += WriteRecord(file, "response", uri, "text/html; charset=utf-8", 200, System.Text.Encoding.UTF8.GetBytes(html));
            if (i % 10 == 0) total += WriteRecord(file, "request", uri, null, 0, "GET / HTTP/1.1\r\nHost: news.example\r\n\r\n"u8.ToArray());
            if (i % 25 == 0) total += WriteRecord(file, "response", uri + "/photo.jpg", "image/jpeg", 200, new byte[2048]);
            if (i % 50 == 0) total += WriteRecord(file, "response", uri + "/missing", "text/html", 404, "<html><body>Not found</body></html>"u8.ToArray());
        }
        return total;
    }

    private static long WriteRecord(Stream file, string type, string uri, string? contentType, int status, byte[] payload)
    {
        byte[] block = type == "response"
            ? [.. System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {(status == 200 ? "OK" : "Not Found")}\r\nContent-Type: {contentType}\r\nContent-Length: {payload.Length}\r\n\r\n"), .. payload]
            : payload;
        var head = System.Text.Encoding.ASCII.GetBytes(
            $"WARC/1.0\r\nWARC-Type: {type}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2026-11-23T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{Guid.NewGuid()}>\r\n" +
            $"Content-Type: application/http; msgtype={type}\r\nContent-Length: {block.Length}\r\n\r\n");
        using (var gz = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(head);
            gz.Write(block);
            gz.Write("\r\n\r\n"u8);
        }
        return head.Length + block.Length + 4;
    }
}
