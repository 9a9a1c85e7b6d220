using Sitrep.Store;
using Sitrep.Stories;

namespace Sitrep.Output;

/// <summary>A story as the export and the brief show it: its articles, dates, actors, claims and timeline.</summary>
/// <param name="Articles">Its articles as the model lists them (label, headline, outlet, likeliest date; no text).</param>
public sealed record StoryView(
    string Id, string Title, IReadOnlyList<ClaimArticle> Articles, DateOnly? From, DateOnly? To,
    IReadOnlyList<(string Key, string Name, int Articles)> Actors, IReadOnlyList<Claim> Claims);

/// <summary>
/// The cross-source model as readers see it: stories with their articles and graded claims, threads, and copy links,
/// read from the store's model tables (kept up to date at ingest by <see cref="CrossSourceStage"/>). Nothing is
/// computed here: reading is a query.
/// </summary>
public sealed record CrossSourceView(IReadOnlyList<ClaimArticle> Articles, IReadOnlyList<StoryView> Stories, IReadOnlyList<Claim> Claims)
{
    public IReadOnlyList<ThreadView> Threads { get; init; } = [];

    /// <summary>Each article's copy links: which earlier article it repeats, the first copy, and any wire credit.</summary>
    public IReadOnlyDictionary<string, CopyLink> Links { get; init; } = new Dictionary<string, CopyLink>();

    /// <summary>How many articles the model holds (all stories, not only those read).</summary>
    public long TotalArticles { get; init; }

    /// <summary>How many stories the model holds.</summary>
    public long TotalStories { get; init; }

    /// <summary>When read without claims: each story's claim counts by status.</summary>
    public IReadOnlyDictionary<string, Dictionary<ClaimStatus, int>> StoryClaimCounts { get; init; } = new Dictionary<string, Dictionary<ClaimStatus, int>>();

    /// <summary>Claims of the whole model by status (all stories, not only those read).</summary>
    public IReadOnlyDictionary<ClaimStatus, long> ClaimCounts { get; init; } = new Dictionary<ClaimStatus, long>();

    /// <summary>
    /// Reads the model: the <paramref name="top"/> largest stories (all when null), or only story <paramref name="storyId"/>;
    /// copy links of their articles (all stored links when <paramref name="allLinks"/>).
    /// </summary>
    /// <param name="withClaims">False to leave the claims unread (<see cref="StoryView.Claims"/> empty; <see cref="StoryClaimCounts"/> has their counts).</param>
    public static CrossSourceView Read(IStore store, int? top = null, string? storyId = null, bool allLinks = false, bool withClaims = true)
    {
        var rows = store.ReadStories(top, storyId);
        var stories = new List<StoryView>(rows.Count);
        var articles = new List<ClaimArticle>();
        var memberIds = new List<string>();
        var claimsByStory = !withClaims ? [] : (storyId != null || top != null ? rows.SelectMany(r => store.ReadClaims(storyId: r.Id)) : store.ReadClaims())
            .GroupBy(c => c.StoryId!).ToDictionary(g => g.Key, g => g.ToList());
        var links = allLinks ? store.ReadCopyLinks() : null;
        foreach (var r in rows)
        {
            var members = store.ReadStoryMembers(r.Id);
            memberIds.AddRange(members.Select(m => m.ArticleId));
            var list = members.Select(m => new ClaimArticle(m.ArticleId, m.DocumentId, m.Label, m.Title, 0, "", m.Outlet, "", m.Date, null, null, [], [], [])
            { Url = m.Url, Site = m.Site }).ToList();
            articles.AddRange(list);
            stories.Add(new StoryView(r.Id, r.Title, list, r.From, r.To, r.Actors.Select(a => (a.Key, a.Name, a.Articles)).ToList(),
                claimsByStory.TryGetValue(r.Id, out var cs) ? cs : []));
        }
        // Without claims the view is a listing: copy links are left unread too.
        links ??= withClaims ? store.ReadCopyLinks(memberIds) : new Dictionary<string, CopyLink>();
        var threads = store.ReadThreads();
        if (storyId != null) threads = threads.Where(t => t.StoryIds.Contains(storyId)).ToList();
        return new CrossSourceView(articles, stories, stories.SelectMany(s => s.Claims).ToList())
        {
            Threads = threads, Links = links,
            TotalArticles = store.ModelArticleCount(), TotalStories = store.StoryCount(), ClaimCounts = withClaims ? store.ClaimCounts() : new Dictionary<ClaimStatus, long>(),
            StoryClaimCounts = withClaims ? new Dictionary<string, Dictionary<ClaimStatus, int>>()
                : store.ClaimStatusCounts(rows.Select(r => r.Id).ToList()),
        };
    }
}
