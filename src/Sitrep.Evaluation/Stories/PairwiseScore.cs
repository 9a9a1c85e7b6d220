namespace Sitrep.Stories;

/// <summary>
/// Pairwise clustering precision, recall and F1 over document pairs (as in Miranda et al. 2018): a pair is a true
/// positive when both clusterings put the two documents together.
/// </summary>
public readonly record struct PairwiseScore(long TruePairs, long PredictedPairs, long GoldPairs)
{
    public double Precision => PredictedPairs == 0 ? (GoldPairs == 0 ? 1 : 0) : (double)TruePairs / PredictedPairs;
    public double Recall => GoldPairs == 0 ? 1 : (double)TruePairs / GoldPairs;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>Scores a predicted clustering against the gold one; both give a cluster label per document.</summary>
    public static PairwiseScore Compute(IReadOnlyList<int> gold, IReadOnlyList<int> predicted)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(predicted);
        if (gold.Count != predicted.Count) throw new ArgumentException("gold and predicted label counts differ");
        var cells = new Dictionary<(int, int), long>();
        var g = new Dictionary<int, long>();
        var p = new Dictionary<int, long>();
        for (int i = 0; i < gold.Count; i++)
        {
            cells[(gold[i], predicted[i])] = cells.GetValueOrDefault((gold[i], predicted[i])) + 1;
            g[gold[i]] = g.GetValueOrDefault(gold[i]) + 1;
            p[predicted[i]] = p.GetValueOrDefault(predicted[i]) + 1;
        }
        static long Pairs(long n) => n * (n - 1) / 2;
        return new PairwiseScore(cells.Values.Sum(Pairs), p.Values.Sum(Pairs), g.Values.Sum(Pairs));
    }
}
