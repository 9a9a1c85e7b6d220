using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sitrep.Stories;

/// <summary>Thresholds of the claims stage.</summary>
/// <param name="MinConfidence">Quotes the attribution stage is less sure of are not read as claims.</param>
/// <param name="Align">Weighted Dice similarity at or above which two mentions in different articles make the same claim.</param>
/// <param name="HeadlineSupport">Weighted overlap at or above which a quote of the article supports its headline.</param>
/// <param name="SameTimeDays">Two articles whose likeliest dates are further apart than this are of different times.</param>
public sealed record ClaimOptions(double MinConfidence = 0.5, double Align = 0.5, double HeadlineSupport = 0.3, int SameTimeDays = 45, int MinTerms = 3);

/// <summary>
/// Reads claims (quotes, and each headline as its article's central claim), aligns the same claim across articles of
/// a story, and grades it: <c>corroborated</c> by two or more independent origins, <c>contradicted</c> by a source of
/// the same time, <c>anonymous_only</c> when every support is a described or unnamed source, else <c>single_source</c>.
/// A disagreement between articles dated far apart is listed with the dates and does not count as a contradiction:
/// the two may describe different moments. Deterministic; no winner is picked between the sides. An instance keeps
/// what it has read of each article (its mentions and terms) for later calls; not thread-safe.
/// </summary>
public sealed class ClaimGrader(ClaimOptions? options = null)
{
    private readonly ClaimOptions _o = options ?? new ClaimOptions();
    private readonly Dictionary<(string Id, string Origin), (ClaimArticle Article, ClaimDigest Digest)> _read = [];

    private sealed class Item
    {
        public required ClaimMention Mention;
        public required ClaimDigest Article;
        public required string[] Terms;        // the span's terms, with actors as "@key"
        public required string[] MatchTerms;   // what is compared across articles: the span, or its sentence when the span is short
        public required string[] Actors;
        public required string[] NegatedTerms; // terms within a few words of a negation ("discussions … on hold")
        public int Parent;                     // union-find over Order
        public int Order;                      // position in the list of all items
        public double Weight;                  // the sum of the terms' weights, in term order
    }

    /// <summary>A claim mention read from an article's text, before it is stored in a digest.</summary>
    internal sealed record RawItem(int Start, int End, string Text, int SentenceStart, int SentenceEnd, string? Speaker, string SpeakerKind,
        bool Headline, bool Negated, string[] Terms, string[] MatchTerms, string[] ActorTerms, string[] NegatedTerms);

    /// <param name="storyOf">The story of each article id (claims align within a story); null to align across all articles.</param>
    /// <param name="only">With <paramref name="storyOf"/>: grade only this story's claims; the other articles are read
    /// only as the side that may contradict them (and for term weights).</param>
    public IReadOnlyList<Claim> Grade(IReadOnlyList<ClaimArticle> articles, Func<string, string?>? storyOf = null, string? only = null)
    {
        var digests = new List<ClaimDigest>(articles.Count);
        foreach (var a in articles)
        {
            // What an article's mentions are does not depend on the other articles: read once per grader and article.
            var key = (a.Id, a.Origin);
            if (!_read.TryGetValue(key, out var read) || !ReferenceEquals(read.Article.Text, a.Text)) _read[key] = read = (a, ClaimDigest.From(a, _o));
            digests.Add(read.Digest);
        }
        return Grade(digests, storyOf, only);
    }

    /// <summary>As <see cref="Grade(IReadOnlyList{ClaimArticle}, Func{string, string?}?, string?)"/>, from the articles' stored digests.</summary>
    public IReadOnlyList<Claim> Grade(IReadOnlyList<ClaimDigest> articles, Func<string, string?>? storyOf = null, string? only = null)
    {
        // With no stories every article is compared with every other; with stories, an article in none is on its own.
        string Story(ClaimDigest a) => storyOf == null ? "" : storyOf(a.Id) ?? "article:" + a.Id;
        var items = new List<Item>();
        foreach (var a in articles)
            foreach (var i in a.Items)
                items.Add(new Item
                {
                    Mention = new ClaimMention(a.Id, a.Label, a.Origin, a.Outlet, a.Date, i.Start, i.End, i.Text, i.SentenceStart, i.SentenceEnd,
                        i.Speaker, i.SpeakerKind, i.Headline, i.Negated) { CodePoints = i.CodePoints },
                    Article = a, Terms = i.Terms, MatchTerms = i.MatchTerms, Actors = i.Actors, NegatedTerms = i.NegatedTerms,
                });
        if (items.Count == 0) return [];

        // Inverse document frequency over the articles, so shared names and rare words weigh more than common ones.
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in articles)
        {
            seen.Clear();
            foreach (var i in a.Items)
                foreach (var t in i.MatchTerms)
                    if (seen.Add(t)) df[t] = df.GetValueOrDefault(t) + 1;
        }
        double n = articles.Count;
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        double Idf(string t)
        {
            if (!weights.TryGetValue(t, out var w)) weights[t] = w = Math.Log(1 + n / df.GetValueOrDefault(t, 1));
            return w;
        }

        int next = 0;
        foreach (var i in items)
        {
            i.Order = next; i.Parent = next++;
            double w = 0;
            foreach (var t in i.Terms) w += Idf(t);
            i.Weight = w;
        }
        int Find(int x)
        {
            while (items[x].Parent != x) { items[x].Parent = items[items[x].Parent].Parent; x = items[x].Parent; }
            return x;
        }
        void Union(int a, int b)
        {
            int ra = Find(a), rb = Find(b);
            if (ra == rb) return;
            if (ra < rb) items[rb].Parent = ra; else items[ra].Parent = rb;
        }

        // A quote of an article that says what its headline says supports the headline (000: the headline is what
        // "several NATO officials confirmed"); a headline no quote supports is the outlet's own assertion.
        foreach (var g in items.GroupBy(i => i.Article.Id))
        {
            var headline = g.FirstOrDefault(i => i.Mention.Headline);
            if (headline == null) continue;
            foreach (var q in g.Where(i => !i.Mention.Headline))
                if (Overlap(headline.Terms, q.Terms, Idf) >= _o.HeadlineSupport && headline.Terms.Intersect(q.Terms).Count() >= 3)
                    Union(headline.Order, q.Order);
        }

        // Align across articles of the same story: single link over weighted Dice (at least three terms shared), never
        // two mentions of one article into one claim unless the headline brought them. Pairs are found through the
        // terms they share, so mentions with fewer than three in common are never compared.
        var byStory = items.GroupBy(i => Story(i.Article)).ToList();
        foreach (var story in byStory)
        {
            if (only != null && storyOf != null && story.Key != only) continue;
            var list = story.ToList();
            var postings = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (int x = 0; x < list.Count; x++)
                foreach (var t in list[x].Terms)
                {
                    if (!postings.TryGetValue(t, out var p)) postings[t] = p = [];
                    p.Add(x);
                }
            var sharedCount = new int[list.Count];
            var sharedWeight = new double[list.Count];
            var touched = new List<int>();
            for (int x = 0; x < list.Count; x++)
            {
                var a = list[x];
                foreach (var t in a.Terms)
                {
                    double w = Idf(t);
                    foreach (int y in postings[t])
                    {
                        if (y <= x) continue;
                        if (sharedCount[y]++ == 0) touched.Add(y);
                        sharedWeight[y] += w;
                    }
                }
                touched.Sort();
                foreach (int y in touched)
                {
                    int count = sharedCount[y];
                    double shared = sharedWeight[y];
                    sharedCount[y] = 0; sharedWeight[y] = 0;
                    var b = list[y];
                    if (count < 3 || a.Article.Id == b.Article.Id || a.Mention.Negated != b.Mention.Negated || Find(a.Order) == Find(b.Order)) continue;
                    double total = a.Weight;
                    foreach (var t in b.Terms) total += Idf(t);
                    if (total != 0 && 2 * shared / total >= _o.Align) Union(a.Order, b.Order);
                }
                touched.Clear();
            }
        }

        var clusters = items.GroupBy(i => Find(i.Order)).Select(g => g.ToList())
            .Where(c => only == null || storyOf == null || Story(c[0].Article) == only).ToList();
        // A contradiction pairs a negated mention with a plain one that shares a term with it: each claim looks only at
        // the mentions of the other polarity that share one of its terms (an index of each side by its terms).
        var negatedIndex = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var plainIndex = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var i in items)
        {
            var index = i.Mention.Negated ? negatedIndex : plainIndex;
            foreach (var t in i.MatchTerms)
            {
                if (t[0] == '@') continue;
                if (!index.TryGetValue(t, out var p)) index[t] = p = [];
                p.Add(i.Order);
            }
        }
        var mainActors = new Dictionary<ClaimDigest, string[]>(ReferenceEqualityComparer.Instance);
        var claims = new List<Claim>();
        foreach (var c in clusters)
        {
            // Contradictions are sought for the claims a reader looks at first: headlines (an article's central
            // claim) and claims carried by more than one origin. Any mention elsewhere may be the disagreeing side.
            bool central = c.Any(i => i.Mention.Headline) || c.Select(i => i.Mention.Origin).Distinct().Count() > 1;
            var contradict = central ? Contradictions(c, items, negatedIndex, plainIndex, storyOf == null ? null : Story, Idf, mainActors) : [];
            claims.Add(Build(c, contradict));
        }
        return claims.OrderBy(c => StatusOrder(c.Status)).ThenByDescending(c => c.Origins).ThenByDescending(c => c.Support.Count)
                     .ThenBy(c => c.Support[0].ArticleLabel, StringComparer.Ordinal).ThenBy(c => c.Support[0].Start).ToList();
    }

    private static int StatusOrder(ClaimStatus s) => s switch
    {
        ClaimStatus.Contradicted => 0, ClaimStatus.Corroborated => 1, ClaimStatus.AnonymousOnly => 2, _ => 3,
    };

    /// <summary>The claim mentions of an article: its headline and its quotes the attribution stage is sure enough of, with their terms.</summary>
    internal static List<RawItem> ReadItems(ClaimArticle a, ClaimOptions o)
    {
        var result = new List<RawItem>();
        var sentences = a.Sentences;
        (int, int) SentenceOf(int start, int end)
        {
            foreach (var s in sentences) if (s.Start <= start && start < s.End) return (s.Start, Math.Max(s.End, Math.Min(end, a.Text.Length)));
            return (start, end);
        }
        var names = a.Actors.SelectMany(x => x.Mentions).ToList();
        bool InName(int at) => names.Any(m => m.Start <= at && at < m.End);
        string[] ActorsIn(int start, int end) =>
            a.Actors.Where(x => x.Mentions.Any(m => m.Start >= start && m.End <= end)).Select(x => "@" + x.Key).Distinct().ToArray();
        (string[] Terms, bool Negated, string[] NegatedTerms) TermsOf(int start, int end, int excludeStart = -1, int excludeEnd = -1)
        {
            var positions = new List<(string Term, int Word, bool Negation)>();
            var (terms, negated) = ClaimTerms.Read(a.Text, start, end, at => InName(at) || (at >= excludeStart && at < excludeEnd), positions);
            var negations = positions.Where(p => p.Negation).Select(p => p.Word).ToList();
            var near = positions.Where(p => !p.Negation && negations.Any(n => Math.Abs(n - p.Word) <= 6)).Select(p => p.Term).Distinct().ToArray();
            return (terms.Distinct().ToArray(), negated, near);
        }

        if (a.Title != null && a.Title.Length > 0)
        {
            int ts = a.TitleStart, te = a.TitleStart + a.Title.Length;
            var (terms, negated, near) = TermsOf(ts, te);
            var actors = ActorsIn(ts, te);
            var all = terms.Concat(actors).ToArray();
            if (terms.Length >= o.MinTerms)
                result.Add(new RawItem(ts, te, a.Title.Trim(), ts, te, null, Reported(a.Title) ? "unnamed" : "none", true, negated, all, all, actors, near));
        }
        foreach (var q in a.Quotes)
        {
            if (q.Confidence < o.MinConfidence || q.End <= q.Start) continue;
            var (terms, negated, near) = TermsOf(q.Start, q.End);
            var (ss, se) = SentenceOf(q.Start, q.End);
            var actors = ActorsIn(q.Start, q.End);
            var all = terms.Concat(actors).ToArray();
            string[] match = all;
            if (terms.Length < 4)
            {
                // A short quote ("on hold") is compared through its sentence, minus the speaker.
                int sp = q.SpeakerStart ?? -1, spEnd = q.Speaker != null && sp >= 0 ? sp + q.Speaker.Length : -1;
                var sentence = TermsOf(ss, se, sp, spEnd);
                match = sentence.Terms.Concat(ActorsIn(ss, se)).Distinct().ToArray();
                if (negated) near = near.Concat(sentence.NegatedTerms).Distinct().ToArray();
            }
            if (terms.Length < o.MinTerms && !(negated && match.Length >= o.MinTerms + 1)) continue;
            result.Add(new RawItem(q.Start, q.End, Clean(q.Text), ss, se, q.Speaker, q.SpeakerKind, false, negated, all, match, actors, near));
        }
        return result;
    }

    private static bool Reported(string title) =>
        title.Contains("reportedly", StringComparison.OrdinalIgnoreCase) || title.Contains("sources say", StringComparison.OrdinalIgnoreCase)
        || title.Contains("according to", StringComparison.OrdinalIgnoreCase);

    private static string Clean(string s) => s.Trim().Trim('“', '”', '"', ',', ' ', '\u2018', '\u2019').ReplaceLineEndings(" ");

    private static double Dice(string[] a, string[] b, Func<string, double> idf)
    {
        double shared = 0, total = 0;
        var sb = new HashSet<string>(b, StringComparer.Ordinal);
        foreach (var t in a) { var w = idf(t); total += w; if (sb.Contains(t)) shared += w; }
        foreach (var t in b) total += idf(t);
        return total == 0 ? 0 : 2 * shared / total;
    }

    private static double Overlap(string[] a, string[] b, Func<string, double> idf)
    {
        var sa = new HashSet<string>(a, StringComparer.Ordinal);
        double shared = 0, wa = 0, wb = 0;
        foreach (var t in a) wa += idf(t);
        foreach (var t in b) { var w = idf(t); wb += w; if (sa.Contains(t)) shared += w; }
        double min = Math.Min(wa, wb);
        return min == 0 ? 0 : shared / min;
    }

    /// <summary>
    /// Mentions elsewhere that say the opposite about the same thing: a shared actor and a shared non-actor term
    /// (what is done, said or threatened), opposite polarity, a different origin. Compared within the story, or,
    /// with no stories, across all articles.
    /// </summary>
    private List<ClaimContradiction> Contradictions(List<Item> claim, List<Item> items, Dictionary<string, List<int>> negatedIndex,
        Dictionary<string, List<int>> plainIndex, Func<ClaimDigest, string>? story, Func<string, double> idf, Dictionary<ClaimDigest, string[]> mainActors)
    {
        var result = new List<ClaimContradiction>();
        var members = claim.ToHashSet();
        var origins = claim.Select(i => i.Mention.Origin).ToHashSet();
        var stories = story == null ? null : claim.Select(i => story(i.Article)).ToHashSet();
        var actorKeys = claim.SelectMany(i => i.Article.Actors.Where(x => x.Key.StartsWith('Q') || x.Key.StartsWith("sitrep:", StringComparison.Ordinal)).Select(x => x.Key)).ToHashSet();
        var claimActors = claim.SelectMany(i => i.MatchTerms.Where(t => t[0] == '@')).ToHashSet();
        // Only a mention of the other polarity that shares a non-actor term with one of the claim's can disagree with
        // it; those are taken in their original order (the same result as scanning every item).
        var orders = new SortedSet<int>();
        foreach (var mine in claim)
        {
            var index = mine.Mention.Negated ? plainIndex : negatedIndex;
            foreach (var t in mine.MatchTerms)
                if (t[0] != '@' && index.TryGetValue(t, out var p)) orders.UnionWith(p);
        }
        var related = new Dictionary<ClaimDigest, bool>(ReferenceEqualityComparer.Instance);
        foreach (int order in orders)
        {
            var other = items[order];
            if (members.Contains(other) || origins.Contains(other.Mention.Origin)) continue;
            if (stories != null && !stories.Contains(story!(other.Article)))
            {
                if (!related.TryGetValue(other.Article, out bool near))
                    related[other.Article] = near = other.Article.Actors.Count(x => actorKeys.Contains(x.Key)) >= 3;
                if (!near) continue;
            }
            if (!mainActors.TryGetValue(other.Article, out var main)) mainActors[other.Article] = main = MainActors(other.Article).ToArray();
            foreach (var mine in claim)
            {
                if (mine.Mention.Negated == other.Mention.Negated) continue;
                var negative = mine.Mention.Negated ? mine : other;
                // Whom the other mention is about: its own actors and its article's main ones ("the topic" of 001 is NATO and Russia).
                var sharedActors = claimActors.Intersect(other.MatchTerms.Concat(main)).ToList();
                var sharedTerms = mine.MatchTerms.Where(t => t[0] != '@').Intersect(other.MatchTerms).ToList();
                // The negation must bear on what both speak of, about the same actors.
                if (sharedActors.Count == 0 || !sharedTerms.Any(negative.NegatedTerms.Contains)) continue;
                if (sharedActors.Count < Math.Min(2, claimActors.Count)) continue;
                if (Dice(mine.MatchTerms, other.MatchTerms, idf) < 0.08) continue;
                int? days = mine.Article.Date is { } d1 && other.Article.Date is { } d2 ? Math.Abs(d1.DayNumber - d2.DayNumber) : null;
                bool sameTime = days is not { } dd || dd <= _o.SameTimeDays;
                string neg = other.Mention.Negated ? other.Mention.ArticleLabel : mine.Mention.ArticleLabel;
                var reason = $"both speak of {string.Join(", ", sharedTerms.Take(3))} with {string.Join(", ", sharedActors.Select(x => ActorName(x[1..], mine.Article, other.Article)).Take(3))}; {neg} says it is not so or has stopped";
                if (!sameTime)
                    reason += $"; the articles are dated {days} days apart ({Day(mine.Article.Date)} and {Day(other.Article.Date)}), so they may describe different moments rather than disagree";
                else if (days == null) reason += "; one of the articles is undated";
                result.Add(new ClaimContradiction(other.Mention, reason, days, sameTime));
                break;
            }
        }
        return result.DistinctBy(r => (r.Mention.ArticleId, r.Mention.Start)).ToList();
    }

    /// <summary>An article's three most mentioned knowledge-base actors, as "@key".</summary>
    private static IEnumerable<string> MainActors(ClaimDigest a) =>
        a.Actors.Where(x => !x.Key.StartsWith("corpus:", StringComparison.Ordinal)).OrderByDescending(x => x.Mentions).Take(3).Select(x => "@" + x.Key);

    private static string ActorName(string key, ClaimDigest a, ClaimDigest b) =>
        a.Actors.Concat(b.Actors).FirstOrDefault(x => x.Key == key)?.Name ?? key;

    private static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "undated";

    private static Claim Build(List<Item> c, List<ClaimContradiction> contradict)
    {
        var support = c.Select(i => i.Mention).OrderBy(m => m.Date ?? DateOnly.MaxValue).ThenBy(m => m.ArticleLabel, StringComparer.Ordinal).ThenBy(m => m.Start).ToList();
        int origins = support.Select(m => m.Origin).Distinct().Count();
        // The claim reads as its headline when it has one, else as its most-shared mention (named sources first).
        var text = c.FirstOrDefault(i => i.Mention.Headline)?.Mention.Text
            ?? c.OrderByDescending(i => c.Sum(j => j.Terms.Intersect(i.Terms).Count()))
                .ThenBy(i => i.Mention.Text.IndexOfAny(['“', '”', '"']) >= 0 ? 1 : 0)
                .ThenBy(i => i.Mention.SpeakerKind == "named" ? 0 : 1).ThenBy(i => i.Mention.Start).First().Mention.Text;
        // A headline is supported by its article's quotes: it is anonymous when they all are (or when it says "reportedly" alone).
        var quoted = support.Where(m => !m.Headline).ToList();
        bool anonymous = quoted.Count > 0 ? quoted.All(m => m.Anonymous) : support.All(m => m.Anonymous);
        ClaimStatus status;
        string reason;
        var current = contradict.Where(x => x.SameTime).ToList();
        if (current.Count > 0)
        {
            status = ClaimStatus.Contradicted;
            reason = $"{current.Count} source{(current.Count == 1 ? "" : "s")} of the same time disagree{(current.Count == 1 ? "s" : "")}";
        }
        else if (origins >= 2)
        {
            status = ClaimStatus.Corroborated;
            reason = $"{origins} independent origins: {string.Join("; ", support.GroupBy(m => m.Origin).Select(g => Who(g.First())))}";
        }
        else if (anonymous)
        {
            status = ClaimStatus.AnonymousOnly;
            reason = $"every source is anonymous: {string.Join("; ", support.Where(m => !m.Headline).Select(m => m.Speaker ?? m.SpeakerKind).Distinct())}";
        }
        else
        {
            status = ClaimStatus.SingleSource;
            reason = $"one origin: {Who(support[0])}";
        }
        if (status != ClaimStatus.Contradicted && contradict.Count > 0)
            reason += $"; {contradict.Count} disagreeing mention{(contradict.Count == 1 ? "" : "s")} of another time listed";
        var actors = c.SelectMany(i => i.Actors).Select(a => a[1..]).Distinct().ToList();
        return new Claim(Id(support), text, status, reason, origins, support, contradict, actors);
    }

    private static string Who(ClaimMention m) =>
        $"{m.Outlet ?? m.ArticleLabel} ({m.SpeakerKind}{(m.Speaker != null ? ": " + m.Speaker : m.Headline ? ": headline" : "")})";

    private static string Id(List<ClaimMention> support)
    {
        var key = string.Join("|", support.Select(m => $"{m.ArticleId}:{m.Start}").Order(StringComparer.Ordinal));
        return "c" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
    }
}
