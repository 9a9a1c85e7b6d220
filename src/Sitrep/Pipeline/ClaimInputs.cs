using Sitrep.Ingest;
using Sitrep.Store;
using Sitrep.Stories;

namespace Sitrep.Pipeline;

/// <summary>Reads what the cross-source stage needs of a stored article: its origin, date, sentences, actors and quotes.</summary>
public static class ClaimInputs
{
    /// <param name="origin">
    /// The article's origin when known (the first copy of a wire story or duplicate). Otherwise its outlet, or, with
    /// no outlet, its document: pieces of one file come from one site.
    /// </param>
    public static ClaimArticle From(StoredDocument d, StoredArticle a, string? origin = null)
    {
        var published = a.Time?.Published;
        var quotes = new List<QuoteInput>();
        if (a.QuotesJson != null)
            foreach (var q in QuoteJson.Read(a.QuotesJson).Quotes)
            {
                var speaker = q.Speaker.Text is { Length: > 0 } st ? st : null;
                var kind = q.Speaker.Kind;
                // A pronoun the attribution stage could not resolve ("He said") is someone the article named: not anonymous.
                if (speaker != null && Pronouns.Contains(speaker)) kind = "unresolved";
                quotes.Add(new QuoteInput(q.Start, q.End, q.Text, speaker, kind, q.Speaker.Start, q.Confidence));
            }
        int titleStart = -1;
        if (a.Title != null)
        {
            var piece = d.Pieces.FirstOrDefault(x => x.Kind == PieceKind.Title && x.Article == a.Seq);
            titleStart = piece.End > piece.Start ? piece.Start : d.Text.IndexOf(a.Title, StringComparison.Ordinal);
        }
        string? title = titleStart >= 0 ? a.Title : null;
        var label = Label(d.Files[0]) + (a.Seq > 0 ? $"#{a.Seq}" : "");
        var provenance = ProvenanceJson.Parse(d.ProvenanceJson);
        return new ClaimArticle(
            a.Id, d.Id, label, title, Math.Max(0, titleStart), d.Text, a.Outlet,
            origin ?? OriginKey(a.Outlet ?? provenance.Site, d.Id),
            published?.Likeliest, published?.From, published?.To,
            a.SentenceSpans.Select(s => (s.Start, s.End)).ToList(),
            a.Entities.Select(e => (e.Key, e.Name, (IReadOnlyList<(int, int)>)e.Mentions.Select(m => (m.Start, m.End)).ToList())).ToList(),
            quotes)
        {
            BodyStart = a.TextStart, BodyEnd = a.TextEnd, Byline = a.Byline, Dateline = a.Dateline, Dek = a.Dek,
            Url = provenance.Url, Site = provenance.Site,
        };
    }

    /// <summary>A short name for where a document came from: a file's name, or a URL's host and last path segment.</summary>
    public static string Label(string path)
    {
        if (Uri.TryCreate(path, UriKind.Absolute, out var u) && u.Scheme is "http" or "https")
        {
            var last = u.Segments.Length > 0 ? u.Segments[^1].Trim('/') : "";
            return u.Host + (last.Length > 0 ? "/…/" + last : "");
        }
        return Path.GetFileName(path);
    }

    /// <summary>An origin key: the outlet (or site) when known, else the document.</summary>
    public static string OriginKey(string? outlet, string documentId) =>
        outlet is { Length: > 0 } o ? "outlet:" + o.Trim().ToLowerInvariant() : "document:" + documentId;

    private static readonly HashSet<string> Pronouns = new(StringComparer.OrdinalIgnoreCase) { "he", "she", "they", "him", "her", "them", "it", "we", "i" };
}
