using Sitrep.Text;
using Sitrep.Text.Ner;

namespace Sitrep.Tests.Ner;

public class NerModelTests
{
    private static readonly string[] Rutte =
        ["NATO", "Secretary", "General", "Mark", "Rutte", "confirmed", "on", "Monday", "that", "allies", "would", "increase", "support", "for", "Ukraine", "."];

    [Fact]
    public void CommittedModelTagsRutteSentence()
    {
        var spans = NerTestModel.Model.Tag(Rutte);
        Assert.Contains(spans, e => e.Type == EntityType.Person && e.FirstToken == 3 && e.TokenCount == 2);
        Assert.Contains(spans, e => e.Type == EntityType.Organisation && e.FirstToken == 0 && e.TokenCount == 1);
        Assert.Contains(spans, e => e.Type == EntityType.Place && e.FirstToken == 14 && e.TokenCount == 1);
        Assert.All(spans, e => Assert.InRange(e.Score, 0f, 1f));
    }

    [Fact]
    public void SpanApiReturnsCharOffsetsIntoTheText()
    {
        // Possessive split Penn-Treebank style, as the news tokenizer does: "Russia’s" → "Russia" + "’s".
        const string text = "Russia’s foreign minister Sergei Lavrov met Marco Rubio in Riyadh.\nThe talks ended without a deal.";
        string[][] sents = [["Russia", "’s", "foreign", "minister", "Sergei", "Lavrov", "met", "Marco", "Rubio", "in", "Riyadh", "."],
                            ["The", "talks", "ended", "without", "a", "deal", "."]];
        var tokens = new List<Token>();
        var sentences = new List<SentenceSpan>();
        int pos = 0;
        foreach (var words in sents)
        {
            int first = tokens.Count;
            foreach (var w in words)
            {
                pos = text.IndexOf(w, pos, StringComparison.Ordinal);
                tokens.Add(new Token(pos, pos + w.Length, TokenKind.Word));
                pos += w.Length;
            }
            sentences.Add(new SentenceSpan(tokens[first].Start, tokens[^1].End, first, words.Length));
        }
        int second = sents[0].Length;
        Assert.Equal("’s", text[tokens[1].Start..tokens[1].End]);
        Assert.Equal("deal", text[tokens[^2].Start..tokens[^2].End]);

        var spans = NerTestModel.Model.Tag(text, tokens, sentences);
        var found = spans.Select(e => (text[e.Start..e.End], e.Type)).ToList();
        Assert.Contains(("Russia", EntityType.Place), found);
        Assert.Contains(("Sergei Lavrov", EntityType.Person), found);
        Assert.Contains(("Marco Rubio", EntityType.Person), found);
        Assert.Contains(("Riyadh", EntityType.Place), found);
        Assert.DoesNotContain(spans, e => e.FirstToken >= second);
    }

    [Fact]
    public void AllCapsHeadlineIsResolvedFromTheDocumentBody()
    {
        var spans = NerTestModel.Model.Tag(new IReadOnlyList<string>[]
        {
            ["SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN", ",", "CHINA", "IN", "SURPRISE", "DEFEAT", "."],
            ["Japan", "began", "the", "defence", "of", "their", "Asian", "Cup", "title", "with", "a", "lucky", "2-1", "win", "against", "Syria", "."],
            ["China", "lost", "to", "Uzbekistan", "on", "Friday", "."],
        });
        Assert.Contains(spans, e => e.FirstToken == 2 && e.TokenCount == 1 && e.Type == EntityType.Place);
        Assert.Contains(spans, e => e.FirstToken == 7 && e.TokenCount == 1 && e.Type == EntityType.Place);
        Assert.DoesNotContain(spans, e => e.FirstToken == 0);
    }

    [Fact]
    public void ModelFileRoundTrips()
    {
        var model = NerTestModel.Model;
        var ms = new MemoryStream();
        model.Save(ms);
        ms.Position = 0;
        var again = NerModel.Load(ms);
        Assert.Equal(model.Weights, again.Weights);
        Assert.NotNull(again.Stage1);
        Assert.Equal(model.Stage1!.Weights, again.Stage1!.Weights);
        Assert.Equal(model.Transitions, again.Transitions);
        Assert.Equal(model.Stage1.Transitions, again.Stage1.Transitions);
        Assert.Equal(model.Temperature, again.Temperature);
        Assert.Equal(model.Features, again.Features);
        Assert.Equal(model.Description, again.Description);
        Assert.Equal(model.Tag(Rutte), again.Tag(Rutte));
        Assert.True(new FileInfo(NerTestModel.Path).Length < 25L * 1024 * 1024);
    }

    [Fact]
    public void LoadRejectsAForeignFile()
    {
        var ms = new MemoryStream("not a model at all"u8.ToArray());
        Assert.Throws<InvalidDataException>(() => NerModel.Load(ms));
    }

    [Fact]
    public void TagBioGivesOneTagPerToken()
    {
        var tags = NerTestModel.Model.TagBio([Rutte]);
        Assert.Equal(Rutte.Length, tags[0].Length);
        Assert.Equal("B-ORG", tags[0][0]);
        Assert.Equal(["B-PER", "I-PER"], tags[0][3..5]);
    }

    [Fact]
    public void EmptySentencesAndVeryLongSentencesAreHandled()
    {
        var words = Enumerable.Range(0, 700).Select(i => i % 50 == 0 ? "Germany" : "word").ToList();
        string text = string.Join(' ', words);
        var tokens = new List<Token>();
        int pos = 0;
        foreach (var w in words) { tokens.Add(new Token(pos, pos + w.Length, TokenKind.Word)); pos += w.Length + 1; }
        var sentences = new List<SentenceSpan> { new(0, 0, 0, 0), new(0, text.Length, 0, tokens.Count), new(text.Length, text.Length, tokens.Count, 0) };
        var spans = NerTestModel.Model.Tag(text, tokens, sentences);
        Assert.All(spans, e => Assert.Equal("Germany", text[e.Start..e.End]));
        Assert.NotEmpty(spans);
    }

    [Fact]
    public void EmptyInputGivesNoEntities()
    {
        Assert.Empty(NerTestModel.Model.Tag("", ReadOnlySpan<Token>.Empty, ReadOnlySpan<SentenceSpan>.Empty));
        Assert.Empty(NerTestModel.Model.Tag(Array.Empty<string>()));
    }
}
