using System.Globalization;
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
/// origin links are not stored: they depend on the whole corpus and are computed when it is read. Written and read as
/// the typed <see cref="Provenance"/> record through <see cref="LayerJson"/>.
/// </summary>
public static class ProvenanceJson
{
    public static string Serialize(ArticleProvenance p) => LayerJson.Serialize(new Provenance(
        p.Url, p.Site, [.. p.Authors], p.Language,
        p.Published?.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        p.Fetched?.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        p.FeedUrl), LayerJson.Context.Provenance);

    /// <summary>Reads what <see cref="Serialize"/> wrote (null or empty: nothing known); blank author names are dropped.</summary>
    public static Provenance Parse(string? json)
    {
        if (string.IsNullOrEmpty(json) || System.Text.Json.JsonSerializer.Deserialize(json, LayerJson.Context.Provenance) is not { } p) return Provenance.None;
        return p with { Authors = p.Authors == null ? [] : [.. p.Authors.Where(a => !string.IsNullOrWhiteSpace(a))] };
    }
}
