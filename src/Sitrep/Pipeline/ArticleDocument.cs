using System.Collections.Immutable;
using Sitrep.Attribution;
using Sitrep.Ingest;
using Sitrep.Knowledge;
using Sitrep.Text;
using Sitrep.Time;

namespace Sitrep.Pipeline;

/// <summary>The typed layers of an <see cref="ArticleDocument"/>: what a component reads and writes.</summary>
[Flags]
public enum Layers
{
    None = 0,
    /// <summary>The article's pieces (title, dek, dateline, body, subheadings), from segmentation.</summary>
    Pieces = 1,
    /// <summary>Tokens of each named piece, and the body's tokens.</summary>
    Tokens = 2,
    /// <summary>Sentences of each named piece, and the body's sentences.</summary>
    Sentences = 4,
    /// <summary>Actors: linked entities with their mentions and roles.</summary>
    Entities = 8,
    /// <summary>Time: expressions, the article's date interval, flags, timeline.</summary>
    Time = 16,
    /// <summary>Quotes with their speakers and sourcing.</summary>
    Quotes = 32,
}

/// <summary>
/// One article of a source document as the per-article components see it: the document's text (every layer is spans
/// into it, UTF-16 offsets), the article's layout, and one typed layer per stage, each filled by the component that
/// <see cref="IArticleComponent.Writes"/> it. A component reads only layers written before it (checked when the pipeline
/// is built).
/// </summary>
public sealed class ArticleDocument
{
    public ArticleDocument(SourceDocument source, Segmentation segmentation, ArticleLayout layout, string id)
    {
        Source = source;
        Layout = layout;
        Id = id;
        foreach (var p in segmentation.Pieces)
            if (p.Article == layout.Index) Pieces.Add(p);
    }

    public SourceDocument Source { get; }
    public string Text => Source.Text;
    public ArticleLayout Layout { get; }
    public string Id { get; }

    /// <summary><see cref="Layers.Pieces"/>: this article's pieces, in text order.</summary>
    public List<Piece> Pieces { get; } = [];

    /// <summary>The first dateline piece, if any.</summary>
    public (int Start, int End)? Dateline { get; set; }

    /// <summary><see cref="Layers.Tokens"/> and <see cref="Layers.Sentences"/>: each named piece's tokens and sentences with its kind (for linking).</summary>
    public List<(List<Token> Tokens, List<SentenceSpan> Sentences, RangeKind Kind)> Ranges { get; } = [];

    /// <summary>Tokens and sentences of title, dek, dateline and body in text order (sentence token indexes into <see cref="AllTokens"/>).</summary>
    public List<Token> AllTokens { get; } = new(512);
    public List<SentenceSpan> AllSentences { get; } = new(64);

    /// <summary>The body's (article and subheading pieces') tokens, sentences and ranges.</summary>
    public List<Token> BodyTokens { get; } = new(512);
    public List<SentenceSpan> BodySentences { get; } = new(64);
    public List<(int Start, int End)> BodyRanges { get; } = [];

    /// <summary><see cref="Layers.Entities"/>.</summary>
    public ImmutableArray<LinkedEntity> Entities { get; set; } = [];

    /// <summary><see cref="Layers.Time"/>; null when no time component ran.</summary>
    public ArticleTime? Time { get; set; }

    /// <summary><see cref="Layers.Quotes"/>; null when no attribution component ran.</summary>
    public ImmutableArray<Quote>? Quotes { get; set; }
}

/// <summary>A per-article stage: what it reads, what it writes, and how.</summary>
public interface IArticleComponent
{
    string Name { get; }
    Layers Reads { get; }
    Layers Writes { get; }

    /// <param name="ct">Checked inside long loops: cancelling stops even a huge article promptly.</param>
    void Run(ArticleDocument doc, CancellationToken ct);
}

/// <summary>Tokens and sentences of every named piece: each piece on its own, so sentences never cross pieces.</summary>
public sealed class TokenizeComponent : IArticleComponent
{
    public string Name => "tokenize";
    public Layers Reads => Layers.Pieces;
    public Layers Writes => Layers.Tokens | Layers.Sentences;

    public void Run(ArticleDocument doc, CancellationToken ct)
    {
        foreach (var piece in doc.Pieces)
        {
            if (piece.Kind == PieceKind.Dateline) doc.Dateline ??= (piece.Start, piece.End);
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
                foreach (var s in pieceSentences) doc.BodySentences.Add(s with { FirstToken = s.FirstToken + doc.BodyTokens.Count });
                doc.BodyTokens.AddRange(tokens);
                doc.BodyRanges.Add((piece.Start, piece.End));
            }
            foreach (var x in pieceSentences) doc.AllSentences.Add(x with { FirstToken = x.FirstToken + doc.AllTokens.Count });
            doc.AllTokens.AddRange(tokens);
            doc.Ranges.Add((tokens, pieceSentences, piece.Kind switch
            {
                PieceKind.Dateline => RangeKind.Dateline,
                PieceKind.Title or PieceKind.Subheading => RangeKind.Heading,
                _ => RangeKind.Prose,
            }));
        }
    }
}

/// <summary>Actors: names found by the knowledge base's aliases and the NER model, linked to the knowledge base.</summary>
public sealed class LinkComponent(EntityLinker linker) : IArticleComponent
{
    public string Name => "link";
    public Layers Reads => Layers.Tokens | Layers.Sentences;
    public Layers Writes => Layers.Entities;

    public void Run(ArticleDocument doc, CancellationToken ct) =>
        doc.Entities = linker.Link(doc.Text, doc.Ranges, ct);
}

/// <summary>Time: every expression resolved, the article dated, impossible statements flagged; then roles held at a dated event resolved.</summary>
public sealed class TimeComponent(TimeAnalyzer time, DateOnly? notAfter, KnowledgeBase? knowledge) : IArticleComponent
{
    public string Name => "time";
    public Layers Reads => Layers.Pieces | Layers.Tokens | Layers.Sentences | Layers.Entities;
    public Layers Writes => Layers.Time | Layers.Entities;

    public void Run(ArticleDocument doc, CancellationToken ct)
    {
        // Title, dek, dateline and body, in text order: the dater reads roles and events wherever they are.
        var published = PublicationDate.Parse(doc.Source.Page?.Published);
        var articleTime = time.Analyze(doc.Text, doc.AllTokens, doc.AllSentences, doc.Entities, published, notAfter, doc.Id, doc.Dateline, ct);
        if (knowledge != null) doc.Entities = DatedEventResolver.Resolve(doc.Text, doc.Entities, articleTime, doc.AllSentences, knowledge);
        doc.Time = articleTime;
    }
}

/// <summary>Who said what: quotes in the body, each with its speaker and how strong the sourcing is.</summary>
public sealed class AttributionComponent(AttributionExtractor attribution) : IArticleComponent
{
    public string Name => "attribution";
    public Layers Reads => Layers.Tokens | Layers.Sentences | Layers.Entities;
    public Layers Writes => Layers.Quotes;

    public void Run(ArticleDocument doc, CancellationToken ct) =>
        doc.Quotes = attribution.Extract(doc.Text, doc.BodyRanges, doc.BodyTokens, doc.BodySentences, doc.Entities, ct);
}
