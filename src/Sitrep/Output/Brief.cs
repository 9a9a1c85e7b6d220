using Sitrep.Store;
using Sitrep.Stories;

namespace Sitrep.Output;

/// <summary>How much the brief shows.</summary>
public sealed record BriefOptions
{
    /// <summary>Stories shown, best ranked first.</summary>
    public int Top { get; init; } = 10;

    /// <summary>Claims shown per story of each status that matters (corroborated, contradicted, anonymous only).</summary>
    public int ClaimsPerStatus { get; init; } = 3;

    /// <summary>Stories ranked: the this-many largest and this-many latest (at least 10 × <see cref="Top"/>).</summary>
    public int Candidates { get; init; } = 200;

    /// <summary>Days, ending on the store's newest story date, whose articles count as the story's growth.</summary>
    public int RecentDays { get; init; } = 3;

    /// <summary>Stored documents read at most per story for its lead.</summary>
    public int LeadReads { get; init; } = 3;
}

/// <summary>A story as the brief shows it: ranked, titled by a headline, with its lead, dates, outlets and the claims that matter.</summary>
/// <param name="Title">A real headline: the earliest article headline that is no page chrome (<see cref="BriefText.IsHeadline"/>).</param>
/// <param name="Lead">The dek or opening sentences of the article the title comes from (or of the next titled article).</param>
/// <param name="Claims">Corroborated, contradicted and anonymous-only claims, at most <see cref="BriefOptions.ClaimsPerStatus"/> of each.</param>
/// <param name="ClaimCounts">The story's claims by status (all of them, not only those shown).</param>
public sealed record BriefStory(
    int Rank, string Id, string Title, string? Lead, DateOnly? From, DateOnly? To, BriefStats Stats, double Score,
    IReadOnlyList<BriefOutlet> Outlets, int OutletCount, IReadOnlyList<Claim> Claims, IReadOnlyDictionary<ClaimStatus, int> ClaimCounts);

/// <summary>A thread as the brief names it: its subjects and its stories (brief ranks where shown).</summary>
public sealed record BriefThread(string Title, IReadOnlyList<string> StoryIds);

/// <summary>
/// The brief: the stored cross-source model's best stories, read as a bounded query (never every document). Stories
/// are ranked by <see cref="Score"/> among <see cref="BriefOptions.Candidates"/> largest and latest stories.
/// </summary>
public sealed record Brief(
    long Articles, long Stories, IReadOnlyDictionary<ClaimStatus, long> ClaimCounts, DateOnly? Newest, int RecentDays,
    IReadOnlyList<BriefStory> Top, IReadOnlyList<BriefThread> Threads)
{
    /// <summary>
    /// A story's rank score: independent sources weigh twice, then size and growth (articles dated in the last
    /// <see cref="BriefOptions.RecentDays"/> days of the store), each on a log scale, all decayed by the story's age:
    /// <c>(2 ln(1+sources) + ln(1+articles) + ln(1+recent)) / (1 + days since its last article / 7)</c>; an undated
    /// story counts as four weeks old. The age is measured from the store's newest story date, not the clock, so the
    /// same store always gives the same brief.
    /// </summary>
    public static double Score(BriefStats s, DateOnly? last, DateOnly? newest)
    {
        double weight = 2 * Math.Log(1 + s.Sources) + Math.Log(1 + s.Articles) + Math.Log(1 + s.Recent);
        double age = last is { } l && newest is { } n ? Math.Max(0, n.DayNumber - l.DayNumber) : 28;
        return weight / (1 + age / 7.0);
    }

    /// <summary>Reads the brief from the store's model tables; documents are read only for leads (bounded per story).</summary>
    public static Brief Read(IStore store, BriefOptions? options = null, CancellationToken ct = default)
    {
        options ??= new BriefOptions();
        if (options.Top < 1) throw new ArgumentOutOfRangeException(nameof(options), "Top must be at least 1");
        var candidates = store.BriefCandidates(Math.Max(options.Candidates, 10 * options.Top));
        DateOnly? newest = candidates.Max(c => c.LastDate);
        DateOnly? recentFrom = newest?.AddDays(-(options.RecentDays - 1));
        var ranked = new List<(BriefCandidate C, BriefStats S, double Score)>(candidates.Count);
        foreach (var c in candidates)
        {
            ct.ThrowIfCancellationRequested();
            var stats = store.BriefStats(c.Id, recentFrom);
            ranked.Add((c, stats, Score(stats, c.LastDate, newest)));
        }
        var top = ranked.OrderByDescending(x => x.Score).ThenByDescending(x => x.S.Sources).ThenByDescending(x => x.S.Articles)
            .ThenByDescending(x => x.C.LastDate).ThenBy(x => x.C.Id, StringComparer.Ordinal).Take(options.Top).ToList();
        var stories = new List<BriefStory>(top.Count);
        foreach (var (c, stats, score) in top)
        {
            ct.ThrowIfCancellationRequested();
            if (store.ReadStories(id: c.Id) is not [var row]) continue;
            var (title, lead) = TitleAndLead(store, row, options);
            var (outlets, outletCount) = store.BriefOutlets(c.Id, 6);
            var claims = new List<Claim>();
            foreach (var status in new[] { ClaimStatus.Corroborated, ClaimStatus.Contradicted, ClaimStatus.AnonymousOnly })
                claims.AddRange(store.ReadClaims(status, c.Id, options.ClaimsPerStatus));
            stories.Add(new BriefStory(stories.Count + 1, c.Id, title, lead, row.From, row.To, stats, score, outlets, outletCount,
                claims, store.BriefClaimCounts(c.Id)));
        }
        var shown = stories.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var threads = store.ReadThreads(100).Where(t => t.StoryIds.Any(shown.Contains))
            .Select(t => new BriefThread(BriefText.ThreadTitle(t), t.StoryIds)).Where(t => t.Title.Length > 0).Take(6).ToList();
        return new Brief(store.ModelArticleCount(), store.StoryCount(), store.ClaimCounts(), newest, options.RecentDays, stories, threads);
    }

    /// <summary>
    /// The story's title, a real headline: the earliest article headline that is no page chrome (cut of its page's
    /// self-name and of a leading dateline); for a story with none, its stored title (a dek) when that reads as a
    /// headline and is whole, else the first sentence of its earliest article. The lead is the dek or opening
    /// sentences of the title's article, else of the next article (at most <see cref="BriefOptions.LeadReads"/>
    /// documents read).
    /// </summary>
    private static (string Title, string? Lead) TitleAndLead(IStore store, StoryRow row, BriefOptions options)
    {
        string? title = null;
        var order = new List<StoryMember>();
        foreach (var m in store.BriefMembers(row.Id, 8, titled: true))
        {
            var clean = BriefText.CleanHeadline(m.Title!, m.Outlet, m.Site);
            if (title == null && BriefText.IsHeadline(clean)) { title = clean; order.Insert(0, m); }
            else order.Add(m);
        }
        if (title == null)
        {
            var stored = BriefText.CleanHeadline(row.Title, null, null);
            if (BriefText.IsHeadline(stored) && !stored.EndsWith('…')) title = stored;
            order = store.BriefMembers(row.Id, options.LeadReads, titled: false);
        }
        foreach (var m in order.Take(options.LeadReads))
        {
            if (store.ReadLead(m.ArticleId, 4) is not { } l) continue;
            if (title == null)
            {
                // No headline: the opening sentence is the title, the sentences after it the lead.
                var first = l.Sentences.FirstOrDefault(s => BriefText.IsHeadline(BriefText.CleanHeadline(s, m.Outlet, m.Site)));
                if (first == null) continue;
                title = Sitrep.Text.TextCut.Ellipsis(BriefText.CleanHeadline(first, m.Outlet, m.Site), 200);
                return (title, BriefText.Lead(l with { Dek = null, Sentences = l.Sentences.SkipWhile(s => s != first).Skip(1).ToList() }, title));
            }
            if (BriefText.Lead(l, title) is { } lead) return (title, lead);
        }
        return (title ?? row.Title, null);
    }
}
