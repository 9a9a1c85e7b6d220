using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Sitrep.Ingest.Html;

namespace Sitrep.Ingest;

/// <summary>
/// Turns an HTML page into plain text, one block per line, so the segmenter can treat it like scraped text.
/// The article extractor (<see cref="HtmlExtractor"/>, docs/extraction.md) does the work.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
        { "script", "style", "noscript", "template", "svg", "nav", "form", "iframe", "button", "select", "head" };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "h1", "h2", "h3", "h4", "h5", "h6",
        "li", "ul", "ol", "blockquote", "pre", "figure", "figcaption", "table", "tr", "td", "th", "br", "hr", "dl", "dt", "dd", "address", "time",
    };

    /// <summary>
    /// The page's article as text for the segmenter: the title on the first line, then the body, one paragraph per
    /// line (<see cref="HtmlExtractor"/>). A page without an article falls back to all its visible text, so the
    /// segmenter can still decide what, if anything, is in it.
    /// Neither the text nor the metadata ever holds a NUL (each becomes U+FFFD): a store reading text back as a C
    /// string would cut it there.
    /// </summary>
    public static (string Text, PageMetadata Metadata) Extract(string html)
    {
        var article = HtmlExtractor.Default.Extract(html);
        var meta = NoNul(article.Metadata);
        if (article.Found)
        {
            var title = meta.Title;
            var body = TextDecoder.NoNul(article.Text);
            var text = string.IsNullOrEmpty(title) || body.StartsWith(title, StringComparison.Ordinal) ? body : title + "\n" + body;
            return (text, meta);
        }
        return (TextDecoder.NoNul(AllText(html)), meta);
    }

    private static PageMetadata NoNul(PageMetadata m)
    {
        static string? N(string? s) => s is null ? null : TextDecoder.NoNul(s);
        return m with
        {
            Title = N(m.Title), SiteName = N(m.SiteName), Author = N(m.Author), Published = N(m.Published), Url = N(m.Url),
            Language = N(m.Language), Modified = N(m.Modified), Description = N(m.Description),
            Authors = m.Authors?.Select(a => TextDecoder.NoNul(a)).ToList(),
        };
    }

    private static string AllText(string html)
    {
        using var doc = new HtmlParser().ParseDocument(NestingLimiter.Limit(html, NestingLimiter.MaxDepth, out _));
        var sb = new StringBuilder();
        if (doc.Body != null) Walk(doc.Body, sb, 0);
        var lines = sb.ToString().Split('\n').Select(l => CollapseSpaces(l)).Where(l => l.Length > 0);
        return string.Join("\n", lines);
    }

    private static void Walk(INode node, StringBuilder sb, int depth)
    {
        if (depth > 400) return;
        foreach (var child in node.ChildNodes)
        {
            if (child is IText t) { sb.Append(t.Data); continue; }
            if (child is not IElement e || Dropped.Contains(e.LocalName)) continue;
            bool block = Blocks.Contains(e.LocalName);
            if (block) sb.Append('\n');
            Walk(e, sb, depth + 1);
            if (block) sb.Append('\n');
        }
    }

    private static string CollapseSpaces(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool space = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }
}
