using System.Diagnostics;
using Sitrep.Pipeline;
using Sitrep.Store;

namespace Sitrep.Stories;

/// <summary>An article as the cross-source stage hands it to the story clusterer, with its place in the corpus.</summary>
/// <param name="Corpus">Index into <see cref="StoryCorpus.Articles"/>.</param>
public sealed record CorpusInput(int Corpus, StoryDocument Document, DateOnly? Date, string Label);

/// <summary>What the pipeline made of a corpus: the stage's stories and the clusterer's inputs in the stage's order.</summary>
/// <param name="Predicted">The stage's story of each corpus article (index into <see cref="StoryCorpus.Articles"/>), as a dense int.</param>
/// <param name="Inputs">Every stored article of the corpus as <see cref="StoryGrouping.Input"/> makes it, in the stage's order.</param>
public sealed record CorpusRun(PairwiseScore Score, int Stories, int[] Predicted, IReadOnlyList<CorpusInput> Inputs)
{
    /// <summary>Wall time of the analysis (ingest, every per-article stage) and of the cross-source stage.</summary>
    public TimeSpan Analysis { get; init; }
    public TimeSpan Stage { get; init; }
}

/// <summary>
/// Story clustering on a <see cref="StoryCorpus"/> through the pipeline's own path: the text files are ingested into a
/// store (every per-article stage), the cross-source stage takes them in (date order, <see cref="StoryGrouping.Input"/>,
/// <see cref="StoryClusterer"/>, regrouping), and the stored story of each article is scored against the gold stories
/// with pairwise precision, recall and F1. The clusterer's inputs are also returned, in the stage's order, so that
/// settings can be compared without analysing again (<see cref="Cluster"/> decides exactly as the stage does).
/// </summary>
public static class StoryCorpusEvaluation
{
    /// <summary>Ingests the corpus's files into <paramref name="store"/> (files already stored are read again only when
    /// their analysis is stale), rebuilds the cross-source model with <paramref name="options"/>, and scores it.</summary>
    public static async Task<CorpusRun> RunAsync(StoryCorpus corpus, DocumentAnalyzer analyzer, SqliteStore store, StoryOptions options, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var report = await new IngestRun(analyzer).RunAsync(corpus.Articles.Select(a => a.TextPath), store, null, ct).ConfigureAwait(false);
        if (report.Problems.Count > 0)
            throw new StoryCorpusException($"{report.Problems[0].Path}: {report.Problems[0].Reason}" + (report.Problems.Count > 1 ? $" (and {report.Problems.Count - 1} more problems)" : ""));
        var analysis = clock.Elapsed;
        clock.Restart();
        await new CrossSourceStage { Stories = options }.RebuildAsync(store, ct).ConfigureAwait(false);
        var stage = clock.Elapsed;
        var membership = store.StoryMembership();
        var inputs = await InputsAsync(corpus, store, ct).ConfigureAwait(false);
        var byArticle = new Dictionary<int, string>();
        foreach (var i in inputs)
            if (membership.TryGetValue(i.Document.Id, out var story)) byArticle.TryAdd(i.Corpus, story);
        var missing = Enumerable.Range(0, corpus.Articles.Count).FirstOrDefault(i => !byArticle.ContainsKey(i), -1);
        if (missing >= 0) throw new StoryCorpusException($"{corpus.Articles[missing].TextPath}: the pipeline made no article of it");
        var dense = new Dictionary<string, int>(StringComparer.Ordinal);
        var predicted = Enumerable.Range(0, corpus.Articles.Count).Select(i => dense.TryGetValue(byArticle[i], out int k) ? k : dense[byArticle[i]] = dense.Count).ToArray();
        return new CorpusRun(PairwiseScore.Compute(corpus.GoldStories(), predicted), dense.Count, predicted, inputs) { Analysis = analysis, Stage = stage };
    }

    /// <summary>The stored articles of the corpus's files as the stage reads them (<see cref="ClaimInputs.From"/>, then
    /// <see cref="StoryGrouping.Input"/>), in the stage's order: likeliest date (undated last), then label, then id.</summary>
    public static async Task<IReadOnlyList<CorpusInput>> InputsAsync(StoryCorpus corpus, SqliteStore store, CancellationToken ct = default)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < corpus.Articles.Count; i++) index[corpus.Articles[i].TextPath] = i;
        var list = new List<CorpusInput>();
        await foreach (var doc in store.ReadDocumentsAsync(ct).ConfigureAwait(false))
        {
            var mine = doc.Files.Select(f => index.TryGetValue(Path.GetFullPath(f), out int k) ? k : -1).Where(k => k >= 0).Order().ToList();
            if (mine.Count == 0) continue;
            foreach (var a in doc.Articles)
            {
                var input = ClaimInputs.From(doc, a);
                // A text stored once for several files (identical copies) stands for each of them.
                foreach (int k in mine) list.Add(new CorpusInput(k, StoryGrouping.Input(input), input.Date, input.Label));
            }
        }
        list.Sort((x, y) =>
        {
            int c = (x.Date ?? DateOnly.MaxValue).CompareTo(y.Date ?? DateOnly.MaxValue);
            if (c == 0) c = string.CompareOrdinal(x.Label, y.Label);
            if (c == 0) c = string.CompareOrdinal(x.Document.Id, y.Document.Id);
            return c != 0 ? c : x.Corpus.CompareTo(y.Corpus);
        });
        return list; // copies of one stored article share its input (Cluster assigns it once)
    }

    /// <summary>
    /// Clusters the inputs (in the given order) as the cross-source stage does in one batch — each assigned, closed
    /// stories kept for late arrivals, the open stories regrouped at the end — and returns the story of each corpus
    /// article named by the inputs (-1 for one no input names). <paramref name="keep"/> selects the inputs taken (all when null).
    /// </summary>
    public static int[] Cluster(IReadOnlyList<CorpusInput> inputs, int articles, StoryOptions options, Func<CorpusInput, bool>? keep = null, CancellationToken ct = default)
    {
        var clusterer = new StoryClusterer(options) { Closed = new MemoryClosedStories() };
        var storyOfDoc = new Dictionary<string, int>(StringComparer.Ordinal);
        var taken = new List<CorpusInput>();
        foreach (var x in inputs)
        {
            if (keep != null && !keep(x)) continue;
            ct.ThrowIfCancellationRequested();
            taken.Add(x);
            if (storyOfDoc.ContainsKey(x.Document.Id)) continue;
            storyOfDoc[x.Document.Id] = clusterer.Assign(x.Document).StoryId;
        }
        clusterer.Consolidate(ct);
        var result = Enumerable.Repeat(-1, articles).ToArray();
        foreach (var x in taken) if (result[x.Corpus] < 0) result[x.Corpus] = clusterer.StoryOf(x.Document.Id);
        return result;
    }

    /// <summary>Pairwise score over the corpus articles with a prediction (others left out).</summary>
    public static PairwiseScore Score(int[] gold, int[] predicted)
    {
        var idx = Enumerable.Range(0, gold.Length).Where(i => predicted[i] >= 0).ToArray();
        return PairwiseScore.Compute(idx.Select(i => gold[i]).ToArray(), idx.Select(i => predicted[i]).ToArray());
    }

    /// <summary>Closed stories kept in memory (what the store keeps for the stage).</summary>
    public sealed class MemoryClosedStories : IClosedStories
    {
        private readonly Dictionary<int, byte[]> kept = [];

        // As the store selects them: stories with both dates known (an undated story is never compared with a late article).
        public void Keep(ClosedStory story) => kept[story.Id] = story.ToBytes();

        public IEnumerable<ClosedStory> Between(DateOnly from, DateOnly to) =>
            kept.OrderBy(kv => kv.Key).Select(kv => ClosedStory.FromBytes(kv.Value)).Where(s => s.LastDate >= from && s.FirstDate <= to).ToList();
    }
}
