using System.Globalization;
using System.Text.Json.Nodes;
using Sitrep.Ingest.Web;

namespace Sitrep.Pipeline;

/// <summary>What is known of where a document came from, as stored.</summary>
public sealed record Provenance(string? Url, string? Site, IReadOnlyList<string> Authors, string? Language, string? Published, string? Fetched, string? FeedUrl)
{
    public static Provenance None { get; } = new(null, null, [], null, null, null, null);
}

/// <summary>
/// A document's provenance as stored (<c>documents.provenance_json</c>): the URL (the page's canonical one when it
/// gives it), site, authors, language, publication date from metadata or feed, fetch time and feed. Duplicate and
/// origin links are not stored: they depend on the whole corpus and are computed when it is read.
/// </summary>
public static class ProvenanceJson
{
    public static string Serialize(ArticleProvenance p) => new JsonObject
    {
        ["url"] = p.Url,
        ["site"] = p.Site,
        ["authors"] = new JsonArray(p.Authors.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
        ["language"] = p.Language,
        ["published"] = p.Published?.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        ["fetched"] = p.Fetched?.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        ["feed_url"] = p.FeedUrl,
    }.ToJsonString();

    public static Provenance Parse(string? json)
    {
        if (string.IsNullOrEmpty(json) || JsonNode.Parse(json) is not JsonObject o) return Provenance.None;
        return new Provenance((string?)o["url"], (string?)o["site"],
            o["authors"] is JsonArray a ? a.Select(x => (string?)x).Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x!).ToList() : [],
            (string?)o["language"], (string?)o["published"], (string?)o["fetched"], (string?)o["feed_url"]);
    }
}
