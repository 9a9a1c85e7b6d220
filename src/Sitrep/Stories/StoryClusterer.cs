namespace Sitrep.Stories;

/// <summary>An article handed to the <see cref="StoryClusterer"/>.</summary>
/// <param name="Id">The caller's id for the article (kept in <see cref="Story.MemberIds"/>).</param>
/// <param name="Title">The headline, or empty; its words count twice.</param>
/// <param name="Text">The body text.</param>
/// <param name="Date">The article's date, or null when unknown (then it never closes a story nor keeps one open).</param>
/// <param name="EntityIds">Knowledge-base ids of the entities linked in the article ("Q7184", "nato"); strong features.</param>
public sealed record StoryDocument(string Id, string Title, string Text, DateOnly? Date, IReadOnlyList<string> EntityIds);

/// <summary>Where an article went: the story it joined or started, and the similarity that decided it (0 for a new
/// story with no candidate).</summary>
public readonly record struct StoryAssignment(int StoryId, double Similarity, bool IsNew);

/// <summary>Settings of the <see cref="StoryClusterer"/>. The defaults are the ones tuned on FNC-1 (docs/stories.md).</summary>
public sealed record StoryOptions
{
    /// <summary>An article joins the most similar open story when the combined similarity reaches this; else it starts one.</summary>
    public double Threshold { get; init; } = 0.22;

    /// <summary>Weight of the mean TF-IDF cosine between the article and the story's (most recent) members, with the
    /// document frequencies as they are now (average link).</summary>
    public double AverageWeight { get; init; } = 0.6;

    /// <summary>Weight of the best cosine between the article and one of the story's most recent members.</summary>
    public double MemberWeight { get; init; } = 0.4;

    /// <summary>Weight of the cosine between the article's entities (linked ids and proper nouns) and the story's.</summary>
    public double EntityWeight { get; init; } = 0.0;

    /// <summary>A story closes when no article dated within this many days of the newest date seen joined it. Null: never.</summary>
    public int? InactivityDays { get; init; } = 3;

    /// <summary>How many of a story's most recent members the member similarity looks at.</summary>
    public int MembersCompared { get; init; } = 64;

    /// <summary>How many candidate stories (best centroid cosine) get the full similarity.</summary>
    public int Candidates { get; init; } = 12;

    /// <summary>How many of the article's most weighted terms look up candidate stories.</summary>
    public int RetrievalTerms { get; init; } = 30;

    /// <summary>Document frequencies from texts read before the stream (no labels), so that the first articles already
    /// get sensible IDF weights; null to start from nothing.</summary>
    public DocumentFrequencies? Background { get; init; }

    /// <summary>How much more a linked entity id weighs than a proper noun found by capitalisation.</summary>
    public double LinkedEntityBoost { get; init; } = 2.0;
}

/// <summary>A story: the articles that joined it, in arrival order.</summary>
public sealed class Story
{
    internal Story(int id) => Id = id;

    public int Id { get; }
    public IReadOnlyList<string> MemberIds => members;
    public DateOnly? FirstDate { get; internal set; }
    public DateOnly? LastDate { get; internal set; }
    public bool IsClosed { get; internal set; }

    internal readonly List<string> members = [];
    internal readonly Dictionary<int, float> Centroid = [];
    internal double CentroidNormSquared;
    internal readonly Dictionary<int, float> Entities = [];
    internal double EntityNormSquared;
    internal readonly List<SparseVector> Recent = []; // sublinear term frequencies, not yet weighted
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
        }
        return new DocumentFrequencies(n, df);
    }
}

/// <summary>Term counts of an article: content words and entities (proper nouns "@name", linked ids "#id").</summary>
public sealed record StoryTerms(IReadOnlyDictionary<string, double> Words, IReadOnlyDictionary<string, double> Entities);

internal readonly record struct SparseVector(int[] Terms, float[] Weights)
{
    public static readonly SparseVector Empty = new([], []);

    public double Dot(Dictionary<int, float> other)
    {
        double s = 0;
        for (int i = 0; i < Terms.Length; i++) if (other.TryGetValue(Terms[i], out float w)) s += Weights[i] * w;
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
/// the TF-IDF cosine to the story centroid, the best cosine to one of its recent members, and the cosine of entity
/// vectors (linked knowledge-base ids, weighted up, and capitalised proper nouns). Document frequencies are kept
/// incrementally, so an article's weights use what has been seen up to it. Stories close after
/// <see cref="StoryOptions.InactivityDays"/> without a new member (by article dates); closed stories are never joined
/// again. Not thread-safe: one clusterer per stream.
/// </summary>
public sealed class StoryClusterer
{
    private readonly StoryOptions options;
    private readonly Dictionary<string, int> vocabulary = new(StringComparer.Ordinal);
    private readonly List<int> documentFrequency = [];
    private readonly List<Story> stories = [];
    private readonly List<Story> open = [];
    private readonly List<List<Story>> postings = []; // term -> open stories whose centroid holds it
    private int documents;
    private DateOnly? clock;

    public StoryClusterer(StoryOptions? options = null)
    {
        this.options = options ?? new StoryOptions();
        if (this.options.Background is { } bg)
        {
            documents = bg.Documents;
            foreach (var (term, df) in bg.Frequencies.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                vocabulary[term] = vocabulary.Count;
                documentFrequency.Add(df);
                postings.Add([]);
            }
        }
    }

    public StoryOptions Options => options;

    /// <summary>Every story so far, open and closed, by id (the id is the index).</summary>
    public IReadOnlyList<Story> Stories => stories;

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
        var words = new List<string>();
        TextTerms.ContentWords(doc.Title ?? "", words);
        words.AddRange(words.ToArray()); // headline words count twice
        TextTerms.ContentWords(doc.Text ?? "", words);
        var names = new List<string>();
        TextTerms.ProperNouns(doc.Title ?? "", names);
        TextTerms.ProperNouns(doc.Text ?? "", names);
        var entityCounts = Count(names);
        foreach (var id in doc.EntityIds ?? [])
            if (!string.IsNullOrWhiteSpace(id)) entityCounts["#" + id] = entityCounts.GetValueOrDefault("#" + id) + 1;
        return new StoryTerms(Count(words), entityCounts);
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
        var text = Vectorize(terms.Words);
        var tf = Frequencies(terms.Words);
        double docNorm = CurrentNorm(tf);
        var entities = Vectorize(terms.Entities);
        documents++;

        // Candidates: stories sharing the article's most weighted terms, ranked by the partial centroid dot product.
        var dots = new Dictionary<Story, double>();
        int[] byWeight = Enumerable.Range(0, text.Terms.Length).OrderByDescending(i => text.Weights[i]).ThenBy(i => i).Take(options.RetrievalTerms).ToArray();
        foreach (int i in byWeight)
        {
            int t = text.Terms[i];
            if (t >= postings.Count) continue;
            foreach (var s in postings[t])
                if (s.Centroid.TryGetValue(t, out float w)) dots[s] = dots.GetValueOrDefault(s) + text.Weights[i] * w;
        }
        Story? best = null;
        double bestScore = double.NegativeInfinity;
        foreach (var (s, _) in dots.OrderByDescending(kv => kv.Value / Math.Sqrt(kv.Key.CentroidNormSquared)).ThenBy(kv => kv.Key.Id).Take(options.Candidates))
        {
            double member = 0, sum = 0;
            foreach (var m in s.Recent)
            {
                double c = CurrentCosine(tf, docNorm, m);
                sum += c;
                member = Math.Max(member, c);
            }
            double centroid = s.Recent.Count == 0 ? 0 : sum / s.Recent.Count;
            double entity = s.EntityNormSquared > 0 ? entities.Dot(s.Entities) / Math.Sqrt(s.EntityNormSquared) : 0;
            double score = options.AverageWeight * centroid + options.MemberWeight * member + options.EntityWeight * entity;
            if (score > bestScore) { bestScore = score; best = s; }
        }

        bool isNew = best is null || bestScore < options.Threshold;
        if (isNew)
        {
            best = new Story(stories.Count);
            stories.Add(best);
            open.Add(best);
        }
        Add(best!, doc, text, tf, entities);
        return new StoryAssignment(best!.Id, best is null || double.IsNegativeInfinity(bestScore) ? 0 : Math.Max(0, bestScore), isNew);
    }

    private void Add(Story s, StoryDocument doc, SparseVector text, SparseVector tf, SparseVector entities)
    {
        s.members.Add(doc.Id);
        for (int i = 0; i < text.Terms.Length; i++)
        {
            int t = text.Terms[i];
            float old = s.Centroid.GetValueOrDefault(t);
            if (old == 0 && !s.Centroid.ContainsKey(t)) postings[t].Add(s);
            float now = old + text.Weights[i];
            s.Centroid[t] = now;
            s.CentroidNormSquared += (double)now * now - (double)old * old;
        }
        for (int i = 0; i < entities.Terms.Length; i++)
        {
            int t = entities.Terms[i];
            float old = s.Entities.GetValueOrDefault(t);
            float now = old + entities.Weights[i];
            s.Entities[t] = now;
            s.EntityNormSquared += (double)now * now - (double)old * old;
        }
        s.Recent.Add(tf);
        if (s.Recent.Count > options.MembersCompared) s.Recent.RemoveAt(0);
        if (doc.Date is { } d)
        {
            if (s.FirstDate is null || d < s.FirstDate) s.FirstDate = d;
            if (s.LastDate is null || d > s.LastDate) s.LastDate = d;
        }
    }

    private void CloseInactive()
    {
        if (options.InactivityDays is not { } window || clock is not { } now) return;
        bool any = false;
        foreach (var s in open)
            if (s.LastDate is { } last && now.DayNumber - last.DayNumber > window) { s.IsClosed = true; s.Recent.Clear(); any = true; }
        if (!any) return;
        open.RemoveAll(s => s.IsClosed);
        foreach (var p in postings) p.RemoveAll(s => s.IsClosed);
    }

    private float Idf(int term) => (float)(Math.Log((1.0 + documents) / (1.0 + documentFrequency[term])) + 1);

    /// <summary>Sublinear term frequencies over term ids (call after <see cref="Vectorize"/> registered the terms).</summary>
    private SparseVector Frequencies(IReadOnlyDictionary<string, double> counts)
    {
        var terms = new int[counts.Count];
        var weights = new float[counts.Count];
        int k = 0;
        foreach (var (term, c) in counts) { terms[k] = vocabulary[term]; weights[k++] = (float)(1 + Math.Log(c)); }
        Array.Sort(terms, weights);
        return new SparseVector(terms, weights);
    }

    private double CurrentNorm(SparseVector tf)
    {
        double n = 0;
        for (int i = 0; i < tf.Terms.Length; i++) { double w = tf.Weights[i] * Idf(tf.Terms[i]); n += w * w; }
        return Math.Sqrt(n);
    }

    /// <summary>TF-IDF cosine of two term-frequency vectors under the current document frequencies.</summary>
    private double CurrentCosine(SparseVector a, double aNorm, SparseVector b)
    {
        if (aNorm == 0) return 0;
        double dot = 0, nb = 0;
        int i = 0, j = 0;
        var at = a.Terms; var bt = b.Terms;
        for (; j < bt.Length; j++)
        {
            int t = bt[j];
            float idf = Idf(t);
            double wb = b.Weights[j] * idf;
            nb += wb * wb;
            while (i < at.Length && at[i] < t) i++;
            if (i < at.Length && at[i] == t) dot += a.Weights[i] * idf * wb;
        }
        return nb == 0 ? 0 : dot / (aNorm * Math.Sqrt(nb));
    }

    private static Dictionary<string, double> Count(List<string> terms)
    {
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var t in terms) counts[t] = counts.GetValueOrDefault(t) + 1;
        return counts;
    }

    /// <summary>Sublinear TF times smoothed IDF (document frequencies updated with this document first), L2-normalised,
    /// terms sorted by id.</summary>
    private SparseVector Vectorize(IReadOnlyDictionary<string, double> counts)
    {
        if (counts.Count == 0) return SparseVector.Empty;
        var terms = new int[counts.Count];
        var weights = new float[counts.Count];
        int k = 0;
        foreach (var (term, _) in counts)
        {
            if (!vocabulary.TryGetValue(term, out int id))
            {
                id = vocabulary.Count;
                vocabulary[term] = id;
                documentFrequency.Add(0);
                postings.Add([]);
            }
            documentFrequency[id]++;
            terms[k++] = id;
        }
        int n = documents + 1;
        k = 0;
        double norm = 0;
        foreach (var (term, c) in counts)
        {
            int id = terms[k];
            double w = (1 + Math.Log(c)) * (Math.Log((1.0 + n) / (1.0 + documentFrequency[id])) + 1);
            if (term[0] == '#') w *= options.LinkedEntityBoost;
            weights[k++] = (float)w;
            norm += w * w;
        }
        norm = Math.Sqrt(norm);
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)(weights[i] / norm);
        Array.Sort(terms, weights);
        return new SparseVector(terms, weights);
    }
}
