using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sitrep.Ingest;
using Sitrep.Pipeline;

namespace Sitrep.Bench;

/// <summary>
/// How analysis time grows with the size of one input: texts of 1, 2, 4, 8, 16 MiB (UTF-8) built by concatenating
/// generated articles (<see cref="Corpus"/>, from the FNC-1 bodies), in two shapes: "lines" (the articles as they are:
/// paragraphs on lines of their own) and "single" (every line break replaced by a space: one 16 MiB line). Each text is
/// analysed once per stage set: segmentation alone, a DocumentAnalyzer without linker (segment + tokens + sentences), and
/// the analyser `sitrep ingest` builds (KB + NER linking, time, attribution). Reported per size: wall and process CPU
/// seconds, and seconds per MiB (flat when linear). A stage that exceeds --limit seconds is abandoned through the
/// analyser's watchdog and larger sizes of it are skipped.
/// </summary>
public static class Scale
{
    public static int Run(string csv, IReadOnlyList<double> sizesMiB, string shapes, double limitSeconds)
    {
        var corpus = Corpus.FromCsv(csv, Program.DefaultSeed);
        var full = Pipelines.AsCli();
        var plain = new DocumentAnalyzer();
        // Warm up the JIT on ordinary articles first.
        for (int i = 0; i < 200; i++) { var t = corpus.Article(i); _ = full.Analyze(Doc(t)); _ = plain.Analyze(Doc(t)); }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scale: limit {limitSeconds:F0} s per measurement; sizes {string.Join(",", sizesMiB)} MiB; {Environment.ProcessorCount} cores"));
        Console.WriteLine($"{"shape",-7} {"stage",-9} {"MiB",5} {"chars",10} {"wall s",8} {"cpu s",8} {"cpu s/MiB",10} {"articles",9} {"note"}");
        foreach (var shape in shapes.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var gaveUp = new HashSet<string>();
            foreach (double mib in sizesMiB)
            {
                var text = Build(corpus, mib, shape);
                var doc = Doc(text);
                foreach (var (stage, run) in new (string, Func<CancellationToken, int>)[]
                         {
                             ("segment", _ => Segmenter.Segment(doc.Text, doc.Page).Articles.Count),
                             ("plain", ct => plain.Analyze(doc, ct).Articles.Count),
                             ("full", ct => full.Analyze(doc, ct).Articles.Count),
                         })
                {
                    if (gaveUp.Contains(stage)) continue;
                    GC.Collect();
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(limitSeconds));
                    long c0 = CpuClock.Now();
                    var w = Stopwatch.StartNew();
                    string note = "";
                    int articles = -1;
                    try { articles = run(cts.Token); }
                    catch (OperationCanceledException) { note = $"abandoned at the {limitSeconds:F0} s limit"; gaveUp.Add(stage); }
                    double wall = w.Elapsed.TotalSeconds, cpu = (CpuClock.Now() - c0) / 1e9;
                    double bytes = Encoding.UTF8.GetByteCount(text) / 1048576.0;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{shape,-7} {stage,-9} {bytes,5:F1} {text.Length,10} {wall,8:F2} {cpu,8:F2} {cpu / bytes,10:F2} {articles,9} {note}"));
                }
            }
        }
        return 0;
    }

    private static SourceDocument Doc(string text) =>
        new("scale.txt", SourceLoader.ContentId(Encoding.UTF8.GetBytes(text)), text, "utf-8", DocumentFormat.Text, Encoding.UTF8.GetByteCount(text));

    /// <summary>Generated articles, concatenated (blank line between) until the UTF-8 size reaches <paramref name="mib"/> MiB.</summary>
    /// <param name="shape">"lines": the articles as generated (headline, paragraphs, credit line); "single": the same on one
    /// line; "para": the articles' paragraphs only, blank line between (no headline or credit: one article of many paragraphs).</param>
    public static string Build(Corpus corpus, double mib, string shape)
    {
        bool singleLine = shape == "single";
        long target = (long)(mib * 1048576L);
        var sb = new StringBuilder((int)Math.Min(int.MaxValue / 2, target + 65536));
        long bytes = 0;
        for (int i = 0; bytes < target; i++)
        {
            var a = corpus.Article(i);
            if (shape == "para")
                a = string.Join("\n\n", a.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).SkipLast(1));
            if (singleLine) a = a.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');
            sb.Append(a).Append(singleLine ? " " : "\n\n");
            bytes += Encoding.UTF8.GetByteCount(a) + (singleLine ? 1 : 2);
        }
        return sb.ToString();
    }
}
