using Sitrep.Ingest.Dedup;
using Sitrep.Pipeline;
using Sitrep.Store;
using Sitrep.Stories;

namespace Sitrep.Output;

/// <summary>A story as the export and the brief show it: its articles, dates, actors, claims and timeline.</summary>
public sealed record StoryView(
    string Id, string Title, IReadOnlyList<ClaimArticle> Articles, DateOnly? From, DateOnly? To,
    IReadOnlyList<(string Key, string Name, int Articles)> Actors, IReadOnlyList<Claim> Claims);

/// <summary>An article's copy links.</summary>
/// <param name="DuplicateOf">The earlier article it repeats (exactly or nearly), or null.</param>
/// <param name="Origin">The first copy (itself when it is no copy).</param>
/// <param name="OriginKey">What independence is counted by: the first copy's outlet, the wire agency, or the document.</param>
public sealed record CopyLink(string? DuplicateOf, string Origin, DuplicateKind? Kind, double? Similarity, string? WireAgency, string OriginKey);

/// <summary>
/// A thread: stories that share actors found in few other stories (the Arctic and Greenland, not NATO and Russia,
/// which run through everything). A looser link than a story: same subject, different events.
/// </summary>
public sealed record ThreadView(string Id, string Title, IReadOnlyList<(string Key, string Name)> Actors, IReadOnlyList<string> StoryIds);

/// <summary>
/// The corpus-level view: every stored article read once, grouped into stories, its claims aligned within each story
/// and graded across sources; stories that share distinctive actors are linked into threads.
/// </summary>
public sealed record CrossSourceView(IReadOnlyList<ClaimArticle> Articles, IReadOnlyList<StoryView> Stories, IReadOnlyList<Claim> Claims)
{
    public IReadOnlyList<ThreadView> Threads { get; init; } = [];

    /// <summary>Each article's copy links: which earlier article it repeats, the first copy, and any wire credit.</summary>
    public IReadOnlyDictionary<string, CopyLink> Links { get; init; } = new Dictionary<string, CopyLink>();

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
        var links = LinkCopies(articles, ct);
        articles = articles.Select(a => a with { Origin = links[a.Id].OriginKey }).ToList();
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
        return new CrossSourceView(articles, ordered, allClaims) { Threads = FindThreads(ordered), Links = links };
    }

    /// <summary>
    /// Near-duplicates and wire copies, earliest first (likeliest date, then label), so a copy links to the earliest
    /// copy: exact and near duplicates (MinHash over word shingles of the body) share their first copy's origin; a
    /// wire-credited article with no earlier copy here has the agency as origin ("wire:reuters"), so two outlets
    /// running Reuters copy count once; any other article's origin is its outlet, else its document.
    /// </summary>
    private static Dictionary<string, CopyLink> LinkCopies(IReadOnlyList<ClaimArticle> articles, CancellationToken ct)
    {
        var index = new NearDuplicateIndex();
        var result = new Dictionary<string, CopyLink>(StringComparer.Ordinal);
        foreach (var a in articles.OrderBy(a => a.Date ?? DateOnly.MaxValue).ThenBy(a => a.Label, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var body = a.Body;
            var match = body.Length > 0 ? index.Add(a.Id, body) : null;
            var wire = WireCredits.Detect(body);
            foreach (var line in new[] { a.Byline, a.Dateline })
                if (wire == null && line != null) wire = WireCredits.Detect(line);
            string key = match != null && result.TryGetValue(match.OriginId, out var origin) ? origin.OriginKey
                : wire != null ? "wire:" + wire.Agency.ToLowerInvariant()
                : a.Origin;
            result[a.Id] = new CopyLink(match?.MatchedId, match?.OriginId ?? a.Id, match?.Kind, match?.Similarity, wire?.Agency, key);
        }
        return result;
    }

    /// <summary>
    /// Links stories that share at least two knowledge-base actors which are each in at most a third of the stories
    /// (at least two stories) — the subject particular to them — into threads, one per group of linked stories.
    /// </summary>
    private static IReadOnlyList<ThreadView> FindThreads(IReadOnlyList<StoryView> stories)
    {
        // Distinctive needs a background: with fewer than three stories every shared actor would count.
        if (stories.Count < 3) return [];
        var storiesOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in stories)
            foreach (var (key, name, _) in s.Actors)
            {
                if (!storiesOf.TryGetValue(key, out var set)) storiesOf[key] = set = [];
                set.Add(s.Id);
                names[key] = name;
            }
        int limit = Math.Max(2, stories.Count / 3);
        var distinctive = storiesOf.Where(kv => kv.Value.Count >= 2 && kv.Value.Count <= limit).ToDictionary(kv => kv.Key, kv => kv.Value);
        // Pairs of stories with two or more distinctive actors in common, joined into groups.
        var parent = stories.ToDictionary(s => s.Id, s => s.Id, StringComparer.Ordinal);
        string Find(string x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        var shared = new Dictionary<(string, string), List<string>>();
        foreach (var (key, set) in distinctive)
        {
            var ids = set.Order(StringComparer.Ordinal).ToList();
            for (int i = 0; i < ids.Count; i++)
                for (int j = i + 1; j < ids.Count; j++)
                {
                    if (!shared.TryGetValue((ids[i], ids[j]), out var list)) shared[(ids[i], ids[j])] = list = [];
                    list.Add(key);
                }
        }
        var links = shared.Where(kv => kv.Value.Count >= 2).ToList();
        foreach (var ((a, b), _) in links) parent[Find(a)] = Find(b);
        var threads = new List<ThreadView>();
        foreach (var group in links.GroupBy(l => Find(l.Key.Item1)))
        {
            var storyIds = group.SelectMany(l => new[] { l.Key.Item1, l.Key.Item2 }).Distinct().OrderBy(id => stories.ToList().FindIndex(s => s.Id == id)).ToList();
            var actors = group.SelectMany(l => l.Value).Distinct()
                .OrderByDescending(k => distinctive[k].Count(storyIds.Contains)).ThenBy(k => names[k], StringComparer.Ordinal)
                .Select(k => (k, names[k])).ToList();
            threads.Add(new ThreadView("t" + (threads.Count + 1), string.Join(" / ", actors.Take(3).Select(a => a.Item2)), actors, storyIds));
        }
        return threads;
    }

    /// <summary>A story's title: the headline of its earliest titled article, else the earliest dek, else its first article's opening.</summary>
    private static string StoryTitle(List<ClaimArticle> members)
    {
        var titled = members.FirstOrDefault(a => a.Title != null);
        if (titled != null) return titled.Title!.Trim();
        var dek = members.FirstOrDefault(a => !string.IsNullOrWhiteSpace(a.Dek));
        if (dek != null) return dek.Dek!.Trim();
        var a = members[0];
        if (a.Sentences.Count == 0) return a.Label;
        var (s, e) = a.Sentences[0];
        var text = a.Text[s..e].ReplaceLineEndings(" ").Trim();
        return text.Length <= 120 ? text : text[..119].TrimEnd() + "…";
    }
}
