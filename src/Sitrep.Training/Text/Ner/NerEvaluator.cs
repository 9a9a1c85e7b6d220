using System.Diagnostics;
using System.Globalization;

namespace Sitrep.Text.Ner;

/// <summary>
/// conlleval-style entity scores: a predicted entity counts only if its span and type both match a gold entity.
/// Micro-averaged overall, and per type.
/// </summary>
public sealed class NerEvaluation
{
    private readonly long[] _gold = new long[4], _pred = new long[4], _correct = new long[4];

    public long Tokens { get; private set; }
    public long CorrectTags { get; private set; }

    public long Gold(EntityType t) => _gold[(int)t];
    public long Predicted(EntityType t) => _pred[(int)t];
    public long Correct(EntityType t) => _correct[(int)t];
    public long GoldTotal => _gold.Sum();
    public long PredictedTotal => _pred.Sum();
    public long CorrectTotal => _correct.Sum();

    public double Precision => Ratio(CorrectTotal, PredictedTotal);
    public double Recall => Ratio(CorrectTotal, GoldTotal);
    public double F1 => F(Precision, Recall);

    public double PrecisionOf(EntityType t) => Ratio(_correct[(int)t], _pred[(int)t]);
    public double RecallOf(EntityType t) => Ratio(_correct[(int)t], _gold[(int)t]);
    public double F1Of(EntityType t) => F(PrecisionOf(t), RecallOf(t));

    /// <summary>Token-level accuracy of the BIO tags (conlleval's "accuracy").</summary>
    public double TagAccuracy => Ratio(CorrectTags, Tokens);

    /// <summary>Adds one sentence given its gold and predicted CoNLL tags (IOB1, IOB2 or BIOES).</summary>
    public void Add(IReadOnlyList<string> goldTags, IReadOnlyList<string> predictedTags)
    {
        if (goldTags.Count != predictedTags.Count) throw new ArgumentException("gold and predicted tag counts differ");
        var gold = new List<Chunk>();
        var pred = new List<Chunk>();
        Parse(goldTags, gold);
        Parse(predictedTags, pred);
        AddChunks(gold, pred);
        Tokens += goldTags.Count;
        for (int i = 0; i < goldTags.Count; i++)
        {
            if (goldTags[i] == predictedTags[i]) CorrectTags++;
        }
    }

    internal void AddChunks(List<Chunk> gold, List<Chunk> pred)
    {
        var goldSet = new HashSet<Chunk>(gold);
        foreach (var c in gold) _gold[c.Type]++;
        foreach (var c in pred)
        {
            _pred[c.Type]++;
            if (goldSet.Contains(c)) _correct[c.Type]++;
        }
    }

    internal void AddTokens(long tokens, long correct)
    {
        Tokens += tokens;
        CorrectTags += correct;
    }

    private static void Parse(IReadOnlyList<string> tags, List<Chunk> into)
    {
        var types = new int[tags.Count];
        var parts = new TagPart[tags.Count];
        for (int i = 0; i < tags.Count; i++)
        {
            if (!Chunks.ParseTag(tags[i], out types[i], out parts[i])) throw new FormatException($"unknown NER tag '{tags[i]}'");
        }
        Chunks.Extract(types, parts, 0, into);
    }

    private static double Ratio(long a, long b) => b == 0 ? 0 : a / (double)b;
    private static double F(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);

    /// <summary>Metrics as "name: value" lines, overall F1 last.</summary>
    public IEnumerable<string> Lines()
    {
        var ci = CultureInfo.InvariantCulture;
        yield return $"tokens: {Tokens}";
        yield return $"gold_entities: {GoldTotal}";
        yield return $"predicted_entities: {PredictedTotal}";
        yield return string.Create(ci, $"tag_accuracy: {TagAccuracy:F4}");
        foreach (var t in EntityTypeSets.Ner)
        {
            string n = t.ToConll().ToLowerInvariant();
            yield return string.Create(ci, $"{n}_precision: {PrecisionOf(t):F4}");
            yield return string.Create(ci, $"{n}_recall: {RecallOf(t):F4}");
            yield return string.Create(ci, $"{n}_f1: {F1Of(t):F4}");
        }
        yield return string.Create(ci, $"precision: {Precision:F4}");
        yield return string.Create(ci, $"recall: {Recall:F4}");
        yield return string.Create(ci, $"f1: {F1:F4}");
    }
}

/// <summary>Runs a model over CoNLL documents: accuracy and tagging speed.</summary>
public static class NerEvaluator
{
    /// <summary>Tags every document (document-level features need whole documents) and scores it against the gold tags.</summary>
    public static NerEvaluation Evaluate(NerModel model, IReadOnlyList<ConllDocument> docs)
    {
        var prepared = docs.Select(NerDocument.FromConll).ToList();
        return Evaluate(model, prepared);
    }

    internal static NerEvaluation Evaluate(NerModel model, IReadOnlyList<NerDocument> docs)
    {
        var ev = new NerEvaluation();
        var s = new NerScratch();
        var gold = new List<Chunk>();
        var pred = new List<Chunk>();
        var goldTags = new byte[16];
        foreach (var d in docs)
        {
            model.Decode(d.Text, d.Tokens, d.Sentences, s, withProbs: false);
            pred.Clear();
            long correct = 0;
            foreach (var sent in d.Sentences)
            {
                model.Tags.Decode(s.Tags.AsSpan(sent.FirstToken, sent.TokenCount), sent.FirstToken, pred);
                if (goldTags.Length < sent.TokenCount) goldTags = new byte[sent.TokenCount * 2];
                gold.Clear();
                foreach (var c in d.Gold)
                {
                    if (c.First >= sent.FirstToken && c.First < sent.FirstToken + sent.TokenCount) gold.Add(c);
                }
                model.Tags.Encode(gold.ToArray(), sent.FirstToken, sent.TokenCount, goldTags);
                for (int i = 0; i < sent.TokenCount; i++)
                {
                    if (goldTags[i] == s.Tags[sent.FirstToken + i]) correct++;
                }
            }
            ev.AddChunks(d.Gold, pred);
            ev.AddTokens(d.Tokens.Length, correct);
        }
        return ev;
    }

    /// <summary>
    /// Tagging speed of <see cref="NerModel.Tag(string, ReadOnlySpan{Token}, ReadOnlySpan{SentenceSpan})"/> on one
    /// thread (feature extraction, decoding and span building; documents already tokenised), after two warm-up passes:
    /// the median over <paramref name="runs"/> timed passes of tokens per wall-clock second and per second of this
    /// process's CPU time (the fairer figure on a shared, loaded machine).
    /// </summary>
    public static (double WallTokensPerSecond, double CpuTokensPerSecond) TokensPerSecond(NerModel model, IReadOnlyList<ConllDocument> docs, int runs = 5)
    {
        var prepared = docs.Select(NerDocument.FromConll).ToList();
        long tokens = prepared.Sum(d => (long)d.Tokens.Length);
        long sink = 0;
        void Pass()
        {
            foreach (var d in prepared) sink += model.Tag(d.Text, d.Tokens.AsSpan(), d.Sentences.AsSpan()).Count;
        }
        Pass();
        Pass();
        var wall = new List<double>();
        var cpu = new List<double>();
        var proc = Process.GetCurrentProcess();
        for (int r = 0; r < Math.Max(1, runs); r++)
        {
            proc.Refresh();
            var cpu0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            Pass();
            sw.Stop();
            proc.Refresh();
            wall.Add(tokens / sw.Elapsed.TotalSeconds);
            cpu.Add(tokens / Math.Max(1e-9, (proc.TotalProcessorTime - cpu0).TotalSeconds));
        }
        wall.Sort();
        cpu.Sort();
        GC.KeepAlive(sink);
        return (wall[wall.Count / 2], cpu[cpu.Count / 2]);
    }
}
