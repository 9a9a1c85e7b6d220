using System.Text;
using Sitrep.Text;

namespace Sitrep.Tests.Text;

/// <summary>Invariants that must hold on any text: checked on every seed and on random strings.</summary>
public class TextPropertyTests
{
    public static TheoryData<string> Seeds()
    {
        var data = new TheoryData<string>();
        foreach (var path in TextAssert.AllSeedPaths()) data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Tokens_cover_every_visible_character_once_in_order(string file)
    {
        string text = File.ReadAllText(Path.Combine(TestPaths.Seeds, file));
        var tokens = Tokenizer.Tokenize(text);
        Assert.NotEmpty(tokens);
        // In order, non-overlapping, no white space inside, every non-separator covered exactly once.
        TextAssert.CheckTokens(text, 0, text.Length, tokens);
        var cover = new int[text.Length];
        foreach (var t in tokens)
            for (int p = t.Start; p < t.End; p++) cover[p]++;
        for (int p = 0; p < text.Length; p++)
            Assert.Equal(char.IsWhiteSpace(text[p]) ? 0 : 1, cover[p]);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Sentences_partition_the_tokens(string file)
    {
        string text = File.ReadAllText(Path.Combine(TestPaths.Seeds, file));
        var tokens = Tokenizer.Tokenize(text);
        var sentences = new List<SentenceSpan>();
        SentenceSplitter.Split(text, tokens, sentences);
        TextAssert.CheckSentences(text, tokens, sentences);
        // A sentence never spans a blank line, and never starts or ends with white space.
        foreach (var s in sentences)
        {
            Assert.DoesNotContain("\n\n", s.GetText(text));
            Assert.False(char.IsWhiteSpace(text[s.Start]) || char.IsWhiteSpace(text[s.End - 1]));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Tokenizing_line_by_line_matches_the_whole_text(string file)
    {
        // Paragraph ranges are how later stages call the tokenizer: context beyond a line must not matter.
        string text = File.ReadAllText(Path.Combine(TestPaths.Seeds, file));
        var whole = Tokenizer.Tokenize(text);
        var byLine = new List<Token>();
        int start = 0;
        while (start <= text.Length)
        {
            int nl = text.IndexOf('\n', start);
            int end = nl < 0 ? text.Length : nl;
            Tokenizer.Tokenize(text, start, end, byLine);
            start = end + 1;
        }
        Assert.Equal(whole, byLine);
    }

    [Fact]
    public void Random_text_keeps_the_invariants()
    {
        // Characters chosen to hit every branch: quotes, apostrophes, dashes, dots, digits, URLs, surrogates.
        string[] pieces =
        [
            "a", "Z", "é", "ß", "1", "9", " ", "\n", "\r\n", "\t", "\u00A0", "\u200B", "\uFEFF", ".", "..", "...", ",",
            ";", ":", "?", "!", "'", "’", "‘", "´", "`", "\"", "“", "”", "«", "»", "-", "--", "–", "—", "…", "(", ")",
            "[", "]", "$", "€", "%", "/", "&", "@", "#", "+", "−", "*", "○", "👍", "🏽", "🇺", "\u200D", "\uFE0F", "𝐀",
            "\uD83D", "\uDC4D", "\u0301", "U.S.", "Inc.", "No.", "n’t", "’s", "www.", "http://", ".com", ".gov", "x.it",
            "J.", "e.g.", "NATO", "the", "The", "2022", "\u2028", "\u2029", "\u0000", "\u007F", "\u0085",
        ];
        var rng = new Random(20240601);
        var sb = new StringBuilder();
        var tokens = new List<Token>();
        var sentences = new List<SentenceSpan>();
        for (int round = 0; round < 3000; round++)
        {
            sb.Clear();
            int n = rng.Next(1, 40);
            for (int k = 0; k < n; k++) sb.Append(pieces[rng.Next(pieces.Length)]);
            string text = sb.ToString();
            int start = rng.Next(0, text.Length / 3 + 1);
            int end = rng.Next(start, text.Length + 1);

            tokens.Clear();
            Tokenizer.Tokenize(text, start, end, tokens);
            TextAssert.CheckTokens(text, start, end, tokens);

            sentences.Clear();
            SentenceSplitter.Split(text, tokens, sentences);
            TextAssert.CheckSentences(text, tokens, sentences);
        }
    }
}
