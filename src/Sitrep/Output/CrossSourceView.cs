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
/// A thread: stories that share subjects found in few other stories (the Arctic and Greenland, not NATO and Russia,
/// which run through everything). A looser link than a story: same subject, different events. <see cref="Actors"/>
/// are the subjects most of its stories share, strongest first; <see cref="Title"/> names the strongest
/// (<see cref="StoryThreads"/>).
/// </summary>
public sealed record ThreadView(string Id, string Title, IReadOnlyList<(string Key, string Name)> Actors, IReadOnlyList<string> StoryIds);

/// <summary>
/// The corpus-level view: every stored article read once, grouped into stories, its claims aligned within each story
/// and graded across sources; stories that share distinctive subjects are linked into threads (<see cref="StoryThreads"/>).
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
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var d in documents.WithCancellation(ct).ConfigureAwait(false))
            foreach (var a in d.Articles)
            {
                articles.Add(ClaimInputs.From(d, a));
                foreach (var e in a.Entities) types.TryAdd(e.Key, e.Type);
            }
        return Build(articles, ct, types);
    }

    /// <param name="actorTypes">Each actor key's type ("country", "outlet", …) when known: threads leave outlets out.</param>
    public static CrossSourceView Build(IReadOnlyList<ClaimArticle> articles, CancellationToken ct = default, IReadOnlyDictionary<string, string>? actorTypes = null)
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
        return new CrossSourceView(articles, ordered, allClaims) { Threads = FindThreads(ordered, actorTypes), Links = links };
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

    private static IReadOnlyList<ThreadView> FindThreads(IReadOnlyList<StoryView> stories, IReadOnlyDictionary<string, string>? actorTypes) =>
        StoryThreads.Find(stories.Select(s => new StoryThreads.Input(s.Id, StoryThreads.Subjects(s.Articles, actorTypes))).ToList());

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
        return Sitrep.Text.TextCut.Ellipsis(text, 120);
    }
}

/// <summary>
/// Threads: groups of stories about one subject that few other stories share. The rule, step by step:
/// <list type="number">
/// <item><b>Subjects of a story</b> (<see cref="Subjects"/>): its knowledge-base actors, counted by their mentions in
/// the headline, the dek and the body; a headline or dek mention counts twice (the headline states what the story is
/// about). Mentions anywhere else before the body — the dateline, the byline, a stray label — do not count: a dateline
/// says where the reporter was, not what the story is about.</item>
/// <item><b>Distinctiveness</b> (IDF over stories): an actor in <c>df</c> of the <c>N</c> stories weighs
/// <c>(1 + ln mentions) · ln(N / df)</c> in a story; actors in more than a third of the stories (at least two) weigh
/// nothing — NATO and Russia in a NATO corpus are the background, not a subject.</item>
/// <item><b>Similarity</b> of two stories: the cosine of those weights. A story's own actors count in its norm, so a
/// story that mentions a subject in passing while being about something else is a weak partner.</item>
/// <item><b>Link</b>: similarity at least <see cref="MinSimilarity"/> and at least <see cref="MinSharedSubjects"/>
/// weighted actors in common — one coincidence is not a thread.</item>
/// <item><b>Grouping</b>: group-average agglomerative clustering, closest groups first; two groups merge only while
/// their average similarity is at least <see cref="MinSimilarity"/> and every story of the merged group is linked to
/// more than half of the others. So A–B and B–C links do not make A–B–C a thread when A and C share nothing.</item>
/// <item><b>Title</b>: the thread's subjects are the actors in two or more of its stories, scored by their mean weight
/// over the thread's stories (0 where absent); the title names the top one and the next ones while they score at
/// least half as much, up to <see cref="MaxTitleSubjects"/>.</item>
/// </list>
/// Needs at least three stories: with two, whatever they share is in every story and nothing is distinctive.
/// </summary>
internal static class StoryThreads
{
    /// <summary>The least cosine similarity of two linked stories, and the least average similarity of two merged groups.</summary>
    public const double MinSimilarity = 0.2;
    /// <summary>The least number of distinctive actors two linked stories share.</summary>
    public const int MinSharedSubjects = 2;
    public const int MaxTitleSubjects = 3;

    /// <summary>A story: its id and its actors (key → name and weighted mention count).</summary>
    public sealed record Input(string Id, IReadOnlyDictionary<string, (string Name, int Mentions)> Subjects);

    /// <summary>A story's actors with their mentions in headline (×2), dek (×2) and body; none from the dateline or byline.</summary>
    public static IReadOnlyDictionary<string, (string Name, int Mentions)> Subjects(IEnumerable<ClaimArticle> articles, IReadOnlyDictionary<string, string>? types = null)
    {
        var result = new Dictionary<string, (string Name, int Mentions)>(StringComparer.Ordinal);
        foreach (var a in articles)
        {
            int bodyEnd = a.BodyEnd < 0 ? a.Text.Length : a.BodyEnd;
            int titleStart = a.Title != null ? a.TitleStart : -1, titleEnd = a.Title != null ? a.TitleStart + a.Title.Length : -1;
            int dekStart = string.IsNullOrEmpty(a.Dek) ? -1 : a.Text.IndexOf(a.Dek, StringComparison.Ordinal);
            int dekEnd = dekStart < 0 ? -1 : dekStart + a.Dek!.Length;
            foreach (var (key, name, mentions) in a.Actors)
            {
                if (!IsSubject(key, types)) continue;
                int count = 0;
                foreach (var (start, end) in mentions)
                    count += (start >= titleStart && end <= titleEnd) || (start >= dekStart && end <= dekEnd) ? 2
                        : start >= a.BodyStart && end <= bodyEnd ? 1 : 0;
                if (count == 0) continue;
                result[key] = result.TryGetValue(key, out var had) ? (had.Name, had.Mentions + count) : (name, count);
            }
        }
        return result;
    }

    /// <summary>
    /// Whether an actor can be a thread's subject: not an outlet (a source, not a subject: "told Reuters"), and for a
    /// name the knowledge base does not know (<c>corpus:&lt;type&gt;:&lt;name&gt;</c>), a person, organisation or place — not
    /// a "misc" name, which is mostly demonyms and adjectives ("Islamist", "Western").
    /// </summary>
    public static bool IsSubject(string key, IReadOnlyDictionary<string, string>? types)
    {
        if (key.StartsWith("corpus:", StringComparison.Ordinal))
            return key.AsSpan("corpus:".Length) is var rest && (rest.StartsWith("person:") || rest.StartsWith("organisation:") || rest.StartsWith("place:"));
        return types == null || !types.TryGetValue(key, out var type) || !string.Equals(type, "outlet", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The threads among <paramref name="stories"/> (in their order), largest first.</summary>
    public static IReadOnlyList<ThreadView> Find(IReadOnlyList<Input> stories)
    {
        int n = stories.Count;
        if (n < 3) return [];
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in stories)
            foreach (var (key, (name, mentions)) in s.Subjects)
                if (mentions > 0) { df[key] = df.GetValueOrDefault(key) + 1; names.TryAdd(key, name); }
        int limit = Math.Max(2, n / 3);
        var weights = new Dictionary<string, double>[n];
        var norms = new double[n];
        var postings = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            weights[i] = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (key, (_, mentions)) in stories[i].Subjects)
            {
                if (mentions <= 0 || df[key] > limit) continue;
                double w = (1 + Math.Log(mentions)) * Math.Log((double)n / df[key]);
                weights[i][key] = w;
                norms[i] += w * w;
                if (df[key] >= 2) (postings.TryGetValue(key, out var list) ? list : postings[key] = []).Add(i);
            }
            norms[i] = Math.Sqrt(norms[i]);
        }
        // Similarity of every pair sharing a distinctive actor (all others are 0), and the linked pairs.
        var pairs = new Dictionary<(int, int), (double Dot, int Shared)>();
        foreach (var (key, list) in postings)
            for (int x = 0; x < list.Count; x++)
                for (int y = x + 1; y < list.Count; y++)
                {
                    var p = (list[x], list[y]);
                    var had = pairs.GetValueOrDefault(p);
                    pairs[p] = (had.Dot + weights[list[x]][key] * weights[list[y]][key], had.Shared + 1);
                }
        var linked = new HashSet<int>[n];
        for (int i = 0; i < n; i++) linked[i] = [];
        foreach (var ((i, j), (dot, shared)) in pairs)
            if (dot / (norms[i] * norms[j]) >= MinSimilarity && shared >= MinSharedSubjects) { linked[i].Add(j); linked[j].Add(i); }
        // Group-average agglomerative clustering over the stories with a link. A cluster is named by one of its stories'
        // indexes; cross[c][d] holds the summed similarity of their story pairs and how many of those pairs are linked.
        var members = new Dictionary<int, List<int>>();
        for (int i = 0; i < n; i++) if (linked[i].Count > 0) members[i] = [i];
        var cross = new Dictionary<int, Dictionary<int, (double Sum, int Links)>>();
        foreach (var ((i, j), (dot, _)) in pairs)
        {
            if (!members.ContainsKey(i) || !members.ContainsKey(j)) continue;
            var pair = (dot / (norms[i] * norms[j]), linked[i].Contains(j) ? 1 : 0);
            (cross.TryGetValue(i, out var ci) ? ci : cross[i] = [])[j] = pair;
            (cross.TryGetValue(j, out var cj) ? cj : cross[j] = [])[i] = pair;
        }
        // Candidate merges, best average first (ties: lower indexes); an entry is stale once either cluster has changed.
        var version = new Dictionary<int, int>();
        var queue = new PriorityQueue<(int A, int B, int VersionA, int VersionB), (double Average, int A, int B)>(CandidateOrder.Instance);
        void Offer(int c, int d)
        {
            if (c > d) (c, d) = (d, c);
            var (sum, links) = cross[c][d];
            double average = sum / (members[c].Count * members[d].Count);
            if (links > 0 && average >= MinSimilarity) queue.Enqueue((c, d, version.GetValueOrDefault(c), version.GetValueOrDefault(d)), (average, c, d));
        }
        foreach (var (c, others) in cross)
            foreach (var d in others.Keys)
                if (c < d) Offer(c, d);
        while (queue.TryDequeue(out var m, out _))
        {
            if (!members.ContainsKey(m.A) || !members.ContainsKey(m.B)
                || version.GetValueOrDefault(m.A) != m.VersionA || version.GetValueOrDefault(m.B) != m.VersionB) continue;
            if (!EachLinkedToMost(members[m.A], members[m.B], linked)) continue;
            var (keep, gone) = (m.A, m.B);
            members[keep].AddRange(members[gone]);
            members.Remove(gone);
            version[keep] = version.GetValueOrDefault(keep) + 1;
            foreach (var (e, (sum, links)) in cross[gone])
            {
                if (e == keep) continue;
                var had = cross[keep].GetValueOrDefault(e);
                cross[keep][e] = cross[e][keep] = (had.Sum + sum, had.Links + links);
                cross[e].Remove(gone);
            }
            cross[keep].Remove(gone);
            cross.Remove(gone);
            foreach (var e in cross[keep].Keys) Offer(keep, e);
        }
        var threads = new List<ThreadView>();
        foreach (var group in members.Values.Where(m => m.Count >= 2).Select(m => m.Order().ToList()).OrderByDescending(m => m.Count).ThenBy(m => m[0]))
        {
            var subjects = group.SelectMany(i => weights[i].Keys).GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() >= 2)
                .Select(g => (Key: g.Key, Score: group.Sum(i => weights[i].GetValueOrDefault(g.Key)) / group.Count))
                .OrderByDescending(x => x.Score).ThenBy(x => names[x.Key], StringComparer.Ordinal).ToList();
            var title = subjects.TakeWhile((x, k) => k < MaxTitleSubjects && x.Score >= subjects[0].Score / 2).Select(x => names[x.Key]);
            threads.Add(new ThreadView("t" + (threads.Count + 1), string.Join(" / ", title),
                subjects.Select(x => (x.Key, names[x.Key])).ToList(), group.Select(i => stories[i].Id).ToList()));
        }
        return threads;
    }

    /// <summary>Higher average first, then the lower pair of cluster indexes.</summary>
    private sealed class CandidateOrder : IComparer<(double Average, int A, int B)>
    {
        public static readonly CandidateOrder Instance = new();
        public int Compare((double Average, int A, int B) x, (double Average, int A, int B) y)
        {
            int c = y.Average.CompareTo(x.Average);
            return c != 0 ? c : x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B);
        }
    }

    /// <summary>Whether every story of the two groups together is linked to more than half of the others.</summary>
    private static bool EachLinkedToMost(List<int> a, List<int> b, HashSet<int>[] linked)
    {
        var all = a.Concat(b).ToList();
        foreach (var x in all)
            if (2 * all.Count(y => linked[x].Contains(y)) <= all.Count - 1) return false;
        return true;
    }
}
