using System.Text;

namespace Sitrep.Ingest.Html;

/// <summary>
/// Bounds how deeply a page's elements nest before the HTML parser sees it, in one linear pass over the markup.
/// An HTML5 parser does work proportional to the depth of open elements for each start tag (scope checks walk the
/// stack), so a page of 100,000 nested <c>&lt;div&gt;</c>s costs time quadratic in its size. Browsers cap the tree
/// depth the same way (Chromium at 512).
/// <para>
/// The pass follows start and end tags as a parser would, approximately: void elements, elements whose end tag is
/// optional and are closed by their siblings (<c>p</c>, <c>li</c>, <c>td</c>, <c>tr</c>, <c>option</c>, <c>a</c>...), and
/// self-closed elements inside SVG and MathML do not nest (past the limit they are removed all the same); an end tag closes the nearest open element of its name
/// and everything opened after it; raw text (<c>script</c>, <c>style</c>, <c>textarea</c>, <c>title</c>...) and
/// comments are skipped. A start tag that would open an element deeper than the limit is removed (a block element
/// becomes a <c>&lt;br&gt;</c> so its text stays on a line of its own; a run of them, one), and so is its end tag: the deep content is
/// kept, flat. A page within the limit is returned unchanged, the same string.
/// </para>
/// </summary>
public static class NestingLimiter
{
    /// <summary>The nesting depth kept (counting the elements this pass follows; the tree may be a little deeper).</summary>
    public const int MaxDepth = 256;

    private static readonly HashSet<string> Void = new(StringComparer.Ordinal)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "keygen", "basefont", "bgsound", "frame", "image", "html", "head", "body", "frameset",
    };

    private static readonly HashSet<string> NotNesting = new(StringComparer.Ordinal)
    {
        // closed by a sibling or by their parent's end: they do not nest into each other
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot", "colgroup", "caption",
        "rb", "rt", "rp", "rtc", "a", "nobr", "form", "button",
    };

    private static readonly HashSet<string> RawText = new(StringComparer.Ordinal)
        { "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext" };

    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "dl", "blockquote", "pre", "figure", "figcaption", "table", "address", "center", "details", "summary",
        "fieldset", "menu", "dialog", "hgroup", "search", "p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot", "caption",
    };

    /// <summary>The markup with elements deeper than <paramref name="maxDepth"/> flattened; <paramref name="removed"/> counts the tags removed.</summary>
    public static string Limit(string html, int maxDepth, out int removed)
    {
        removed = 0;
        StringBuilder? sb = null;
        int copied = 0;
        var stack = new List<string>();
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        var dropped = new Dictionary<string, int>(StringComparer.Ordinal);
        int foreign = 0;
        int n = html.Length, i = 0;

        bool lastBreak = false;
        void Remove(int start, int end, string name)
        {
            sb ??= new StringBuilder(html.Length);
            bool adjacent = start == copied && sb.Length > 0;
            sb.Append(html, copied, start - copied);
            // A run of removed tags with nothing between them leaves one break (or one space), not one per tag.
            if (Blocks.Contains(name)) { if (!(adjacent && lastBreak)) sb.Append("<br>"); lastBreak = true; }
            else if (!adjacent) { sb.Append(' '); lastBreak = false; }
            copied = end;
        }

        while (i < n)
        {
            int lt = html.IndexOf('<', i);
            if (lt < 0 || lt + 1 >= n) break;
            char next = html[lt + 1];
            if (next == '!')
            {
                int end = html.AsSpan(lt).StartsWith("<!--") ? html.IndexOf("-->", lt + 4, StringComparison.Ordinal) : html.IndexOf('>', lt + 2);
                i = end < 0 ? n : end + (html[end] == '>' ? 1 : 3);
                continue;
            }
            if (next == '?') { int end = html.IndexOf('>', lt + 2); i = end < 0 ? n : end + 1; continue; }
            bool isEnd = next == '/';
            int nameStart = lt + (isEnd ? 2 : 1);
            if (nameStart >= n || !char.IsAsciiLetter(html[nameStart])) { i = lt + 1; continue; }
            int j = nameStart;
            while (j < n && html[j] is not (' ' or '\t' or '\n' or '\r' or '\f' or '/' or '>')) j++;
            var name = html[nameStart..j].ToLowerInvariant();
            // To the end of the tag, skipping quoted attribute values (they may hold '>').
            int k = j;
            while (k < n && html[k] != '>')
            {
                if (html[k] == '=')
                {
                    k++;
                    while (k < n && html[k] is ' ' or '\t' or '\n' or '\r' or '\f') k++;
                    if (k < n && html[k] is '"' or '\'')
                    {
                        int close = html.IndexOf(html[k], k + 1);
                        k = close < 0 ? n : close + 1;
                    }
                    continue;
                }
                k++;
            }
            int tagEnd = k < n ? k + 1 : n;
            bool selfClosed = k < n && k > j && html[k - 1] == '/';
            i = tagEnd;

            if (isEnd)
            {
                if (dropped.TryGetValue(name, out int d) && d > 0)
                {
                    dropped[name] = d - 1;
                    removed++;
                    Remove(lt, tagEnd, name);
                }
                else if (open.TryGetValue(name, out int o) && o > 0)
                {
                    while (stack.Count > 0)
                    {
                        var top = stack[^1];
                        stack.RemoveAt(stack.Count - 1);
                        open[top]--;
                        if (top is "svg" or "math") foreign--;
                        if (top == name) break;
                    }
                }
                continue;
            }

            if (RawText.Contains(name))
            {
                if (name == "plaintext") break;
                int close = html.IndexOf("</" + name, tagEnd, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? n : close;
                continue;
            }
            if (Void.Contains(name) || (selfClosed && foreign > 0)) continue;
            // Past the limit even the elements that do not nest are removed: each would still cost the parser a
            // walk of the open elements (list items, cells, paragraphs in a page nested thousands deep).
            if (NotNesting.Contains(name) && stack.Count < maxDepth) continue;
            if (stack.Count >= maxDepth)
            {
                dropped[name] = dropped.GetValueOrDefault(name) + 1;
                removed++;
                Remove(lt, tagEnd, name);
                continue;
            }
            stack.Add(name);
            open[name] = open.GetValueOrDefault(name) + 1;
            if (name is "svg" or "math") foreign++;
        }
        if (sb == null) return html;
        sb.Append(html, copied, n - copied);
        return sb.ToString();
    }
}
