using System.Security.Cryptography;
using System.Text;
using Sitrep.Ingest;
using Sitrep.Text;

namespace Sitrep.Pipeline;

/// <summary>An article after the text stage: its layout, stable id, sentences (offsets into the document text) and token count.</summary>
public sealed record AnalyzedArticle(string Id, ArticleLayout Layout, IReadOnlyList<SentenceSpan> Sentences, int Tokens);

/// <summary>A document after every stage of the pipeline that has run on it.</summary>
public sealed record AnalyzedDocument(SourceDocument Source, Segmentation Segmentation, IReadOnlyList<AnalyzedArticle> Articles);

/// <summary>Runs the per-document stages (segment → tokens and sentences). Pure and thread-safe: no shared state.</summary>
public static class DocumentAnalyzer
{
    public static AnalyzedDocument Analyze(SourceDocument doc)
    {
        var seg = Segmenter.Segment(doc.Text, doc.Page);
        var articles = new List<AnalyzedArticle>(seg.Articles.Count);
        var tokens = new List<Token>(1024);
        var pieceTokens = new List<Token>(256);
        var sentences = new List<SentenceSpan>(64);
        foreach (var layout in seg.Articles)
        {
            tokens.Clear();
            sentences.Clear();
            // Sentences never cross pieces: a subheading is its own sentence, never glued to a paragraph.
            foreach (var piece in seg.Pieces)
            {
                if (piece.Article != layout.Index || piece.Kind is not (PieceKind.Article or PieceKind.Subheading)) continue;
                pieceTokens.Clear();
                Tokenizer.Tokenize(doc.Text, piece.Start, piece.End, pieceTokens);
                int offset = tokens.Count, before = sentences.Count;
                SentenceSplitter.Split(doc.Text, pieceTokens, sentences);
                for (int s = before; s < sentences.Count; s++)
                    sentences[s] = sentences[s] with { FirstToken = sentences[s].FirstToken + offset };
                tokens.AddRange(pieceTokens);
            }
            articles.Add(new AnalyzedArticle(ArticleId(doc.Id, layout), layout, sentences.ToArray(), tokens.Count));
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
