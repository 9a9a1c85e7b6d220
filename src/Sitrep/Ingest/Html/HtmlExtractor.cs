using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Sitrep.Ingest.Html;

/// <summary>
/// The article of an HTML page: its main text, one paragraph per line (headings inside the body are lines of their
/// own; the title is not part of <see cref="Text"/>), and what the page says about itself. When the page holds no
/// article, <see cref="Text"/> is empty and <see cref="NoArticleReason"/> says why.
/// </summary>
public sealed record HtmlArticle(string Text, PageMetadata Metadata, string? NoArticleReason, string? Encoding = null)
{
    public bool Found => NoArticleReason is null;
}

/// <summary>
/// Pulls the article out of a news page. AngleSharp parses; the rest is ours:
/// <list type="number">
/// <item>A mirror tree is built once, dropping what is never text (scripts, styles, forms' controls, hidden
/// elements, navigation) and counting per element its text, link text, commas and paragraphs.</item>
/// <item>Paragraph-like blocks score their parent and grandparent (commas and length, as Readability does); each
/// candidate container is weighted by its class/id vocabulary and discounted by its link density.</item>
/// <item>The best container is widened to a parent that holds comparably good content, and its siblings that
/// look like content (scored, or prose paragraphs with few links) are added.</item>
/// <item>Inside, boilerplate blocks are skipped: the class/id vocabulary of comments, sharing, related links,
/// newsletters, bylines and the like; link-dense lists and blocks; and trafilatura-style short link lines.</item>
/// </list>
/// Thread-safe: an instance holds no mutable state.
/// </summary>
public sealed class HtmlExtractor
{
    public static HtmlExtractor Default { get; } = new();

    /// <summary>Pages longer than this many characters are cut before parsing (a defence against pathological input).</summary>
    public const int MaxChars = 16 * 1024 * 1024;

    /// <summary>Below this many letters of extracted text the page is said to hold no article.</summary>
    public const int MinArticleChars = 60;

    private static readonly HtmlParserOptions ParserOptions = new() { IsScripting = false, IsKeepingSourceReferences = false };

    /// <summary>Decodes the bytes (<see cref="HtmlDecoder"/>, honouring <paramref name="contentType"/>) and extracts.</summary>
    public HtmlArticle Extract(ReadOnlySpan<byte> bytes, string? contentType = null, CancellationToken ct = default)
    {
        var decoded = HtmlDecoder.Decode(bytes, contentType);
        return Extract(decoded.Text, ct) with { Encoding = decoded.Encoding };
    }

    public HtmlArticle Extract(string html, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(html);
        html = Sitrep.Text.TextCut.Prefix(html, MaxChars);
        html = NestingLimiter.Limit(html, NestingLimiter.MaxDepth, out _);
        var parser = new HtmlParser(ParserOptions);
        IDocument doc;
        try { doc = parser.ParseDocument(html); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new HtmlArticle("", new PageMetadata(null, null, null, null, null, null), "no article found: the page could not be parsed (" + e.GetType().Name + ")");
        }
        using (doc)
        {
            ct.ThrowIfCancellationRequested();
            var meta = MetadataReader.Read(doc);
            if (doc.Body is null) return new HtmlArticle("", meta.Metadata, "no article found: the page has no body");
            var tree = ContentTree.Build(doc.Body, ct);
            var text = ContentPicker.Pick(tree, meta.Metadata.Title, ct);
            int letters = CountLetters(text);
            if (letters < MinArticleChars)
                return new HtmlArticle("", meta.Metadata, letters == 0
                    ? "no article found: the page has no text outside navigation and scripts"
                    : $"no article found: the best content block has only {letters} letters");
            return new HtmlArticle(text, meta.Metadata, null);
        }
    }

    /// <summary>For error analysis: the top candidates, the chosen roots, and the text.</summary>
    public string Explain(string html)
    {
        var doc = new HtmlParser(ParserOptions).ParseDocument(NestingLimiter.Limit(html, NestingLimiter.MaxDepth, out _));
        var meta = MetadataReader.Read(doc);
        if (doc.Body is null) return "no body";
        var tree = ContentTree.Build(doc.Body, default);
        var sb = new StringBuilder();
        var text = ContentPicker.Pick(tree, meta.Metadata.Title, sb, default);
        sb.Append(meta.Metadata).Append('\n').Append("----\n").Append(text);
        return sb.ToString();
    }

    private static int CountLetters(string s)
    {
        int n = 0;
        foreach (var c in s) if (char.IsLetterOrDigit(c)) n++;
        return n;
    }
}
