namespace Sitrep.Stories;

/// <summary>An article handed to the <see cref="StoryClusterer"/>.</summary>
/// <param name="Id">The caller's id for the article (kept in <see cref="Story.MemberIds"/>).</param>
/// <param name="Title">The headline, or empty; its words count twice.</param>
/// <param name="Text">The body text.</param>
/// <param name="Date">The article's date, or null when unknown (then it never closes a story nor keeps one open).</param>
/// <param name="EntityIds">Knowledge-base ids of the entities linked in the article ("Q7184", "nato"); strong features.</param>
public sealed record StoryDocument(string Id, string Title, string Text, DateOnly? Date, IReadOnlyList<string> EntityIds);

/// <summary>Where an article went: the story it is in once this call returns, and the similarity that decided its join
/// (0 for a new story with no candidate). <see cref="Merged"/> lists the stories that this article's arrival merged into
/// <see cref="StoryId"/> (their <see cref="Story.MergedInto"/> now points there); callers that keep story ids should
/// move those stories' articles to <see cref="StoryId"/>.</summary>
public readonly record struct StoryAssignment(int StoryId, double Similarity, bool IsNew)
{
    private readonly IReadOnlyList<int>? merged;

    /// <summary>Stories merged into <see cref="StoryId"/> while this article was assigned (usually none).</summary>
    public IReadOnlyList<int> Merged { get => merged ?? []; init => merged = value; }
}

/// <summary>Settings of the <see cref="StoryClusterer"/>. The defaults are the ones tuned on FNC-1 (docs/stories.md).</summary>
public sealed record StoryOptions
{
    /// <summary>An article joins the most similar open story when the combined similarity reaches this; else it starts one.</summary>
    public double Threshold { get; init; } = 0.28;

    /// <summary>Weight of the average-link similarity: the mean TF-IDF cosine between the article and the story's members.</summary>
    public double AverageWeight { get; init; } = 0.6;

    /// <summary>Weight of the cosine between the article and the story's centroid (the sum of its members' vectors).</summary>
    public double CentroidWeight { get; init; } = 0.0;

    /// <summary>Weight of the best cosine between the article and one of the story's most recent members.</summary>
    public double MemberWeight { get; init; } = 0.4;

    /// <summary>Weight of the cosine between the article's entities (linked ids and proper nouns) and the story's.</summary>
    public double EntityWeight { get; init; } = 0.0;

    /// <summary>The join and merge thresholds are lowered by this times the natural log of the (larger) story's size:
    /// big stories hold more varied articles, so their average link is lower.</summary>
    public double SizeDiscount { get; init; } = 0.02;

    /// <summary>Two open stories merge when their average-link similarity (mean cosine over all cross pairs of members)
    /// reaches this; checked for the story an article joined or started, right after it arrives (bounded by
    /// <see cref="MaxMergesPerArticle"/>). Null: stories never merge (single pass, decisions never revised).</summary>
    public double? MergeThreshold { get; init; } = 0.28;

    /// <summary>With <see cref="MergeThreshold"/>: every this many articles, and at each re-weighting, all open stories are
    /// swept for pairs whose link reaches the merge threshold (best pairs first). 0: only at re-weighting.</summary>
    public int SweepEvery { get; init; } = 0;

    /// <summary>At most this many merges per arriving article.</summary>
    public int MaxMergesPerArticle { get; init; } = 4;

    /// <summary>Weight of proper-noun terms ("@name", "@kim_jong-un") in the article's text vector, relative to a content word.</summary>
    public double ProperNounWeight { get; init; } = 0.0;

    /// <summary>Extra count given to each occurrence of a content word among the first <see cref="LeadWords"/> content
    /// words of the body (the lead states the story; 0: no lead emphasis).</summary>
    public double LeadWeight { get; init; } = 3.0;

    /// <summary>How many times a headline word counts, against once for a body word.</summary>
    public double TitleWeight { get; init; } = 2.0;

    /// <summary>At most this many stories stay open: when a new story would exceed it, the one that least recently took
    /// an article closes (kept for late arrivals like one closed for inactivity). Null: no bound.</summary>
    public int? MaxOpenStories { get; init; }

    /// <summary>How many content words of the body count as its lead (see <see cref="LeadWeight"/>); fixed by
    /// <see cref="StoryClusterer.Analyze"/>.</summary>
    public static int LeadWords => 60;

    /// <summary>Weight of adjacent content-word pairs ("nuclear_deal") in the text vector, relative to a content word.</summary>
    public double WordPairWeight { get; init; } = 0.0;

    /// <summary>Members' vectors are stored with the document frequencies of their arrival and re-weighted with the current
    /// ones each time the stream has doubled, starting at this many articles (0: never).</summary>
    public int RefreshFrom { get; init; } = 16;

    /// <summary>IDF is raised to this power (above 1 favours rare terms).</summary>
    public double IdfPower { get; init; } = 1.0;

    /// <summary>A story closes when no article dated within this many days of the newest date seen joined it. Null: never.</summary>
    public int? InactivityDays { get; init; } = 3;

    /// <summary>How many of a story's most recent members the best-member similarity looks at.</summary>
    public int MembersCompared { get; init; } = 64;

    /// <summary>How many candidate stories (best partial average link) get the full similarity.</summary>
    public int Candidates { get; init; } = 12;

    /// <summary>How many of the article's most weighted terms look up candidate stories.</summary>
    public int RetrievalTerms { get; init; } = 30;

    /// <summary>Document frequencies from texts read before the stream (no labels), so that the first articles already
    /// get sensible IDF weights; null to start from nothing.</summary>
    public DocumentFrequencies? Background { get; init; }

    /// <summary>How many stream articles one background text counts as in the document frequencies (1: the same).</summary>
    public double BackgroundWeight { get; init; } = 1.0;

    /// <summary>When set, <see cref="StoryClusterer.Consolidate"/> (called by the caller after a batch, and by the
    /// clusterer each time the stream doubles) re-clusters the open stories' members by average-link agglomeration: two
    /// groups join while the mean similarity over all their cross pairs of articles reaches this. Null: decisions are
    /// only revised by merges.</summary>
    public double? ConsolidateThreshold { get; init; } = 0.18;

    /// <summary>Consolidation needs the similarities of all pairs of open members; above this many open members it is skipped
    /// (memory grows with the square: 4,096 members take 64 MB).</summary>
    public int ConsolidateMaxMembers { get; init; } = 4096;

    /// <summary>Consolidation waits until the document frequencies rest on this many texts (stream and background): its
    /// low threshold relies on IDF to discount common words, which a handful of texts cannot do (decisions on a small
    /// corpus are the streaming ones).</summary>
    public int ConsolidateMinDocuments { get; init; } = 200;

    /// <summary>Consolidation keeps two groups of two or more articles apart when their average link is below this share of
    /// the lesser of their cohesions (mean similarity of their own pairs): two events of one kind each hold together
    /// better than they link. 0: only the threshold decides.</summary>
    public double ConsolidateCohesion { get; init; }

    /// <summary>When set, consolidation splits each group of at least <see cref="RefineMinSize"/> articles again by average
    /// link at this threshold, over vectors re-weighted with the group's own document frequencies (terms all members share
    /// weigh little). Null: no refinement.</summary>
    public double? RefineThreshold { get; init; }

    /// <summary>The refinement's cohesion ratio (see <see cref="ConsolidateCohesion"/>); 0: only its threshold decides.</summary>
    public double RefineCohesion { get; init; }

    /// <summary>A part of a refined group smaller than this goes back to the part it links best to (a group is split only
    /// into parts of at least this many articles).</summary>
    public int RefineMinPart { get; init; } = 3;

    /// <summary>Parts of a refined group stay apart only when their mean cross similarity is below this share of the lesser
    /// of their cohesions (mean similarity inside each); others come back together. 0: the threshold alone splits.</summary>
    public double RefineSeparation { get; init; }

    /// <summary>A part of a refined group stands as a story of its own only when the mean similarity of its pairs (group
    /// weights) reaches this; others go back to the part they link best to.</summary>
    public double RefineCohesionMin { get; init; }

    /// <summary>Groups smaller than this are not refined.</summary>
    public int RefineMinSize { get; init; } = 6;

    /// <summary>Power of the group's own IDF, log((m + 1) / df), in the refinement's weights.</summary>
    public double RefineIdfPower { get; init; } = 0.5;

    /// <summary>How much more a linked entity id weighs than a proper noun found by capitalisation.</summary>
    public double LinkedEntityBoost { get; init; } = 2.0;
}

/// <summary>A story: the articles that joined it, in arrival order.</summary>
public sealed class Story
{
    internal Story(int id) => Id = id;

    /// <summary>Stable id: the index in <see cref="StoryClusterer.Stories"/>. A merged story keeps its id and reports
    /// <see cref="MergedInto"/>.</summary>
    public int Id { get; }

    /// <summary>The articles in the story, in arrival order (after a merge: the union, still in arrival order). A story
    /// merged into another keeps the members it had when it was merged.</summary>
    public IReadOnlyList<string> MemberIds => members;
    public DateOnly? FirstDate { get; internal set; }
    public DateOnly? LastDate { get; internal set; }

    /// <summary>True once the story can no longer be joined: closed for inactivity, or merged into another.</summary>
    public bool IsClosed { get; internal set; }

    /// <summary>The id of the story this one was merged into (which may itself have been merged later: see
    /// <see cref="StoryClusterer.Resolve"/>); null while the story stands on its own.</summary>
    public int? MergedInto { get; internal set; }

    internal readonly List<string> members = [];
    internal readonly List<Member> Items = []; // members with their vectors, arrival order (emptied when closed)
    internal readonly Dictionary<int, double> Sum = []; // sum of the members' normalised TF-IDF vectors
    internal double SumNormSquared;
    internal readonly Dictionary<int, float> Entities = [];
    internal double EntityNormSquared;
}

internal sealed class Member(string id, long sequence, SparseVector tf, DateOnly? date, SparseVector entities)
{
    public string Id { get; } = id;
    public long Sequence { get; } = sequence;
    public DateOnly? Date { get; } = date;
    public SparseVector Entities { get; } = entities; // entity vector as of arrival, L2-normalised
    public SparseVector Tf { get; } = tf; // weighted sublinear term frequencies, not IDF-weighted
    public SparseVector Vector { get; set; } = SparseVector.Empty; // TF-IDF, L2-normalised
}

/// <summary>How many of <see cref="Documents"/> texts hold each term (content words and entity terms).</summary>
public sealed record DocumentFrequencies(int Documents, IReadOnlyDictionary<string, int> Frequencies)
{
    /// <summary>Counts the terms of analysed texts (see <see cref="StoryClusterer.Analyze"/>).</summary>
    public static DocumentFrequencies FromTerms(IEnumerable<StoryTerms> texts)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        int n = 0;
        foreach (var t in texts)
        {
            n++;
            foreach (var k in t.Words.Keys) df[k] = df.GetValueOrDefault(k) + 1;
            foreach (var k in t.Entities.Keys) df[k] = df.GetValueOrDefault(k) + 1;
            foreach (var k in t.Pairs.Keys) df[k] = df.GetValueOrDefault(k) + 1;
        }
        return new DocumentFrequencies(n, df);
    }
}

/// <summary>Term counts of an article: content words, entities (proper nouns "@name", linked ids "#id") and adjacent
/// content-word pairs ("nuclear_deal").</summary>
public sealed record StoryTerms(IReadOnlyDictionary<string, double> Words, IReadOnlyDictionary<string, double> Entities)
{
    private readonly IReadOnlyDictionary<string, double>? pairs;

    public IReadOnlyDictionary<string, double> Pairs { get => pairs ?? EmptyCounts; init => pairs = value; }

    private readonly IReadOnlyDictionary<string, double>? lead;

    private readonly IReadOnlyDictionary<string, double>? title;

    /// <summary>Counts of the headline's content words (already counted twice in <see cref="Words"/>).</summary>
    public IReadOnlyDictionary<string, double> Title { get => title ?? EmptyCounts; init => title = value; }

    /// <summary>Counts of the content words among the body's first <see cref="StoryOptions.LeadWords"/>.</summary>
    public IReadOnlyDictionary<string, double> Lead { get => lead ?? EmptyCounts; init => lead = value; }

    private static readonly IReadOnlyDictionary<string, double> EmptyCounts = new Dictionary<string, double>();
}

/// <summary>
/// Where a <see cref="StoryClusterer"/> keeps the stories it has closed, so that an article dated back into their time
/// (one that arrives late) can still join them: the clusterer hands over each story it closes and asks for those whose
/// dates come within its inactivity window of a late article's date.
/// </summary>
public interface IClosedStories
{
    /// <summary>A story has closed (or a closed story took in a late article): keep it.</summary>
    void Keep(ClosedStory story);

    /// <summary>Closed stories whose last date is on or after <paramref name="from"/> and first date on or before <paramref name="to"/>.</summary>
    IEnumerable<ClosedStory> Between(DateOnly from, DateOnly to);
}

/// <summary>What is kept of a closed story: its dates, size, sums of member vectors and its most recent members' vectors.</summary>
public sealed class ClosedStory
{
    /// <summary>How many of a closed story's most recent members keep their vectors (for the best-member similarity).</summary>
    public const int RecentMembers = 8;

    public int Id { get; init; }
    public DateOnly? FirstDate { get; internal set; }
    public DateOnly? LastDate { get; internal set; }
    public int Count { get; internal set; }
    internal Dictionary<int, double> Sum { get; init; } = [];
    internal double SumNormSquared { get; set; }
    internal Dictionary<int, float> Entities { get; init; } = [];
    internal double EntityNormSquared { get; set; }
    internal List<SparseVector> Recent { get; init; } = [];

    public byte[] ToBytes()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(1); w.Write(Id); w.Write(FirstDate?.DayNumber ?? -1); w.Write(LastDate?.DayNumber ?? -1); w.Write(Count);
            w.Write(Sum.Count); foreach (var (t, v) in Sum) { w.Write(t); w.Write(v); }
            w.Write(SumNormSquared);
            w.Write(Entities.Count); foreach (var (t, v) in Entities) { w.Write(t); w.Write(v); }
            w.Write(EntityNormSquared);
            w.Write(Recent.Count);
            foreach (var v in Recent) { w.Write(v.Terms.Length); for (int i = 0; i < v.Terms.Length; i++) { w.Write(v.Terms[i]); w.Write(v.Weights[i]); } }
        }
        return ms.ToArray();
    }

    public static ClosedStory FromBytes(byte[] bytes)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes));
            if (r.ReadInt32() != 1) throw new InvalidDataException("not a closed story");
            int id = r.ReadInt32(), first = r.ReadInt32(), last = r.ReadInt32(), count = r.ReadInt32();
            var s = new ClosedStory { Id = id, FirstDate = first < 0 ? null : DateOnly.FromDayNumber(first), LastDate = last < 0 ? null : DateOnly.FromDayNumber(last), Count = count };
            int n = r.ReadInt32(); for (int i = 0; i < n; i++) s.Sum[r.ReadInt32()] = r.ReadDouble();
            s.SumNormSquared = r.ReadDouble();
            n = r.ReadInt32(); for (int i = 0; i < n; i++) s.Entities[r.ReadInt32()] = r.ReadSingle();
            s.EntityNormSquared = r.ReadDouble();
            n = r.ReadInt32();
            for (int i = 0; i < n; i++)
            {
                int k = r.ReadInt32();
                var ids = new int[k]; var ws = new float[k];
                for (int j = 0; j < k; j++) { ids[j] = r.ReadInt32(); ws[j] = r.ReadSingle(); }
                s.Recent.Add(new SparseVector(ids, ws));
            }
            return s;
        }
        catch (EndOfStreamException) { throw new InvalidDataException("truncated closed story"); }
    }
}

internal readonly record struct SparseVector(int[] Terms, float[] Weights)
{
    public static readonly SparseVector Empty = new([], []);

    public double Dot(Dictionary<int, float> other)
    {
        double s = 0;
        for (int i = 0; i < Terms.Length; i++) if (other.TryGetValue(Terms[i], out float w)) s += Weights[i] * w;
        return s;
    }

    public double Dot(Dictionary<int, double> other)
    {
        double s = 0;
        for (int i = 0; i < Terms.Length; i++) if (other.TryGetValue(Terms[i], out double w)) s += Weights[i] * w;
        return s;
    }

    /// <summary>Dot product of two vectors whose terms are sorted.</summary>
    public double Dot(SparseVector other)
    {
        double s = 0;
        int i = 0, j = 0;
        var a = Terms; var b = other.Terms;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { s += Weights[i] * other.Weights[j]; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return s;
    }
}

/// <summary>
/// Streaming, time-aware story clustering. Each article is compared with the open stories and joins the most similar
/// one when its similarity reaches <see cref="StoryOptions.Threshold"/>, else it starts a new story. Similarity combines
/// the average link (mean TF-IDF cosine to the story's members), the best cosine to one of its recent members, and the
/// cosine of entity vectors (linked knowledge-base ids, weighted up, and capitalised proper nouns). Document frequencies
/// are kept incrementally, so an article's weights use what has been seen up to it; stored member vectors are
/// re-weighted each time the stream doubles. With <see cref="StoryOptions.MergeThreshold"/>, the story an article
/// joined or started then merges with open stories whose average link to it reaches that threshold (an incremental
/// approximation of average-link agglomerative clustering); merged stories keep their ids and report
/// <see cref="Story.MergedInto"/>. Stories close after <see cref="StoryOptions.InactivityDays"/> without a new member
/// (by article dates); closed stories are never joined again. Not thread-safe: one clusterer per stream.
/// </summary>
public sealed class StoryClusterer
{
    private readonly StoryOptions options;
    private readonly Dictionary<string, int> vocabulary = new(StringComparer.Ordinal);
    private readonly List<double> documentFrequency = [];
    private readonly List<Story> stories = [];
    private readonly List<Story> open = [];
    private readonly Dictionary<string, int> storyOf = new(StringComparer.Ordinal);
    private readonly List<List<Story>> postings = []; // term -> open stories whose sum vector holds it
    private double documents;
    private long sequence;
    private long nextRefresh;
    private bool pendingSweep;
    private DateOnly? clock;

    public StoryClusterer(StoryOptions? options = null)
    {
        this.options = options ?? new StoryOptions();
        if (this.options.Background is { } bg)
        {
            double w = this.options.BackgroundWeight;
            documents = bg.Documents * w;
            foreach (var (term, df) in bg.Frequencies.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                vocabulary[term] = vocabulary.Count;
                documentFrequency.Add(df * w);
                postings.Add([]);
            }
        }
        nextRefresh = this.options.RefreshFrom > 0 ? this.options.RefreshFrom : long.MaxValue;
    }

    public StoryOptions Options => options;

    /// <summary>
    /// Where closed stories are kept (null: nowhere, and a late article can join only open stories). With a keeper, an
    /// article dated before the newest date seen is also compared with the closed stories of its own time, so a late
    /// arrival joins the story it would have joined in date order.
    /// </summary>
    public IClosedStories? Closed { get; set; }

    /// <summary>Every story so far, open, closed and merged, by id (the id is the index).</summary>
    public IReadOnlyList<Story> Stories => stories;

    /// <summary>The story that <paramref name="storyId"/> now belongs to: itself, or the end of its chain of merges.</summary>
    public int Resolve(int storyId)
    {
        while (stories[storyId].MergedInto is { } next) storyId = next;
        return storyId;
    }

    /// <summary>The story an article is in now (after merges and consolidations), or -1 for an id never assigned. When two
    /// articles share an id, the later one counts.</summary>
    public int StoryOf(string articleId) => storyOf.TryGetValue(articleId, out int s) ? Resolve(s) : -1;

    /// <summary>Adds an article to its story and says which.</summary>
    public StoryAssignment Assign(StoryDocument doc)
    {
        return Assign(doc, Analyze(doc));
    }

    /// <summary>The terms of an article, as <see cref="Assign(StoryDocument)"/> computes them (for callers that cluster
    /// the same documents several times).</summary>
    public static StoryTerms Analyze(StoryDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var titleWords = new List<string>();
        TextTerms.ContentWords(doc.Title ?? "", titleWords);
        var bodyWords = new List<string>();
        TextTerms.ContentWords(doc.Text ?? "", bodyWords);
        var words = new List<string>(titleWords.Count * 2 + bodyWords.Count);
        words.AddRange(titleWords);
        words.AddRange(titleWords); // headline words count twice
        words.AddRange(bodyWords);
        var pairs = new List<string>();
        TextTerms.ContentWordPairs(doc.Title ?? "", pairs);
        TextTerms.ContentWordPairs(doc.Text ?? "", pairs);
        var names = new List<string>();
        TextTerms.ProperNouns(doc.Title ?? "", names);
        TextTerms.ProperNouns(doc.Text ?? "", names);
        var entityCounts = Count(names);
        foreach (var id in doc.EntityIds ?? [])
            if (!string.IsNullOrWhiteSpace(id)) entityCounts["#" + id] = entityCounts.GetValueOrDefault("#" + id) + 1;
        return new StoryTerms(Count(words), entityCounts) { Pairs = Count(pairs), Lead = Count(bodyWords.Take(StoryOptions.LeadWords).ToList()), Title = Count(titleWords) };
    }

    /// <summary>Adds an article whose terms were computed by <see cref="Analyze"/>.</summary>
    public StoryAssignment Assign(StoryDocument doc, StoryTerms terms)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(terms);
        if (doc.Date is { } d)
        {
            if (clock is null || d > clock) clock = d;
            CloseInactive();
        }
        var tf = TermFrequencies(terms);
        var entities = EntityVector(terms.Entities);
        documents++;
        sequence++;
        if (sequence >= nextRefresh)
        {
            if (options.ConsolidateThreshold is null || Consolidate() < 0) Refresh();
            nextRefresh *= 2;
            if (options.MergeThreshold is not null) pendingSweep = true;
        }
        if (options.SweepEvery > 0 && options.MergeThreshold is not null && sequence % options.SweepEvery == 0) pendingSweep = true;
        var member = new Member(doc.Id, sequence, tf, doc.Date, entities) { Vector = Weigh(tf) };
        var text = member.Vector;

        // Candidates: stories sharing the article's most weighted terms, ranked by the partial average link.
        var dots = new Dictionary<Story, double>();
        int[] byWeight = Enumerable.Range(0, text.Terms.Length).OrderByDescending(i => text.Weights[i]).ThenBy(i => i).Take(options.RetrievalTerms).ToArray();
        foreach (int i in byWeight)
        {
            int t = text.Terms[i];
            foreach (var s in postings[t])
                if (s.Sum.TryGetValue(t, out double w)) dots[s] = dots.GetValueOrDefault(s) + text.Weights[i] * w;
        }
        var candidates = dots.OrderByDescending(kv => kv.Value / kv.Key.Items.Count).ThenBy(kv => kv.Key.Id).Take(options.Candidates).Select(kv => kv.Key).ToList();
        Story? best = null;
        double bestScore = double.NegativeInfinity;
        foreach (var s in candidates)
        {
            double bestMember = 0;
            if (options.MemberWeight != 0)
                for (int k = Math.Max(0, s.Items.Count - options.MembersCompared); k < s.Items.Count; k++)
                    bestMember = Math.Max(bestMember, text.Dot(s.Items[k].Vector));
            double score = Score(text, entities, s.Sum, s.SumNormSquared, s.Items.Count, s.Entities, s.EntityNormSquared, bestMember);
            if (score > bestScore) { bestScore = score; best = s; }
        }

        // A late article (dated before the newest date seen) may belong to a story that has closed since its time.
        if (Closed is { } keeper && doc.Date is { } day && clock is { } now && day < now && options.InactivityDays is { } window)
        {
            ClosedStory? bestClosed = null;
            foreach (var cs in keeper.Between(day.AddDays(-window), day.AddDays(window)).OrderBy(c => c.Id))
            {
                if (cs.Count == 0) continue;
                double bestMember = 0;
                if (options.MemberWeight != 0) foreach (var v in cs.Recent) bestMember = Math.Max(bestMember, text.Dot(v));
                double score = Score(text, entities, cs.Sum, cs.SumNormSquared, cs.Count, cs.Entities, cs.EntityNormSquared, bestMember);
                if (score > bestScore) { bestScore = score; bestClosed = cs; }
            }
            if (bestClosed != null && bestScore >= options.Threshold)
            {
                AddToClosed(bestClosed, member);
                keeper.Keep(bestClosed);
                storyOf[member.Id] = bestClosed.Id;
                stories[bestClosed.Id].members.Add(member.Id);
                return new StoryAssignment(bestClosed.Id, Math.Max(0, bestScore), false);
            }
        }

        bool isNew = best is null || bestScore < options.Threshold;
        if (isNew)
        {
            best = new Story(stories.Count);
            stories.Add(best);
            open.Add(best);
        }
        Add(best!, member);
        List<int>? merged = null;
        if (options.MergeThreshold is { } mergeAt)
        {
            candidates.Remove(best!);
            for (int k = 0; k < options.MaxMergesPerArticle && candidates.Count > 0; k++)
            {
                Story? other = null;
                double link = double.NegativeInfinity;
                foreach (var c in candidates)
                {
                    double l = Link(best!, c) + options.SizeDiscount * Math.Log(Math.Max(best!.Items.Count, c.Items.Count));
                    if (l > link) { link = l; other = c; }
                }
                if (other is null || link < mergeAt) break;
                candidates.Remove(other);
                var (keep, gone) = other.Id < best!.Id ? (other, best) : (best, other);
                Merge(gone, keep);
                (merged ??= []).Add(gone.Id);
                if (gone == best) isNew = false;
                best = keep;
            }
        }
        if (pendingSweep)
        {
            pendingSweep = false;
            foreach (var (gone, keep) in Sweep())
            {
                (merged ??= []).Add(gone.Id);
                if (gone == best) { best = keep; isNew = false; }
            }
            best = stories[Resolve(best!.Id)];
        }
        CloseExcess(best!);
        double similarity = double.IsNegativeInfinity(bestScore) ? 0 : Math.Max(0, bestScore);
        return new StoryAssignment(best!.Id, similarity, isNew) { Merged = merged ?? [] };
    }

    /// <summary>An article's similarity to a story, open or kept closed: average link, centroid cosine, the best cosine to
    /// one of its recent members (computed by the caller), entity cosine, weighted, plus the size discount.</summary>
    private double Score(SparseVector text, SparseVector entities, Dictionary<int, double> sum, double sumNormSquared, int count,
        Dictionary<int, float> storyEntities, double entityNormSquared, double bestMember)
    {
        double dot = text.Dot(sum);
        double average = dot / count;
        double centroid = sumNormSquared > 0 ? dot / Math.Sqrt(sumNormSquared) : 0;
        double entity = options.EntityWeight != 0 && entityNormSquared > 0 ? entities.Dot(storyEntities) / Math.Sqrt(entityNormSquared) : 0;
        return options.AverageWeight * average + options.CentroidWeight * centroid + options.MemberWeight * bestMember + options.EntityWeight * entity
            + options.SizeDiscount * Math.Log(count);
    }

    /// <summary>Merges open stories whose link reaches the merge threshold, best pairs first (each story's candidates
    /// come from the postings of its heaviest terms); returns the merges made, as (merged, into).</summary>
    private List<(Story Gone, Story Keep)> Sweep()
    {
        var done = new List<(Story, Story)>();
        if (options.MergeThreshold is not { } mergeAt) return done;
        for (int pass = 0; pass < 3; pass++)
        {
            var pairs = new List<(double Link, Story A, Story B)>();
            foreach (var a in open)
            {
                var seen = new HashSet<Story>();
                foreach (var (t, _) in a.Sum.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(options.RetrievalTerms))
                    foreach (var b in postings[t])
                        if (b.Id > a.Id && seen.Add(b))
                        {
                            double l = Link(a, b) + options.SizeDiscount * Math.Log(Math.Max(a.Items.Count, b.Items.Count));
                            if (l >= mergeAt) pairs.Add((l, a, b));
                        }
            }
            if (pairs.Count == 0) break;
            int before = done.Count;
            foreach (var (_, a, b) in pairs.OrderByDescending(p => p.Link).ThenBy(p => p.A.Id).ThenBy(p => p.B.Id))
            {
                if (a.IsClosed || b.IsClosed || Link(a, b) + options.SizeDiscount * Math.Log(Math.Max(a.Items.Count, b.Items.Count)) < mergeAt) continue;
                Merge(b, a); // a has the smaller id
                done.Add((b, a));
            }
            if (done.Count == before) break;
        }
        return done;
    }

    /// <summary>The link of two stories: the average link (mean cosine over all pairs of members, one from each story)
    /// and the cosine of their centroids, weighted as the options weigh them for an article.</summary>
    private double Link(Story a, Story b)
    {
        var (small, large) = a.Sum.Count <= b.Sum.Count ? (a.Sum, b.Sum) : (b.Sum, a.Sum);
        double dot = 0;
        foreach (var (t, w) in small) if (large.TryGetValue(t, out double v)) dot += w * v;
        double average = dot / ((double)a.Items.Count * b.Items.Count);
        double wa = options.AverageWeight, wc = options.CentroidWeight;
        if (wc == 0) return average;
        double centroid = a.SumNormSquared > 0 && b.SumNormSquared > 0 ? dot / Math.Sqrt(a.SumNormSquared * b.SumNormSquared) : 0;
        return (wa * average + wc * centroid) / (wa + wc);
    }

    /// <summary>Appends a member to a story: its id, vectors, entities and date.</summary>
    private void Add(Story s, Member member)
    {
        storyOf[member.Id] = s.Id;
        s.members.Add(member.Id);
        s.Items.Add(member);
        AddToSum(s, member.Vector);
        var entities = member.Entities;
        for (int i = 0; i < entities.Terms.Length; i++)
        {
            int t = entities.Terms[i];
            float old = s.Entities.GetValueOrDefault(t);
            float now = old + entities.Weights[i];
            s.Entities[t] = now;
            s.EntityNormSquared += (double)now * now - (double)old * old;
        }
        if (member.Date is { } d) Extend(s, d, d);
    }

    /// <summary>Empties a story's members and vectors (its member ids in <see cref="Story.MemberIds"/> stay).</summary>
    private static void ClearVectors(Story s)
    {
        s.Items.Clear();
        s.Sum.Clear();
        s.SumNormSquared = 0;
        s.Entities.Clear();
        s.EntityNormSquared = 0;
    }

    /// <summary>Closes a story that was merged into another (its articles already moved there).</summary>
    private void Retire(Story gone, Story into)
    {
        gone.MergedInto = into.Id;
        gone.IsClosed = true;
        ClearVectors(gone);
        open.Remove(gone);
    }

    private void AddToSum(Story s, SparseVector v)
    {
        for (int i = 0; i < v.Terms.Length; i++)
        {
            int t = v.Terms[i];
            if (s.Sum.TryGetValue(t, out double old)) s.Sum[t] = old + v.Weights[i];
            else { s.Sum[t] = v.Weights[i]; postings[t].Add(s); }
            double now = old + v.Weights[i];
            s.SumNormSquared += now * now - old * old;
        }
    }

    private static void Extend(Story s, DateOnly first, DateOnly last)
    {
        if (s.FirstDate is null || first < s.FirstDate) s.FirstDate = first;
        if (s.LastDate is null || last > s.LastDate) s.LastDate = last;
    }

    /// <summary>Moves <paramref name="gone"/>'s members into <paramref name="keep"/> (arrival order kept) and retires it.</summary>
    private void Merge(Story gone, Story keep)
    {
        var items = new List<Member>(keep.Items.Count + gone.Items.Count);
        int i = 0, j = 0;
        while (i < keep.Items.Count || j < gone.Items.Count)
            items.Add(j >= gone.Items.Count || (i < keep.Items.Count && keep.Items[i].Sequence < gone.Items[j].Sequence) ? keep.Items[i++] : gone.Items[j++]);
        keep.Items.Clear();
        keep.Items.AddRange(items);
        keep.members.Clear();
        keep.members.AddRange(items.Select(m => m.Id));
        foreach (var (t, w) in gone.Sum)
        {
            if (keep.Sum.TryGetValue(t, out double old)) keep.Sum[t] = old + w;
            else { keep.Sum[t] = w; postings[t].Add(keep); }
            keep.SumNormSquared += (old + w) * (old + w) - old * old;
            postings[t].Remove(gone);
        }
        foreach (var (t, w) in gone.Entities)
        {
            float old = keep.Entities.GetValueOrDefault(t);
            float now = old + w;
            keep.Entities[t] = now;
            keep.EntityNormSquared += (double)now * now - (double)old * old;
        }
        if (gone.FirstDate is { } f) Extend(keep, f, gone.LastDate ?? f);
        foreach (var m in gone.Items) storyOf[m.Id] = keep.Id;
        Retire(gone, keep);
    }

    /// <summary>
    /// Re-clusters the members of the open stories by average-link agglomeration over their pairwise similarities
    /// (text cosine with the current document frequencies, and the entity cosine in the share
    /// <see cref="StoryOptions.EntityWeight"/> has among the similarity weights): groups join, best pair first, while
    /// the mean similarity over their cross pairs reaches <see cref="StoryOptions.ConsolidateThreshold"/> (found by
    /// nearest-neighbour chains, O(n²) in time and memory). Each resulting group keeps the id of the open story that
    /// gave it most members (larger groups choose first); an open story left with no group is marked merged into the
    /// group that took most of its members; a group no story can name starts a new story. Closed stories are not
    /// touched. Streaming decisions are thus revised in batches, as an editor would regroup a desk's open stories.
    /// Returns how many articles changed story, or -1 when nothing was done (no threshold, more open members than
    /// <see cref="StoryOptions.ConsolidateMaxMembers"/>, or fewer texts than <see cref="StoryOptions.ConsolidateMinDocuments"/>).
    /// </summary>
    public int Consolidate(CancellationToken ct = default)
    {
        if (options.ConsolidateThreshold is not { } threshold) return -1;
        int n = open.Sum(s => s.Items.Count);
        if (n > options.ConsolidateMaxMembers || documents < options.ConsolidateMinDocuments) return -1;
        if (n < 2)
        {
            Refresh();
            return 0;
        }
        Reweigh(); // the story sums and postings are rebuilt below, for the new groups
        var items = new Member[n];
        var was = new Story[n];
        int k = 0;
        foreach (var s in open)
            foreach (var m in s.Items) { items[k] = m; was[k++] = s; }
        double total = options.AverageWeight + options.CentroidWeight + options.MemberWeight + options.EntityWeight;
        double e = total > 0 ? options.EntityWeight / total : 0;
        var sim = new float[(long)n * n];
        for (int i = 0; i < n; i++)
        {
            if ((i & 63) == 0) ct.ThrowIfCancellationRequested();
            for (int j = i + 1; j < n; j++)
            {
                double v = items[i].Vector.Dot(items[j].Vector);
                if (e > 0) v = (1 - e) * v + e * items[i].Entities.Dot(items[j].Entities);
                sim[(long)i * n + j] = sim[(long)j * n + i] = (float)v;
            }
        }
        var root = AverageLink(sim, n, threshold, options.ConsolidateCohesion);
        if (options.RefineThreshold is { } refineAt) Refine(items, root, refineAt, ct);

        // Groups, largest first (then earliest member), each choosing the open story that gave it most members.
        var groups = Enumerable.Range(0, n).GroupBy(i => root[i]).Select(g => g.ToArray())
            .OrderByDescending(g => g.Length).ThenBy(g => items[g[0]].Sequence).ToList();
        var claimed = new Dictionary<Story, int[]>();
        var fresh = new List<int[]>();
        foreach (var g in groups)
        {
            var choice = g.GroupBy(i => was[i]).Where(x => !claimed.ContainsKey(x.Key))
                .OrderByDescending(x => x.Count()).ThenBy(x => x.Key.Id).Select(x => x.Key).FirstOrDefault();
            if (choice is null) fresh.Add(g);
            else claimed[choice] = g;
        }
        int moved = 0;
        var target = new Story[n];
        foreach (var (s, g) in claimed) foreach (int i in g) target[i] = s;
        foreach (var g in fresh)
        {
            var s = new Story(stories.Count);
            stories.Add(s);
            open.Add(s);
            claimed[s] = g;
            foreach (int i in g) target[i] = s;
        }
        for (int i = 0; i < n; i++) if (target[i] != was[i]) moved++;
        foreach (var s in open.Where(s => !claimed.ContainsKey(s)).ToList())
        {
            var into = Enumerable.Range(0, n).Where(i => was[i] == s).GroupBy(i => target[i])
                .OrderByDescending(x => x.Count()).ThenBy(x => x.Key.Id).First().Key;
            Retire(s, into);
        }
        foreach (var p in postings) p.Clear();
        foreach (var (s, g) in claimed)
        {
            ClearVectors(s);
            s.members.Clear();
            s.FirstDate = s.LastDate = null;
            foreach (var m in g.Select(i => items[i]).OrderBy(m => m.Sequence)) Add(s, m);
        }
        open.Sort((a, b) => a.Id.CompareTo(b.Id));
        return moved;
    }

    /// <summary>Average-link agglomeration of <paramref name="n"/> items over a symmetric similarity matrix (overwritten),
    /// by nearest-neighbour chains: merges every pair of groups whose mean cross similarity reaches the threshold, and
    /// returns each item's group (an item index). Exact because average linkage is reducible: merging two groups never
    /// brings a third closer than the nearer of the two was, so an item whose best link is below the threshold is done.</summary>
    internal static int[] AverageLink(float[] sim, int n, double threshold, double cohesion = 0)
    {
        var size = new int[n];
        var active = new bool[n];
        var parent = new int[n];
        var inner = new double[n]; // sum of the similarities of the group's pairs of items
        for (int i = 0; i < n; i++) { size[i] = 1; active[i] = true; parent[i] = i; }
        var chain = new List<int>();
        int next = 0;
        while (true)
        {
            if (chain.Count == 0)
            {
                while (next < n && !active[next]) next++;
                if (next >= n) break;
                chain.Add(next);
            }
            int a = chain[^1], prev = chain.Count >= 2 ? chain[^2] : -1;
            int b = -1;
            float best = float.NegativeInfinity;
            long row = (long)a * n;
            for (int x = 0; x < n; x++)
            {
                if (x == a || !active[x]) continue;
                float v = sim[row + x];
                if (v > best || (v == best && x == prev)) { best = v; b = x; }
            }
            if (b < 0 || best < threshold)
            {
                active[a] = false; // nothing will come close enough: a group of its own
                chain.RemoveAt(chain.Count - 1);
                continue;
            }
            if (b != prev) { chain.Add(b); continue; }
            chain.RemoveRange(chain.Count - 2, 2);
            if (cohesion > 0 && size[a] > 1 && size[b] > 1)
            {
                // Two groups that each hold together much better than they link (two events of one kind, each with its
                // own names and numbers) stay apart, and so does anything either later joins.
                double ca = inner[a] / (size[a] * (size[a] - 1) / 2.0), cb = inner[b] / (size[b] * (size[b] - 1) / 2.0);
                if (best < cohesion * Math.Min(ca, cb))
                {
                    sim[row + b] = sim[(long)b * n + a] = Apart;
                    continue;
                }
            }
            inner[a] += inner[b] + (double)best * size[a] * size[b];
            // Merge b into a: Lance–Williams update for average linkage.
            double wa = size[a], wb = size[b], sum = wa + wb;
            long rb = (long)b * n;
            for (int x = 0; x < n; x++)
            {
                if (!active[x] || x == a || x == b) continue;
                float v = (float)((wa * sim[row + x] + wb * sim[rb + x]) / sum);
                sim[row + x] = v;
                sim[(long)x * n + a] = v;
            }
            size[a] += size[b];
            active[b] = false;
            parent[b] = a;
        }
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            int r = i;
            while (parent[r] != r) r = parent[r];
            result[i] = r;
        }
        return result;
    }

    /// <summary>
    /// Splits each group of at least <see cref="StoryOptions.RefineMinSize"/> articles by average-link agglomeration over
    /// cosines of vectors re-weighted with the group's own document frequencies: a term every member shares (the kind of
    /// event: "heavyweight", "pirates") weighs little, a term some members share (the challenger's name, the ship, the
    /// score) weighs much, so two events of one kind that the corpus-wide weights joined come apart.
    /// </summary>
    private void Refine(Member[] items, int[] root, double threshold, CancellationToken ct)
    {
        foreach (var g in Enumerable.Range(0, items.Length).GroupBy(i => root[i]).Select(x => x.ToArray()).ToList())
        {
            int m = g.Length;
            if (m < options.RefineMinSize) continue;
            ct.ThrowIfCancellationRequested();
            var df = new Dictionary<int, int>();
            foreach (int i in g) foreach (int t in items[i].Vector.Terms) df[t] = df.GetValueOrDefault(t) + 1;
            var local = new SparseVector[m];
            for (int k = 0; k < m; k++)
            {
                var v = items[g[k]].Vector;
                var ws = new float[v.Terms.Length];
                double norm = 0;
                for (int j = 0; j < ws.Length; j++)
                {
                    // A term no other member has adds nothing to any link inside the group, only to the norm: left out.
                    int d = df[v.Terms[j]];
                    double w = d < 2 ? 0 : v.Weights[j] * Math.Pow(Math.Log((m + 1.0) / d), options.RefineIdfPower);
                    ws[j] = (float)w;
                    norm += w * w;
                }
                norm = Math.Sqrt(norm);
                if (norm > 0) for (int j = 0; j < ws.Length; j++) ws[j] = (float)(ws[j] / norm);
                local[k] = new SparseVector(v.Terms, ws);
            }
            var sim = new float[(long)m * m];
            for (int a = 0; a < m; a++)
                for (int b = a + 1; b < m; b++)
                    sim[(long)a * m + b] = sim[(long)b * m + a] = (float)local[a].Dot(local[b]);
            var sub = AverageLink(sim, m, threshold, options.RefineCohesion);
            // A part smaller than RefineMinPart is no event of its own: it goes back to the part it links best to.
            var parts = Enumerable.Range(0, m).GroupBy(k => sub[k]).ToDictionary(x => x.Key, x => x.ToArray());
            double Inner(int[] part)
            {
                double t = 0;
                for (int a = 0; a < part.Length; a++) for (int b = a + 1; b < part.Length; b++) t += sim[(long)part[a] * m + part[b]];
                return part.Length < 2 ? 0 : t / (part.Length * (part.Length - 1) / 2.0);
            }
            // A part is an event of its own when it is large enough and its members share their own terms: its mean inner
            // similarity (group weights) reaches RefineCohesionMin.
            var large = parts.Where(p => p.Value.Length >= options.RefineMinPart && Inner(p.Value) >= options.RefineCohesionMin).Select(p => p.Key).ToList();
            if (large.Count < 2) continue;
            foreach (var (key, members) in parts)
            {
                if (large.Contains(key)) continue;
                int into = large.OrderByDescending(l => members.Sum(a => parts[l].Sum(b => (double)sim[(long)a * m + b])) / parts[l].Length).ThenBy(l => l).First();
                foreach (int k in members) sub[k] = into;
            }
            // Two parts come back together unless they hold together much better than they link: a part's cohesion is the
            // mean similarity of its own pairs, and parts stay apart only when their mean cross similarity is below
            // RefineSeparation times the lesser cohesion (one event told two ways links almost as well as it coheres).
            if (options.RefineSeparation > 0)
            {
                var groups = large.Select(l => Enumerable.Range(0, m).Where(k => sub[k] == l).ToList()).ToList();
                double Mean(List<int> a, List<int> b)
                {
                    double t = 0; long c = 0;
                    foreach (int x in a) foreach (int y in b) if (x != y) { t += sim[(long)x * m + y]; c++; }
                    return c == 0 ? 0 : t / c;
                }
                while (groups.Count > 1)
                {
                    (int A, int B, double Ratio) bestPair = (-1, -1, double.NegativeInfinity);
                    for (int a = 0; a < groups.Count; a++)
                        for (int b = a + 1; b < groups.Count; b++)
                        {
                            double coh = Math.Min(Mean(groups[a], groups[a]), Mean(groups[b], groups[b]));
                            double ratio = coh > 0 ? Mean(groups[a], groups[b]) / coh : double.PositiveInfinity;
                            if (ratio > bestPair.Ratio) bestPair = (a, b, ratio);
                        }
                    if (bestPair.Ratio < options.RefineSeparation) break;
                    groups[bestPair.A].AddRange(groups[bestPair.B]);
                    groups.RemoveAt(bestPair.B);
                }
                foreach (var part in groups) foreach (int k in part) sub[k] = part[0];
            }
            for (int k = 0; k < m; k++) root[g[k]] = g[sub[k]];
        }
    }

    /// <summary>The similarity that keeps two groups apart for good (averaged into anything either joins).</summary>
    private const float Apart = -1e6f;

    /// <summary>Re-weights every open story's members with the current document frequencies.</summary>
    private void Refresh()
    {
        Reweigh();
        foreach (var p in postings) p.Clear();
        foreach (var s in open)
        {
            s.Sum.Clear();
            s.SumNormSquared = 0;
            foreach (var m in s.Items) AddToSum(s, m.Vector);
        }
    }

    /// <summary>Re-weights every open member's vector with the current document frequencies (story sums not updated).</summary>
    private void Reweigh()
    {
        foreach (var s in open)
            foreach (var m in s.Items) m.Vector = Weigh(m.Tf);
    }

    private void CloseInactive()
    {
        if (options.InactivityDays is not { } window || clock is not { } now) return;
        bool any = false;
        foreach (var s in open)
            if (s.LastDate is { } last && now.DayNumber - last.DayNumber > window) { s.IsClosed = true; any = true; }
        if (any) RemoveClosed();
    }

    /// <summary>Hands the stories marked closed to the keeper and drops them from the open set.</summary>
    private void RemoveClosed()
    {
        foreach (var s in open)
            if (s.IsClosed)
            {
                Closed?.Keep(Snapshot(s));
                foreach (var t in s.Sum.Keys) postings[t].Remove(s);
                s.Items.Clear();
                s.Sum.Clear();
            }
        open.RemoveAll(s => s.IsClosed);
    }

    /// <summary>With <see cref="StoryOptions.MaxOpenStories"/>: closes the stories that least recently took an article
    /// until no more than that many stay open (<paramref name="keep"/>, the story just joined, stays).</summary>
    private void CloseExcess(Story keep)
    {
        if (options.MaxOpenStories is not { } max || open.Count <= max) return;
        foreach (var s in open.Where(s => s != keep).OrderBy(s => s.Items.Count == 0 ? long.MinValue : s.Items[^1].Sequence).ThenBy(s => s.Id).Take(open.Count - Math.Max(1, max)))
            s.IsClosed = true;
        RemoveClosed();
    }

    private double Idf(int term)
    {
        double idf = Math.Log((1.0 + documents) / (1.0 + documentFrequency[term])) + 1;
        return options.IdfPower == 1.0 ? idf : Math.Pow(idf, options.IdfPower);
    }

    private int TermId(string term)
    {
        if (!vocabulary.TryGetValue(term, out int id))
        {
            id = vocabulary.Count;
            vocabulary[term] = id;
            documentFrequency.Add(0);
            postings.Add([]);
        }
        return id;
    }

    /// <summary>Registers the article's terms (document frequencies counted) and returns its weighted sublinear term
    /// frequencies, terms sorted by id: content words, proper nouns and word pairs as the options weigh them.</summary>
    private SparseVector TermFrequencies(StoryTerms terms)
    {
        var weights = new Dictionary<int, double>();
        void AddAll(IReadOnlyDictionary<string, double> counts, double factor)
        {
            if (factor <= 0) return;
            foreach (var (term, count) in counts)
            {
                if (count <= 0) continue;
                double c = count;
                int id = TermId(term);
                documentFrequency[id]++;
                double lead = factor == 1.0 && options.LeadWeight > 0 ? options.LeadWeight * terms.Lead.GetValueOrDefault(term) : 0;
                if (factor == 1.0 && options.TitleWeight != 2.0) c = Math.Max(0, c + (options.TitleWeight - 2.0) * terms.Title.GetValueOrDefault(term));
                if (c + lead <= 0) continue;
                double w = (1 + Math.Log(c + lead)) * factor;
                if (term[0] == '#') w *= options.LinkedEntityBoost;
                weights[id] = w;
            }
        }
        AddAll(terms.Words, 1.0);
        AddAll(terms.Entities, options.ProperNounWeight);
        AddAll(terms.Pairs, options.WordPairWeight);
        return Sorted(weights);
    }

    private static SparseVector Sorted(Dictionary<int, double> weights)
    {
        var ids = new int[weights.Count];
        var ws = new float[weights.Count];
        int k = 0;
        foreach (var (t, w) in weights) { ids[k] = t; ws[k++] = (float)w; }
        Array.Sort(ids, ws);
        return new SparseVector(ids, ws);
    }

    /// <summary>TF × current IDF, L2-normalised.</summary>
    private SparseVector Weigh(SparseVector tf)
    {
        if (tf.Terms.Length == 0) return SparseVector.Empty;
        var ws = new float[tf.Terms.Length];
        double norm = 0;
        for (int i = 0; i < ws.Length; i++)
        {
            double w = tf.Weights[i] * Idf(tf.Terms[i]);
            ws[i] = (float)w;
            norm += w * w;
        }
        norm = Math.Sqrt(norm);
        for (int i = 0; i < ws.Length; i++) ws[i] = (float)(ws[i] / norm);
        return new SparseVector(tf.Terms, ws);
    }

    /// <summary>The entity vector (proper nouns, linked ids weighted up), TF-IDF with the current document frequencies,
    /// L2-normalised; entity terms are registered (and counted) here when the text vector did not already count them.</summary>
    private SparseVector EntityVector(IReadOnlyDictionary<string, double> counts)
    {
        if (counts.Count == 0) return SparseVector.Empty;
        var weights = new Dictionary<int, double>();
        bool counted = options.ProperNounWeight > 0;
        foreach (var (term, c) in counts)
        {
            if (c <= 0) continue;
            int id = TermId(term);
            if (!counted) documentFrequency[id]++;
            double w = (1 + Math.Log(c)) * (Math.Log((2.0 + documents) / (1.0 + documentFrequency[id])) + 1);
            if (term[0] == '#') w *= options.LinkedEntityBoost;
            weights[id] = w;
        }
        var v = Sorted(weights);
        double norm = Math.Sqrt(v.Weights.Sum(x => (double)x * x));
        if (norm > 0) for (int i = 0; i < v.Weights.Length; i++) v.Weights[i] = (float)(v.Weights[i] / norm);
        return v;
    }

    /// <summary>What is kept of a story as it closes.</summary>
    private static ClosedStory Snapshot(Story s) => new()
    {
        Id = s.Id, FirstDate = s.FirstDate, LastDate = s.LastDate, Count = s.Items.Count,
        Sum = new Dictionary<int, double>(s.Sum), SumNormSquared = s.SumNormSquared,
        Entities = new Dictionary<int, float>(s.Entities), EntityNormSquared = s.EntityNormSquared,
        Recent = s.Items.Skip(Math.Max(0, s.Items.Count - ClosedStory.RecentMembers)).Select(m => m.Vector).ToList(),
    };

    private static void AddToClosed(ClosedStory s, Member m)
    {
        var v = m.Vector;
        for (int i = 0; i < v.Terms.Length; i++)
        {
            double old = s.Sum.GetValueOrDefault(v.Terms[i]), now = old + v.Weights[i];
            s.Sum[v.Terms[i]] = now;
            s.SumNormSquared += now * now - old * old;
        }
        var e = m.Entities;
        for (int i = 0; i < e.Terms.Length; i++)
        {
            float old = s.Entities.GetValueOrDefault(e.Terms[i]), now = old + e.Weights[i];
            s.Entities[e.Terms[i]] = now;
            s.EntityNormSquared += (double)now * now - (double)old * old;
        }
        s.Count++;
        s.Recent.Add(v);
        if (s.Recent.Count > ClosedStory.RecentMembers) s.Recent.RemoveAt(0);
        if (m.Date is { } d)
        {
            if (s.FirstDate is null || d < s.FirstDate) s.FirstDate = d;
            if (s.LastDate is null || d > s.LastDate) s.LastDate = d;
        }
    }

    // ------------------------------------------------------------------ state between runs

    private const uint StateMagic = 0x53545231; // "STR1"

    /// <summary>The articles of the open stories with the story each is in now (after merges and consolidation).</summary>
    public IEnumerable<(string ArticleId, int StoryId)> OpenMembers()
    {
        foreach (var s in open)
            foreach (var m in s.Items) yield return (m.Id, s.Id);
    }

    /// <summary>
    /// Writes what the clusterer needs to go on with a later stream: the vocabulary and document frequencies, the
    /// counters, every story's dates and merge link, and the open stories' members with their vectors and sums, exactly
    /// (so a clusterer read back decides as this one would). Closed stories keep no members here: callers keep those.
    /// </summary>
    public void Save(Stream output)
    {
        using var w = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(StateMagic);
        w.Write(documents); w.Write(sequence); w.Write(nextRefresh); w.Write(pendingSweep);
        w.Write(clock?.DayNumber ?? -1);
        w.Write(vocabulary.Count);
        var terms = new string[vocabulary.Count];
        foreach (var (term, id) in vocabulary) terms[id] = term;
        for (int i = 0; i < terms.Length; i++) { w.Write(terms[i]); w.Write(documentFrequency[i]); }
        w.Write(stories.Count);
        foreach (var s in stories)
        {
            w.Write(s.IsClosed); w.Write(s.MergedInto ?? -1);
            w.Write(s.FirstDate?.DayNumber ?? -1); w.Write(s.LastDate?.DayNumber ?? -1);
            if (s.IsClosed) continue;
            w.Write(s.Items.Count);
            foreach (var m in s.Items)
            {
                w.Write(m.Id); w.Write(m.Sequence); w.Write(m.Date?.DayNumber ?? -1);
                WriteVector(w, m.Tf); WriteVector(w, m.Vector); WriteVector(w, m.Entities);
            }
            w.Write(s.Sum.Count);
            foreach (var (t, v) in s.Sum) { w.Write(t); w.Write(v); }
            w.Write(s.SumNormSquared);
            w.Write(s.Entities.Count);
            foreach (var (t, v) in s.Entities) { w.Write(t); w.Write(v); }
            w.Write(s.EntityNormSquared);
        }
    }

    /// <summary>Reads a clusterer written by <see cref="Save"/>, to go on with <paramref name="options"/> (the settings it
    /// was saved with). Throws <see cref="InvalidDataException"/> when the bytes are not such a state.</summary>
    public static StoryClusterer Load(Stream input, StoryOptions options)
    {
        var c = new StoryClusterer(options with { Background = null });
        try
        {
            using var r = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
            if (r.ReadUInt32() != StateMagic) throw new InvalidDataException("not a story clusterer state");
            c.documents = r.ReadDouble(); c.sequence = r.ReadInt64(); c.nextRefresh = r.ReadInt64(); c.pendingSweep = r.ReadBoolean();
            int day = r.ReadInt32();
            c.clock = day < 0 ? null : DateOnly.FromDayNumber(day);
            int nTerms = r.ReadInt32();
            for (int i = 0; i < nTerms; i++)
            {
                c.vocabulary[r.ReadString()] = i;
                c.documentFrequency.Add(r.ReadDouble());
                c.postings.Add([]);
            }
            int nStories = r.ReadInt32();
            for (int i = 0; i < nStories; i++)
            {
                var s = new Story(i);
                c.stories.Add(s);
                s.IsClosed = r.ReadBoolean();
                int into = r.ReadInt32();
                s.MergedInto = into < 0 ? null : into;
                int first = r.ReadInt32(), last = r.ReadInt32();
                s.FirstDate = first < 0 ? null : DateOnly.FromDayNumber(first);
                s.LastDate = last < 0 ? null : DateOnly.FromDayNumber(last);
                if (s.IsClosed) continue;
                int nItems = r.ReadInt32();
                for (int k = 0; k < nItems; k++)
                {
                    var id = r.ReadString();
                    long seq = r.ReadInt64();
                    int d = r.ReadInt32();
                    var tf = ReadVector(r, nTerms);
                    var vector = ReadVector(r, nTerms);
                    var entities = ReadVector(r, nTerms);
                    var m = new Member(id, seq, tf, d < 0 ? null : DateOnly.FromDayNumber(d), entities) { Vector = vector };
                    s.Items.Add(m);
                    s.members.Add(id);
                    c.storyOf[id] = i;
                }
                int nSum = r.ReadInt32();
                for (int k = 0; k < nSum; k++)
                {
                    int t = r.ReadInt32();
                    if ((uint)t >= (uint)nTerms) throw new InvalidDataException("story clusterer state: term out of range");
                    s.Sum[t] = r.ReadDouble();
                    c.postings[t].Add(s);
                }
                s.SumNormSquared = r.ReadDouble();
                int nEnt = r.ReadInt32();
                for (int k = 0; k < nEnt; k++) s.Entities[r.ReadInt32()] = r.ReadSingle();
                s.EntityNormSquared = r.ReadDouble();
                c.open.Add(s);
            }
            foreach (var s in c.stories)
                if (s.MergedInto is { } m && (uint)m >= (uint)nStories) throw new InvalidDataException("story clusterer state: merge target out of range");
            return c;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("truncated story clusterer state");
        }
    }

    private static void WriteVector(BinaryWriter w, SparseVector v)
    {
        w.Write(v.Terms.Length);
        for (int i = 0; i < v.Terms.Length; i++) { w.Write(v.Terms[i]); w.Write(v.Weights[i]); }
    }

    private static SparseVector ReadVector(BinaryReader r, int terms)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > terms) throw new InvalidDataException("story clusterer state: bad vector length");
        if (n == 0) return SparseVector.Empty;
        var ids = new int[n];
        var ws = new float[n];
        for (int i = 0; i < n; i++)
        {
            ids[i] = r.ReadInt32();
            if ((uint)ids[i] >= (uint)terms) throw new InvalidDataException("story clusterer state: term out of range");
            ws[i] = r.ReadSingle();
        }
        return new SparseVector(ids, ws);
    }

    private static Dictionary<string, double> Count(List<string> terms)
    {
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var t in terms) counts[t] = counts.GetValueOrDefault(t) + 1;
        return counts;
    }
}
