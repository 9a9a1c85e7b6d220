using Sitrep.Store;

namespace Sitrep.Stories;

/// <summary>A subject of a thread: a knowledge-base actor.</summary>
public sealed record ThreadSubject(string Key, string Name);

/// <summary>
/// A thread: stories that share subjects found in few other stories (the Arctic and Greenland, not NATO and Russia,
/// which run through everything). A looser link than a story: same subject, different events. <see cref="Actors"/>
/// are the subjects most of its stories share, strongest first; <see cref="Title"/> names the strongest
/// (<see cref="StoryThreads"/>).
/// </summary>
public sealed record ThreadView(string Id, string Title, IReadOnlyList<ThreadSubject> Actors, IReadOnlyList<string> StoryIds);

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
                subjects.Select(x => new ThreadSubject(x.Key, names[x.Key])).ToList(), group.Select(i => stories[i].Id).ToList()));
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
