using System.Diagnostics;
using System.Globalization;

namespace Sitrep.Text.Ner;

/// <summary>Settings of <see cref="NerTrainer"/>.</summary>
public sealed record NerTrainingOptions
{
    public TagScheme Scheme { get; init; } = TagScheme.Bio;
    /// <summary>log2 of the number of rows of the hashed weight table.</summary>
    public int HashBits { get; init; } = 21;
    public NerFeatures Features { get; init; } = NerFeatures.Default;
    public int MaxEpochs { get; init; } = 30;
    /// <summary>Stop after this many epochs without a better dev F1.</summary>
    public int Patience { get; init; } = 5;
    public int Seed { get; init; } = 20261123;
}

/// <summary>
/// Trains the averaged perceptron: documents in a seeded random order each epoch, greedy left-to-right decoding with
/// the current weights (so previous-tag and history features see the model's own predictions, as at tagging time),
/// an update on each wrongly tagged token; the epoch with the best dev F1 of the averaged weights is kept.
/// </summary>
public static class NerTrainer
{
    public static NerModel Train(IReadOnlyList<ConllDocument> train, IReadOnlyList<ConllDocument>? dev, NerLexiconData lexicon,
        NerTrainingOptions options, TextWriter? log = null, INerGazetteer? gazetteer = null)
    {
        var ci = CultureInfo.InvariantCulture;
        var tags = new TagSet(options.Scheme);
        int K = tags.Count, bits = options.HashBits;
        var features = options.Features;
        if (gazetteer == null) features &= ~NerFeatures.Gazetteer;
        var W = new float[(1 << bits) * K];
        var U = new double[W.Length];
        var live = new NerModel(options.Scheme, bits, features, lexicon.Lexicon, W, 1f, "") { Gazetteer = gazetteer };
        var fx = live.Extractor;

        // Tag-independent features never change: extract them once.
        var docs = train.Select(NerDocument.FromConll).ToArray();
        var devDocs = dev?.Select(NerDocument.FromConll).ToArray();
        var cache = new CachedDoc[docs.Length];
        var s = new NerScratch();
        for (int d = 0; d < docs.Length; d++)
        {
            var doc = docs[d];
            int n = doc.Tokens.Length;
            fx.Prepare(doc.Text, doc.Tokens, doc.Sentences, s, gazetteer);
            var c = new CachedDoc(doc, new TokInfo[n], new int[n * FeatureExtractor.Stride], new byte[n], new byte[n]);
            Array.Copy(s.Info, c.Info, n);
            foreach (var sent in doc.Sentences)
            {
                int a = sent.FirstToken, b = a + sent.TokenCount;
                for (int i = a; i < b; i++)
                {
                    c.Counts[i] = (byte)fx.Static(c.Info, i, a, b, c.Rows.AsSpan(i * FeatureExtractor.Stride, FeatureExtractor.Stride));
                }
                tags.Encode(doc.Gold.Where(g => g.First >= a && g.First < b).ToArray(), a, sent.TokenCount, c.Gold.AsSpan(a));
            }
            cache[d] = c;
        }

        var rng = new Random(options.Seed);
        var order = Enumerable.Range(0, cache.Length).ToArray();
        double counter = 1;
        float[]? best = null;
        double bestF1 = -1;
        int bestEpoch = 0, sinceBest = 0;
        Span<float> scores = stackalloc float[K];
        Span<int> dyn = stackalloc int[FeatureExtractor.MaxDynamic];
        var total = Stopwatch.StartNew();
        for (int epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
            var sw = Stopwatch.StartNew();
            rng.Shuffle(order);
            long errors = 0, tokens = 0;
            foreach (int d in order)
            {
                var c = cache[d];
                s.Hist.Clear();
                foreach (var sent in c.Doc.Sentences)
                {
                    int a = sent.FirstToken, b = a + sent.TokenCount;
                    int prev1 = -1, prev2 = -1;
                    for (int i = a; i < b; i++)
                    {
                        var rows = c.Rows.AsSpan(i * FeatureExtractor.Stride, c.Counts[i]);
                        int nd = fx.Dynamic(c.Info[i], prev1, prev2, s, tags, dyn);
                        scores.Clear();
                        NerModel.Accumulate(W, rows, K, scores);
                        NerModel.Accumulate(W, dyn[..nd], K, scores);
                        int pred = live.Best(scores, prev1, i == b - 1);
                        int gold = c.Gold[i];
                        if (pred != gold)
                        {
                            errors++;
                            Update(W, U, rows, K, gold, pred, counter);
                            Update(W, U, dyn[..nd], K, gold, pred, counter);
                        }
                        counter++;
                        tokens++;
                        fx.Record(c.Info[i], tags.Type(pred), s);
                        prev2 = prev1;
                        prev1 = pred;
                    }
                }
            }
            var avg = new float[W.Length];
            for (int k = 0; k < W.Length; k++) avg[k] = (float)(W[k] - U[k] / counter);
            string line = string.Create(ci, $"epoch {epoch}: train errors {errors}/{tokens} ({errors / (double)tokens:P2}), {sw.Elapsed.TotalSeconds:F1}s");
            if (devDocs != null)
            {
                var m = new NerModel(options.Scheme, bits, features, lexicon.Lexicon, avg, 1f, "") { Gazetteer = gazetteer };
                var ev = NerEvaluator.Evaluate(m, devDocs);
                line += string.Create(ci, $", dev P {ev.Precision:F4} R {ev.Recall:F4} F1 {ev.F1:F4}");
                if (ev.F1 > bestF1) { bestF1 = ev.F1; best = avg; bestEpoch = epoch; sinceBest = 0; }
                else sinceBest++;
            }
            else
            {
                best = avg;
                bestEpoch = epoch;
            }
            log?.WriteLine(line);
            if (devDocs != null && sinceBest >= options.Patience) break;
        }

        string desc = string.Create(ci,
            $"averaged perceptron, {options.Scheme}, 2^{bits} rows, features {features}, epochs {bestEpoch}, seed {options.Seed}, dev F1 {bestF1:F4}, {lexicon.Description}");
        var model = new NerModel(options.Scheme, bits, features, lexicon.Lexicon, best!, 1f, desc) { Gazetteer = gazetteer };
        if (devDocs != null) model.Temperature = FitTemperature(model, devDocs);
        log?.WriteLine(string.Create(ci, $"best epoch {bestEpoch}, dev F1 {bestF1:F4}, temperature {model.Temperature:G4}, {total.Elapsed.TotalSeconds:F0}s"));
        return model;
    }

    private static void Update(float[] W, double[] U, ReadOnlySpan<int> rows, int K, int gold, int pred, double c)
    {
        foreach (int r in rows)
        {
            int g = r * K + gold, p = r * K + pred;
            W[g] += 1;
            W[p] -= 1;
            U[g] += c;
            U[p] -= c;
        }
    }

    /// <summary>Softmax temperature minimising the negative log-likelihood of the gold tags on dev (grid search).</summary>
    private static float FitTemperature(NerModel model, NerDocument[] dev)
    {
        int K = model.Tags.Count;
        var all = new List<(float[] Scores, int Prev, int Gold)>();
        var s = new NerScratch();
        Span<float> scores = stackalloc float[K];
        Span<int> rows = stackalloc int[FeatureExtractor.Stride];
        Span<int> dyn = stackalloc int[FeatureExtractor.MaxDynamic];
        var goldTags = new byte[1024];
        foreach (var d in dev)
        {
            model.Decode(d.Text, d.Tokens, d.Sentences, s, withProbs: false);
            var predTags = s.Tags.AsSpan(0, d.Tokens.Length).ToArray();
            model.Extractor.Prepare(d.Text, d.Tokens, d.Sentences, s, model.Gazetteer);
            s.Hist.Clear();
            foreach (var sent in d.Sentences)
            {
                int a = sent.FirstToken, b = a + sent.TokenCount;
                if (goldTags.Length < sent.TokenCount) goldTags = new byte[sent.TokenCount * 2];
                model.Tags.Encode(d.Gold.Where(g => g.First >= a && g.First < b).ToArray(), a, sent.TokenCount, goldTags);
                int prev1 = -1, prev2 = -1;
                for (int i = a; i < b; i++)
                {
                    int ns = model.Extractor.Static(s.Info, i, a, b, rows);
                    int nd = model.Extractor.Dynamic(s.Info[i], prev1, prev2, s, model.Tags, dyn);
                    scores.Clear();
                    NerModel.Accumulate(model.Weights, rows[..ns], K, scores);
                    NerModel.Accumulate(model.Weights, dyn[..nd], K, scores);
                    int pred = predTags[i];
                    if (model.Tags.Allowed(prev1, goldTags[i - a])) all.Add((scores.ToArray(), prev1, goldTags[i - a]));
                    model.Extractor.Record(s.Info[i], model.Tags.Type(pred), s);
                    prev2 = prev1;
                    prev1 = pred;
                }
            }
        }
        float bestT = 1;
        double bestNll = double.MaxValue;
        for (double logT = -3; logT <= 4; logT += 0.05)
        {
            float t = (float)Math.Pow(10, logT);
            model.Temperature = t;
            double nll = 0;
            foreach (var (sc, prev, gold) in all) nll -= Math.Log(Math.Max(1e-12, model.Probability(sc, prev, gold)));
            if (nll < bestNll) { bestNll = nll; bestT = t; }
        }
        return bestT;
    }

    private sealed record CachedDoc(NerDocument Doc, TokInfo[] Info, int[] Rows, byte[] Counts, byte[] Gold);
}
