namespace Sitrep.Stories;

/// <summary>Training settings of <see cref="GradientBoostedTrees"/>.</summary>
public sealed record GbtOptions
{
    public int Rounds { get; init; } = 200;
    public int MaxDepth { get; init; } = 5;
    public double LearningRate { get; init; } = 0.1;
    public double L2 { get; init; } = 1.0;
    public double MinChildHessian { get; init; } = 1.0;
    public int Bins { get; init; } = 48;
}

/// <summary>
/// Gradient-boosted regression trees with second-order (Newton) leaf values over histogram-binned features: binary
/// logistic loss for two classes, softmax with one tree per class and round for more. Deterministic. Small, dense
/// feature vectors only.
/// </summary>
public sealed class GradientBoostedTrees
{
    private readonly int classes;
    private readonly int features;
    private readonly double[] baseScore;
    private readonly List<Tree> trees; // round-major, class-minor (one per round for binary)

    private sealed record Tree(int[] Feature, float[] Threshold, int[] Left, int[] Right, float[] Value);

    private GradientBoostedTrees(int classes, int features, double[] baseScore, List<Tree> trees)
    {
        this.classes = classes;
        this.features = features;
        this.baseScore = baseScore;
        this.trees = trees;
    }

    public int Classes => classes;
    public int Features => features;

    /// <summary>Class probabilities of one feature vector.</summary>
    public double[] Predict(ReadOnlySpan<float> x)
    {
        if (x.Length != features) throw new ArgumentException($"expected {features} features, got {x.Length}");
        int outputs = classes == 2 ? 1 : classes;
        var score = (double[])baseScore.Clone();
        for (int t = 0; t < trees.Count; t++) score[t % outputs] += Eval(trees[t], x);
        return ToProbabilities(score, classes);
    }

    private static double Eval(Tree tree, ReadOnlySpan<float> x)
    {
        int n = 0;
        while (tree.Feature[n] >= 0) n = x[tree.Feature[n]] <= tree.Threshold[n] ? tree.Left[n] : tree.Right[n];
        return tree.Value[n];
    }

    private static double[] ToProbabilities(double[] score, int classes)
    {
        if (classes == 2)
        {
            double p = 1 / (1 + Math.Exp(-score[0]));
            return [1 - p, p];
        }
        double max = score.Max(), sum = 0;
        var p2 = new double[classes];
        for (int k = 0; k < classes; k++) { p2[k] = Math.Exp(score[k] - max); sum += p2[k]; }
        for (int k = 0; k < classes; k++) p2[k] /= sum;
        return p2;
    }

    /// <summary>Trains on rows <paramref name="x"/> with labels 0..classes-1 and optional per-row weights.</summary>
    public static GradientBoostedTrees Train(IReadOnlyList<float[]> x, IReadOnlyList<int> y, int classes, GbtOptions options, IReadOnlyList<double>? weights = null, CancellationToken ct = default)
    {
        int n = x.Count, f = x[0].Length;
        int outputs = classes == 2 ? 1 : classes;
        var w = new double[n];
        for (int i = 0; i < n; i++) w[i] = weights?[i] ?? 1.0;

        // Bin edges: quantiles of each feature.
        var edges = new float[f][];
        var bins = new byte[f][];
        var column = new float[n];
        for (int j = 0; j < f; j++)
        {
            for (int i = 0; i < n; i++) column[i] = x[i][j];
            var sorted = (float[])column.Clone();
            Array.Sort(sorted);
            var e = new List<float>();
            for (int b = 1; b < options.Bins; b++)
            {
                float v = sorted[(int)((long)b * (n - 1) / options.Bins)];
                if (e.Count == 0 || v > e[^1]) e.Add(v);
            }
            if (e.Count > 0 && e[^1] >= sorted[^1]) e.RemoveAt(e.Count - 1);
            edges[j] = e.ToArray();
            bins[j] = new byte[n];
            for (int i = 0; i < n; i++)
            {
                int b = Array.BinarySearch(edges[j], column[i]);
                bins[j][i] = (byte)(b >= 0 ? b : ~b); // value <= edge[b] goes to bin b
            }
        }

        // Base score: log-odds / log prior.
        var prior = new double[classes];
        double total = 0;
        for (int i = 0; i < n; i++) { prior[y[i]] += w[i]; total += w[i]; }
        var baseScore = new double[outputs];
        if (classes == 2) baseScore[0] = Math.Log(Math.Max(prior[1], 1e-9) / Math.Max(prior[0], 1e-9));
        else for (int k = 0; k < classes; k++) baseScore[k] = Math.Log(Math.Max(prior[k] / total, 1e-9));

        var score = new double[n * outputs];
        for (int i = 0; i < n; i++) for (int k = 0; k < outputs; k++) score[i * outputs + k] = baseScore[k];
        var trees = new List<Tree>();
        var g = new double[n];
        var h = new double[n];
        var prob = new double[classes];
        var all = Enumerable.Range(0, n).ToArray();
        for (int round = 0; round < options.Rounds; round++)
        {
            ct.ThrowIfCancellationRequested();
            var gs = new double[outputs][];
            var hs = new double[outputs][];
            for (int k = 0; k < outputs; k++) { gs[k] = new double[n]; hs[k] = new double[n]; }
            for (int i = 0; i < n; i++)
            {
                if (classes == 2)
                {
                    double p = 1 / (1 + Math.Exp(-score[i]));
                    gs[0][i] = (p - (y[i] == 1 ? 1 : 0)) * w[i];
                    hs[0][i] = Math.Max(p * (1 - p), 1e-6) * w[i];
                }
                else
                {
                    double max = double.NegativeInfinity, sum = 0;
                    for (int k = 0; k < classes; k++) max = Math.Max(max, score[i * outputs + k]);
                    for (int k = 0; k < classes; k++) { prob[k] = Math.Exp(score[i * outputs + k] - max); sum += prob[k]; }
                    for (int k = 0; k < classes; k++)
                    {
                        double p = prob[k] / sum;
                        gs[k][i] = (p - (y[i] == k ? 1 : 0)) * w[i];
                        hs[k][i] = Math.Max(2 * p * (1 - p), 1e-6) * w[i];
                    }
                }
            }
            for (int k = 0; k < outputs; k++)
            {
                var tree = Grow(bins, edges, gs[k], hs[k], all, options);
                trees.Add(tree);
                for (int i = 0; i < n; i++)
                {
                    int node = 0;
                    while (tree.Feature[node] >= 0) node = bins[tree.Feature[node]][i] <= BinOf(edges[tree.Feature[node]], tree.Threshold[node]) ? tree.Left[node] : tree.Right[node];
                    score[i * outputs + k] += tree.Value[node];
                }
            }
        }
        return new GradientBoostedTrees(classes, f, baseScore, trees);
    }

    private static int BinOf(float[] edges, float threshold)
    {
        int b = Array.BinarySearch(edges, threshold);
        return b >= 0 ? b : ~b;
    }

    private static Tree Grow(byte[][] bins, float[][] edges, double[] g, double[] h, int[] rows, GbtOptions o)
    {
        var feature = new List<int>(); var threshold = new List<float>(); var left = new List<int>(); var right = new List<int>(); var value = new List<float>();
        int NewNode() { feature.Add(-1); threshold.Add(0); left.Add(-1); right.Add(-1); value.Add(0); return feature.Count - 1; }
        var queue = new Queue<(int Node, int[] Rows, int Depth)>();
        queue.Enqueue((NewNode(), rows, 0));
        int f = bins.Length;
        while (queue.Count > 0)
        {
            var (node, r, depth) = queue.Dequeue();
            double G = 0, H = 0;
            foreach (int i in r) { G += g[i]; H += h[i]; }
            value[node] = (float)(-G / (H + o.L2) * o.LearningRate);
            if (depth >= o.MaxDepth || r.Length < 2) continue;
            double parentGain = G * G / (H + o.L2);
            var best = new (double Gain, int Bin)[f];
            Parallel.For(0, f, j =>
            {
                int nb = edges[j].Length + 1;
                var hg = new double[nb]; var hh = new double[nb];
                var col = bins[j];
                foreach (int i in r) { hg[col[i]] += g[i]; hh[col[i]] += h[i]; }
                double gl = 0, hl = 0, bestGain = 0; int bestBin = -1;
                for (int b = 0; b < nb - 1; b++)
                {
                    gl += hg[b]; hl += hh[b];
                    double gr = G - gl, hr = H - hl;
                    if (hl < o.MinChildHessian || hr < o.MinChildHessian) continue;
                    double gain = gl * gl / (hl + o.L2) + gr * gr / (hr + o.L2) - parentGain;
                    if (gain > bestGain + 1e-12) { bestGain = gain; bestBin = b; }
                }
                best[j] = (bestGain, bestBin);
            });
            int bf = -1; double bg = 1e-9;
            for (int j = 0; j < f; j++) if (best[j].Bin >= 0 && best[j].Gain > bg) { bg = best[j].Gain; bf = j; }
            if (bf < 0) continue;
            int bin = best[bf].Bin;
            var lr = r.Where(i => bins[bf][i] <= bin).ToArray();
            var rr = r.Where(i => bins[bf][i] > bin).ToArray();
            feature[node] = bf;
            threshold[node] = edges[bf][bin];
            int l = NewNode(), rn = NewNode();
            left[node] = l; right[node] = rn;
            queue.Enqueue((l, lr, depth + 1));
            queue.Enqueue((rn, rr, depth + 1));
        }
        return new Tree(feature.ToArray(), threshold.ToArray(), left.ToArray(), right.ToArray(), value.ToArray());
    }

    public void Write(BinaryWriter w)
    {
        w.Write(classes); w.Write(features); w.Write(baseScore.Length);
        foreach (var b in baseScore) w.Write(b);
        w.Write(trees.Count);
        foreach (var t in trees)
        {
            w.Write(t.Feature.Length);
            for (int i = 0; i < t.Feature.Length; i++) { w.Write(t.Feature[i]); w.Write(t.Threshold[i]); w.Write(t.Left[i]); w.Write(t.Right[i]); w.Write(t.Value[i]); }
        }
    }

    public static GradientBoostedTrees Read(BinaryReader r)
    {
        int classes = r.ReadInt32(), features = r.ReadInt32(), nb = r.ReadInt32();
        if (classes < 2 || classes > 64 || features < 1 || features > 100_000 || nb != (classes == 2 ? 1 : classes)) throw new InvalidDataException("bad tree ensemble header");
        var baseScore = new double[nb];
        for (int i = 0; i < nb; i++) baseScore[i] = r.ReadDouble();
        int count = r.ReadInt32();
        if (count < 0 || count > 1_000_000) throw new InvalidDataException("bad tree count");
        var trees = new List<Tree>(count);
        for (int t = 0; t < count; t++)
        {
            int m = r.ReadInt32();
            if (m < 1 || m > 1 << 20) throw new InvalidDataException("bad tree size");
            var tr = new Tree(new int[m], new float[m], new int[m], new int[m], new float[m]);
            for (int i = 0; i < m; i++)
            {
                tr.Feature[i] = r.ReadInt32(); tr.Threshold[i] = r.ReadSingle(); tr.Left[i] = r.ReadInt32(); tr.Right[i] = r.ReadInt32(); tr.Value[i] = r.ReadSingle();
                if (tr.Feature[i] >= features) throw new InvalidDataException("tree feature out of range");
            }
            for (int i = 0; i < m; i++)
                if (tr.Feature[i] >= 0 && (tr.Left[i] <= i || tr.Right[i] <= i || tr.Left[i] >= m || tr.Right[i] >= m)) throw new InvalidDataException("bad tree node link");
            trees.Add(tr);
        }
        return new GradientBoostedTrees(classes, features, baseScore, trees);
    }
}
