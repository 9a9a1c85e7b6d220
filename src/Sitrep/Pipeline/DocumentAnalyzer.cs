using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Sitrep.Ingest;
using Sitrep.Knowledge;
using Sitrep.Text;

namespace Sitrep.Pipeline;

/// <summary>An article after the per-document stages: layout, stable id, sentences (offsets into the document text), token count, actors.</summary>
public sealed record AnalyzedArticle(string Id, ArticleLayout Layout, IReadOnlyList<SentenceSpan> Sentences, int Tokens, ImmutableArray<LinkedEntity> Entities)
{
    /// <summary>The time stage's result (date interval, times, flags, timeline) as JSON, or null when it did not run.</summary>
    public string? TimeJson { get; init; }

    /// <summary>The attribution stage's result (quotes, sourcing summary) as JSON, or null when it did not run.</summary>
    public string? QuotesJson { get; init; }
}

/// <summary>A document after every per-document stage.</summary>
public sealed record AnalyzedDocument(SourceDocument Source, Segmentation Segmentation, IReadOnlyList<AnalyzedArticle> Articles)
{
    /// <summary>Where the document came from (URL, site, authors, language, feed, fetch time) as JSON; null when unknown.</summary>
    public string? ProvenanceJson { get; init; }
}

/// <summary>
/// Runs the per-document stages: segmentation (document level), then the per-article components of
/// <see cref="Components"/>, in that declared order, each reading and writing typed layers of one
/// <see cref="ArticleDocument"/>. Holds only immutable, thread-safe collaborators, so one instance serves every worker
/// of a run. The cross-source stage (<see cref="Sitrep.Stories.CrossSourceStage"/>) runs after the store, over many
/// articles.
/// </summary>
/// <param name="fingerprint">Identifies this pipeline's inputs (KB files, model files); stored with each document so that
/// a change re-analyses stored documents.</param>
public sealed class DocumentAnalyzer
{
    /// <summary>Bumped when a change to the code alters what analysis stores.</summary>
    public const int Version = 6;

    private readonly EntityLinker? linker;

    public DocumentAnalyzer(EntityLinker? linker = null, string fingerprint = "", Sitrep.Time.TimeAnalyzer? time = null, DateOnly? notAfter = null,
        Sitrep.Attribution.AttributionExtractor? attribution = null)
    {
        this.linker = linker;
        Fingerprint = $"v{Version}" + (fingerprint.Length > 0 ? ":" + fingerprint : "");
        var components = new List<IArticleComponent> { new TokenizeComponent() };
        if (linker != null) components.Add(new LinkComponent(linker));
        if (time != null) components.Add(new TimeComponent(time, notAfter, linker?.Knowledge));
        if (attribution != null) components.Add(new AttributionComponent(attribution));
        Components = components;
        Check(components);
    }

    public EntityLinker? Linker => linker;

    public string Fingerprint { get; }

    /// <summary>The per-article components, in the order they run (the pipeline, read in one place).</summary>
    public IReadOnlyList<IArticleComponent> Components { get; }

    /// <summary>Each component reads only layers that segmentation or an earlier component wrote.</summary>
    private static void Check(IReadOnlyList<IArticleComponent> components)
    {
        var written = Layers.Pieces;
        foreach (var c in components)
        {
            var missing = c.Reads & ~written;
            // Entities are optional for the time and attribution stages (a pipeline without a knowledge base has none).
            missing &= ~Layers.Entities;
            if (missing != Layers.None) throw new InvalidOperationException($"pipeline component '{c.Name}' reads {missing}, which no earlier component writes");
            written |= c.Writes;
        }
    }

    /// <summary>The per-document stages for one document.</summary>
    /// <param name="ct">Checked per piece, between stages and inside the long loops of the stages (every few sentences):
    /// cancelling it stops the analysis of even a huge text promptly with <see cref="OperationCanceledException"/>.</param>
    public AnalyzedDocument Analyze(SourceDocument doc, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var seg = Segmenter.Segment(doc.Text, doc.Page);
        var articles = new List<AnalyzedArticle>(seg.Articles.Count);
        foreach (var layout in seg.Articles)
        {
            ct.ThrowIfCancellationRequested();
            var article = new ArticleDocument(doc, seg, layout, ArticleId(doc.Id, layout));
            foreach (var component in Components)
            {
                ct.ThrowIfCancellationRequested();
                component.Run(article, ct);
            }
            articles.Add(new AnalyzedArticle(article.Id, layout, article.BodySentences.ToArray(), article.BodyTokens.Count, article.Entities)
            {
                TimeJson = article.Time is { } t ? Pipeline.TimeJson.Serialize(t, doc.Text) : null,
                QuotesJson = article.Quotes is { } q ? Pipeline.QuoteJson.Serialize(q) : null,
            });
        }
        return new AnalyzedDocument(doc, seg, articles);
    }

    /// <summary>How long one input's analysis may take by default before a watchdog abandons it (<see cref="AnalyzeWithin"/>).</summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <see cref="Analyze"/> under a watchdog: when the analysis takes longer than <paramref name="limit"/> it is
    /// abandoned with <see cref="AnalysisTooComplexException"/> ("too complex: analysis took longer than 60 s"). The
    /// caller's cancellation still throws <see cref="OperationCanceledException"/>, so the two are told apart.
    /// </summary>
    /// <param name="limit">The time limit; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    public AnalyzedDocument AnalyzeWithin(SourceDocument doc, TimeSpan limit, CancellationToken ct = default)
    {
        if (limit == Timeout.InfiniteTimeSpan) return Analyze(doc, ct);
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(ct);
        watchdog.CancelAfter(limit);
        try
        {
            return Analyze(doc, watchdog.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && watchdog.IsCancellationRequested)
        {
            throw new AnalysisTooComplexException(limit);
        }
    }

    /// <summary>An article id derived from its document's content id and its place in it.</summary>
    public static string ArticleId(string documentId, ArticleLayout layout)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{documentId}#{layout.TextStart}-{layout.TextEnd}"), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}

/// <summary>The analysis of one input took longer than its time limit and was abandoned (see <see cref="DocumentAnalyzer.AnalyzeWithin"/>).</summary>
public sealed class AnalysisTooComplexException(TimeSpan limit)
    : Exception($"too complex: analysis took longer than {Describe(limit)}")
{
    public TimeSpan Limit { get; } = limit;

    /// <summary>"60 s", "1.5 s", "250 ms".</summary>
    public static string Describe(TimeSpan limit) => limit.TotalSeconds >= 1
        ? limit.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s"
        : Math.Max(0, limit.TotalMilliseconds).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " ms";
}
