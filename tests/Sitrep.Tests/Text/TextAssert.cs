using Sitrep.Text;

namespace Sitrep.Tests.Text;

/// <summary>Helpers shared by the Text tests: every span handed back is checked against the original text.</summary>
internal static class TextAssert
{
    /// <summary>The token texts of <paramref name="text"/>, after checking each token's offsets.</summary>
    public static string[] TokenTexts(string text) => Tokens(text).Select(t => t.GetText(text)).ToArray();

    public static List<Token> Tokens(string text)
    {
        var tokens = Tokenizer.Tokenize(text);
        CheckTokens(text, 0, text.Length, tokens);
        return tokens;
    }

    /// <summary>Tokens and sentences of text[start..end), each sentence as its text.</summary>
    public static string[] SentenceTexts(string text, int start, int end)
    {
        var tokens = new List<Token>();
        Tokenizer.Tokenize(text, start, end, tokens);
        CheckTokens(text, start, end, tokens);
        var sentences = new List<SentenceSpan>();
        SentenceSplitter.Split(text, tokens, sentences);
        CheckSentences(text, tokens, sentences);
        return sentences.Select(s => s.GetText(text)).ToArray();
    }

    public static string[] SentenceTexts(string text) => SentenceTexts(text, 0, text.Length);

    /// <summary>Asserts the tokenizer's invariants over text[start..end).</summary>
    public static void CheckTokens(string text, int start, int end, IReadOnlyList<Token> tokens)
    {
        int covered = start;
        for (int k = 0; k < tokens.Count; k++)
        {
            var t = tokens[k];
            Assert.True(t.Start >= covered && t.End > t.Start && t.End <= end,
                $"token {k} [{t.Start},{t.End}) out of order or range (previous end {covered}, range end {end})");
            for (int p = covered; p < t.Start; p++)
                Assert.True(Tokenizer.IsSeparator(text[p]), $"character U+{(int)text[p]:X4} at {p} is in no token");
            for (int p = t.Start; p < t.End; p++)
                Assert.False(Tokenizer.IsSeparator(text[p]), $"token {k} \"{t.GetText(text)}\" contains a separator at {p}");
            Assert.Equal(text[t.Start..t.End], t.AsSpan(text).ToString());
            covered = t.End;
        }
        for (int p = covered; p < end; p++)
            Assert.True(Tokenizer.IsSeparator(text[p]), $"character U+{(int)text[p]:X4} at {p} is in no token");
    }

    /// <summary>Asserts that sentences cover the tokens in order, without gaps, with matching offsets.</summary>
    public static void CheckSentences(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences)
    {
        int next = 0;
        foreach (var s in sentences)
        {
            Assert.Equal(next, s.FirstToken);
            Assert.True(s.TokenCount > 0, "empty sentence");
            Assert.Equal(tokens[s.FirstToken].Start, s.Start);
            Assert.Equal(tokens[s.EndToken - 1].End, s.End);
            Assert.Equal(text[s.Start..s.End], s.GetText(text));
            next = s.EndToken;
        }
        Assert.Equal(tokens.Count, next);
    }

    /// <summary>The seed article whose file name starts with <paramref name="prefix"/> ("000").</summary>
    public static string Seed(string prefix)
    {
        var path = Directory.GetFiles(TestPaths.Seeds, prefix + "_*.txt").Single();
        return File.ReadAllText(path);
    }

    public static IEnumerable<string> AllSeedPaths() => Directory.GetFiles(TestPaths.Seeds, "*.txt").Order(StringComparer.Ordinal);

    /// <summary>The [start, end) range of the single line of <paramref name="text"/> that contains <paramref name="needle"/>.</summary>
    public static (int Start, int End) LineContaining(string text, string needle)
    {
        int at = text.IndexOf(needle, StringComparison.Ordinal);
        Assert.True(at >= 0, $"\"{needle}\" not found");
        Assert.True(text.IndexOf(needle, at + 1, StringComparison.Ordinal) < 0, $"\"{needle}\" found twice");
        int start = text.LastIndexOf('\n', at) + 1;
        int end = text.IndexOf('\n', at);
        return (start, end < 0 ? text.Length : end);
    }

    /// <summary>The sentences of the one line (paragraph) of a seed that contains <paramref name="needle"/>.</summary>
    public static string[] ParagraphSentences(string text, string needle)
    {
        var (start, end) = LineContaining(text, needle);
        return SentenceTexts(text, start, end);
    }
}
