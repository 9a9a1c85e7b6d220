using System.Collections.Immutable;
using Sitrep.Knowledge;
using Sitrep.Text;

namespace Sitrep.Time;

/// <summary>Everything the time stage says about one article.</summary>
/// <param name="Date">The article's date interval with its basis and conflicts.</param>
/// <param name="Times">Its time expressions, resolved against the article's date.</param>
/// <param name="Flags">Statements that contradict the knowledge base on that date.</param>
/// <param name="Timeline">Its dated statements.</param>
public sealed record ArticleTime(ArticleDate Date, ImmutableArray<TimeExpression> Times, ImmutableArray<TimeFlag> Flags, ImmutableArray<TimelineEntry> Timeline);

/// <summary>
/// The time stage for one article in one call: tag the time expressions, date the article (metadata first, else
/// content and KB), resolve the expressions against that date, check the text against the KB on that date, and list
/// the dated statements. Immutable and thread-safe.
/// </summary>
public sealed class TimeAnalyzer(KnowledgeBase knowledge, TimeTagger? tagger = null)
{
    private readonly TimeTagger _tagger = tagger ?? TimeTagger.Default;
    private readonly ArticleDater _dater = new(knowledge, tagger);

    public TimeTagger Tagger => _tagger;

    public ArticleDater Dater => _dater;

    /// <param name="text">The document text.</param>
    /// <param name="tokens">The article's tokens (offsets into <paramref name="text"/>).</param>
    /// <param name="sentences">The article's sentences.</param>
    /// <param name="entities">The article's linked entities (with role claims).</param>
    /// <param name="published">The publication date from metadata, when there is one.</param>
    /// <param name="notAfter">The day of analysis (nothing was published later), or null.</param>
    /// <param name="articleId">The article's id, copied into timeline entries.</param>
    /// <param name="dateline">The span of the article's dateline piece, when it has one.</param>
    /// <param name="ct">Checked between the steps; cancellation throws <see cref="OperationCanceledException"/>.</param>
    public ArticleTime Analyze(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences, IReadOnlyList<LinkedEntity> entities,
        DateOnly? published = null, DateOnly? notAfter = null, string articleId = "", (int Start, int End)? dateline = null, CancellationToken ct = default)
    {
        var raw = _tagger.Tag(text, tokens, sentences, published, ct);
        ct.ThrowIfCancellationRequested();
        var date = _dater.Date(text, tokens, sentences, entities, published, raw, notAfter, dateline);
        ct.ThrowIfCancellationRequested();
        var times = _tagger.Resolve(raw, date);
        ct.ThrowIfCancellationRequested();
        var flags = _dater.Check(text, tokens, sentences, entities, date);
        ct.ThrowIfCancellationRequested();
        return new ArticleTime(date, times, flags, Timeline.Build(articleId, sentences, times));
    }
}

/// <summary>Dated statements: every resolved date or time expression with the sentence it is in.</summary>
public static class Timeline
{
    public static ImmutableArray<TimelineEntry> Build(string articleId, IReadOnlyList<SentenceSpan> sentences, ImmutableArray<TimeExpression> times)
    {
        var b = ImmutableArray.CreateBuilder<TimelineEntry>();
        int s = 0;
        foreach (var x in times.OrderBy(t => t.Start))
        {
            if (x.From is not { } from || x.To is not { } to) continue;
            while (s < sentences.Count && sentences[s].End <= x.Start) s++;
            int ss = s < sentences.Count && sentences[s].Start <= x.Start ? sentences[s].Start : x.Start;
            int se = s < sentences.Count && sentences[s].Start <= x.Start ? sentences[s].End : x.End;
            b.Add(new TimelineEntry(articleId, from, to, x.Value, x.Start, x.End, ss, se, x.Uncertain));
        }
        return b.ToImmutable();
    }
}
