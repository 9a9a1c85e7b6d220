using System.Diagnostics;
using Sitrep.Ingest.Dedup;
using Sitrep.Pipeline;
using Sitrep.Store;

namespace Sitrep.Stories;

/// <summary>What one update of the cross-source model did.</summary>
/// <param name="Added">Articles taken into the model (new or re-analysed).</param>
/// <param name="Removed">Articles that left the store and so the model.</param>
/// <param name="StoriesChanged">Stories whose members, claims or title were recomputed.</param>
public sealed record ModelUpdate(int Added, int Removed, int ExactDuplicates, int NearDuplicates, int WireCredited, int StoriesChanged, TimeSpan Elapsed)
{
    /// <summary>Wall time by step (read, link+assign, regroup, members, related, grade, threads, save), for benchmarks.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Steps { get; init; } = new Dictionary<string, TimeSpan>();

    public static ModelUpdate None { get; } = new(0, 0, 0, 0, 0, 0, TimeSpan.Zero);
}

/// <summary>
/// The cross-source stage: keeps the stored model — copy links, stories (with merges), claims graded across sources,
/// threads — up to date with the stored articles, incrementally. The store marks every article it writes or deletes
/// as pending (in the same transaction, by trigger); an update takes the pending articles earliest first (likeliest
/// date, then label, then id), links copies with the stored duplicate index, assigns stories with the stored
/// clusterer state, regroups the open stories, re-grades the claims of every story that changed, recomputes threads,
/// and saves the state — each batch in one transaction, so an interrupted update leaves the model as the last batch
/// left it and the next update goes on from there. Reading the model is a query (<see cref="SqliteStore.ReadStories"/>).
/// <para>
/// Order: within one update articles are taken in date order, whatever order they arrived in. Across updates, the
/// clusterer's decisions stand (it is streaming), so a store fed in several runs can differ from one rebuilt in one
/// pass (<c>sitrep rebuild</c>) where an article arrived after stories it would have joined had closed, or where the
/// open stories were regrouped at a different point (docs/architecture.md states the difference; a test measures it).
/// </para>
/// </summary>
public sealed class CrossSourceStage
{
    /// <summary>Version of the saved states; a state of another version is not read (run <c>sitrep rebuild</c>).</summary>
    public const int StateVersion = 1;

    /// <summary>The clusterer settings the pipeline runs with (<see cref="StoryGrouping.Options"/>).</summary>
    public StoryOptions Stories { get; init; } = StoryGrouping.Options;

    public ClaimOptions Claims { get; init; } = new();

    /// <summary>Articles per transaction of a long update.</summary>
    public int BatchArticles { get; init; } = 2000;

    /// <summary>Pending articles whose inputs are kept in memory between the first (sorting) pass and the update; above, they are read again.</summary>
    public int CachedArticles { get; init; } = 5000;

    /// <summary>Called after each article is taken in (tests use it to interrupt an update at a known point).</summary>
    internal Action<int>? AfterArticle { get; init; }

    /// <summary>Closed stories kept in the store (for late arrivals), read and written in the update's transaction.</summary>
    private sealed class StoredClosedStories(SqliteStore.ModelWriter w) : IClosedStories
    {
        public void Keep(ClosedStory story) => w.KeepClosed(story.Id, story.FirstDate, story.LastDate, story.ToBytes());

        public IEnumerable<ClosedStory> Between(DateOnly from, DateOnly to) => w.ClosedBetween(from, to).Select(ClosedStory.FromBytes);
    }

    private sealed record Pending(string Id, string DocumentId, DateOnly? Date, string Label);

    /// <summary>Takes every pending article into the model. Cancellation rolls back the open batch; what earlier batches committed stays.</summary>
    public async Task<ModelUpdate> UpdateAsync(SqliteStore store, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var steps = new Dictionary<string, TimeSpan>();
        var step = Stopwatch.StartNew();
        void Lap(string name) { steps[name] = steps.GetValueOrDefault(name) + step.Elapsed; step.Restart(); }
        var pendingRows = store.PendingArticles(ct);
        if (pendingRows.Count == 0) return ModelUpdate.None;
        var cache = new Dictionary<string, ClaimArticle>(StringComparer.Ordinal);
        var digests = new Dictionary<string, ClaimDigest>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var removed = new List<string>();
        var pending = new List<Pending>();
        foreach (var group in pendingRows.GroupBy(p => p.DocumentId))
        {
            ct.ThrowIfCancellationRequested();
            if (group.Key == null) { removed.AddRange(group.Select(p => p.ArticleId)); continue; }
            var (doc, _) = store.ReadDocument(group.Key);
            if (doc == null) { removed.AddRange(group.Select(p => p.ArticleId)); continue; } // unreadable: out of the model
            var wanted = group.Select(p => p.ArticleId).ToHashSet(StringComparer.Ordinal);
            foreach (var a in doc.Articles)
            {
                if (!wanted.Contains(a.Id)) continue;
                var input = ClaimInputs.From(doc, a);
                foreach (var e in a.Entities) types.TryAdd(e.Key, e.Type);
                pending.Add(new Pending(a.Id, doc.Id, input.Date, input.Label));
                if (cache.Count < CachedArticles) cache[a.Id] = input;
            }
            await Task.Yield();
        }
        Lap("read");
        pending.Sort((x, y) =>
        {
            int c = (x.Date ?? DateOnly.MaxValue).CompareTo(y.Date ?? DateOnly.MaxValue);
            if (c == 0) c = string.CompareOrdinal(x.Label, y.Label);
            return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
        });

        var duplicates = store.ModelState("duplicates", StateVersion) is { } d
            ? NearDuplicateIndex.Load(new MemoryStream(d), store.Path + " (duplicate index)") : new NearDuplicateIndex();
        var clusterer = store.ModelState("stories", StateVersion) is { } s
            ? StoryClusterer.Load(new MemoryStream(s), Stories) : new StoryClusterer(Stories);
        long arrival = store.MaxArrival();
        DateOnly? newest = null;
        int exact = 0, near = 0, wire = 0, changed = 0;

        // Removed articles first (one small batch), then the pending articles in batches; the regrouping of the open
        // stories closes the last batch.
        int at = 0;
        bool first = true;
        do
        {
            var batch = pending.Skip(at).Take(BatchArticles).ToList();
            bool last = at + batch.Count >= pending.Count;
            using var w = store.BeginModel();
            clusterer.Closed = new StoredClosedStories(w);
            // What changed in each story: a story whose membership changed otherwise than by new articles (a merge, a
            // regrouping, a removal, an article analysed again or a copy link re-pointed) is graded whole; a story that
            // only gained articles is graded again in the claims periods they joined.
            var dirty = new SortedSet<string>(StringComparer.Ordinal);
            var whole = new HashSet<string>(StringComparer.Ordinal);
            var gained = new Dictionary<string, List<ClaimArticle>>(StringComparer.Ordinal);
            void Whole(string sid) { dirty.Add(sid); whole.Add(sid); }
            // An article's claim digest, made once when it is taken in (or analysed again) and stored beside it.
            ClaimDigest MakeDigest(ClaimArticle a)
            {
                var g = ClaimDigest.From(a, Claims, types);
                digests[a.Id] = g;
                w.SetDigest(a.Id, g.ToBytes());
                return g;
            }
            if (first)
                foreach (var id in removed)
                {
                    if (w.StoryOf(id) is { } story) Whole(story);
                    w.RemoveArticle(id);
                    w.Done(id);
                }
            var inputs = batch.Select(p => cache.TryGetValue(p.Id, out var a) ? a : Read(store, p, types)).ToList();
            foreach (var a in inputs)
                if (a?.Date is { } day && (newest == null || day > newest)) newest = day;
            Lap("read");
            var keys = new DuplicateKey?[inputs.Count];
            Parallel.For(0, inputs.Count, new ParallelOptions { CancellationToken = ct }, i =>
            {
                if (inputs[i] is { } a && a.Body.Length > 0) keys[i] = duplicates.Prepare(a.Body);
            });
            for (int i = 0; i < inputs.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var a = inputs[i];
                if (a == null) { w.Done(batch[i].Id); continue; }
                if (w.StoryOf(a.Id) is { } had)
                {
                    // Analysed again (same text, another pipeline): it keeps its story; its claims are graded again.
                    Whole(had);
                    w.SetMember(Member(a, had, arrival));
                    MakeDigest(a);
                    w.Done(a.Id);
                    continue;
                }
                var (link, dirtied) = LinkCopy(w, duplicates, a, keys[i]);
                foreach (var x in dirtied) Whole(x);
                w.SetCopy(a.Id, link, a.Date);
                if (link.Kind == DuplicateKind.Exact) exact++;
                else if (link.Kind == DuplicateKind.Near) near++;
                if (link.WireAgency != null) wire++;
                a = a with { Origin = link.OriginKey };
                cache[a.Id] = a;
                MakeDigest(a);
                var assignment = clusterer.Assign(StoryGrouping.Input(a));
                string sid = StoryId(assignment.StoryId);
                arrival++;
                foreach (int gone in assignment.Merged)
                {
                    w.MergeStory(StoryId(gone), sid, arrival);
                    dirty.Remove(StoryId(gone));
                    whole.Remove(StoryId(gone));
                    gained.Remove(StoryId(gone));
                    Whole(sid);
                }
                w.SetMember(Member(a, sid, arrival));
                dirty.Add(sid);
                // Its claims period: the story's last, or a new one when that is full.
                w.Place(a.Id, sid, ClaimPeriodArticles);
                if (!gained.TryGetValue(sid, out var list)) gained[sid] = list = [];
                list.Add(a);
                w.Done(a.Id);
                AfterArticle?.Invoke(at + i + 1);
            }
            Lap("link+assign");
            if (last && clusterer.Consolidate(ct) > 0)
                foreach (var (id, story) in clusterer.OpenMembers())
                {
                    var now = StoryId(story);
                    if (w.StoryOf(id) is { } was && was != now) { w.MoveMember(id, now); Whole(was); Whole(now); }
                }
            // Grading reads each article's stored digest (made when it was taken in), never its document; a digest
            // missing (a store from before digests) or of another format is made from the document and stored.
            ClaimDigest? Load(string id, string documentId, DateOnly? date, string label)
            {
                if (!digests.TryGetValue(id, out var g))
                {
                    g = w.Digest(id) is { } bytes ? ClaimDigest.FromBytes(bytes) : null;
                    if (g == null)
                    {
                        var a = cache.TryGetValue(id, out var c) ? c : Read(store, new Pending(id, documentId, date, label), types);
                        if (a == null) return null;
                        return WithOrigin(MakeDigest(a));
                    }
                    digests[id] = g;
                }
                return WithOrigin(g);
            }
            ClaimDigest WithOrigin(ClaimDigest g) => w.CopyOf(g.Id) is { } l && l.OriginKey != g.Origin ? g with { Origin = l.OriginKey } : g;
            Lap("regroup");

            // Claims are graded per story and period (ClaimPeriodArticles articles in the order they joined the story). A
            // story that only gained articles is graded again in the periods they joined; any other change grades it
            // whole. A changed story's claims may now contradict, or be contradicted by, claims of related stories
            // (sharing knowledge-base actors): the periods holding those articles are graded again too (one level:
            // their own relations are not followed).
            var byKey = Comparer<(string Story, int Period)>.Create((x, y) =>
            {
                int c = string.CompareOrdinal(x.Story, y.Story);
                return c != 0 ? c : x.Period.CompareTo(y.Period);
            });
            var jobs = new SortedSet<(string Story, int Period)>(byKey);
            foreach (var sid in dirty)
            {
                if (whole.Contains(sid)) { jobs.Add((sid, WholeStory)); continue; }
                foreach (var a in gained[sid]) jobs.Add((sid, w.PeriodOf(a.Id)));
            }
            var members = new Dictionary<(string, int), List<ClaimDigest>>();
            List<ClaimDigest> Digests(IEnumerable<StoryMember> list) => list.Select(m => Load(m.ArticleId, m.DocumentId, m.Date, m.Label)).OfType<ClaimDigest>().ToList();
            foreach (var (sid, period) in jobs)
            {
                ct.ThrowIfCancellationRequested();
                if (period != WholeStory) { members[(sid, period)] = Digests(w.PeriodMembers(sid, period)); continue; }
                // Whole: the periods are cut again, in the order the articles joined the story.
                var all = Digests(w.Members(sid).OrderBy(m => m.Arrival).ThenBy(m => m.ArticleId, StringComparer.Ordinal));
                for (int k = 0; k < all.Count; k++) w.SetPeriod(all[k].Id, k / ClaimPeriodArticles);
                for (int k = 0; k < all.Count; k += ClaimPeriodArticles) members[(sid, k / ClaimPeriodArticles)] = all.GetRange(k, Math.Min(ClaimPeriodArticles, all.Count - k));
                if (all.Count == 0) members[(sid, 0)] = [];
            }
            // Related articles are sought among the model's articles of the time graded: RelatedDays around each period.
            // The index holds the model's articles of the graded time, and never more than 2 × RelatedDays before the
            // newest article taken in (a page misdated by decades must not make every batch read the whole store).
            DateOnly IndexFrom(IEnumerable<List<ClaimDigest>> lists)
            {
                var earliest = lists.SelectMany(l => l).Where(a => a.Date != null).Select(a => a.Date!.Value).DefaultIfEmpty(DateOnly.MaxValue).Min();
                if (earliest == DateOnly.MaxValue) return earliest;
                var from = earliest.AddDays(-RelatedDays);
                return newest is { } n && from < n.AddDays(-2 * RelatedDays) ? n.AddDays(-2 * RelatedDays) : from;
            }
            var indexFrom = IndexFrom(members.Values);
            var related = new RelatedIndex(w.ActorsFrom(indexFrom), RelatedKeyPostings);
            var relatedOf = new Dictionary<(string, int), List<RelatedIndex.Article>>();
            List<RelatedIndex.Article> RelatedTo(string sid, List<ClaimDigest> articles)
            {
                var dated = articles.Where(a => a.Date != null).Select(a => a.Date!.Value).ToList();
                var (from, to) = dated.Count == 0 ? (DateOnly.MinValue, DateOnly.MaxValue) : (dated.Min().AddDays(-RelatedDays), dated.Max().AddDays(RelatedDays + 1));
                return related.Of(KbActors(articles), sid, RelatedActors, RelatedArticles, from, to);
            }
            var cascaded = new SortedSet<(string Story, int Period)>(byKey);
            var graded = jobs.Select(k => k.Story).ToHashSet(StringComparer.Ordinal);
            foreach (var (key, list) in members) relatedOf[key] = RelatedTo(key.Item1, list);
            // What the batch's new articles may contradict elsewhere: the periods of the articles most related to each.
            foreach (var (sid, added) in gained)
                foreach (var a in added)
                    if (digests.TryGetValue(a.Id, out var g))
                        foreach (var r in RelatedTo(sid, [g]).Take(CascadeArticles))
                            if (!graded.Contains(r.StoryId)) cascaded.Add((r.StoryId, r.Period));
            // The related stories' periods are read now; the index is widened when they reach further back.
            foreach (var key in cascaded) members[key] = Digests(w.PeriodMembers(key.Story, key.Period));
            if (IndexFrom(cascaded.Select(k => members[k])) is var from && from < indexFrom)
                related = new RelatedIndex(w.ActorsFrom(from), RelatedKeyPostings);
            foreach (var key in cascaded) relatedOf[key] = RelatedTo(key.Story, members[key]);
            Lap("members+related");
            var grader = new ClaimGrader(Claims);
            foreach (var sid in whole)
            {
                ct.ThrowIfCancellationRequested();
                var parts = members.Where(kv => kv.Key.Item1 == sid).OrderBy(kv => kv.Key.Item2).ToList();
                var articles = parts.SelectMany(kv => kv.Value).ToList();
                if (articles.Count == 0) { w.DeleteStory(sid); continue; }
                var claims = new List<(int, Claim)>();
                foreach (var (key, list) in parts)
                    foreach (var c in GradeStory(sid, list, Others(relatedOf[key]), grader)) claims.Add((key.Item2, c));
                var row = Grow(null, sid, articles);
                w.SetStory(row with { Claims = claims.Count }, claims);
                changed++;
            }
            foreach (var key in jobs.Where(j => j.Period != WholeStory).Concat(cascaded))
            {
                ct.ThrowIfCancellationRequested();
                var (sid, period) = key;
                var list = members[key];
                int count = w.ReplacePeriodClaims(sid, period, GradeStory(sid, list, Others(relatedOf[key]), grader));
                var had = w.StoryRowOf(sid);
                var row = gained.Remove(sid, out var added) // the row grows once, whatever the number of its periods graded
                    ? Grow(had, sid, added.Select(a => Load(a.Id, a.DocumentId, a.Date, a.Label)).OfType<ClaimDigest>().ToList())
                    : had;
                if (row != null) w.SetStoryRow(row with { Claims = count });
                changed++;
            }
            List<(string, ClaimDigest)> Others(List<RelatedIndex.Article> list) =>
                list.Select(r => (r.StoryId, Article: Load(r.ArticleId, r.DocumentId, r.Date, r.Label))).Where(x => x.Article != null).Select(x => (x.StoryId, x.Article!)).ToList();
            Lap("grade");
            if (last)
            {
                var threads = StoryThreads.Find(w.AllSubjects().Select(x => new StoryThreads.Input(x.Id,
                    x.Subjects.ToDictionary(y => y.Key, y => (y.Name, y.Mentions), StringComparer.Ordinal))).ToList());
                w.SetThreads(threads);
            }
            Lap("threads");
            // Copies are sought among the articles of the last DuplicateWindowDays (and undated ones), so the index stays
            // the size of that window.
            if (newest is { } latest)
                duplicates.Retain(id => w.CopyDate(id) is not { } day || day >= latest.AddDays(-DuplicateWindowDays));
            w.SaveState("duplicates", StateVersion, Bytes(duplicates.Save));
            w.SaveState("stories", StateVersion, Bytes(clusterer.Save));
            w.Commit();
            Lap("save");
            // The cache holds what the next batches and their stories need; a long update keeps it bounded.
            if (cache.Count > 2 * CachedArticles) cache.Clear();
            if (digests.Count > 4 * CachedArticles) digests.Clear();
            at += batch.Count;
            first = false;
        }
        while (at < pending.Count);
        return new ModelUpdate(pending.Count, removed.Count, exact, near, wire, changed, clock.Elapsed) { Steps = steps };
    }

    /// <summary>Empties the model and takes every stored article in again, in one pass in date order.</summary>
    public Task<ModelUpdate> RebuildAsync(SqliteStore store, CancellationToken ct = default)
    {
        using (var w = store.BeginModel())
        {
            w.Clear();
            w.Commit();
        }
        return UpdateAsync(store, ct);
    }

    private static string StoryId(int index) => "s" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Bytes(Action<Stream> save)
    {
        using var ms = new MemoryStream();
        save(ms);
        return ms.ToArray();
    }

    private static StoryMember Member(ClaimArticle a, string storyId, long arrival) =>
        new(a.Id, storyId, a.DocumentId, arrival, a.Date, a.Label, a.Title, a.Outlet, a.Site, a.Url);

    private static ClaimArticle? Read(SqliteStore store, Pending p, Dictionary<string, string> types)
    {
        var (doc, _) = store.ReadDocument(p.DocumentId);
        var a = doc?.Articles.FirstOrDefault(x => x.Id == p.Id);
        if (doc == null || a == null) return null;
        foreach (var e in a.Entities) types.TryAdd(e.Key, e.Type);
        return ClaimInputs.From(doc, a);
    }

    /// <summary>
    /// An article's copy link: an exact or near duplicate (MinHash over word shingles of the body) shares its first
    /// copy's origin; a wire-credited article with no earlier copy has the agency as origin ("wire:reuters"), so two
    /// outlets running Reuters copy count once; any other article's origin is its outlet, else its document. An
    /// article dated earlier than its group's first copy (a late arrival) becomes the group's first copy. Returns the
    /// stories whose articles' origins changed.
    /// </summary>
    private static (CopyLink Link, List<string> Dirty) LinkCopy(SqliteStore.ModelWriter w, NearDuplicateIndex index, ClaimArticle a, DuplicateKey? key)
    {
        var dirty = new List<string>();
        var match = key != null ? index.Add(a.Id, key) : null;
        var credit = WireCredits.Detect(a.Body);
        foreach (var line in new[] { a.Byline, a.Dateline })
            if (credit == null && line != null) credit = WireCredits.Detect(line);
        string own = credit != null ? "wire:" + credit.Agency.ToLowerInvariant() : a.Origin;
        if (match == null) return (new CopyLink(null, a.Id, null, null, credit?.Agency, own), dirty);
        var origin = w.CopyOf(match.OriginId);
        if (a.Date is { } date && w.CopyDate(match.OriginId) is { } originDate && date < originDate)
        {
            foreach (var x in w.CopiesOf(match.OriginId))
            {
                w.SetOrigin(x, a.Id, own);
                if (w.StoryOf(x) is { } s) dirty.Add(s);
            }
            w.SetDuplicateOf(match.OriginId, a.Id, match.Kind, match.Similarity);
            return (new CopyLink(null, a.Id, null, null, credit?.Agency, own), dirty);
        }
        return (new CopyLink(match.MatchedId, match.OriginId, match.Kind, match.Similarity, credit?.Agency, origin?.OriginKey ?? own), dirty);
    }

    /// <summary>A story's claims from its articles' digests (one claims period's): aligned and graded
    /// within the story, the related articles of other stories read as the side that may contradict them.</summary>
    internal static List<Claim> GradeStory(string id, IReadOnlyList<ClaimDigest> articles, IReadOnlyList<(string StoryId, ClaimDigest Article)> related, ClaimGrader grader)
    {
        var members = Ordered(articles);
        var own = members.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var storyOf = related.ToDictionary(r => r.Article.Id, r => r.StoryId, StringComparer.Ordinal);
        foreach (var a in members) storyOf[a.Id] = id;
        var all = members.Concat(related.Select(r => r.Article).Where(a => !own.Contains(a.Id))).ToList();
        return grader.Grade(all, a => storyOf.GetValueOrDefault(a), id).Where(c => own.Contains(c.Support[0].ArticleId)).ToList();
    }

    private static List<ClaimDigest> Ordered(IEnumerable<ClaimDigest> articles) =>
        articles.OrderBy(a => a.Date ?? DateOnly.MaxValue).ThenBy(a => a.Label, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();

    /// <summary>
    /// A story's row with <paramref name="added"/> articles taken in (from nothing when <paramref name="row"/> is null):
    /// size, dates, actors (by articles), subjects (by weighted mentions) and the title — the headline of its earliest
    /// titled article, else the earliest dek, else its first article's opening. A name stays as first seen.
    /// </summary>
    internal static StoryRow Grow(StoryRow? row, string id, IReadOnlyList<ClaimDigest> added)
    {
        var members = Ordered(added);
        var actors = (row?.Actors ?? []).ToDictionary(x => x.Key, x => (x.Name, x.Articles), StringComparer.Ordinal);
        var order = (row?.Actors ?? []).Select(x => x.Key).ToList();
        foreach (var a in members)
            foreach (var x in a.Actors.Where(x => !x.Key.StartsWith("corpus:", StringComparison.Ordinal)).DistinctBy(x => x.Key))
            {
                if (actors.TryGetValue(x.Key, out var had)) actors[x.Key] = (had.Name, had.Articles + 1);
                else { actors[x.Key] = (x.Name, 1); order.Add(x.Key); }
            }
        var subjects = (row?.Subjects ?? []).ToDictionary(x => x.Key, x => (x.Name, x.Mentions), StringComparer.Ordinal);
        foreach (var a in members)
            foreach (var x in a.Subjects)
                subjects[x.Key] = subjects.TryGetValue(x.Key, out var had) ? (had.Name, had.Mentions + x.Mentions) : (x.Name, x.Mentions);
        var dated = members.Where(a => a.Date != null).Select(a => a.Date!.Value).ToList();
        if (row?.From is { } f) dated.Add(f);
        if (row?.To is { } t) dated.Add(t);
        // The title: the best kind (headline, dek, opening), then the earliest article.
        var (title, source) = (row?.Title, row?.TitleFrom);
        foreach (var a in members)
        {
            var (text, kind) = a.Title != null ? (a.Title, 0) : a.Dek != null ? (a.Dek, 1) : (a.Lead ?? a.Label, 2);
            var candidate = new StoryTitleSource(a.Id, a.Date, a.Label, kind);
            if (source == null || Before(candidate, source)) (title, source) = (text, candidate);
        }
        return new StoryRow(id, title ?? "", (row?.Articles ?? 0) + members.Count, dated.Count > 0 ? dated.Min() : null, dated.Count > 0 ? dated.Max() : null,
            row?.Claims ?? 0,
            order.Select(k => new StoryActor(k, actors[k].Name, actors[k].Articles)).OrderByDescending(x => x.Articles).ThenBy(x => x.Name, StringComparer.Ordinal).ToList(),
            subjects.Select(kv => new StorySubject(kv.Key, kv.Value.Name, kv.Value.Mentions)).OrderBy(x => x.Key, StringComparer.Ordinal).ToList())
        { TitleFrom = source };
    }

    private static bool Before(StoryTitleSource a, StoryTitleSource b)
    {
        if (a.Kind != b.Kind) return a.Kind < b.Kind;
        int c = (a.Date ?? DateOnly.MaxValue).CompareTo(b.Date ?? DateOnly.MaxValue);
        if (c == 0) c = string.CompareOrdinal(a.Label, b.Label);
        if (c == 0) c = string.CompareOrdinal(a.ArticleId, b.ArticleId);
        return c < 0;
    }

    /// <summary>
    /// A story's claims are aligned and graded within periods of this many articles, in the order they joined it (date
    /// order within an update): an article joining a story grades only its period again, so the cost of a new article
    /// does not grow with its story's size.
    /// </summary>
    public int ClaimPeriodArticles { get; init; } = 100;

    /// <summary>
    /// Near duplicates and wire copies are sought among the articles dated within this many days before the newest one
    /// taken in (and undated ones): copies of a story run within days of each other, and the duplicate index stays the
    /// size of the window, not of the store.
    /// </summary>
    public int DuplicateWindowDays { get; init; } = 60;

    /// <summary>A new article's claims may contradict claims of other stories: the periods of this many articles most
    /// related to it (sharing knowledge-base actors) are graded again.</summary>
    public int CascadeArticles { get; init; } = 10;

    /// <summary>Related articles (the side that may contradict a story's claims) are sought this many days around a period's articles.</summary>
    public int RelatedDays { get; init; } = 365;

    private const int WholeStory = int.MinValue;

    /// <summary>An actor in more of the window's articles than this is background (NATO in a NATO corpus): related articles are not sought by it.</summary>
    public int RelatedKeyPostings { get; init; } = 1000;

    /// <summary>Least knowledge-base actors an article of another story shares with a story to be read for contradictions.</summary>
    public const int RelatedActors = 3;

    /// <summary>Most articles of other stories read for a story's contradictions (those sharing most actors).</summary>
    public int RelatedArticles { get; init; } = 100;

    /// <summary>The knowledge-base actors of a story's articles (what contradictions across stories are sought by).</summary>
    private static List<string> KbActors(IEnumerable<ClaimDigest> articles) =>
        articles.SelectMany(a => a.Actors).Select(x => x.Key).Where(k => k.StartsWith('Q') || k.StartsWith("sitrep:", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

}
