using System.Collections.Immutable;
using Sitrep.Attribution;
using Sitrep.Ingest;
using Sitrep.Knowledge;
using Sitrep.Pipeline;
using Sitrep.Text;

namespace Sitrep.Tests.Attribution;

/// <summary>
/// Loads the attribution model (<c>models/attribution/attribution.bin</c> of this repository) and the built-in KB once,
/// and runs the seeds the way the pipeline does: segment, tokenise each body piece (article and subheadings), link
/// entities, extract.
/// </summary>
public sealed class AttributionFixture
{
    public AttributionModel Model { get; }
    public AttributionExtractor Extractor { get; }
    public DocumentAnalyzer Analyzer { get; }

    private readonly Dictionary<string, SeedResult> _seeds = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public AttributionFixture()
    {
        Model = AttributionModel.Load(ModelPath);
        Analyzer = PipelineFactory.Create([]);
        Extractor = new AttributionExtractor(Analyzer.Linker!.Knowledge, Model);
    }

    public static string ModelPath => Path.Combine(TestPaths.RepoRoot, AttributionModel.DefaultRelativePath);

    /// <summary>One seed's main article: its text, body tokens and the quotes found.</summary>
    public sealed record SeedResult(string Text, List<Token> Tokens, List<SentenceSpan> Sentences, List<(int Start, int End)> Body,
        ImmutableArray<LinkedEntity> Entities, ImmutableArray<Quote> Quotes);

    /// <summary>The seed whose file name starts with <paramref name="prefix"/> ("000" … "004").</summary>
    public SeedResult Seed(string prefix)
    {
        lock (_gate)
        {
            if (_seeds.TryGetValue(prefix, out var done)) return done;
            var file = Directory.GetFiles(TestPaths.Seeds).Single(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal));
            var text = File.ReadAllText(file);
            var result = Run(text, Path.GetFileName(file));
            _seeds[prefix] = result;
            return result;
        }
    }

    public SeedResult Run(string text, string name = "doc.txt")
    {
        var doc = Analyzer.Analyze(new SourceDocument(name, name, text, "utf-8", DocumentFormat.Text, text.Length));
        var article = doc.Articles.Single(a => a.Layout.IsMain);
        var tokens = new List<Token>();
        var sentences = new List<SentenceSpan>();
        var body = new List<(int, int)>();
        foreach (var piece in doc.Segmentation.Pieces)
        {
            if (piece.Article != article.Layout.Index || piece.Kind is not (PieceKind.Article or PieceKind.Subheading)) continue;
            var t = new List<Token>();
            var s = new List<SentenceSpan>();
            Tokenizer.Tokenize(text, piece.Start, piece.End, t);
            SentenceSplitter.Split(text, t, s);
            foreach (var x in s) sentences.Add(x with { FirstToken = x.FirstToken + tokens.Count });
            tokens.AddRange(t);
            body.Add((piece.Start, piece.End));
        }
        var quotes = Extractor.Extract(text, body, tokens, sentences, article.Entities);
        return new SeedResult(text, tokens, sentences, body, article.Entities, quotes);
    }
}
