using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sitrep.Attribution;
using Sitrep.Ingest;
using Sitrep.Knowledge;
using Sitrep.Pipeline;
using Sitrep.Text;
using Sitrep.Text.Ner;
using Sitrep.Time;

namespace Sitrep.Bench;

/// <summary>
/// Where the time of one big input goes: the stages DocumentAnalyzer runs for its largest article, called one by one
/// (built as PipelineFactory builds them: built-in KB, shipped NER and attribution models) and timed (wall, process CPU).
/// Run at two or three sizes, a stage whose seconds per MiB grow with size is the one that is not linear.
/// </summary>
public static class StageProfile
{
    public static int Run(string csv, IReadOnlyList<double> sizesMiB, string shape)
    {
        var corpus = Corpus.FromCsv(csv, Program.DefaultSeed);
        var kb = KnowledgeBase.Load([KnowledgeBase.FindBuiltInDirectory()!]);
        var nerPath = Pipelines.NerModelPath;
        var linker = new EntityLinker(new AliasMatcher(kb, Tokenizer.Tokenize), nerPath == null ? null : new NerRecognizer(NerModel.Load(nerPath)));
        var time = new TimeAnalyzer(kb);
        var attrPath = AttributionModel.FindDefault();
        var attribution = attrPath == null ? null : new AttributionExtractor(kb, AttributionModel.Load(attrPath));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Console.WriteLine($"{"shape",-7} {"MiB",5} {"stage",-26} {"wall s",8} {"cpu s",8} {"cpu s/MiB",10}");
        bool first = true;
        foreach (var mib in sizesMiB)
        {
            var text = Scale.Build(corpus, mib, shape);
            double size = Encoding.UTF8.GetByteCount(text) / 1048576.0;
            void Time(string stage, Action run)
            {
                long c0 = CpuClock.Now();
                var w = Stopwatch.StartNew();
                run();
                double cpu = (CpuClock.Now() - c0) / 1e9;
                if (!first) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{shape,-7} {size,5:F2} {stage,-26} {w.Elapsed.TotalSeconds,8:F2} {cpu,8:F2} {cpu / size,10:F2}"));
            }
            // The first size is run twice, the first time silently (JIT warm-up).
            for (int pass = first ? 0 : 1; pass < 2; pass++)
            {
                first = pass == 0;
                Segmentation seg = null!;
                Time("segment", () => seg = Segmenter.Segment(text));
                var layout = seg.Articles.MaxBy(a => a.TextEnd - a.TextStart)!;
                var ranges = new List<(List<Token>, List<SentenceSpan>, RangeKind)>();
                var allTokens = new List<Token>();
                var allSentences = new List<SentenceSpan>();
                var bodyRanges = new List<(int, int)>();
                Time("tokens + sentences", () =>
                {
                    foreach (var piece in seg.Pieces)
                    {
                        if (piece.Article != layout.Index || piece.Kind is not (PieceKind.Article or PieceKind.Subheading or PieceKind.Title or PieceKind.Dek or PieceKind.Dateline)) continue;
                        var tokens = new List<Token>();
                        var sentences = new List<SentenceSpan>();
                        Tokenizer.Tokenize(text, piece.Start, piece.End, tokens);
                        SentenceSplitter.Split(text, tokens, sentences);
                        foreach (var x in sentences) allSentences.Add(x with { FirstToken = x.FirstToken + allTokens.Count });
                        allTokens.AddRange(tokens);
                        bodyRanges.Add((piece.Start, piece.End));
                        ranges.Add((tokens, sentences, piece.Kind is PieceKind.Title or PieceKind.Subheading ? RangeKind.Heading : RangeKind.Prose));
                    }
                });
                System.Collections.Immutable.ImmutableArray<LinkedEntity> entities = [];
                Time("link (KB + NER)", () => entities = linker.Link(text, ranges));
                System.Collections.Immutable.ImmutableArray<TimeExpression> raw = [];
                Time("time: tag", () => raw = time.Tagger.Tag(text, allTokens, allSentences, null));
                ArticleDate date = null!;
                Time("time: date", () => date = time.Dater.Date(text, allTokens, allSentences, entities, null, raw, today, null));
                System.Collections.Immutable.ImmutableArray<TimeExpression> times = [];
                Time("time: resolve", () => times = time.Tagger.Resolve(raw, date));
                Time("time: check", () => time.Dater.Check(text, allTokens, allSentences, entities, date));
                ArticleTime at = null!;
                Time("time: whole", () => at = time.Analyze(text, allTokens, allSentences, entities, null, today, "x", null));
                Time("dated events", () => DatedEventResolver.Resolve(text, entities, at, allSentences, kb));
                Time("time json", () => Pipeline.TimeJson.Serialize(at, text));
                if (attribution != null)
                {
                    System.Collections.Immutable.ImmutableArray<Quote> quotes = [];
                    Time("attribution", () => quotes = attribution.Extract(text, bodyRanges, allTokens, allSentences, entities));
                    Time("quote json", () => Pipeline.QuoteJson.Serialize(quotes));
                }
            }
        }
        return 0;
    }
}
