using AngleSharp.Dom;

namespace Sitrep.Ingest.Html;

/// <summary>The tags the extractor tells apart; everything else is <see cref="Other"/> (treated as inline).</summary>
internal enum Tag : byte
{
    Other, Inline, A, Br, P, Div, Section, Article, Main, Span, H1, H2, H3, H4, H5, H6, Ul, Ol, Li, Dl, Dt, Dd,
    Table, Tr, Td, Th, Blockquote, Pre, Figure, Figcaption, Header, Footer, Aside, Nav, Form, Address, Time, Hr, Img, Body, Center, Font, Details,
}

/// <summary>One element of the mirror tree: its children in document order (text runs and elements) and counts.</summary>
internal sealed class CNode
{
    public CNode(IElement? el, Tag tag, CNode? parent, int depth) { Element = el; Tag = tag; Parent = parent; Depth = depth; }

    public readonly IElement? Element;
    public readonly Tag Tag;
    public readonly CNode? Parent;
    public readonly int Depth;

    /// <summary>Children in order: <see cref="string"/> for text, <see cref="CNode"/> for elements.</summary>
    public readonly List<object> Items = [];

    /// <summary>Non-space characters in the subtree, those inside links, commas, and in direct text children.</summary>
    public int Chars, LinkChars, Commas, OwnChars;

    /// <summary>Paragraph-like descendants (p, and text blocks); block-level element children.</summary>
    public int Paragraphs, BlockChildren;

    /// <summary>Class/id vocabulary weight: positive for content words, negative for boilerplate words.</summary>
    public int ClassWeight;

    /// <summary>Strong boilerplate vocabulary (comments, share, related, newsletter...) in the class/id.</summary>
    public bool Boilerplate;

    /// <summary>Marked as the main body container by markup (itemprop=articleBody, article body class names).</summary>
    public bool BodyMarker;

    /// <summary>Named like an article lead (intro, standfirst, summary...).</summary>
    public bool Lead;

    /// <summary>Readability-style content score received from paragraph-like descendants.</summary>
    public double Score;

    /// <summary>Characters of paragraph-like descendants with few links (prose), outside unlikely candidates.</summary>
    public int ProseChars;

    public bool Scored;

    public double LinkDensity => Chars == 0 ? 0 : (double)LinkChars / Chars;

    public bool IsBlock => ContentTree.IsBlockTag(Tag);

    public IEnumerable<CNode> Children
    {
        get { foreach (var i in Items) if (i is CNode n) yield return n; }
    }
}

/// <summary>Builds the mirror tree of a page body, leaving out what never holds article text.</summary>
internal static class ContentTree
{
    /// <summary>Deeper elements are flattened into their ancestor at this depth (pathological nesting never recurses further).</summary>
    public const int MaxDepth = 400;

    private static readonly Dictionary<string, Tag> Tags = new(StringComparer.Ordinal)
    {
        ["a"] = Tag.A, ["br"] = Tag.Br, ["p"] = Tag.P, ["div"] = Tag.Div, ["section"] = Tag.Section, ["article"] = Tag.Article,
        ["main"] = Tag.Main, ["span"] = Tag.Span, ["h1"] = Tag.H1, ["h2"] = Tag.H2, ["h3"] = Tag.H3, ["h4"] = Tag.H4, ["h5"] = Tag.H5,
        ["h6"] = Tag.H6, ["ul"] = Tag.Ul, ["ol"] = Tag.Ol, ["li"] = Tag.Li, ["dl"] = Tag.Dl, ["dt"] = Tag.Dt, ["dd"] = Tag.Dd,
        ["table"] = Tag.Table, ["tr"] = Tag.Tr, ["td"] = Tag.Td, ["th"] = Tag.Th, ["blockquote"] = Tag.Blockquote, ["pre"] = Tag.Pre,
        ["figure"] = Tag.Figure, ["figcaption"] = Tag.Figcaption, ["header"] = Tag.Header, ["footer"] = Tag.Footer, ["aside"] = Tag.Aside,
        ["nav"] = Tag.Nav, ["form"] = Tag.Form, ["address"] = Tag.Address, ["time"] = Tag.Time, ["hr"] = Tag.Hr, ["img"] = Tag.Img,
        ["body"] = Tag.Body, ["center"] = Tag.Center, ["font"] = Tag.Font, ["details"] = Tag.Details,
        ["b"] = Tag.Inline, ["i"] = Tag.Inline, ["em"] = Tag.Inline, ["strong"] = Tag.Inline, ["u"] = Tag.Inline, ["small"] = Tag.Inline,
        ["sup"] = Tag.Inline, ["sub"] = Tag.Inline, ["abbr"] = Tag.Inline, ["cite"] = Tag.Inline, ["q"] = Tag.Inline, ["mark"] = Tag.Inline,
        ["code"] = Tag.Inline, ["s"] = Tag.Inline, ["strike"] = Tag.Inline, ["del"] = Tag.Inline, ["ins"] = Tag.Inline, ["dfn"] = Tag.Inline,
        ["kbd"] = Tag.Inline, ["var"] = Tag.Inline, ["tt"] = Tag.Inline, ["big"] = Tag.Inline, ["bdi"] = Tag.Inline, ["bdo"] = Tag.Inline,
        ["wbr"] = Tag.Inline, ["label"] = Tag.Inline,
    };

    /// <summary>Never text of an article: dropped with everything inside.</summary>
    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal)
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "video", "audio", "picture",
        "button", "select", "input", "textarea", "option", "head", "link", "meta", "nav", "map", "dialog", "menu", "source", "track", "title",
    };

    public static bool IsBlockTag(Tag t) => t is not (Tag.Other or Tag.Inline or Tag.A or Tag.Span or Tag.Br or Tag.Time or Tag.Img or Tag.Font);

    public static CNode Build(IElement body, CancellationToken ct)
    {
        var root = new CNode(body, Tag.Body, null, 0);
        Fill(root, body, ct, inLink: false);
        return root;
    }

    private static void Fill(CNode node, IElement el, CancellationToken ct, bool inLink)
    {
        foreach (var child in el.ChildNodes)
        {
            if (child is IText t)
            {
                var data = t.Data;
                int chars = 0, commas = 0;
                foreach (var c in data)
                {
                    if (char.IsWhiteSpace(c)) continue;
                    chars++;
                    if (c is ',' or '\u060C' or '\uFF0C' or '\u3001') commas++;
                }
                node.Items.Add(data);
                if (chars == 0) continue;
                node.Chars += chars;
                node.OwnChars += chars;
                node.Commas += commas;
                if (inLink) node.LinkChars += chars;
                continue;
            }
            if (child is not IElement e) continue;
            var name = e.LocalName;
            if (Dropped.Contains(name) || IsHidden(e)) continue;
            var tag = Tags.TryGetValue(name, out var tg) ? tg : Tag.Other;
            if (node.Depth >= MaxDepth)
            {
                // Too deep: the element's text joins this node as if the tags were not there (no further recursion).
                Flatten(node, e, inLink || tag == Tag.A);
                continue;
            }
            var cn = new CNode(e, tag, node, node.Depth + 1);
            Classify(cn, e);
            if ((node.Depth & 31) == 0) ct.ThrowIfCancellationRequested();
            Fill(cn, e, ct, inLink || tag == Tag.A);
            if (cn.Chars == 0 && tag is not (Tag.Br or Tag.Hr or Tag.Img)) continue;
            node.Items.Add(cn);
            node.Chars += cn.Chars;
            node.LinkChars += cn.LinkChars;
            node.Commas += cn.Commas;
            node.Paragraphs += cn.Paragraphs + (IsParagraph(cn) ? 1 : 0);
            if (cn.IsBlock) node.BlockChildren++;
        }
    }

    private static void Flatten(CNode node, IElement top, bool inLink)
    {
        var stack = new Stack<(INode Node, bool InLink)>();
        stack.Push((top, inLink));
        while (stack.Count > 0)
        {
            var (n, link) = stack.Pop();
            if (n is IText t)
            {
                int chars = 0;
                foreach (var c in t.Data) if (!char.IsWhiteSpace(c)) chars++;
                node.Items.Add(t.Data);
                node.Chars += chars;
                node.OwnChars += chars;
                if (link) node.LinkChars += chars;
                continue;
            }
            if (n is not IElement e || Dropped.Contains(e.LocalName)) continue;
            bool childLink = link || e.LocalName == "a";
            var kids = e.ChildNodes;
            for (int i = kids.Length - 1; i >= 0; i--) stack.Push((kids[i], childLink));
        }
    }

    /// <summary>A paragraph-like element: p/pre/blockquote, or a block of direct text without block children.</summary>
    public static bool IsParagraph(CNode n) =>
        n.Tag is Tag.P or Tag.Pre or Tag.Blockquote or Tag.Dd
        || (n.Tag is Tag.Div or Tag.Section or Tag.Td or Tag.Article or Tag.Li or Tag.Font or Tag.Center or Tag.Span && n.OwnChars >= 25 && n.BlockChildren == 0 && n.Tag != Tag.Li)
        || (n.Tag is Tag.Div or Tag.Section or Tag.Td && n.OwnChars >= 80);

    private static bool IsHidden(IElement e)
    {
        if (e.HasAttribute("hidden")) return true;
        var style = e.GetAttribute("style");
        if (style is not null && style.Length >= 12)
        {
            var s = style.Replace(" ", "", StringComparison.Ordinal);
            if (s.Contains("display:none", StringComparison.OrdinalIgnoreCase) || s.Contains("visibility:hidden", StringComparison.OrdinalIgnoreCase)) return true;
        }
        var role = e.GetAttribute("role");
        if (role is not null && (role.Equals("navigation", StringComparison.OrdinalIgnoreCase) || role.Equals("menu", StringComparison.OrdinalIgnoreCase)
            || role.Equals("menubar", StringComparison.OrdinalIgnoreCase) || role.Equals("dialog", StringComparison.OrdinalIgnoreCase)
            || role.Equals("alertdialog", StringComparison.OrdinalIgnoreCase)))
            return true;
        return false;
    }

    private static void Classify(CNode n, IElement e)
    {
        var cls = e.GetAttribute("class");
        var id = e.Id;
        var itemprop = e.GetAttribute("itemprop");
        if (itemprop is not null && itemprop.Contains("articleBody", StringComparison.OrdinalIgnoreCase)) n.BodyMarker = true;
        if (string.IsNullOrEmpty(cls) && string.IsNullOrEmpty(id)) return;
        int w = 0;
        if (!string.IsNullOrEmpty(cls)) w += Vocabulary.Weigh(cls, n);
        if (!string.IsNullOrEmpty(id)) w += Vocabulary.Weigh(id, n);
        n.ClassWeight = w;
        // An element that declares itself the article is never boilerplate, whatever its class list also says
        // (blog engines add classes like "tag-social" or "category-comment" to the post itself).
        if (n.Boilerplate && (n.Tag == Tag.Article || n.BodyMarker
            || (e.GetAttribute("itemtype") is { } it && (it.Contains("Article", StringComparison.Ordinal) || it.Contains("BlogPosting", StringComparison.Ordinal)))))
        {
            n.Boilerplate = false;
            n.ClassWeight = Math.Max(n.ClassWeight, 0);
        }
    }
}
