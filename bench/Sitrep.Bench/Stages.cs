using System.Diagnostics;
using System.Globalization;
using Sitrep.Ingest;
using Sitrep.Pipeline;
using Sitrep.Store;
using Sitrep.Text;

namespace Sitrep.Bench;

/// <summary>
/// Where the time goes: the ingest path taken apart into its stages and run on one thread, each stage timed (wall
/// clock, process CPU time, allocations) over the first N articles. read = file length + async read (as
/// SourceLoader.LoadAsync does it); decode = SourceLoader.Decode (sniff, UTF-8 check and decode, SHA-256 id; sub-split
/// below); analyse = the DocumentAnalyzer that `sitrep ingest` builds (PipelineFactory, built-in KB), split by running
/// (each in its own pass over all documents) Segmenter.Segment alone, then a DocumentAnalyzer without linker (segment + tokens + sentences),
/// then with everything but the NER recogniser (KB linking, time, attribution), then the full one: KB linking + time + attribution = no-NER − plain, NER = full − no-NER; tokens + sentences = Tokenizer + SentenceSplitter timed directly on the
/// pieces the analyser tokenises;
/// store = SqliteStore.WriteAsync of the analysed documents (held in memory) into a fresh file, plus closing it.
/// </summary>
public static class Stages
{
    /// <summary>Accumulates wall time and process CPU time of one stage.</summary>
    private sealed class Split(string name, bool counted = true)
    {
        public readonly string Name = name;
        public readonly bool Counted = counted;
        public long WallTicks, CpuNs, Allocated;
        private long _w, _c, _a;
        public void Start() { _a = GC.GetTotalAllocatedBytes(precise: true); _c = CpuClock.Now(); _w = Stopwatch.GetTimestamp(); }
        public void Stop() { WallTicks += Stopwatch.GetTimestamp() - _w; CpuNs += CpuClock.Now() - _c; Allocated += GC.GetTotalAllocatedBytes(precise: true) - _a; }
        public double WallSeconds => WallTicks / (double)Stopwatch.Frequency;
        public double CpuSeconds => CpuNs / 1e9;
    }

    public static async Task<int> RunAsync(string corpusRoot, int count, string dbPath)
    {
        var files = Enumerable.Range(0, count).Select(i => Path.Combine(corpusRoot, Corpus.RelativePath(i))).ToList();
        // Warm up every stage first so tiered JIT has promoted the hot code (a few thousand calls, and time for tier 1).
        await PassAsync(files.Take(Math.Min(count, 2000)).ToList(), dbPath + ".warmup", print: false);
        await Task.Delay(500);
        return await PassAsync(files, dbPath, print: true);
    }

    private static async Task<int> PassAsync(List<string> files, string dbPath, bool print)
    {
        var io = PhysicalInputFiles.Instance;
        var full = Pipelines.AsCli();
        var kbOnly = Pipelines.KbOnly();
        var plain = new DocumentAnalyzer();
        var docs = new List<AnalyzedDocument>(files.Count);
        var sources = new List<SourceDocument>(files.Count);
        var read = new Split("read (length + async read)");
        var decode = new Split("decode (SourceLoader.Decode)");
        var sniff = new Split("  of which sniff", false);
        var utf8 = new Split("  of which UTF-8 decode", false);
        var hash = new Split("  of which SHA-256 id", false);
        var segment = new Split("segment (Segmenter.Segment)", false);
        var plainAnalyze = new Split("analyse without linker", false);
        var kbAnalyze = new Split("analyse without the NER recogniser", false);
        var tokenize = new Split("  of which tokens + sentences", false);
        var analyze = new Split("analyse (DocumentAnalyzer, as CLI)");
        var store = new Split("store (WriteAsync + close)");
        long bytes = 0;
        int articles = 0, tokensTotal = 0, sentencesTotal = 0, pieces = 0, entities = 0;

        foreach (var path in files)
        {
            read.Start();
            _ = io.Length(path);
            var raw = await io.ReadAllBytesAsync(path, CancellationToken.None);
            read.Stop();
            bytes += raw.Length;

            decode.Start();
            var (doc, problem) = SourceLoader.Decode(path, raw);
            decode.Stop();
            if (problem != null) throw new InvalidDataException(problem.ToString());

            // Decode's parts, timed again on their own (not added to the sum).
            sniff.Start(); _ = ContentSniffer.WhyNotText(raw); sniff.Stop();
            utf8.Start(); _ = TextDecoder.Decode(raw); utf8.Stop();
            hash.Start(); _ = SourceLoader.ContentId(raw); hash.Stop();

            sources.Add(doc!);
        }

        // The analyser's parts, each in its own pass over every document (so none runs on text another just warmed in
        // the CPU caches): segmentation alone, then without the linker, then the real thing (the counted one).
        var segs = new List<Segmentation>(sources.Count);
        foreach (var doc in sources) { segment.Start(); segs.Add(Segmenter.Segment(doc.Text, doc.Page)); segment.Stop(); }
        // Tokenizer + SentenceSplitter on every piece the analyser tokenises (article body, subheadings, title, dek, dateline).
        var tokens = new List<Token>(1024);
        var sentences = new List<SentenceSpan>(128);
        for (int i = 0; i < sources.Count; i++)
        {
            tokenize.Start();
            foreach (var piece in segs[i].Pieces)
            {
                if (piece.Article < 0 || piece.Kind is not (PieceKind.Article or PieceKind.Subheading or PieceKind.Title or PieceKind.Dek or PieceKind.Dateline)) continue;
                tokens.Clear();
                sentences.Clear();
                Tokenizer.Tokenize(sources[i].Text, piece.Start, piece.End, tokens);
                SentenceSplitter.Split(sources[i].Text, tokens, sentences);
            }
            tokenize.Stop();
        }
        foreach (var doc in sources) { plainAnalyze.Start(); _ = plain.Analyze(doc); plainAnalyze.Stop(); }
        foreach (var doc in sources) { kbAnalyze.Start(); _ = kbOnly.Analyze(doc); kbAnalyze.Stop(); }
        foreach (var doc in sources)
        {
            analyze.Start();
            var analyzed = full.Analyze(doc);
            analyze.Stop();
            docs.Add(analyzed);
            articles += analyzed.Articles.Count;
            pieces += analyzed.Segmentation.Pieces.Count;
            foreach (var a in analyzed.Articles) { tokensTotal += a.Tokens; sentencesTotal += a.Sentences.Count; entities += a.Entities.Length; }
        }

        EndToEnd.DeleteDb(dbPath);
        WriteSummary written;
        store.Start();
        await using (var s = await SqliteStore.OpenAsync(dbPath))
            written = await s.WriteAsync(ToAsync(docs), full.Fingerprint);
        store.Stop();
        long dbBytes = new FileInfo(dbPath).Length;
        EndToEnd.DeleteDb(dbPath);
        if (!print) return 0;


        var linking = Difference("  of which KB link + time + attrib.", kbAnalyze, plainAnalyze);
        var ner = Difference("  of which NER (perceptron)", analyze, kbAnalyze);
        var segmentRow = new Split("  of which segment", false) { WallTicks = segment.WallTicks, CpuNs = segment.CpuNs, Allocated = segment.Allocated };
        var splits = new[] { read, decode, sniff, utf8, hash, analyze, segmentRow, tokenize, linking, ner, store };
        var sum = new Split("sum");
        foreach (var s in splits.Where(s => s.Counted)) { sum.WallTicks += s.WallTicks; sum.CpuNs += s.CpuNs; sum.Allocated += s.Allocated; }
        int n = files.Count;
        var inv = CultureInfo.InvariantCulture;
        string Row(Split s) => string.Create(inv,
            $"| {s.Name,-34} | {s.WallSeconds,7:F2} | {s.WallSeconds / n * 1e6,8:F1} | {s.CpuSeconds / n * 1e6,8:F1} | {100.0 * s.CpuNs / sum.CpuNs,6:F1} % | {(s.CpuNs > 0 ? n / s.CpuSeconds : 0),9:F0} | {s.Allocated / 1024.0 / n,8:F1} |");
        Console.WriteLine(string.Create(inv, $"stages over {n} files ({bytes / 1048576.0:F1} MiB; {pieces} pieces, {articles} articles, {tokensTotal} tokens, {sentencesTotal} sentences, {entities} entities), one thread; load avg {EndToEnd.LoadAverage()}"));
        Console.WriteLine("| stage (indented: parts, not summed) |  wall s | wall µs/file | CPU µs/file | CPU share | files/CPU-s | KiB alloc/file |");
        Console.WriteLine("|------------------------------------|--------:|---------:|---------:|--------:|----------:|---------:|");
        foreach (var s in splits) Console.WriteLine(Row(s));
        Console.WriteLine(Row(sum));
        Console.WriteLine(string.Create(inv, $"store wrote {written.Added} documents / {written.Articles} articles, {dbBytes / 1048576.0:F0} MiB on disk"));
        double analysisCpu = (sum.CpuSeconds - store.CpuSeconds) / n, storeCpu = store.CpuSeconds / n;
        Console.WriteLine(string.Create(inv,
            $"ceilings on 2 idle cores: all stages shared perfectly {2 / (analysisCpu + storeCpu):F0} files/s; the single writer alone {1 / storeCpu:F0} files/s; read+analyse on 2 cores alone {2 / analysisCpu:F0} files/s"));
        return 0;
    }

    private static Split Difference(string name, Split whole, Split part) => new(name, false)
    {
        WallTicks = whole.WallTicks - part.WallTicks,
        CpuNs = whole.CpuNs - part.CpuNs,
        Allocated = whole.Allocated - part.Allocated,
    };

    public static async IAsyncEnumerable<AnalyzedDocument> ToAsync(IEnumerable<AnalyzedDocument> docs)
    {
        foreach (var d in docs) yield return d;
        await Task.CompletedTask;
    }
}
