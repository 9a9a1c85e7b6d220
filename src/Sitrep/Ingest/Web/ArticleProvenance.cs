using System.Globalization;
using Sitrep.Ingest.Dedup;

namespace Sitrep.Ingest.Web;

/// <summary>
/// Where an article came from and what it repeats, merged from the feed, the HTTP response or WARC record, and the page's
/// own metadata: the fields the store keeps per article. Feed values win over page values (the feed is the publisher's
/// structured statement); the page's canonical URL wins over the fetched URL.
/// </summary>
public sealed record ArticleProvenance(
    string? Url,
    string? Site,
    IReadOnlyList<string> Authors,
    string? Language,
    DateTimeOffset? Published,
    DateTimeOffset? Fetched,
    string? FeedUrl,
    string? DuplicateOf,
    string? Origin,
    DuplicateKind? DuplicateKind,
    double? Similarity,
    string? WireAgency)
{
    public static ArticleProvenance From(SourceInput input, SourceDocument document, DuplicateMatch? duplicate = null, WireCredit? wire = null)
    {
        var item = input.Item;
        var page = document.Page;
        Uri? url = null;
        if (page?.Url is { } canonical && Uri.TryCreate(item?.Url ?? null, canonical, out var c) && c.Scheme is "http" or "https") url = c;
        url ??= item?.Url is { Scheme: "http" or "https" } u ? u : null;
        string? site = page?.SiteName;
        if (string.IsNullOrWhiteSpace(site) && url != null) site = url.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? url.Host[4..] : url.Host;
        DateTimeOffset? published = item?.FeedPublished;
        if (published == null && page?.Published is { } p &&
            DateTimeOffset.TryParse(p, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var pd)) published = pd;
        return new ArticleProvenance(
            url?.AbsoluteUri,
            string.IsNullOrWhiteSpace(site) ? null : site.Trim(),
            SplitAuthors(item?.FeedAuthor ?? page?.Author),
            string.IsNullOrWhiteSpace(page?.Language) ? null : page!.Language!.Trim(),
            published,
            item?.Fetched,
            item?.FeedUrl?.AbsoluteUri,
            duplicate?.MatchedId,
            duplicate?.OriginId,
            duplicate?.Kind,
            duplicate?.Similarity,
            wire?.Agency);
    }

    /// <summary>"Jane Doe and John Roe", "Jane Doe, John Roe", "Jane Doe; John Roe" → names; "Doe, Jane" stays one name.</summary>
    public static IReadOnlyList<string> SplitAuthors(string? authors)
    {
        if (string.IsNullOrWhiteSpace(authors)) return [];
        var s = authors.Trim();
        if (s.StartsWith("By ", StringComparison.OrdinalIgnoreCase)) s = s[3..];
        var parts = s.Split([";", " and ", " & ", "|"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var result = new List<string>();
        foreach (var part in parts)
        {
            var commas = part.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // Split on commas only when every piece is a multi-word name ("Doe, Jane" is one name).
            if (commas.Length > 1 && commas.All(x => x.Contains(' '))) result.AddRange(commas);
            else result.Add(part);
        }
        return result.Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }
}
