namespace Sitrep.Stories;

/// <summary>The FNC-1 score and per-class figures from a confusion matrix (rows gold, columns predicted, by <see cref="StanceLabel"/>).</summary>
public sealed class FncScore
{
    public long[,] Confusion { get; } = new long[4, 4];

    public void Add(StanceLabel gold, StanceLabel predicted) => Confusion[(int)gold, (int)predicted]++;

    public long Count { get { long n = 0; foreach (var c in Confusion) n += c; return n; } }

    /// <summary>Raw FNC-1 score: +0.25 for a correct unrelated; for a related gold pair +0.25 when predicted related, +0.75 more when the exact class.</summary>
    public double Raw
    {
        get
        {
            double s = 0;
            for (int g = 0; g < 4; g++)
                for (int p = 0; p < 4; p++)
                {
                    long c = Confusion[g, p];
                    if (g == 3) { if (p == 3) s += 0.25 * c; }
                    else if (p != 3) s += (0.25 + (g == p ? 0.75 : 0)) * c;
                }
            return s;
        }
    }

    /// <summary>The best possible raw score on these gold labels.</summary>
    public double Max
    {
        get
        {
            double s = 0;
            for (int g = 0; g < 4; g++) for (int p = 0; p < 4; p++) s += (g == 3 ? 0.25 : 1.0) * Confusion[g, p];
            return s;
        }
    }

    public double Relative => Max == 0 ? 0 : Raw / Max;

    public double Accuracy { get { long ok = 0; for (int k = 0; k < 4; k++) ok += Confusion[k, k]; return Count == 0 ? 0 : (double)ok / Count; } }

    /// <summary>Accuracy of related (agree/disagree/discuss) vs unrelated.</summary>
    public double RelatedAccuracy
    {
        get
        {
            long ok = 0;
            for (int g = 0; g < 4; g++) for (int p = 0; p < 4; p++) if ((g == 3) == (p == 3)) ok += Confusion[g, p];
            return Count == 0 ? 0 : (double)ok / Count;
        }
    }

    public (double Precision, double Recall, double F1) PerClass(StanceLabel label)
    {
        int k = (int)label;
        long tp = Confusion[k, k], predicted = 0, gold = 0;
        for (int j = 0; j < 4; j++) { predicted += Confusion[j, k]; gold += Confusion[k, j]; }
        double p = predicted == 0 ? 0 : (double)tp / predicted, r = gold == 0 ? 0 : (double)tp / gold;
        return (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
    }

    public double MacroF1 => StanceLabels.All.Average(l => PerClass(l).F1);
}

/// <summary>The hold-out split of FNC-1 by body id.</summary>
public sealed record FncSplit(IReadOnlySet<int> TrainBodies, IReadOnlySet<int> ValidationBodies)
{
    public const int DefaultSeed = 1489215;

    /// <summary>Body ids sorted ascending, shuffled with <c>new Random(seed).Shuffle</c> (Fisher–Yates), the first 80%
    /// (rounded down) for training and the rest for validation — the scheme of the official FNC-1 baseline's
    /// <c>generate_hold_out_split</c> (its seed, but .NET's generator, so not the same ids).</summary>
    public static FncSplit ByBody(FncDataset data, int seed = DefaultSeed, double trainFraction = 0.8)
    {
        var ids = data.Bodies.Select(b => b.Id).OrderBy(i => i).ToArray();
        new Random(seed).Shuffle(ids);
        int n = (int)(ids.Length * trainFraction);
        return new FncSplit(ids.Take(n).ToHashSet(), ids.Skip(n).ToHashSet());
    }
}

/// <summary>Trains and evaluates <see cref="StanceModel"/> on FNC-1.</summary>
public static class StanceTrainer
{
    public static GbtOptions RelatedOptions { get; } = new() { Rounds = 200, MaxDepth = 5, LearningRate = 0.1 };
    public static GbtOptions StanceOptions { get; } = new() { Rounds = 250, MaxDepth = 5, LearningRate = 0.08 };

    /// <summary>Weights of agree, disagree, discuss rows in stage 2. Disagree is rare (7.8% of related pairs); weighting
    /// it up trades a little FNC score for disagree recall (docs/stories.md has both runs).</summary>
    public static IReadOnlyList<double> ClassWeights { get; } = [1.3, 3.0, 1.0];

    /// <summary>Prepared texts of a data set: every body and every distinct headline analysed once.</summary>
    internal sealed class Prepared(FncDataset data)
    {
        public FncDataset Data { get; } = data;
        public Dictionary<int, StanceText> Bodies { get; } = Analyze(data.Bodies.Select(b => (b.Id, b.Text)));
        public Dictionary<string, StanceText> Headlines { get; } = Analyze(data.Pairs.Select(p => p.Headline).Distinct(StringComparer.Ordinal).Select(h => (h, h)));

        private static Dictionary<TK, StanceText> Analyze<TK>(IEnumerable<(TK Key, string Text)> items) where TK : notnull
        {
            var list = items.ToArray();
            var result = new StanceText[list.Length];
            Parallel.For(0, list.Length, i => result[i] = StanceText.Analyze(list[i].Text));
            var d = new Dictionary<TK, StanceText>(list.Length);
            for (int i = 0; i < list.Length; i++) d[list[i].Key] = result[i];
            return d;
        }

        public float[][] Features(IReadOnlyList<FncPair> pairs, StanceIdf idf)
        {
            var x = new float[pairs.Count][];
            Parallel.For(0, pairs.Count, i => x[i] = StanceFeatures.Compute(Headlines[pairs[i].Headline], Bodies[pairs[i].BodyId], idf));
            return x;
        }
    }

    /// <summary>Trains on the pairs whose body is in <paramref name="trainBodies"/>.</summary>
    public static StanceModel Train(FncDataset data, IReadOnlySet<int> trainBodies, IProgress<string>? progress = null, CancellationToken ct = default) =>
        Train(new Prepared(data), trainBodies, progress, ct);

    internal static StanceModel Train(Prepared prepared, IReadOnlySet<int> trainBodies, IProgress<string>? progress, CancellationToken ct)
    {
        var data = prepared.Data;
        var pairs = data.Pairs.Where(p => trainBodies.Contains(p.BodyId)).ToArray();
        var headlines = pairs.Select(p => p.Headline).Distinct(StringComparer.Ordinal).OrderBy(h => h, StringComparer.Ordinal).Select(h => prepared.Headlines[h]);
        var bodies = trainBodies.OrderBy(i => i).Select(i => prepared.Bodies[i]).ToArray();
        var idf = StanceIdf.Build(bodies.Concat(headlines), bodies);
        progress?.Report($"features for {pairs.Length} training pairs");
        var x = prepared.Features(pairs, idf);
        progress?.Report("stage 1: related vs unrelated");
        var related = GradientBoostedTrees.Train(x, pairs.Select(p => p.Stance == StanceLabel.Unrelated ? 0 : 1).ToArray(), 2, RelatedOptions, null, ct);
        var rel = Enumerable.Range(0, pairs.Length).Where(i => pairs[i].Stance != StanceLabel.Unrelated).ToArray();
        progress?.Report($"stage 2: agree / disagree / discuss on {rel.Length} related pairs");
        var stance = GradientBoostedTrees.Train(rel.Select(i => x[i]).ToArray(), rel.Select(i => (int)pairs[i].Stance).ToArray(), 3, StanceOptions, rel.Select(i => ClassWeights[(int)pairs[i].Stance]).ToArray(), ct);
        return new StanceModel(idf, related, stance);
    }

    /// <summary>Scores a model on the pairs whose body is in <paramref name="bodies"/>.</summary>
    public static FncScore Evaluate(StanceModel model, FncDataset data, IReadOnlySet<int> bodies, CancellationToken ct = default) =>
        Evaluate(model, new Prepared(data), bodies, ct);

    internal static FncScore Evaluate(StanceModel model, Prepared prepared, IReadOnlySet<int> bodies, CancellationToken ct)
    {
        var pairs = prepared.Data.Pairs.Where(p => bodies.Contains(p.BodyId)).ToArray();
        var x = prepared.Features(pairs, model.Idf);
        var score = new FncScore();
        for (int i = 0; i < pairs.Length; i++)
        {
            if ((i & 1023) == 0) ct.ThrowIfCancellationRequested();
            score.Add(pairs[i].Stance, model.Predict(x[i]).Label);
        }
        return score;
    }
}
