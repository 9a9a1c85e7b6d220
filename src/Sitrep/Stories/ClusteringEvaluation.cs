namespace Sitrep.Stories;

/// <summary>The outcome of clustering one stream of documents.</summary>
public sealed record ClusteringRun(PairwiseScore Score, int Stories, int Documents);

/// <summary>One seed of <see cref="ClusteringEvaluation.Run"/>: the parameters tuned on the dev half of the gold stories,
/// the score on the dev half (in-sample), on the other half (held out) and on all documents.</summary>
public sealed record ClusteringSeedResult(int Seed, StoryOptions Tuned, ClusteringRun Dev, ClusteringRun HeldOut, ClusteringRun All)
{
    /// <summary>With the oracle option: the parameters tuned on all documents (in-sample; a ceiling, not a result).</summary>
    public StoryOptions? OracleOnAll { get; init; }
    public ClusteringRun? OracleRun { get; init; }
}

/// <summary>
/// Evaluates <see cref="StoryClusterer"/> on documents with gold story labels: for each seed, the gold stories are
/// shuffled and split in two halves; documents are streamed in a shuffled order; the threshold (and the similarity
/// weights) are chosen by pairwise F1 on the first half alone, then the held-out half and all documents are clustered
/// with them. With the background option, document frequencies are primed with the texts (no labels) of the dev half.
/// </summary>
public static class ClusteringEvaluation
{
    /// <summary>The weights tried when tuning: (average link, best member, entity).</summary>
    public static readonly IReadOnlyList<(double C, double M, double E)> WeightGrid =
    [
        (1.0, 0.0, 0.0), (0.6, 0.4, 0.0), (0.5, 0.3, 0.2), (0.4, 0.3, 0.3),
    ];

    public static IReadOnlyList<double> ThresholdGrid { get; } = Enumerable.Range(0, 26).Select(i => 0.10 + 0.02 * i).ToArray();

    /// <summary>Clusters the documents in the given order and scores against their gold labels.</summary>
    public static ClusteringRun Cluster(IReadOnlyList<StoryDocument> docs, IReadOnlyList<int> gold, IReadOnlyList<int> order, StoryOptions options, CancellationToken ct = default) =>
        Cluster(docs, docs.Select(StoryClusterer.Analyze).ToArray(), gold, order, options, ct);

    internal static ClusteringRun Cluster(IReadOnlyList<StoryDocument> docs, IReadOnlyList<StoryTerms> terms, IReadOnlyList<int> gold, IReadOnlyList<int> order, StoryOptions options, CancellationToken ct = default)
    {
        var clusterer = new StoryClusterer(options);
        var predicted = new int[order.Count];
        var goldInOrder = new int[order.Count];
        for (int i = 0; i < order.Count; i++)
        {
            if ((i & 127) == 0) ct.ThrowIfCancellationRequested();
            predicted[i] = clusterer.Assign(docs[order[i]], terms[order[i]]).StoryId;
            goldInOrder[i] = gold[order[i]];
        }
        return new ClusteringRun(PairwiseScore.Compute(goldInOrder, predicted), clusterer.Stories.Count, order.Count);
    }

    /// <summary>Runs the split–tune–test protocol for each seed.</summary>
    public static IReadOnlyList<ClusteringSeedResult> Run(IReadOnlyList<StoryDocument> docs, IReadOnlyList<int> gold, IReadOnlyList<int> seeds, StoryOptions baseOptions, bool oracle = false, bool background = false, CancellationToken ct = default)
    {
        var terms = docs.Select(StoryClusterer.Analyze).ToArray();
        var results = new List<ClusteringSeedResult>();
        foreach (int seed in seeds)
        {
            var rng = new Random(seed);
            var storyIds = gold.Distinct().OrderBy(x => x).ToArray();
            rng.Shuffle(storyIds);
            var devStories = storyIds.Take(storyIds.Length / 2).ToHashSet();
            var order = Enumerable.Range(0, docs.Count).ToArray();
            rng.Shuffle(order);
            var devOrder = order.Where(i => devStories.Contains(gold[i])).ToArray();
            var testOrder = order.Where(i => !devStories.Contains(gold[i])).ToArray();

            var o0 = background ? baseOptions with { Background = DocumentFrequencies.FromTerms(devOrder.Select(i => terms[i])) } : baseOptions;
            var (bestOptions, bestRun) = Tune(docs, terms, gold, devOrder, o0, ct);
            var (oracleOptions, oracleRun) = oracle ? Tune(docs, terms, gold, order, o0, ct) : (null, null);
            results.Add(new ClusteringSeedResult(seed, bestOptions, bestRun, Cluster(docs, terms, gold, testOrder, bestOptions, ct), Cluster(docs, terms, gold, order, bestOptions, ct))
            {
                OracleOnAll = oracleOptions, OracleRun = oracleRun,
            });
        }
        return results;
    }

    private static (StoryOptions, ClusteringRun) Tune(IReadOnlyList<StoryDocument> docs, IReadOnlyList<StoryTerms> terms, IReadOnlyList<int> gold, int[] order, StoryOptions baseOptions, CancellationToken ct)
    {
        StoryOptions? bestOptions = null;
        ClusteringRun? bestRun = null;
        foreach (var (c, m, e) in WeightGrid)
            foreach (double t in ThresholdGrid)
            {
                var o = baseOptions with { AverageWeight = c, MemberWeight = m, EntityWeight = e, Threshold = Math.Round(t, 3) };
                var run = Cluster(docs, terms, gold, order, o, ct);
                if (bestRun is null || run.Score.F1 > bestRun.Score.F1) { bestRun = run; bestOptions = o; }
            }
        return (bestOptions!, bestRun!);
    }

    /// <summary>FNC-1 bodies as story documents (no title, no date, no linked entities) with their gold stories.</summary>
    public static (IReadOnlyList<StoryDocument> Docs, int[] Gold) FromFnc(FncDataset data) =>
        (data.Bodies.Select(b => new StoryDocument(b.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "", b.Text, null, [])).ToArray(), data.GoldStories());
}
