using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Sitrep.Ingest;

/// <summary>
/// Turns an HTML page into plain text, one block per line, so the segmenter can treat it like scraped text.
/// Scripts, styles, navigation and forms are dropped. A first cut: the benchmark-grade extractor is a later stage.
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

    public static (string Text, PageMetadata Metadata) Extract(string html)
    {
        var parser = new HtmlParser();
        var doc = parser.ParseDocument(html);
        string? Meta(string key) =>
            doc.QuerySelector($"meta[property='{key}']")?.GetAttribute("content")?.Trim()
            ?? doc.QuerySelector($"meta[name='{key}']")?.GetAttribute("content")?.Trim();

        var sb = new StringBuilder();
        if (doc.Body != null) Walk(doc.Body, sb);
        var lines = sb.ToString().Split('\n').Select(l => CollapseSpaces(l)).Where(l => l.Length > 0);
        var text = string.Join("\n", lines);
        var title = Meta("og:title") ?? doc.QuerySelector("h1")?.TextContent.Trim() ?? doc.Title?.Trim();
        var meta = new PageMetadata(
            Title: string.IsNullOrWhiteSpace(title) ? null : CollapseSpaces(title),
            SiteName: Meta("og:site_name"),
            Author: Meta("author") ?? Meta("article:author"),
            Published: Meta("article:published_time") ?? Meta("date"),
            Url: doc.QuerySelector("link[rel='canonical']")?.GetAttribute("href") ?? Meta("og:url"),
            Language: doc.DocumentElement?.GetAttribute("lang"));
        return (text, meta);
    }

    private static void Walk(INode node, StringBuilder sb)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText t) { sb.Append(t.Data); continue; }
            if (child is not IElement e || Dropped.Contains(e.LocalName)) continue;
            bool block = Blocks.Contains(e.LocalName);
            if (block) sb.Append('\n');
            Walk(e, sb);
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
