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
    /// </summary>
    public static (string Text, PageMetadata Metadata) Extract(string html)
    {
        var article = HtmlExtractor.Default.Extract(html);
        if (article.Found)
        {
            var title = article.Metadata.Title;
            var text = string.IsNullOrEmpty(title) || article.Text.StartsWith(title, StringComparison.Ordinal) ? article.Text : title + "\n" + article.Text;
            return (text, article.Metadata);
        }
        return (AllText(html), article.Metadata);
    }

    private static string AllText(string html)
    {
        var doc = new HtmlParser().ParseDocument(html);
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
