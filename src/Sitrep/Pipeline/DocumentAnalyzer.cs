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
/// Runs the per-document stages: segment → tokens and sentences → entity linking. Holds only immutable,
/// thread-safe collaborators, so one instance serves every worker of a run.
/// </summary>
/// <param name="fingerprint">Identifies this pipeline's inputs (KB files, model files); stored with each document so that
/// a change re-analyses stored documents.</param>
public sealed class DocumentAnalyzer(EntityLinker? linker = null, string fingerprint = "", Sitrep.Time.TimeAnalyzer? time = null, DateOnly? notAfter = null,
    Sitrep.Attribution.AttributionExtractor? attribution = null)
{
    /// <summary>Bumped when a change to the code alters what analysis stores.</summary>
    public const int Version = 6;

    public EntityLinker? Linker => linker;

    public string Fingerprint { get; } = $"v{Version}" + (fingerprint.Length > 0 ? ":" + fingerprint : "");

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
            var sentences = new List<SentenceSpan>(64);
            var bodyTokens = new List<Token>(512);
            var bodyRanges = new List<(int Start, int End)>();
            var ranges = new List<(List<Token>, List<SentenceSpan>, RangeKind)>();
            var allTokens = new List<Token>(512);
            var allSentences = new List<SentenceSpan>(64);
            // Each piece is tokenised on its own: sentences never cross pieces (a subheading is its own sentence).
            (int, int)? dateline = null;
            foreach (var piece in seg.Pieces)
            {
                if (piece.Article != layout.Index) continue;
                if (piece.Kind == PieceKind.Dateline) dateline ??= (piece.Start, piece.End);
                bool body = piece.Kind is PieceKind.Article or PieceKind.Subheading;
                bool named = body || piece.Kind is PieceKind.Title or PieceKind.Dek or PieceKind.Dateline;
                if (!named) continue;
                ct.ThrowIfCancellationRequested();
                var tokens = new List<Token>(Math.Max(8, (piece.End - piece.Start) / 5));
                var pieceSentences = new List<SentenceSpan>();
                Tokenizer.Tokenize(doc.Text, piece.Start, piece.End, tokens);
                SentenceSplitter.Split(doc.Text, tokens, pieceSentences);
                if (body)
                {
                    foreach (var s in pieceSentences) sentences.Add(s with { FirstToken = s.FirstToken + bodyTokens.Count });
                    bodyTokens.AddRange(tokens);
                    bodyRanges.Add((piece.Start, piece.End));
                }
                foreach (var x in pieceSentences) allSentences.Add(x with { FirstToken = x.FirstToken + allTokens.Count });
                allTokens.AddRange(tokens);
                ranges.Add((tokens, pieceSentences, piece.Kind switch
                {
                    PieceKind.Dateline => RangeKind.Dateline,
                    PieceKind.Title or PieceKind.Subheading => RangeKind.Heading,
                    _ => RangeKind.Prose,
                }));
            }
            ct.ThrowIfCancellationRequested();
            var entities = linker?.Link(doc.Text, ranges, ct) ?? [];
            var id = ArticleId(doc.Id, layout);
            string? timeJson = null;
            if (time != null)
            {
                // Title, dek, dateline and body, in text order: the dater reads roles and events wherever they are.
                var published = Sitrep.Time.PublicationDate.Parse(doc.Page?.Published);
                var articleTime = time.Analyze(doc.Text, allTokens, allSentences, entities, published, notAfter, id, dateline, ct);
                if (linker != null) entities = DatedEventResolver.Resolve(doc.Text, entities, articleTime, allSentences, linker.Knowledge);
                timeJson = Pipeline.TimeJson.Serialize(articleTime, doc.Text);
            }
            string? quotesJson = attribution == null ? null
                : Pipeline.QuoteJson.Serialize(attribution.Extract(doc.Text, bodyRanges, bodyTokens, sentences, entities, ct));
            articles.Add(new AnalyzedArticle(id, layout, sentences.ToArray(), bodyTokens.Count, entities) { TimeJson = timeJson, QuotesJson = quotesJson });
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
