using System.Text.Json;
using AngleSharp.Dom;

namespace Sitrep.Ingest.Html;

/// <summary>
/// Reads what a page says about itself: its structured data (JSON-LD, including <c>@graph</c> and arrays; the
/// NewsArticle / Article / BlogPosting object is preferred, a WebPage one is the fallback), OpenGraph and other
/// <c>&lt;meta&gt;</c> tags, microdata <c>itemprop</c>s, <c>&lt;link rel=canonical&gt;</c>, <c>&lt;html lang&gt;</c>,
/// and <c>&lt;time&gt;</c> elements. Each field takes the first source that has it, in that order of trust.
/// Malformed JSON-LD is skipped, never fatal.
/// </summary>
internal static class MetadataReader
{
    /// <summary>What the page says, plus the JSON-LD <c>articleBody</c> when there is one (a hint for the extractor).</summary>
    internal readonly record struct Result(PageMetadata Metadata, string? JsonLdBody);

    public static Result Read(IDocument doc)
    {
        var meta = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var metaAuthors = new List<string>();
        foreach (var m in doc.GetElementsByTagName("meta"))
        {
            var content = m.GetAttribute("content");
            if (string.IsNullOrWhiteSpace(content)) continue;
            content = Spaces.Collapse(content);
            if (content.Contains('&') && content.Contains(';')) content = System.Net.WebUtility.HtmlDecode(content); // double-escaped
            foreach (var attr in KeyAttributes)
            {
                var key = m.GetAttribute(attr);
                if (string.IsNullOrWhiteSpace(key)) continue;
                key = key.Trim();
                meta.TryAdd(key, content);
                if (key.Equals("author", StringComparison.OrdinalIgnoreCase) || key.Equals("article:author", StringComparison.OrdinalIgnoreCase)
                    || key.Equals("dc.creator", StringComparison.OrdinalIgnoreCase) || key.Equals("parsely-author", StringComparison.OrdinalIgnoreCase)
                    || key.Equals("sailthru.author", StringComparison.OrdinalIgnoreCase) || key.Equals("byl", StringComparison.OrdinalIgnoreCase))
                    metaAuthors.Add(content);
            }
        }
        string? Meta(params string[] keys)
        {
            foreach (var k in keys) if (meta.TryGetValue(k, out var v) && v.Length > 0) return v;
            return null;
        }

        var ld = new JsonLdInfo();
        foreach (var s in doc.QuerySelectorAll("script[type]"))
        {
            var type = s.GetAttribute("type");
            if (type is null || !type.Contains("ld+json", StringComparison.OrdinalIgnoreCase)) continue;
            ReadJsonLd(s.TextContent, ld);
        }

        // Authors: structured data, then meta tags (names, not profile URLs), then rel=author / itemprop=author in the page.
        var authors = ld.Authors.Count > 0 ? ld.Authors : metaAuthors.Where(a => !LooksLikeUrl(a)).ToList();
        if (authors.Count == 0)
        {
            foreach (var e in doc.QuerySelectorAll("[rel='author'], [itemprop='author']"))
            {
                var name = e.GetAttribute("content") ?? e.QuerySelector("[itemprop='name']")?.TextContent ?? e.TextContent;
                name = Spaces.Collapse(name);
                if (name.Length is > 1 and < 80) authors.Add(name);
            }
        }
        if (authors.Count == 0 && VisibleByline(doc) is { } byline) authors.Add(byline);
        authors = authors.SelectMany(SplitAuthors).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        var title = CleanTitle(doc, ld.Rank >= 2 ? ld.Headline : null, Meta("og:title", "twitter:title", "headline", "dc.title"), Meta("og:site_name", "application-name"));

        string? published = ld.Published ?? Meta("article:published_time", "og:published_time", "datePublished", "date", "pubdate", "publishdate",
            "publish-date", "publish_date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.date", "sailthru.date", "parsely-pub-date",
            "article.published", "published_time", "cxenseparse:recs:publishtime");
        if (published is null)
        {
            var time = doc.QuerySelector("time[pubdate][datetime]") ?? doc.QuerySelector("article time[datetime]") ?? doc.QuerySelector("time[datetime]");
            published = NonEmpty(time?.GetAttribute("datetime")?.Trim()) ?? VisibleDate(doc);
        }
        string? modified = ld.Modified ?? Meta("article:modified_time", "og:updated_time", "dateModified", "last-modified", "dcterms.modified",
            "article.updated", "modified_time");

        var canonical = doc.QuerySelector("link[rel='canonical']")?.GetAttribute("href")?.Trim();
        var url = NonEmpty(canonical) ?? Meta("og:url", "twitter:url") ?? ld.Url;

        var lang = NonEmpty(doc.DocumentElement?.GetAttribute("lang")?.Trim()) ?? Meta("content-language", "dc.language", "language")
            ?? ld.Language ?? NonEmpty(Meta("og:locale")?.Replace('_', '-'));

        var site = Meta("og:site_name") ?? ld.Publisher ?? Meta("application-name", "publisher", "dc.publisher", "twitter:site");
        if (site is not null && site.StartsWith('@') && site.Length > 1) site = site[1..];

        var description = Meta("og:description", "description", "twitter:description", "dc.description") ?? ld.Description;

        var md = new PageMetadata(
            Title: title,
            SiteName: site,
            Author: authors.Count == 0 ? null : string.Join(", ", authors),
            Published: published,
            Url: url,
            Language: lang,
            Authors: authors.Count == 0 ? null : authors,
            Modified: modified,
            Description: description);
        return new Result(md, ld.Body);
    }

    private static readonly string[] TitleSeparators = [" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " // "];

    /// <summary>
    /// The headline: structured data's, else the first h1 when the OpenGraph or document title contains it (titles
    /// often add the site or a kicker), else the OpenGraph title, else the document title; a part that names the site
    /// (" | Site", "Site - ") is cut off.
    /// </summary>
    private static string? CleanTitle(IDocument doc, string? ldHeadline, string? ogTitle, string? siteName)
    {
        if (ldHeadline is not null) return ldHeadline;
        var docTitle = NonEmpty(doc.Title is null ? null : Spaces.Collapse(doc.Title));
        var h1 = doc.QuerySelector("article h1") ?? doc.QuerySelector("main h1") ?? doc.QuerySelector("h1");
        var h1Text = h1 is null ? null : NonEmpty(Spaces.Collapse(h1.TextContent));
        var t = ogTitle ?? docTitle;
        if (h1Text is not null && h1Text.Length >= 8 && (t is null || t.Contains(h1Text, StringComparison.OrdinalIgnoreCase))) return h1Text;
        // Without an OpenGraph title, the page's own headline beats a document title that does not contain it.
        if (ogTitle is null && h1Text is not null && h1Text.Length >= 8 && (doc.QuerySelectorAll("h1").Length == 1 || h1Text.Length > (docTitle?.Length ?? 0) / 2)) return h1Text;
        if (t is null) return h1Text;
        foreach (var sep in TitleSeparators)
        {
            var parts = t.Split(sep);
            if (parts.Length < 2) continue;
            var kept = parts.Where(p => !NamesSite(p, siteName)).ToList();
            if (kept.Count > 0 && kept.Count < parts.Length) return string.Join(sep, kept);
            // No site name to compare: a short last part after a long first part is the site.
            if (siteName is null && parts.Length == 2 && parts[1].Length <= 30 && parts[0].Length >= 2 * parts[1].Length) return parts[0];
        }
        return t;
    }

    private static bool NamesSite(string part, string? siteName)
    {
        part = part.Trim();
        if (siteName is null || part.Length == 0) return false;
        static string Squash(string x) => new string(x.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        var a = Squash(part);
        var b = Squash(siteName);
        return a.Length > 0 && b.Length > 0 && (a == b || a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal));
    }

    private static readonly string[] BylinePrefixes = ["by ", "von ", "por ", "par ", "di ", "door ", "av ", "af ", "autor: ", "author: ", "text: ", "von: "];

    /// <summary>A visible byline: the text of a small element whose class names the author or byline, when it reads as a name.</summary>
    private static string? VisibleByline(IDocument doc)
    {
        foreach (var e in doc.QuerySelectorAll("[class*='author'], [class*='byline'], [class*='Author'], [class*='Byline']"))
        {
            var s = Spaces.Collapse(e.TextContent);
            if (s.Length is < 3 or > 80) continue;
            foreach (var p in BylinePrefixes)
                if (s.StartsWith(p, StringComparison.OrdinalIgnoreCase)) { s = s[p.Length..].Trim(); break; }
            int cut = s.IndexOfAny(['|', '•', '·', '\n']);
            if (cut > 0) s = s[..cut].Trim();
            var words = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length is < 2 or > 5) continue;
            if (words.All(w => char.IsUpper(w[0]) || w is "von" or "van" or "de" or "da" or "del" or "der" or "und" or "and" or "y" or "et") && !s.Any(char.IsDigit))
                return s;
        }
        return null;
    }

    private static readonly System.Text.RegularExpressions.Regex NumericDate = new(
        @"\b(?:(?<y>(?:19|20)[0-9][0-9])-(?<m>[01]?[0-9])-(?<d>[0-3]?[0-9])|(?<d>[0-3]?[0-9])\.\s?(?<m>[01]?[0-9])\.\s?(?<y>(?:19|20)[0-9][0-9])|(?<d>[0-3]?[0-9])/(?<m>[01]?[0-9])/(?<y>(?:19|20)[0-9][0-9]))\b",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>A date written in a small element whose class names a date (2022-01-12, 12.01.2022, 12/01/2022), as YYYY-MM-DD.</summary>
    private static string? VisibleDate(IDocument doc)
    {
        foreach (var e in doc.QuerySelectorAll("time, [class*='date'], [class*='Date'], [class*='published'], [class*='meta']"))
        {
            var s = e.TextContent;
            if (s.Length > 200) continue;
            var m = NumericDate.Match(s);
            if (!m.Success) continue;
            int y = int.Parse(m.Groups["y"].Value, System.Globalization.CultureInfo.InvariantCulture);
            int mo = int.Parse(m.Groups["m"].Value, System.Globalization.CultureInfo.InvariantCulture);
            int d = int.Parse(m.Groups["d"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (mo is < 1 or > 12 || d is < 1 or > 31) continue;
            return $"{y:D4}-{mo:D2}-{d:D2}";
        }
        return null;
    }

    private static readonly string[] KeyAttributes = ["property", "name", "itemprop", "http-equiv"];

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static bool LooksLikeUrl(string s) => s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("www.", StringComparison.OrdinalIgnoreCase);

    /// <summary>"A and B", "A, B" and "By A" name several people or carry a prefix; a single name stays whole.</summary>
    private static IEnumerable<string> SplitAuthors(string s)
    {
        s = s.Trim();
        if (s.StartsWith("by ", StringComparison.OrdinalIgnoreCase)) s = s[3..].Trim();
        if (s.Length == 0) yield break;
        foreach (var part in s.Split([", ", " and ", " & ", " und ", " et ", " y ", ";", "|"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (part.Length > 1) yield return part;
    }

    private sealed class JsonLdInfo
    {
        public int Rank = -1; // how article-like the object the fields came from is
        public string? Headline, Published, Modified, Url, Language, Publisher, Description, Body;
        public List<string> Authors = [];
    }

    private static readonly JsonDocumentOptions JsonOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    private static void ReadJsonLd(string json, JsonLdInfo info)
    {
        if (string.IsNullOrWhiteSpace(json)) return;
        JsonDocument? d = null;
        try { d = JsonDocument.Parse(json.Trim(), JsonOptions); }
        catch (JsonException)
        {
            // Pages often put raw newlines or tabs inside JSON strings; browsers' consumers tolerate it, so do we.
            try { d = JsonDocument.Parse(json.Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ').Trim(), JsonOptions); }
            catch (JsonException) { return; }
        }
        using (d) Visit(d.RootElement, info, 0);
    }

    private static void Visit(JsonElement e, JsonLdInfo info, int depth)
    {
        if (depth > 8) return;
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var x in e.EnumerateArray()) Visit(x, info, depth + 1);
            return;
        }
        if (e.ValueKind != JsonValueKind.Object) return;
        if (e.TryGetProperty("@graph", out var graph)) Visit(graph, info, depth + 1);
        int rank = TypeRank(e);
        if (rank > info.Rank) Take(e, info, rank);
        if (e.TryGetProperty("mainEntity", out var main)) Visit(main, info, depth + 1);
    }

    /// <summary>3 for news/article types, 2 for other creative works (posts, reports), 1 for web pages, else -1.</summary>
    private static int TypeRank(JsonElement e)
    {
        if (!e.TryGetProperty("@type", out var t)) return -1;
        int best = -1;
        foreach (var name in Strings(t))
        {
            int r = name switch
            {
                _ when name.EndsWith("NewsArticle", StringComparison.OrdinalIgnoreCase) || name.Equals("Article", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("ReportageNewsArticle", StringComparison.OrdinalIgnoreCase) => 3,
                _ when name.EndsWith("Article", StringComparison.OrdinalIgnoreCase) || name.Equals("BlogPosting", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("LiveBlogPosting", StringComparison.OrdinalIgnoreCase) || name.Equals("Report", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("Review", StringComparison.OrdinalIgnoreCase) || name.Equals("Recipe", StringComparison.OrdinalIgnoreCase) => 2,
                _ when name.EndsWith("WebPage", StringComparison.OrdinalIgnoreCase) => 1,
                _ => -1,
            };
            best = Math.Max(best, r);
        }
        return best;
    }

    private static void Take(JsonElement e, JsonLdInfo info, int rank)
    {
        var headline = Str(e, "headline") ?? Str(e, "name");
        var authors = new List<string>();
        if (e.TryGetProperty("author", out var a)) CollectNames(a, authors, 0);
        if (authors.Count == 0 && e.TryGetProperty("creator", out var c)) CollectNames(c, authors, 0);
        info.Rank = rank;
        if (headline is not null) info.Headline = headline;
        if (authors.Count > 0) info.Authors = authors;
        info.Published = Str(e, "datePublished") ?? Str(e, "dateCreated") ?? info.Published;
        info.Modified = Str(e, "dateModified") ?? info.Modified;
        info.Language = Str(e, "inLanguage") ?? info.Language;
        info.Description = Str(e, "description") ?? info.Description;
        info.Body = Str(e, "articleBody") ?? Str(e, "text") ?? info.Body;
        var url = Str(e, "url");
        if (url is null && e.TryGetProperty("mainEntityOfPage", out var mep))
            url = mep.ValueKind == JsonValueKind.String ? mep.GetString() : mep.ValueKind == JsonValueKind.Object ? Str(mep, "@id") ?? Str(mep, "url") : null;
        info.Url = url ?? info.Url;
        if (e.TryGetProperty("publisher", out var p))
        {
            var names = new List<string>();
            CollectNames(p, names, 0);
            if (names.Count > 0) info.Publisher = names[0];
        }
    }

    private static void CollectNames(JsonElement e, List<string> names, int depth)
    {
        if (depth > 4) return;
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                var s = Spaces.Collapse(e.GetString() ?? "");
                if (s.Length > 1 && !LooksLikeUrl(s)) names.Add(s);
                break;
            case JsonValueKind.Array:
                foreach (var x in e.EnumerateArray()) CollectNames(x, names, depth + 1);
                break;
            case JsonValueKind.Object:
                var n = Str(e, "name");
                if (n is null && Str(e, "givenName") is { } g) n = (g + " " + Str(e, "familyName")).Trim();
                if (n is not null && !LooksLikeUrl(n)) names.Add(n);
                break;
        }
    }

    private static string? Str(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0) v = v[0];
        if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("@value", out var inner)) v = inner;
        if (v.ValueKind != JsonValueKind.String) return null;
        var s = Spaces.Collapse(v.GetString() ?? "");
        return s.Length == 0 ? null : s;
    }

    private static IEnumerable<string> Strings(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.String) { if (e.GetString() is { } s) yield return s; }
        else if (e.ValueKind == JsonValueKind.Array)
            foreach (var x in e.EnumerateArray())
                if (x.ValueKind == JsonValueKind.String && x.GetString() is { } s) yield return s;
    }
}
