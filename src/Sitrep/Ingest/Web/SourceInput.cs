namespace Sitrep.Ingest.Web;

/// <summary>
/// One page as it was fetched (over HTTP, from a feed, or out of a WARC file), with what the feed or the archive said
/// about it. <see cref="Body"/> is the raw payload (decompressed, de-chunked); <see cref="Url"/> is where it was finally
/// served from (after redirects).
/// </summary>
public sealed record FetchedItem(
    Uri Url,
    byte[] Body,
    string? ContentType,
    DateTimeOffset? FeedPublished = null,
    string? FeedTitle = null,
    string? FeedAuthor = null)
{
    /// <summary>The URL asked for (a feed item's link) when redirects led elsewhere.</summary>
    public Uri? RequestedUrl { get; init; }
    /// <summary>The feed the item came from.</summary>
    public Uri? FeedUrl { get; init; }
    /// <summary>The item's GUID (RSS) or id (Atom), else its link: the key a watcher remembers.</summary>
    public string? FeedItemKey { get; init; }
    /// <summary>Charset named by the Content-Type header, if any.</summary>
    public string? Charset { get; init; }
    public DateTimeOffset? Fetched { get; init; }
    public DateTimeOffset? LastModified { get; init; }
    public string? ETag { get; init; }
    /// <summary>For WARC input: the file, the record's ordinal (0-based, counting every record) and its WARC-Date.</summary>
    public string? WarcFile { get; init; }
    public int? WarcRecord { get; init; }
    public DateTimeOffset? WarcDate { get; init; }

    /// <summary>True when the Content-Type says HTML (or XHTML).</summary>
    public bool IsHtml => ContentType is { } t && (t.Contains("html", StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// One input of a run: bytes to decode (with where they came from), an already decoded document, or a problem.
/// Files, URLs, feed items and WARC records all become these, so they flow through the same analyse → store path.
/// </summary>
public sealed record SourceInput(string Path, FetchedItem? Item = null, SourceDocument? Document = null, InputProblem? Problem = null)
{
    public static SourceInput Fetched(string path, FetchedItem item) => new(path, item);
    public static SourceInput Decoded(SourceDocument document) => new(document.Path, Document: document);
    public static SourceInput Failed(InputProblem problem) => new(problem.Path, Problem: problem);
    /// <summary>A file to be read by the run's loader (on a worker, so files are read in parallel).</summary>
    public static SourceInput FromFile(string path) => new(path);

    /// <summary>True for a file named but not read yet.</summary>
    public bool IsUnreadFile => Item == null && Document == null && Problem == null;

    /// <summary>
    /// Decodes the input into a document (pure CPU work, safe to run in parallel). HTML is recognised by the
    /// Content-Type as well as by sniffing; a declared charset other than UTF-8 / Windows-1252 is honoured.
    /// </summary>
    public (SourceDocument? Document, InputProblem? Problem) Decode()
    {
        if (Problem != null) return (null, Problem);
        if (Document != null) return (Document, null);
        if (Item == null) return (null, new InputProblem(Path, "nothing to read"));
        var (bytes, warning) = Charsets.ToDecodable(Item.Body, Item.Charset);
        var (doc, problem) = SourceLoader.Decode(Path, bytes);
        if (doc != null && doc.Format == DocumentFormat.Text && Item.IsHtml)
        {
            // Served as HTML but not recognised by the sniffer (e.g. a comment before the doctype): extract it anyway.
            var page = HtmlText.Extract(doc.Text);
            if (string.IsNullOrWhiteSpace(page.Text)) return (null, new InputProblem(Path, "no article found (HTML page has no text)"));
            doc = doc with { Text = page.Text, Format = DocumentFormat.Html, Page = page.Metadata };
        }
        // The fallback is kept with the document, where export and the brief show it: "windows-1252 (declared charset utf-7 is not supported)".
        if (doc != null && warning != null) doc = doc with { Encoding = $"{doc.Encoding} ({warning})" };
        return (doc, problem);
    }
}
