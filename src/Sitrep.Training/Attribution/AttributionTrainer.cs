using System.Globalization;
using Sitrep.Text;
using Sitrep.Text.Tagging;

namespace Sitrep.Attribution;

/// <summary>Options of <see cref="AttributionTrainer.Train"/>.</summary>
public sealed record AttributionTrainingOptions
{
    /// <summary>Maximum passes over the training articles; the pass that scores best on the held-out articles is kept.</summary>
    public int Epochs { get; init; } = 12;

    /// <summary>log2 of the cue tagger's weight rows.</summary>
    public int CueBits { get; init; } = 16;

    /// <summary>log2 of the argument tagger's weight rows.</summary>
    public int ArgBits { get; init; } = 17;

    /// <summary>Share of the training articles held out to choose the number of passes (never the dev split).</summary>
    public double HoldOut { get; init; } = 0.1;

    /// <summary>Seed of the held-out choice and of the article order.</summary>
    public int Seed { get; init; } = 20261123;

    /// <summary>Training runs (different article orders) whose weights are averaged.</summary>
    public int Ensemble { get; init; } = 1;
}

/// <summary>
/// Trains the two taggers of <see cref="AttributionModel"/> on PolNeAR with the averaged structured perceptron.
/// Articles are tokenised with <see cref="Tokenizer"/> and split with <see cref="SentenceSplitter"/>, exactly as at run
/// time; a gold span covers every token it overlaps. Stage 1 learns cue tags per sentence; stage 2 learns source and
/// content tags in the window of each gold cue. A slice of the training articles (not dev) is held out to pick the
/// number of passes, judged by content-span overlap F1 of the whole extractor.
/// </summary>
public static class AttributionTrainer
{
    /// <summary>An article prepared for training: its document view and each token's gold role and attribution.</summary>
    internal sealed class Prepared
    {
        public required PolNearArticle Article;
        public required AttributionDocument Doc;
        public required byte[] Role;      // 0 none, 1 source, 2 cue, 3 content
        public required int[] Owner;     // attribution index or -1
        public required int[] CueOf;     // attribution index for cue tokens, else -1
        public required List<(int Attribution, int CueFirst, int CueEnd)> Cues;
    }

    internal static AttributionDocument Document(string text)
    {
        var tokens = Tokenizer.Tokenize(text);
        var sentences = new List<SentenceSpan>();
        SentenceSplitter.Split(text, tokens, sentences);
        return new AttributionDocument(text, tokens, sentences, [(0, text.Length)]);
    }

    internal static Prepared Prepare(PolNearArticle a)
    {
        var doc = Document(a.Text);
        int n = doc.Count;
        var role = new byte[n];
        var owner = new int[n];
        Array.Fill(owner, -1);
        var starts = new int[n];
        for (int i = 0; i < n; i++) starts[i] = doc.Tokens[i].Start;
        void Mark(IEnumerable<TextSpan> spans, byte r, int attribution)
        {
            foreach (var sp in spans)
            {
                int i = AttributionDocument.LowerBound(doc.Tokens, sp.Start);
                for (; i < n && doc.Tokens[i].Start < sp.End; i++)
                {
                    if (doc.Tokens[i].End <= sp.Start || owner[i] >= 0) continue;
                    role[i] = r;
                    owner[i] = attribution;
                }
            }
        }
        for (int k = 0; k < a.Attributions.Length; k++)
        {
            Mark(a.Attributions[k].Cue, 2, k);
            Mark(a.Attributions[k].Source, 1, k);
            Mark(a.Attributions[k].Content, 3, k);
        }
        var cueOf = new int[n];
        Array.Fill(cueOf, -1);
        var cues = new List<(int, int, int)>();
        for (int k = 0; k < a.Attributions.Length; k++)
        {
            int first = -1;
            for (int i = 0; i < n; i++) if (role[i] == 2 && owner[i] == k) { first = i; break; }
            if (first < 0) continue;
            int end = first + 1;
            while (end < n && role[end] == 2 && owner[end] == k) end++;
            for (int i = first; i < end; i++) cueOf[i] = k;
            cues.Add((k, first, end));
        }
        return new Prepared { Article = a, Doc = doc, Role = role, Owner = owner, CueOf = cueOf, Cues = cues };
    }

    /// <summary>Trains on <paramref name="articles"/>, writing progress to <paramref name="log"/>.</summary>
    public static AttributionModel Train(IReadOnlyList<PolNearArticle> articles, AttributionTrainingOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var rng = new Random(options.Seed);
        var order = articles.Select((a, i) => (a, k: rng.Next())).OrderBy(p => p.k).Select(p => p.a).ToList();
        int held = options.HoldOut <= 0 ? 0 : Math.Max(1, (int)Math.Round(order.Count * options.HoldOut));
        var heldOut = order.Take(held).ToList();
        var train = order.Skip(held).Select(Prepare).ToList();
        log.WriteLine($"training on {train.Count} articles, choosing passes on {heldOut.Count} held-out training articles");

        int runs = Math.Max(1, options.Ensemble);
        var members = new List<(AttributionModel Model, int Epoch)>();
        for (int m = 0; m < runs; m++)
        {
            if (runs > 1) log.WriteLine($"run {m + 1} of {runs}");
            members.Add(Run(train, heldOut, options, m == 0 ? rng : new Random(options.Seed + 7919 * m), log));
        }
        var best = members.Count == 1
            ? members[0].Model
            : new AttributionModel(LinearTagger.Mean([.. members.Select(x => x.Model.CueTagger)]), LinearTagger.Mean([.. members.Select(x => x.Model.ArgTagger)]), "");
        string passes = string.Join("/", members.Select(x => x.Epoch));

        // The cue bias: the held-out articles choose how far to trade cue precision for recall.
        var inv = CultureInfo.InvariantCulture;
        float bestBias = 0;
        if (heldOut.Count > 0)
        {
            double top = -1;
            for (float bias = 0; bias <= 40; bias += 4)
            {
                var r = AttributionEvaluator.Evaluate(new AttributionExtractor(null, best.WithCueBias(bias)), heldOut);
                double score = r.ContentOverlap.F1 + r.Pairing.F1;
                log.WriteLine(string.Create(inv, $"cue bias {bias}: held-out content overlap F1 {r.ContentOverlap.F1:F3}, pairing F1 {r.Pairing.F1:F3}"));
                if (score > top + 1e-9) { top = score; bestBias = bias; }
            }
        }
        var description = string.Create(inv,
            $"PolNeAR train ({train.Count} articles; {heldOut.Count} held out), averaged perceptron, {(runs > 1 ? $"{runs} runs averaged, passes {passes}" : $"pass {passes}")} of {options.Epochs}, cue bias {bestBias}, cue 2^{options.CueBits}, arguments 2^{options.ArgBits}, seed {options.Seed}");
        return new AttributionModel(best.CueTagger, best.ArgTagger, description, bestBias);
    }

    /// <summary>One training run: passes over <paramref name="train"/>; the averaged weights of the pass that does best on <paramref name="heldOut"/>.</summary>
    private static (AttributionModel Model, int Epoch) Run(List<Prepared> train, List<PolNearArticle> heldOut, AttributionTrainingOptions options, Random rng, TextWriter log)
    {
        var inv = CultureInfo.InvariantCulture;
        var cue = AttributionModel.NewTagger(AttributionModel.CueTags, options.CueBits);
        var arg = AttributionModel.NewTagger(AttributionModel.ArgTags, options.ArgBits);
        cue.BeginTraining();
        arg.BeginTraining();
        var s = new AttributionModel.Scratch();
        var gold = new byte[1024];
        AttributionModel? best = null;
        double bestScore = -1;
        int bestEpoch = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            Shuffle(train, rng);
            int cueErrors = 0, argErrors = 0, cueTokens = 0, argTokens = 0;
            foreach (var p in train)
            {
                var d = p.Doc;
                TrainCues(cue, p, s, ref gold, out int ce, out int ct);
                cueErrors += ce;
                cueTokens += ct;
                foreach (var (attribution, first, end) in p.Cues)
                {
                    var (from, to) = AttributionModel.Window(d, first, end);
                    int n = to - from;
                    if (gold.Length < n) gold = new byte[n * 2];
                    for (int k = 0; k < n; k++)
                    {
                        int i = from + k;
                        int r = attribution >= 0 && p.Owner[i] == attribution && p.Role[i] != 2 ? p.Role[i] : 0;
                        int bTag = r == 1 ? 1 : r == 3 ? 3 : 0;
                        gold[k] = (byte)(bTag == 0 ? 0 : (k > 0 && gold[k - 1] != 0 && p.Owner[i - 1] == attribution && p.Role[i - 1] == r ? bTag + 1 : bTag));
                    }
                    Features.PrepareWindow(d, from, to, first, end, p.CueOf, s.Window);
                    Features.Arg(d, s.Window, s.Buffer);
                    s.Ensure(n, AttributionModel.ArgTags);
                    argErrors += Step(arg, s, gold, n);
                    argTokens += n;
                }
            }
            var snapshot = new AttributionModel(cue.Averaged(), arg.Averaged(), "");
            string heldText = "";
            if (heldOut.Count > 0)
            {
                var extractor = new AttributionExtractor(null, snapshot);
                var r = AttributionEvaluator.Evaluate(extractor, heldOut);
                double score = r.ContentOverlap.F1 + r.Pairing.F1;
                heldText = string.Create(inv, $"; held-out content overlap F1 {r.ContentOverlap.F1:F3}, pairing F1 {r.Pairing.F1:F3}, cue F1 {r.CueExact.F1:F3}");
                if (score > bestScore) { bestScore = score; best = snapshot; bestEpoch = epoch; }
            }
            else { best = snapshot; bestEpoch = epoch; }
            log.WriteLine(string.Create(inv, $"pass {epoch}: cue token errors {cueErrors / (double)Math.Max(1, cueTokens):P2}, argument token errors {argErrors / (double)Math.Max(1, argTokens):P2}{heldText}"));
        }
        return (best!, bestEpoch);
    }

    /// <summary>One perceptron pass of the cue tagger over an article's sentences.</summary>
    private static void TrainCues(LinearTagger cue, Prepared p, AttributionModel.Scratch s, ref byte[] gold, out int errors, out int tokens)
    {
        errors = tokens = 0;
        var d = p.Doc;
        foreach (var sent in d.Sentences)
        {
            int from = sent.FirstToken, to = Math.Min(d.Count, sent.EndToken);
            int n = to - from;
            if (n < 2) continue;
            if (gold.Length < n) gold = new byte[n * 2];
            for (int k = 0; k < n; k++)
            {
                int i = from + k;
                gold[k] = (byte)(p.CueOf[i] < 0 ? 0 : (k > 0 && p.CueOf[i - 1] == p.CueOf[i] ? 2 : 1));
            }
            Features.Cue(d, from, to, s.Buffer);
            s.Ensure(n, AttributionModel.CueTags);
            errors += Step(cue, s, gold, n);
            tokens += n;
        }
    }

    /// <summary>One perceptron step on a sentence whose features are in the scratch buffer: decode, and where the tags
    /// differ from <paramref name="gold"/>, update; returns the tokens tagged wrong.</summary>
    private static int Step(LinearTagger tagger, AttributionModel.Scratch s, byte[] gold, int n)
    {
        tagger.Emissions(s.Buffer.FeatureSpan, s.Buffer.OffsetSpan, s.Scores);
        tagger.Viterbi(s.Scores, n, s.Tags, s.Delta, s.Back);
        int errors = 0;
        if (!gold.AsSpan(0, n).SequenceEqual(s.Tags.AsSpan(0, n)))
        {
            for (int k = 0; k < n; k++) if (gold[k] != s.Tags[k]) errors++;
            tagger.Update(s.Buffer.FeatureSpan, s.Buffer.OffsetSpan, gold.AsSpan(0, n), s.Tags.AsSpan(0, n));
        }
        tagger.Tick();
        return errors;
    }

    private static void Shuffle<T>(List<T> list, Random rng)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
