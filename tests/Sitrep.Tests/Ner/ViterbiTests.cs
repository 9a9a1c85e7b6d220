using Sitrep.Text.Ner;

namespace Sitrep.Tests.Ner;

public class ViterbiTests
{
    [Theory]
    [InlineData(TagScheme.Bio, 1)]
    [InlineData(TagScheme.Bio, 2)]
    [InlineData(TagScheme.Bilou, 3)]
    public void ViterbiFindsTheBestWellFormedSequence(TagScheme scheme, int seed)
    {
        var tagSet = new TagSet(scheme);
        int K = tagSet.Count, n = 4;
        var model = new NerModel(scheme, 8, NerFeatures.Word, new NerLexicon(), new float[256 * K], 1f, "");
        var rng = new Random(seed);
        var emit = Enumerable.Range(0, n * K).Select(_ => (float)rng.NextDouble() * 4 - 2).ToArray();
        var trans = Enumerable.Range(0, (K + 1) * K).Select(_ => (float)rng.NextDouble() * 4 - 2).ToArray();

        var tags = new byte[n];
        model.Viterbi(emit, n, trans, new NerScratch(), tags);

        // brute force over all sequences
        float best = float.NegativeInfinity;
        int[] bestSeq = [];
        var seq = new int[n];
        void Search(int i, float score)
        {
            if (i == n)
            {
                if (tagSet.CanEnd(seq[n - 1]) && score > best) { best = score; bestSeq = (int[])seq.Clone(); }
                return;
            }
            int prev = i == 0 ? -1 : seq[i - 1];
            for (int k = 0; k < K; k++)
            {
                if (!tagSet.Allowed(prev, k)) continue;
                seq[i] = k;
                Search(i + 1, score + emit[i * K + k] + trans[(prev + 1) * K + k]);
            }
        }
        Search(0, 0);
        Assert.Equal(bestSeq, tags.Select(t => (int)t).ToArray());
    }
}
