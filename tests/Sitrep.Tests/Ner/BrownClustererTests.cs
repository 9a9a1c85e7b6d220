using Sitrep.Text.Ner;

namespace Sitrep.Tests.Ner;

public class BrownClustererTests
{
    [Fact]
    public void WordsInTheSameContextsShareAPath()
    {
        // determiners, nouns and verbs in "DET NOUN VERB" sentences
        string[] dets = ["the", "a", "this"], nouns = ["cat", "dog", "bird"], verbs = ["sat", "ran", "slept"];
        var vocab = dets.Concat(nouns).Concat(verbs).ToArray();
        var id = vocab.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i);
        var rng = new Random(7);
        var sentences = new List<int[]>();
        for (int i = 0; i < 3000; i++)
            sentences.Add([id[dets[rng.Next(3)]], id[nouns[rng.Next(3)]], id[verbs[rng.Next(3)]]]);

        var (paths, lengths) = new BrownClusterer(3).Run(sentences, vocab.Length);

        string P(string w) => Convert.ToString(paths[id[w]], 2).PadLeft(32, '0')[..lengths[id[w]]];
        Assert.Equal(P("the"), P("a"));
        Assert.Equal(P("cat"), P("bird"));
        Assert.Equal(P("ran"), P("slept"));
        Assert.NotEqual(P("the"), P("cat"));
        Assert.NotEqual(P("cat"), P("sat"));
        Assert.NotEqual(P("the"), P("sat"));
    }

    [Fact]
    public void UnlabeledTokenizerSplitsLikeConll()
    {
        var tokens = new List<string>();
        foreach (var chunk in "Russia’s envoy (Kirill Dmitriev) met U.S. officials, didn't he?".Split(' ')) UnlabeledCorpus.Tokenize(chunk, tokens);
        Assert.Equal(["Russia", "'s", "envoy", "(", "Kirill", "Dmitriev", ")", "met", "U.S.", "officials", ",", "did", "n't", "he", "?"], tokens);
    }
}
