using System.Collections.Immutable;
using Sitrep.Ingest;
using Sitrep.Knowledge;
using Sitrep.Tests.Knowledge;
using Sitrep.Text;
using Sitrep.Time;

namespace Sitrep.Tests.Time;

/// <summary>An article prepared as the pipeline prepares it: tokens, sentences and linked entities.</summary>
public sealed record PreparedArticle(string Text, List<Token> Tokens, List<SentenceSpan> Sentences, ImmutableArray<LinkedEntity> Entities);

/// <summary>Runs the text, knowledge and time stages on plain texts and on the seed articles, with the built-in KB.</summary>
internal static class TimeFixture
{
    private static readonly Lazy<EntityLinker> _linker = new(() => new EntityLinker(new AliasMatcher(BuiltInKb.Kb)));
    private static readonly Lazy<TimeAnalyzer> _analyzer = new(() => new TimeAnalyzer(BuiltInKb.Kb));

    /// <summary>The day the seeds were analysed for the acceptance (the "today").</summary>
    public static readonly DateOnly Today = new(2026, 11, 23);

    public static TimeAnalyzer Analyzer => _analyzer.Value;

    public static ArticleDater Dater => _analyzer.Value.Dater;

    /// <summary>One piece of plain text: tokenised, split, linked.</summary>
    public static PreparedArticle Prepare(string text)
    {
        var tokens = Tokenizer.Tokenize(text);
        var sentences = new List<SentenceSpan>();
        SentenceSplitter.Split(text, tokens, sentences);
        var entities = _linker.Value.Link(text, [(tokens, sentences, RangeKind.Prose)]);
        return new PreparedArticle(text, tokens, sentences, entities);
    }

    /// <summary>A seed's main article (title, dek, dateline and body pieces, as the pipeline links them).</summary>
    public static PreparedArticle Seed(string prefix)
    {
        var text = File.ReadAllText(Directory.GetFiles(TestPaths.Seeds, prefix + "_*.txt").Single());
        var seg = Segmenter.Segment(text);
        var main = seg.Articles[0];
        var tokens = new List<Token>();
        var sentences = new List<SentenceSpan>();
        var ranges = new List<(List<Token>, List<SentenceSpan>, RangeKind)>();
        foreach (var p in seg.Pieces.OrderBy(p => p.Start))
        {
            if (p.Article != main.Index || p.Kind is not (PieceKind.Article or PieceKind.Subheading or PieceKind.Title or PieceKind.Dek or PieceKind.Dateline)) continue;
            var t = new List<Token>();
            var s = new List<SentenceSpan>();
            Tokenizer.Tokenize(text, p.Start, p.End, t);
            SentenceSplitter.Split(text, t, s);
            foreach (var x in s) sentences.Add(x with { FirstToken = x.FirstToken + tokens.Count });
            tokens.AddRange(t);
            ranges.Add((t, s, p.Kind switch { PieceKind.Dateline => RangeKind.Dateline, PieceKind.Title or PieceKind.Subheading => RangeKind.Heading, _ => RangeKind.Prose }));
        }
        return new PreparedArticle(text, tokens, sentences, _linker.Value.Link(text, ranges));
    }

    public static ArticleTime Analyze(PreparedArticle a, DateOnly? published = null, DateOnly? notAfter = null) =>
        Analyzer.Analyze(a.Text, a.Tokens, a.Sentences, a.Entities, published, notAfter);

    public static ArticleTime Analyze(string text, DateOnly? published = null, DateOnly? notAfter = null) => Analyze(Prepare(text), published, notAfter);

    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
