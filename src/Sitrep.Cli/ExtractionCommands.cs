using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sitrep.Ingest;
using Sitrep.Ingest.Html;

namespace Sitrep.Cli;

/// <summary>
/// <c>sitrep eval extraction --data DIR</c>: article extraction from HTML on the Zyte article-extraction-benchmark
/// and the trafilatura evaluation set, scored as their reference scripts score (docs/extraction.md).
/// </summary>
public static class ExtractionCommands
{
    public static Command Eval()
    {
        var data = new Option<string>("--data")
        {
            Description = "Folder holding zyte/ and trafilatura/ (../shared/data/extraction), or one of the two",
            Required = true,
            HelpName = "DIR",
        };
        var passes = new Option<int>("--passes") { Description = "Timed extraction passes over all pages (speed is the best pass)", DefaultValueFactory = _ => 3 };
        var worst = new Option<int>("--worst") { Description = "Also print the N worst pages of each set to stderr", DefaultValueFactory = _ => 0 };
        var predictions = new Option<string?>("--predictions")
        {
            Description = "Score another extractor's output instead: a JSON object {\"set/id\": text}, as bench/peers/readability writes it",
            HelpName = "FILE",
        };
        var dump = new Option<string?>("--dump-pages")
        {
            Description = "Write the decoded pages as JSON lines {set, id, html} to FILE (input for the peers), then score as usual",
            HelpName = "FILE",
        };
        var output = new Option<string?>("--output") { Description = "Write Sitrep's extracted text per page as JSON {\"set/id\": text} to FILE", HelpName = "FILE" };
        var parseOnly = new Option<bool>("--parse-only") { Description = "Time AngleSharp's parse alone (no extraction) over the same pages, to see where the time goes" };
        var explain = new Option<string?>("--explain") { Description = "Print how the page with this id was extracted (candidates, roots, text) and stop", HelpName = "ID" };
        var cmd = new Command("extraction", "Article extraction from HTML (Zyte benchmark F1 over 4-token shingles, trafilatura set P/R/F); prints Zyte F1 last")
        {
            data, passes, worst, predictions, dump, output, explain, parseOnly,
        };
        cmd.SetAction((parse, ct) => parse.GetValue(explain) is { } id ? ExplainAsync(parse.GetValue(data)!, id, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error) : RunAsync(parse.GetValue(data)!, Math.Max(1, parse.GetValue(passes)), parse.GetValue(worst),
            parse.GetValue(predictions), parse.GetValue(dump), parse.GetValue(output), parse.GetValue(parseOnly), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        return cmd;
    }

    internal static async Task<int> RunAsync(string dir, int passes, int worst, string? predictionsPath, string? dumpPath, string? outputPath, bool parseOnly,
        TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (!Directory.Exists(dir))
        {
            await stderr.WriteLineAsync($"sitrep: {dir}: no such folder").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        var sets = ExtractionBenchmark.FindSets(dir);
        if (sets.Count == 0)
        {
            await stderr.WriteLineAsync($"sitrep: {dir}: neither zyte/ground-truth.json nor trafilatura/evaldata.json found").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        var pages = new List<BenchmarkPage>();
        try
        {
            foreach (var (set, d) in sets) pages.AddRange(ExtractionBenchmark.Load(set, d));
        }
        catch (InvalidDataException e)
        {
            await stderr.WriteLineAsync($"sitrep: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        if (dumpPath is not null)
        {
            try
            {
                await using var w = new StreamWriter(dumpPath);
                foreach (var p in pages)
                    await w.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["set"] = p.Set, ["id"] = p.Id, ["html"] = p.Html })).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"sitrep: {dumpPath}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
        }

        if (parseOnly)
        {
            var parser = new AngleSharp.Html.Parser.HtmlParser(new AngleSharp.Html.Parser.HtmlParserOptions { IsScripting = false });
            double best = double.MaxValue, bestCpuParse = double.MaxValue;
            for (int pass = 0; pass < passes + 1; pass++) // one extra, untimed-in-effect warm-up pass
            {
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                foreach (var p in pages) parser.ParseDocument(p.Html).Dispose();
                if (pass == 0) continue;
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
                bestCpuParse = Math.Min(bestCpuParse, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
            }
            var ci = CultureInfo.InvariantCulture;
            await stdout.WriteLineAsync($"parse_only_seconds_best_pass: {best.ToString("0.000", ci)}").ConfigureAwait(false);
            await stdout.WriteLineAsync($"parse_only_cpu_seconds_best_pass: {bestCpuParse.ToString("0.000", ci)}").ConfigureAwait(false);
            await stdout.WriteLineAsync($"parse_only_pages_per_cpu_second: {(pages.Count / bestCpuParse).ToString("0.0", ci)}").ConfigureAwait(false);
            await stdout.WriteLineAsync($"load_average: {LoadAverage()}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var texts = new string[pages.Count];
        var metas = new PageMetadata?[pages.Count];
        double bestSeconds = double.MaxValue, bestCpu = double.MaxValue;
        string extractor = "sitrep";
        if (predictionsPath is not null)
        {
            extractor = Path.GetFileNameWithoutExtension(predictionsPath);
            Dictionary<string, string?>? pred;
            try { pred = JsonSerializer.Deserialize<Dictionary<string, string?>>(await File.ReadAllTextAsync(predictionsPath, ct).ConfigureAwait(false)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                await stderr.WriteLineAsync($"sitrep: {predictionsPath}: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            for (int i = 0; i < pages.Count; i++)
                texts[i] = pred is not null && pred.TryGetValue(pages[i].Set + "/" + pages[i].Id, out var t) ? t ?? "" : "";
        }
        else
        {
            var x = HtmlExtractor.Default;
            x.Extract("<html><body><p>warm up, warm up, warm up the extractor before timing it.</p></body></html>", ct);
            for (int pass = 0; pass < passes; pass++)
            {
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < pages.Count; i++)
                {
                    var a = x.Extract(pages[i].Html, ct);
                    texts[i] = a.Text;
                    metas[i] = a.Metadata;
                }
                clock.Stop();
                bestSeconds = Math.Min(bestSeconds, clock.Elapsed.TotalSeconds);
                bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
            }
            if (outputPath is not null)
            {
                var map = new Dictionary<string, string>();
                for (int i = 0; i < pages.Count; i++) map[pages[i].Set + "/" + pages[i].Id] = texts[i];
                try { await File.WriteAllTextAsync(outputPath, JsonSerializer.Serialize(map), ct).ConfigureAwait(false); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await stderr.WriteLineAsync($"sitrep: {outputPath}: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.BadInput;
                }
            }
        }

        var inv = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("0.0000", inv);
        var lines = new List<(string, string)> { ("extractor", extractor) };
        string? headline = null;
        var zyte = new List<(int Index, ExtractionScoring.ShingleCounts C)>();
        var traf = new List<(int Index, ExtractionScoring.SegmentCounts C)>();
        for (int i = 0; i < pages.Count; i++)
        {
            var p = pages[i];
            if (p.Set == "zyte") zyte.Add((i, ExtractionScoring.ShingleMatch(p.Truth, texts[i])));
            else traf.Add((i, ExtractionScoring.SegmentMatch(texts[i], p.With, p.Without)));
        }
        if (traf.Count > 0)
        {
            var sum = traf.Aggregate(default(ExtractionScoring.SegmentCounts), (a, b) => a + b.C);
            lines.Add(("trafilatura_pages", traf.Count.ToString(inv)));
            lines.Add(("trafilatura_precision", F(sum.Precision)));
            lines.Add(("trafilatura_recall", F(sum.Recall)));
            lines.Add(("trafilatura_f", F(sum.F)));
            headline = "trafilatura_f";
            if (predictionsPath is null)
            {
                foreach (var field in new[] { "title", "author", "date" })
                {
                    var pairs = traf.Select(t => (Gold: field switch { "title" => pages[t.Index].Title, "author" => pages[t.Index].Author, _ => pages[t.Index].Date },
                        Ours: field switch { "title" => metas[t.Index]?.Title, "author" => metas[t.Index]?.Author, _ => metas[t.Index]?.Published }));
                    var (hits, total) = ExtractionScoring.MetaAgreement(pairs, field);
                    lines.Add(($"trafilatura_meta_{field}_accuracy", total == 0 ? "n/a" : F((double)hits / total) + $" ({hits}/{total})"));
                }
            }
        }
        if (pages.Count > 0 && predictionsPath is null)
        {
            lines.Add(("pages", pages.Count.ToString(inv)));
            lines.Add(("passes", passes.ToString(inv)));
            lines.Add(("seconds_best_pass", bestSeconds.ToString("0.000", inv)));
            lines.Add(("cpu_seconds_best_pass", bestCpu.ToString("0.000", inv)));
            lines.Add(("pages_per_cpu_second", (pages.Count / Math.Max(bestCpu, 1e-9)).ToString("0.0", inv)));
            lines.Add(("pages_per_second", (pages.Count / Math.Max(bestSeconds, 1e-9)).ToString("0.0", inv)));
            lines.Add(("load_average", LoadAverage()));
        }
        if (zyte.Count > 0)
        {
            var (prec, rec, f1) = ExtractionScoring.ZyteAverage(zyte.Select(z => z.C));
            lines.Add(("zyte_pages", zyte.Count.ToString(inv)));
            lines.Add(("zyte_precision", F(prec)));
            lines.Add(("zyte_recall", F(rec)));
            lines.Add(("zyte_f1", F(f1)));
            headline = "zyte_f1";
        }
        // The headline figure goes last.
        if (headline is not null)
        {
            int h = lines.FindIndex(l => l.Item1 == headline);
            var hl = lines[h];
            lines.RemoveAt(h);
            lines.Add(hl);
        }
        foreach (var (name, value) in lines) await stdout.WriteLineAsync($"{name}: {value}").ConfigureAwait(false);

        if (worst > 0)
        {
            foreach (var (i, c) in zyte.OrderBy(z => PageF1(z.C)).Take(worst))
                await stderr.WriteLineAsync($"worst zyte {pages[i].Id} f1={PageF1(c).ToString("0.000", inv)} p={(c.Precision ?? 0).ToString("0.000", inv)} r={(c.Recall ?? 0).ToString("0.000", inv)} chars={texts[i].Length} truth={pages[i].Truth?.Length}").ConfigureAwait(false);
            foreach (var (i, _) in traf)
            {
                var m = metas[i];
                if (m is null) continue;
                foreach (var field in new[] { "title", "author", "date" })
                {
                    var gold = field switch { "title" => pages[i].Title, "author" => pages[i].Author, _ => pages[i].Date };
                    var ours = field switch { "title" => m.Title, "author" => m.Author, _ => m.Published };
                    if (ExtractionScoring.MetaAgreement([(gold, ours)], field) is { Total: 1, Hits: 0 })
                        await stderr.WriteLineAsync($"meta {field} {pages[i].Id}: gold=[{gold}] ours=[{ours}]").ConfigureAwait(false);
                }
            }
            foreach (var (i, c) in traf.Where(t => t.C.Fp + t.C.Fn > 0).OrderByDescending(t => t.C.Fp + t.C.Fn).Take(worst))
            {
                var o = ExtractionScoring.NormalizeSpace(texts[i]);
                var missed = pages[i].With.Where(w => !o.Contains(ExtractionScoring.NormalizeSpace(w), StringComparison.Ordinal));
                var wrong = pages[i].Without.Where(w => o.Contains(ExtractionScoring.NormalizeSpace(w), StringComparison.Ordinal));
                await stderr.WriteLineAsync($"worst trafilatura {pages[i].Id} fp={c.Fp} fn={c.Fn} chars={texts[i].Length} missed=[{string.Join(" | ", missed)}] extra=[{string.Join(" | ", wrong)}]").ConfigureAwait(false);
            }
        }
        return ExitCodes.Ok;
    }

    private static async Task<int> ExplainAsync(string dir, string id, TextWriter stdout, TextWriter stderr)
    {
        foreach (var (set, d) in ExtractionBenchmark.FindSets(dir))
        {
            var file = set == "zyte" ? Path.Combine(d, "html", id + ".html.gz") : Path.Combine(d, "html", id);
            if (!File.Exists(file)) continue;
            var page = ExtractionBenchmark.Load(set, d).First(p => p.Id == id);
            await stdout.WriteLineAsync(HtmlExtractor.Default.Explain(page.Html)).ConfigureAwait(false);
            if (page.Truth is not null) await stdout.WriteLineAsync("---- truth\n" + page.Truth).ConfigureAwait(false);
            else await stdout.WriteLineAsync("---- with: " + string.Join(" | ", page.With) + "\n---- without: " + string.Join(" | ", page.Without)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        await stderr.WriteLineAsync($"sitrep: {id}: no such page under {dir}").ConfigureAwait(false);
        return ExitCodes.BadInput;
    }

    private static double PageF1(ExtractionScoring.ShingleCounts c)
    {
        double p = c.Precision ?? 0, r = c.Recall ?? 0;
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    private static string LoadAverage()
    {
        try
        {
            var s = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', s.Take(3));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "unknown"; }
    }
}
