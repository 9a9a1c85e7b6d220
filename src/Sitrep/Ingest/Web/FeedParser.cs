using System.Globalization;
using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;

namespace Sitrep.Ingest.Web;

/// <summary>One item of a feed: what the feed says about a page.</summary>
public sealed record FeedEntry(string? Title, Uri? Link, string? Guid, DateTimeOffset? Published, string? Author, string? Summary, string? Content)
{
    /// <summary>What identifies the item across polls: its GUID/id, else its link, else its title.</summary>
    public string? Key => Guid ?? Link?.AbsoluteUri ?? Title;
}

/// <summary>A parsed RSS 2.0 / RSS 1.0 (RDF) / Atom feed.</summary>
public sealed record Feed(string Format, string? Title, IReadOnlyList<FeedEntry> Entries);

/// <summary>
/// Reads RSS 2.0 and Atom 1.0 with System.ServiceModel.Syndication, and whatever it rejects (RSS 1.0/RDF, RSS with a
/// date or link it cannot read, a non-Atom <c>feed</c> root) with our own tolerant reader, which also gives the error
/// when neither can read the bytes. Both read through a secure <see cref="XmlReader"/>: DTDs are ignored (never
/// processed), no external resolver, entity expansion bounded. Dates go through <see cref="ParseDate"/> in both.
/// A feed nested deeper than <see cref="MaxDepth"/> elements or with more than <see cref="MaxItems"/> items is refused
/// before either reads it, the error naming the limit: .NET's XML readers take time quadratic in the nesting depth.
/// </summary>
public static class FeedParser
{
    /// <summary>The deepest element nesting a feed may have (RSS and Atom need under 10; XHTML content a few more).</summary>
    public const int MaxDepth = 64;

    /// <summary>The most items (or entries) a feed may have.</summary>
    public const int MaxItems = 10_000;

    private const string AtomNs = "http://www.w3.org/2005/Atom";
    private const string DcNs = "http://purl.org/dc/elements/1.1/";
    private const string ContentNs = "http://purl.org/rss/1.0/modules/content/";

    public static XmlReaderSettings SecureSettings() => new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        Async = false,
    };

    /// <summary>True when the response is meant as a feed: a feed media type, or XML whose first element is rss/feed/RDF.</summary>
    public static bool LooksLikeFeed(ReadOnlySpan<byte> body, string? mediaType)
    {
        if (mediaType is "application/rss+xml" or "application/atom+xml" or "application/rdf+xml" or "application/feed+json") return true;
        if (mediaType is not (null or "" or "application/xml" or "text/xml" or "application/octet-stream" or "text/plain")) return false;
        // Skip a BOM, white space, the XML declaration, comments and a doctype, and look at the first element's name.
        var head = System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, 4096)]).TrimStart('\uFEFF');
        int i = 0;
        while (i < head.Length)
        {
            while (i < head.Length && char.IsWhiteSpace(head[i])) i++;
            if (i >= head.Length || head[i] != '<') return false;
            if (head.AsSpan(i).StartsWith("<?") || head.AsSpan(i).StartsWith("<!"))
            {
                int end = head.IndexOf('>', i);
                if (end < 0) return false;
                i = end + 1;
                continue;
            }
            var rest = head.AsSpan(i + 1);
            return rest.StartsWith("rss") || rest.StartsWith("feed") || rest.StartsWith("rdf:RDF") || rest.StartsWith("RDF");
        }
        return false;
    }

    /// <summary>Parses a feed; returns the reason (one line) when the bytes are not a well-formed RSS or Atom feed.</summary>
    public static (Feed? Feed, string? Error) Parse(byte[] body, Uri baseUrl)
    {
        try
        {
            var limit = CheckLimits(body);
            if (limit != null) return (null, limit);
        }
        catch (XmlException e)
        {
            return (null, $"not a feed: XML error at line {e.LineNumber}, position {e.LinePosition}: {FirstSentence(e.Message)}");
        }
        return ParseWithSyndication(body, baseUrl) is { } feed ? (feed, null) : ParseTolerant(body, baseUrl);
    }

    /// <summary>
    /// The feed as System.ServiceModel.Syndication reads it (RSS 2.0 or Atom 1.0), or null when it rejects the bytes.
    /// </summary>
    internal static Feed? ParseWithSyndication(byte[] body, Uri baseUrl)
    {
        try
        {
            using var ms = new MemoryStream(body, writable: false);
            using var reader = XmlReader.Create(ms, SecureSettings());
            if (reader.MoveToContent() != XmlNodeType.Element) return null;
            SyndicationFeedFormatter formatter = reader.LocalName == "rss" ? new Rss20FeedFormatter() : new Atom10FeedFormatter();
            if (!formatter.CanRead(reader)) return null;
            formatter.DateTimeParser = ParseDateCallback;
            formatter.ReadFrom(reader);
            var f = formatter.Feed;
            bool rss = formatter is Rss20FeedFormatter;
            var entries = new List<FeedEntry>();
            foreach (var item in f.Items) entries.Add(rss ? FromRssItem(item, baseUrl) : FromAtomEntry(item, baseUrl));
            return new Feed(rss ? "rss" : "atom", Clean(f.Title?.Text), entries);
        }
        catch (Exception e) when (e is XmlException or FormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool ParseDateCallback(XmlDateTimeData data, out DateTimeOffset date)
    {
        var d = ParseDate(data.DateTimeString);
        date = d ?? default;
        return d.HasValue;
    }

    private static FeedEntry FromRssItem(SyndicationItem item, Uri baseUrl)
    {
        var link = AlternateLink(item, baseUrl);
        var published = item.PublishDate != default ? item.PublishDate : ParseDate(Extension(item, "date", DcNs)) ?? ParseDate(Extension(item, "updated", AtomNs));
        var author = Extension(item, "creator", DcNs) ?? item.Authors.Select(a => Clean(a.Email) ?? Clean(a.Name)).FirstOrDefault(a => a != null);
        return new FeedEntry(Clean(item.Title?.Text), link, Clean(item.Id), published, author, Clean(item.Summary?.Text), Extension(item, "encoded", ContentNs));
    }

    private static FeedEntry FromAtomEntry(SyndicationItem item, Uri baseUrl)
    {
        var published = item.PublishDate != default ? item.PublishDate : item.LastUpdatedTime != default ? item.LastUpdatedTime : (DateTimeOffset?)null;
        var authors = item.Authors.Select(a => Clean(a.Name)).Where(n => n != null).ToList();
        string? content = item.Content switch
        {
            TextSyndicationContent t => Clean(t.Text), // text, html, or xhtml as markup (the page reads it as HTML)
            _ => null,
        };
        return new FeedEntry(Clean(item.Title?.Text), AlternateLink(item, baseUrl), Clean(item.Id), published,
            authors.Count > 0 ? string.Join(", ", authors) : null, Clean(item.Summary?.Text), content);
    }

    private static Uri? AlternateLink(SyndicationItem item, Uri baseUrl)
    {
        foreach (var l in item.Links)
        {
            if ((l.RelationshipType ?? "alternate") != "alternate" || l.Uri is null) continue;
            if (ToUri(l.Uri.OriginalString, baseUrl) is { } u) return u;
        }
        return null;
    }

    /// <summary>The text of an item's first extension element of that name (dc:creator, content:encoded, …), or null.</summary>
    private static string? Extension(SyndicationItem item, string name, string ns)
    {
        foreach (var x in item.ElementExtensions)
        {
            if (x.OuterName != name || x.OuterNamespace != ns) continue;
            using var r = x.GetReader();
            return Clean(r.ReadElementContentAsString());
        }
        return null;
    }

    /// <summary>
    /// Our own tolerant reader: RSS 2.0, RSS 1.0 (RDF) and Atom, item by item as small subtrees, unreadable dates and
    /// links left out rather than rejecting the feed. Gives the one-line error when the bytes are no feed at all.
    /// </summary>
    internal static (Feed? Feed, string? Error) ParseTolerant(byte[] body, Uri baseUrl)
    {
        try
        {
            using var ms = new MemoryStream(body, writable: false);
            using var reader = XmlReader.Create(ms, SecureSettings());
            if (reader.MoveToContent() != XmlNodeType.Element) return (null, "not a feed (no XML element)");
            string root = reader.LocalName;
            string format = root switch
            {
                "rss" => "rss",
                "feed" when reader.NamespaceURI == AtomNs || reader.NamespaceURI.Length == 0 => "atom",
                "RDF" => "rdf",
                _ => "",
            };
            if (format.Length == 0) return (null, $"not a feed (the XML root element is <{reader.Name}>, not rss, feed or RDF)");
            string itemName = format == "atom" ? "entry" : "item";
            string? title = null;
            var entries = new List<FeedEntry>();
            int rootDepth = reader.Depth;
            reader.Read();
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == itemName)
                {
                    var el = (XElement)XNode.ReadFrom(reader);
                    entries.Add(format == "atom" ? ReadAtomEntry(el, baseUrl) : ReadRssItem(el, baseUrl));
                    continue;
                }
                if (title == null && reader.NodeType == XmlNodeType.Element && reader.LocalName == "title" && reader.Depth <= rootDepth + 2)
                {
                    title = Clean(reader.ReadElementContentAsString());
                    continue;
                }
                reader.Read();
            }
            return (new Feed(format, title, entries), null);
        }
        catch (XmlException e)
        {
            return (null, $"not a feed: XML error at line {e.LineNumber}, position {e.LinePosition}: {FirstSentence(e.Message)}");
        }
    }

    /// <summary>One streaming pass (stopping at the first excess) for the nesting depth and the item count.</summary>
    private static string? CheckLimits(byte[] body)
    {
        using var ms = new MemoryStream(body, writable: false);
        using var reader = XmlReader.Create(ms, SecureSettings());
        int items = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            if (reader.Depth >= MaxDepth) return $"feed elements nested deeper than {MaxDepth} (the limit), at line {LineOf(reader)}";
            if (reader.LocalName is "item" or "entry" && ++items > MaxItems) return $"feed has more than {MaxItems} items (the limit)";
        }
        return null;
    }

    private static int LineOf(XmlReader r) => r is IXmlLineInfo li ? li.LineNumber : 0;

    private static string FirstSentence(string message)
    {
        var one = SourceLoader.OneLine(message);
        int at = one.IndexOf(" Line ", StringComparison.Ordinal);
        return at > 0 ? one[..at].TrimEnd('.', ' ') : one;
    }

    private static FeedEntry ReadRssItem(XElement item, Uri baseUrl)
    {
        string? Child(string name, string ns = "") => Clean(item.Element(XName.Get(name, ns))?.Value);
        var link = ToUri(Child("link") ?? Child("link", "http://purl.org/rss/1.0/"), baseUrl);
        var guidEl = item.Element("guid");
        var guid = Clean(guidEl?.Value);
        if (link == null && guid != null && (string?)guidEl!.Attribute("isPermaLink") != "false") link = ToUri(guid, baseUrl);
        var published = ParseDate(Child("pubDate")) ?? ParseDate(Child("date", DcNs)) ?? ParseDate(Child("updated", AtomNs));
        var author = Child("creator", DcNs) ?? Child("author");
        return new FeedEntry(Child("title") ?? Child("title", "http://purl.org/rss/1.0/"), link, guid, published, author,
            Child("description") ?? Child("description", "http://purl.org/rss/1.0/"), Child("encoded", ContentNs));
    }

    private static FeedEntry ReadAtomEntry(XElement entry, Uri baseUrl)
    {
        XNamespace a = entry.Name.Namespace;
        string? Child(string name) => Clean(entry.Element(a + name)?.Value);
        Uri? link = null;
        foreach (var l in entry.Elements(a + "link"))
        {
            var rel = (string?)l.Attribute("rel") ?? "alternate";
            if (rel != "alternate") continue;
            link = ToUri((string?)l.Attribute("href"), baseUrl);
            if (link != null) break;
        }
        var authors = entry.Elements(a + "author").Select(x => Clean(x.Element(a + "name")?.Value)).Where(n => n != null).ToList();
        return new FeedEntry(Child("title"), link, Child("id"), ParseDate(Child("published")) ?? ParseDate(Child("updated")),
            authors.Count > 0 ? string.Join(", ", authors) : null, Child("summary"), Child("content"));
    }

    private static string? Clean(string? s)
    {
        if (s == null) return null;
        s = s.Trim();
        return s.Length == 0 ? null : s;
    }

    private static Uri? ToUri(string? s, Uri baseUrl) =>
        s != null && Uri.TryCreate(baseUrl, s.Trim(), out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) ? u : null;

    private static readonly Dictionary<string, string> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GMT"] = "+00:00", ["UT"] = "+00:00", ["UTC"] = "+00:00", ["Z"] = "+00:00",
        ["EST"] = "-05:00", ["EDT"] = "-04:00", ["CST"] = "-06:00", ["CDT"] = "-05:00",
        ["MST"] = "-07:00", ["MDT"] = "-06:00", ["PST"] = "-08:00", ["PDT"] = "-07:00",
    };

    private static readonly string[] Rfc822Formats =
    [
        "d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz", "d MMM yy HH:mm:ss zzz", "d MMM yy HH:mm zzz",
        "d MMMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm:ss", "d MMM yyyy",
    ];

    /// <summary>Parses RFC 822 (RSS pubDate, with or without the day name, named US zones) and ISO 8601 (Atom, dc:date).</summary>
    public static DateTimeOffset? ParseDate(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        s = s.Trim();
        var inv = CultureInfo.InvariantCulture;
        if (char.IsDigit(s[0]) && s.Length >= 10 && s[4] == '-' &&
            DateTimeOffset.TryParse(s, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var iso)) return iso;
        int comma = s.IndexOf(',');
        if (comma >= 0 && comma < 12) s = s[(comma + 1)..].Trim();
        var parts = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return null;
        var zone = parts[^1];
        if (Zones.TryGetValue(zone, out var offset)) parts[^1] = offset;
        else if ((zone.StartsWith('+') || zone.StartsWith('-')) && zone.Length == 5 && zone[1..].All(char.IsDigit)) parts[^1] = zone[..3] + ":" + zone[3..];
        var normal = string.Join(' ', parts);
        if (DateTimeOffset.TryParseExact(normal, Rfc822Formats, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var d)) return d;
        if (DateTimeOffset.TryParse(s, inv, DateTimeStyles.AssumeUniversal, out d)) return d;
        return null;
    }
}
