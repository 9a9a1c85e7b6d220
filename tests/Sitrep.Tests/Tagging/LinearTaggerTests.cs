using Sitrep.Text.Ner;
using Sitrep.Text.Tagging;

namespace Sitrep.Tests.Tagging;

/// <summary>The linear tagger shared by NER and attribution: decoding, learning and both weight encodings.</summary>
public class LinearTaggerTests
{
    /// <summary>The NER tag sets (BIO, BILOU, with end constraints) and the attribution ones (BIO with 3 and 5 tags).</summary>
    public static TheoryData<string, int> TagSets => new()
    {
        { "ner-bio", 1 }, { "ner-bio", 2 }, { "ner-bilou", 3 }, { "cue", 4 }, { "arguments", 5 },
    };

    private static LinearTagger Make(string set, float[]? transitions = null) => set switch
    {
        "ner-bio" => NerModel.NewTagger(TagScheme.Bio, 8, viterbi: true, transitions: transitions),
        "ner-bilou" => NerModel.NewTagger(TagScheme.Bilou, 8, viterbi: true, transitions: transitions),
        "cue" => new LinearTagger(3, 8, LinearTagger.BioAllowed(3), null, true, null, transitions),
        _ => new LinearTagger(5, 8, LinearTagger.BioAllowed(5), null, true, null, transitions),
    };

    [Theory]
    [MemberData(nameof(TagSets))]
    public void ViterbiFindsTheBestWellFormedSequence(string set, int seed)
    {
        int K = Make(set).Tags, n = 4;
        var rng = new Random(seed);
        var trans = Enumerable.Range(0, (K + 1) * K).Select(_ => (float)rng.NextDouble() * 4 - 2).ToArray();
        var tagger = Make(set, trans);
        var emit = Enumerable.Range(0, n * K).Select(_ => (float)rng.NextDouble() * 4 - 2).ToArray();

        var tags = new byte[n];
        float score = tagger.Viterbi(emit, n, tags, new float[n * K], new byte[n * K]);

        // brute force over all sequences
        float best = float.NegativeInfinity;
        int[] bestSeq = [];
        var seq = new int[n];
        void Search(int i, float sum)
        {
            if (i == n)
            {
                if (tagger.CanEnd(seq[n - 1]) && sum > best) { best = sum; bestSeq = (int[])seq.Clone(); }
                return;
            }
            int prev = i == 0 ? -1 : seq[i - 1];
            for (int k = 0; k < K; k++)
            {
                if (!tagger.Allowed(prev, k)) continue;
                seq[i] = k;
                Search(i + 1, sum + emit[i * K + k] + trans[(prev + 1) * K + k]);
            }
        }
        Search(0, 0);
        Assert.Equal(bestSeq, tags.Select(t => (int)t).ToArray());
        Assert.Equal(best, score, 4);
    }

    [Fact]
    public void BilouSentencesEndOnlyOnClosedTags()
    {
        var tagger = NerModel.NewTagger(TagScheme.Bilou, 8, viterbi: true);
        var set = new TagSet(TagScheme.Bilou);
        int b = set.Tag(TagPart.B, 0), u = set.Tag(TagPart.U, 0);
        var scores = new float[tagger.Tags];
        scores[b] = 5; // B-PER scores best, but a sentence cannot end inside an entity
        scores[u] = 1;
        Assert.Equal(u, tagger.Best(scores, -1, last: true));
        Assert.Equal(b, tagger.Best(scores, -1, last: false));
    }

    [Fact]
    public void AveragedWeightsAreTheMeanOverTrainingTime()
    {
        var tagger = new LinearTagger(3, 8, LinearTagger.BioAllowed(3), null, withTransitions: false);
        tagger.BeginTraining();
        int[] row = [7];
        tagger.Update(row, gold: 1, predicted: 0); // at time 1: w[7,1] = 1, w[7,0] = -1
        tagger.Tick(3);                              // times 1..3 with those weights
        tagger.Update(row, gold: 0, predicted: 1); // at time 4: back to 0
        tagger.Tick();                               // time 4 with zero weights
        var avg = tagger.Averaged();
        // weight 1 from time 1 to time 4 (3 units) of a clock that now reads 5 (it starts at 1)
        Assert.Equal(0.6f, avg.Weights[7 * 3 + 1]);
        Assert.Equal(-0.6f, avg.Weights[7 * 3 + 0]);
        Assert.Equal(0f, tagger.Weights[7 * 3 + 1]);
        Assert.Equal(0f, avg.Weights[7 * 3 + 2]);
    }

    [Fact]
    public void StructuredPerceptronLearnsASeparableSequenceTask()
    {
        // Feature 2 marks a cue word that starts a two-token cue (B, I); everything else is O.
        var tagger = new LinearTagger(3, 8, LinearTagger.BioAllowed(3), null, withTransitions: true);
        tagger.BeginTraining();
        ulong[] features = [1, 2, 3, 1];
        int[] offsets = [0, 1, 2, 3, 4];
        byte[] gold = [0, 1, 2, 0];
        var pred = new byte[4];
        var scores = new float[12];
        for (int epoch = 0; epoch < 5; epoch++)
        {
            tagger.Emissions(features, offsets, scores);
            tagger.Viterbi(scores, 4, pred, new float[12], new byte[12]);
            tagger.Update(features, offsets, gold, pred);
            tagger.Tick();
        }
        var trained = tagger.Averaged();
        trained.Emissions(features, offsets, scores);
        trained.Viterbi(scores, 4, pred, new float[12], new byte[12]);
        Assert.Equal(gold, pred);
    }

    [Fact]
    public void BothWeightEncodingsReadBackWhatTheyWrote()
    {
        var rng = new Random(9);
        var w = Enumerable.Range(0, 256 * 5).Select(i => i % 7 == 0 ? (float)(rng.NextDouble() * 8 - 4) : 0f).ToArray();
        var t = Enumerable.Range(0, 6 * 5).Select(_ => (float)rng.NextDouble()).ToArray();
        var tagger = new LinearTagger(5, 8, LinearTagger.BioAllowed(5), null, true, w, t);

        using var half = new MemoryStream();
        using (var bw = new BinaryWriter(half, System.Text.Encoding.UTF8, leaveOpen: true)) tagger.WriteHalfWeights(bw);
        half.Position = 0;
        var back = LinearTagger.ReadHalfWeights(new BinaryReader(half));
        Assert.Equal(t, back.Transitions);
        Assert.Equal(w.Select(x => (float)(Half)x), back.Weights);

        using var rows = new MemoryStream();
        float scale = tagger.QuantisationScale();
        using (var bw = new BinaryWriter(rows, System.Text.Encoding.UTF8, leaveOpen: true)) { tagger.WriteQuantisedRows(bw, scale); tagger.WriteTransitions(bw); }
        rows.Position = 0;
        var r = new BinaryReader(rows);
        var q = LinearTagger.ReadQuantisedRows(r, 8, 5, scale);
        Assert.Equal(t, LinearTagger.ReadTransitions(r, 5));
        for (int i = 0; i < w.Length; i++) Assert.InRange(Math.Abs(w[i] - q[i]), 0, 0.5f / scale + 1e-6f);
    }
}
