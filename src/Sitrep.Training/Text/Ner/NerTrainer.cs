using System.Diagnostics;
using System.Globalization;
using Sitrep.Text.Tagging;

namespace Sitrep.Text.Ner;

/// <summary>Settings of <see cref="NerTrainer"/>.</summary>
public sealed record NerTrainingOptions
{
    public TagScheme Scheme { get; init; } = TagScheme.Bio;
    /// <summary>log2 of the number of rows of the hashed weight table.</summary>
    public int HashBits { get; init; } = 18;
    /// <summary>Feature groups; with <see cref="NerFeatures.Stacked"/> a second stage is trained on jackknifed first-stage output.</summary>
    public NerFeatures Features { get; init; } = NerFeatures.Default;
    public int MaxEpochs { get; init; } = 30;
    /// <summary>Stop after this many epochs without a better dev F1.</summary>
    public int Patience { get; init; } = 5;
    /// <summary>Folds for the jackknifed first-stage predictions the second stage is trained on.</summary>
    public int Folds { get; init; } = 5;
    public int Seed { get; init; } = 20261123;
    /// <summary>Runs with different document orders whose weights are averaged into the final model (variance reduction).</summary>
    public int Ensemble { get; init; } = 1;
    /// <summary>Greedy left-to-right decoding (may use previous-tag features) or Viterbi over first-order transitions (structured perceptron).</summary>
    public NerDecoder Decoder { get; init; } = NerDecoder.Viterbi;
}

/// <summary>How a sentence's tags are chosen.</summary>
public enum NerDecoder
{
    /// <summary>Left to right, each tag chosen with the previous tags as features.</summary>
    Greedy,
    /// <summary>Exact best sequence under per-token scores plus learned tag-transition scores (structured perceptron).</summary>
    Viterbi,
}

/// <summary>
/// Trains the averaged perceptron: documents in a seeded random order each epoch, greedy left-to-right decoding with
/// the current weights (so previous-tag and history features see the model's own predictions, as at tagging time),
/// an update on each wrongly tagged token; the epoch with the best dev F1 of the averaged weights is kept.
/// With <see cref="NerFeatures.Stacked"/>: a first stage is trained so, then K first-stage models each trained
/// without one fold of the training documents tag that fold, and the second stage learns from those honest
/// (unseen-data) predictions; at tagging time the first stage trained on all data feeds it.
/// </summary>
public static class NerTrainer
{
    public static NerModel Train(IReadOnlyList<ConllDocument> train, IReadOnlyList<ConllDocument>? dev, NerLexiconData lexicon,
        NerTrainingOptions options, TextWriter? log = null, INerGazetteer? gazetteer = null)
    {
        var ci = CultureInfo.InvariantCulture;
        var total = Stopwatch.StartNew();
        var features = options.Features;
        if (gazetteer == null) features &= ~NerFeatures.Gazetteer;
        if (options.Decoder == NerDecoder.Viterbi) features &= ~NerFeatures.PrevTags; // tag context comes from the transitions
        bool stacked = (features & NerFeatures.Stacked) != 0;
        var f1Features = features & ~NerFeatures.Stacked;
        var docs = train.Select(NerDocument.FromConll).ToArray();
        var devDocs = dev?.Select(NerDocument.FromConll).ToArray();
        int folds = Math.Max(2, options.Folds);
        NerNameList? allNames = null;
        NerNameList?[] foldNames = new NerNameList?[folds];
        if ((features & NerFeatures.TrainNames) != 0)
        {
            allNames = NerNameList.FromGold(docs);
            for (int k = 0; k < folds; k++) foldNames[k] = NerNameList.FromGold(docs.Where((_, d) => d % folds != k));
            log?.WriteLine($"training-data names: {allNames.Count} (each document sees only the names of the other {folds - 1} folds)");
        }
        NerNameList? NamesFor(int d) => foldNames[d % folds];

        if (stacked) log?.WriteLine("stage 1:");
        var stage1 = TrainEnsemble(docs, devDocs, lexicon.Lexicon, options, f1Features, null, null, gazetteer, allNames, NamesFor, log, out int epochs1, out double devF1);
        if (!stacked)
        {
            return Finish(stage1, null, features, epochs1, devF1);
        }

        // jackknifed first-stage predictions on the training documents
        var jack = new byte[docs.Length][];
        var s = new NerScratch();
        for (int k = 0; k < folds; k++)
        {
            var sw = Stopwatch.StartNew();
            var restIndex = Enumerable.Range(0, docs.Length).Where(d => d % folds != k).ToArray();
            var rest = restIndex.Select(d => docs[d]).ToArray();
            var m = TrainStage(rest, null, lexicon.Lexicon, options with { Seed = options.Seed + 1 + k }, f1Features, null, null, epochs1, gazetteer,
                foldNames[k], i => NamesFor(restIndex[i]), null, out _, out _);
            for (int d = k; d < docs.Length; d += folds)
            {
                m.Decode(docs[d].Text, docs[d].Tokens, docs[d].Sentences, s, withProbs: false);
                jack[d] = s.Tags.AsSpan(0, docs[d].Tokens.Length).ToArray();
            }
            log?.WriteLine(string.Create(ci, $"fold {k + 1}/{folds}: first stage on {rest.Length} documents, {epochs1} epochs, {sw.Elapsed.TotalSeconds:F1}s"));
        }
        log?.WriteLine("stage 2:");
        var stage2 = TrainEnsemble(docs, devDocs, lexicon.Lexicon, options, features, stage1, jack, gazetteer, allNames, NamesFor, log, out int epochs2, out double devF1b);
        return Finish(stage2, stage1, features, epochs2, devF1b, epochs1, devF1);

        NerModel Finish(NerModel trained, NerModel? first, NerFeatures f, int epochs, double f1, int epochsFirst = 0, double f1First = 0)
        {
            string stages = first == null ? "" : string.Create(ci, $"two stages (first: {epochsFirst} epochs, dev F1 {f1First:F4}; second: ");
            string desc = string.Create(ci,
                $"averaged perceptron, {options.Decoder}, {options.Scheme}, 2^{options.HashBits} rows, features {f}, {stages}epochs {epochs}, dev F1 {f1:F4}{(first == null ? "" : ")")}, seed {options.Seed}, {lexicon.Description}");
            var model = new NerModel(options.Scheme, f, lexicon.Lexicon, trained.Tagger, 1f, desc, first, allNames) { Gazetteer = gazetteer };
            if (devDocs != null) model.Temperature = FitTemperature(model, devDocs);
            log?.WriteLine(string.Create(ci, $"done: dev F1 {f1:F4}, temperature {model.Temperature:G4}, {total.Elapsed.TotalSeconds:F0}s"));
            return model;
        }
    }

    /// <summary>
    /// <see cref="NerTrainingOptions.Ensemble"/> runs (seeds Seed, Seed+1000, ...), each stopped at its best dev epoch,
    /// weights averaged; reports the mean best epoch and the dev F1 of the averaged model.
    /// </summary>
    private static NerModel TrainEnsemble(NerDocument[] docs, NerDocument[]? devDocs, NerLexicon lexicon, NerTrainingOptions options,
        NerFeatures features, NerModel? stage1, byte[][]? stage1Tags, INerGazetteer? gazetteer, NerNameList? names, Func<int, NerNameList?> namesFor,
        TextWriter? log, out int bestEpoch, out double bestF1)
    {
        int runs = Math.Max(1, options.Ensemble);
        var first = TrainStage(docs, devDocs, lexicon, options, features, stage1, stage1Tags, options.MaxEpochs, gazetteer, names, namesFor, log, out bestEpoch, out bestF1);
        if (runs == 1) return first;
        var members = new List<LinearTagger> { first.Tagger };
        int epochs = bestEpoch;
        for (int r = 1; r < runs; r++)
        {
            log?.WriteLine($"ensemble run {r + 1}/{runs}:");
            var m = TrainStage(docs, devDocs, lexicon, options with { Seed = options.Seed + 1000 * r }, features, stage1, stage1Tags, options.MaxEpochs, gazetteer,
                names, namesFor, log, out int e, out _);
            epochs += e;
            members.Add(m.Tagger);
        }
        bestEpoch = (int)Math.Round(epochs / (double)runs);
        var avg = new NerModel(options.Scheme, features, lexicon, LinearTagger.Mean(members), 1f, "", stage1, names) { Gazetteer = gazetteer };
        if (devDocs != null)
        {
            bestF1 = NerEvaluator.Evaluate(avg, devDocs).F1;
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ensemble of {runs}: dev F1 {bestF1:F4}"));
        }
        return avg;
    }

    /// <summary>One perceptron run; returns the model with the best averaged weights (by dev F1, or after <paramref name="maxEpochs"/>).</summary>
    private static NerModel TrainStage(NerDocument[] docs, NerDocument[]? devDocs, NerLexicon lexicon, NerTrainingOptions options,
        NerFeatures features, NerModel? stage1, byte[][]? stage1Tags, int maxEpochs, INerGazetteer? gazetteer, NerNameList? names,
        Func<int, NerNameList?> namesFor, TextWriter? log, out int bestEpoch, out double bestF1)
    {
        var ci = CultureInfo.InvariantCulture;
        var tags = new TagSet(options.Scheme);
        int K = tags.Count, bits = options.HashBits;
        bool viterbi = options.Decoder == NerDecoder.Viterbi;
        var tagger = NerModel.NewTagger(options.Scheme, bits, viterbi);
        tagger.BeginTraining();
        var live = new NerModel(options.Scheme, features, lexicon, tagger, 1f, "", stage1, names) { Gazetteer = gazetteer };
        var fx = live.Extractor;

        // Tag-independent features never change: extract them once.
        var cache = new CachedDoc[docs.Length];
        var s = new NerScratch();
        for (int d = 0; d < docs.Length; d++)
        {
            var doc = docs[d];
            int n = doc.Tokens.Length;
            fx.Prepare(doc.Text, doc.Tokens, doc.Sentences, s, gazetteer, namesFor(d));
            if (stage1Tags != null) FeatureExtractor.Stack(s.Info, n, stage1Tags[d], tags, s);
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
        LinearTagger? best = null;
        bestF1 = -1;
        bestEpoch = 0;
        int sinceBest = 0;
        Span<float> scores = stackalloc float[K];
        Span<int> dyn = stackalloc int[FeatureExtractor.MaxDynamic];
        for (int epoch = 1; epoch <= maxEpochs; epoch++)
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
                    if (viterbi)
                    {
                        errors += TrainSentenceViterbi(c, a, b, live, s);
                        tokens += b - a;
                        continue;
                    }
                    int prev1 = -1, prev2 = -1;
                    for (int i = a; i < b; i++)
                    {
                        var rows = c.Rows.AsSpan(i * FeatureExtractor.Stride, c.Counts[i]);
                        int nd = fx.Dynamic(c.Info[i], prev1, prev2, s, tags, dyn);
                        scores.Clear();
                        tagger.AddRows(rows, scores);
                        tagger.AddRows(dyn[..nd], scores);
                        int pred = tagger.Best(scores, prev1, i == b - 1);
                        int gold = c.Gold[i];
                        if (pred != gold)
                        {
                            errors++;
                            tagger.Update(rows, gold, pred);
                            tagger.Update(dyn[..nd], gold, pred);
                        }
                        tagger.Tick();
                        tokens++;
                        fx.Record(c.Info[i], tags.Type(pred), s);
                        prev2 = prev1;
                        prev1 = pred;
                    }
                }
            }
            bool evaluate = devDocs != null || epoch == maxEpochs;
            if (!evaluate) continue;
            var avg = tagger.Averaged();
            string line = string.Create(ci, $"epoch {epoch}: train errors {errors}/{tokens} ({errors / (double)tokens:P2}), {sw.Elapsed.TotalSeconds:F1}s");
            if (devDocs != null)
            {
                var m = new NerModel(options.Scheme, features, lexicon, avg, 1f, "", stage1, names) { Gazetteer = gazetteer };
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
        return new NerModel(options.Scheme, features, lexicon, best!, 1f, "", stage1, names) { Gazetteer = gazetteer };
    }

    /// <summary>Structured-perceptron step on one sentence: Viterbi with the current weights, then update the features
    /// of the wrongly tagged tokens and the transitions that differ from gold. Returns the number of wrong tokens.</summary>
    private static int TrainSentenceViterbi(CachedDoc c, int a, int b, NerModel live, NerScratch s)
    {
        var fx = live.Extractor;
        var tags = live.Tags;
        var tagger = live.Tagger;
        int K = tags.Count, n = b - a;
        s.EnsureSentence(n, K);
        const int D = FeatureExtractor.MaxDynamic;
        var emit = s.Emit.AsSpan(0, n * K);
        emit.Clear();
        for (int i = a; i < b; i++)
        {
            var rows = c.Rows.AsSpan(i * FeatureExtractor.Stride, c.Counts[i]);
            var dyn = s.DynRows.AsSpan((i - a) * D, D);
            int nd = fx.Dynamic(c.Info[i], -1, -1, s, tags, dyn);
            s.DynCounts[i - a] = (byte)nd;
            var e = emit.Slice((i - a) * K, K);
            tagger.AddRows(rows, e);
            tagger.AddRows(dyn[..nd], e);
        }
        Span<byte> pred = n <= 512 ? stackalloc byte[n] : new byte[n];
        tagger.Viterbi(emit, n, pred, s.Delta, s.Back);
        int wrong = 0;
        for (int i = 0; i < n; i++)
        {
            int g = c.Gold[a + i], p = pred[i];
            int gp = i == 0 ? -1 : c.Gold[a + i - 1], pp = i == 0 ? -1 : pred[i - 1];
            if (g != p)
            {
                wrong++;
                tagger.Update(c.Rows.AsSpan((a + i) * FeatureExtractor.Stride, c.Counts[a + i]), g, p);
                tagger.Update(s.DynRows.AsSpan(i * D, s.DynCounts[i]), g, p);
            }
            if (g != p || gp != pp) tagger.UpdateTransition(gp, g, pp, p);
        }
        tagger.Tick(n);
        for (int i = 0; i < n; i++) fx.Record(c.Info[a + i], tags.Type(pred[i]), s);
        return wrong;
    }

    /// <summary>Softmax temperature minimising the negative log-likelihood of the gold tags on dev (grid search).</summary>
    private static float FitTemperature(NerModel model, NerDocument[] dev)
    {
        int K = model.Tags.Count;
        var all = new List<(float[] Scores, int Prev, int Gold)>();
        var s = new NerScratch();
        var gold = new byte[1024];
        foreach (var d in dev)
        {
            if (gold.Length < d.Tokens.Length) gold = new byte[d.Tokens.Length * 2];
            foreach (var sent in d.Sentences)
            {
                int a = sent.FirstToken, b = a + sent.TokenCount;
                model.Tags.Encode(d.Gold.Where(g => g.First >= a && g.First < b).ToArray(), a, sent.TokenCount, gold.AsSpan(a));
            }
            model.Decode(d.Text, d.Tokens, d.Sentences, s, withProbs: false, (i, scores, prev) =>
            {
                if (model.Tags.Allowed(prev, gold[i])) all.Add((scores.ToArray(), prev, gold[i]));
            });
        }
        float bestT = 1;
        double bestNll = double.MaxValue;
        for (double logT = -3; logT <= 4; logT += 0.05)
        {
            float t = (float)Math.Pow(10, logT);
            model.Temperature = t;
            double nll = 0;
            foreach (var (sc, prev, g) in all) nll -= Math.Log(Math.Max(1e-12, model.Probability(sc, prev, g)));
            if (nll < bestNll) { bestNll = nll; bestT = t; }
        }
        return bestT;
    }

    private sealed record CachedDoc(NerDocument Doc, TokInfo[] Info, int[] Rows, byte[] Counts, byte[] Gold);
}
