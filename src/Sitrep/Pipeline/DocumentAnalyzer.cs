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
    public const int Version = 5;

    public EntityLinker? Linker => linker;

    public string Fingerprint { get; } = $"v{Version}" + (fingerprint.Length > 0 ? ":" + fingerprint : "");

    public AnalyzedDocument Analyze(SourceDocument doc, CancellationToken ct = default)
    {
        var seg = Segmenter.Segment(doc.Text, doc.Page);
        var articles = new List<AnalyzedArticle>(seg.Articles.Count);
        foreach (var layout in seg.Articles)
        {
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
            var entities = linker?.Link(doc.Text, ranges) ?? [];
            var id = ArticleId(doc.Id, layout);
            string? timeJson = null;
            if (time != null)
            {
                // Title, dek, dateline and body, in text order: the dater reads roles and events wherever they are.
                var published = Sitrep.Time.PublicationDate.Parse(doc.Page?.Published);
                var articleTime = time.Analyze(doc.Text, allTokens, allSentences, entities, published, notAfter, id, dateline);
                if (linker != null) entities = DatedEventResolver.Resolve(doc.Text, entities, articleTime, allSentences, linker.Knowledge);
                timeJson = Pipeline.TimeJson.Serialize(articleTime, doc.Text);
            }
            string? quotesJson = attribution == null ? null
                : Pipeline.QuoteJson.Serialize(attribution.Extract(doc.Text, bodyRanges, bodyTokens, sentences, entities));
            articles.Add(new AnalyzedArticle(id, layout, sentences.ToArray(), bodyTokens.Count, entities) { TimeJson = timeJson, QuotesJson = quotesJson });
        }
        return new AnalyzedDocument(doc, seg, articles);
    }

    /// <summary>An article id derived from its document's content id and its place in it.</summary>
    public static string ArticleId(string documentId, ArticleLayout layout)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{documentId}#{layout.TextStart}-{layout.TextEnd}"), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
