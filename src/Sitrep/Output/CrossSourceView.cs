using Sitrep.Pipeline;
using Sitrep.Store;
using Sitrep.Stories;

namespace Sitrep.Output;

/// <summary>A story as the export and the brief show it: its articles, dates, actors, claims and timeline.</summary>
public sealed record StoryView(
    string Id, string Title, IReadOnlyList<ClaimArticle> Articles, DateOnly? From, DateOnly? To,
    IReadOnlyList<(string Key, string Name, int Articles)> Actors, IReadOnlyList<Claim> Claims);

/// <summary>
/// The corpus-level view: every stored article read once, grouped into stories, its claims aligned within each story
/// and graded across sources.
/// </summary>
public sealed record CrossSourceView(IReadOnlyList<ClaimArticle> Articles, IReadOnlyList<StoryView> Stories, IReadOnlyList<Claim> Claims)
{
    public static async Task<CrossSourceView> ReadAsync(string db, CancellationToken ct)
    {
        if (!File.Exists(db)) throw new StoreException(db, "no such database (run `sitrep analyze` or `sitrep ingest` first)");
        await using var store = await SqliteStore.OpenAsync(db, ct, readOnly: true);
        return await BuildAsync(store.ReadDocumentsAsync(ct), ct);
    }

    public static async Task<CrossSourceView> BuildAsync(IAsyncEnumerable<StoredDocument> documents, CancellationToken ct)
    {
        var articles = new List<ClaimArticle>();
        await foreach (var d in documents.WithCancellation(ct).ConfigureAwait(false))
            foreach (var a in d.Articles) articles.Add(ClaimInputs.From(d, a));
        return Build(articles, ct);
    }

    public static CrossSourceView Build(IReadOnlyList<ClaimArticle> articles, CancellationToken ct = default)
    {
        var storyOf = StoryGrouping.Group(articles, ct);
        var claims = new ClaimGrader().Grade(articles, id => storyOf.TryGetValue(id, out var s) ? s : null);
        var stories = new List<StoryView>();
        foreach (var g in articles.GroupBy(a => storyOf[a.Id]))
        {
            var members = g.OrderBy(a => a.Date ?? DateOnly.MaxValue).ThenBy(a => a.Label, StringComparer.Ordinal).ToList();
            var ids = members.Select(a => a.Id).ToHashSet();
            var storyClaims = claims.Where(c => ids.Contains(c.Support[0].ArticleId)).Select(c => c with { StoryId = g.Key }).ToList();
            var actors = members.SelectMany(a => a.Actors.Where(x => !x.Key.StartsWith("corpus:", StringComparison.Ordinal)).Select(x => (x.Key, x.Name, a.Id)))
                .GroupBy(x => x.Key).Select(x => (x.Key, x.First().Name, Articles: x.Select(y => y.Item3).Distinct().Count()))
                .OrderByDescending(x => x.Articles).ThenBy(x => x.Name, StringComparer.Ordinal).ToList();
            var dated = members.Where(a => a.Date != null).Select(a => a.Date!.Value).ToList();
            stories.Add(new StoryView(g.Key, StoryTitle(members), members,
                dated.Count > 0 ? dated.Min() : null, dated.Count > 0 ? dated.Max() : null, actors, storyClaims));
        }
        var ordered = stories.OrderByDescending(s => s.Articles.Count).ThenByDescending(s => s.To ?? DateOnly.MinValue).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        var allClaims = ordered.SelectMany(s => s.Claims).ToList();
        return new CrossSourceView(articles, ordered, allClaims);
    }

    /// <summary>A story's title: the headline of its earliest titled article, else its first article's opening.</summary>
    private static string StoryTitle(List<ClaimArticle> members)
    {
        var titled = members.FirstOrDefault(a => a.Title != null);
        if (titled != null) return titled.Title!.Trim();
        var a = members[0];
        if (a.Sentences.Count == 0) return a.Label;
        var (s, e) = a.Sentences[0];
        var text = a.Text[s..e].ReplaceLineEndings(" ").Trim();
        return text.Length <= 120 ? text : text[..119].TrimEnd() + "…";
    }
}
