using Sitrep.Attribution;
using Sitrep.Text;

namespace Sitrep.Tests.Attribution;

/// <summary>Pairing of quotation marks (curly, straight, mixed, nested, across paragraphs) and the speech/label test.</summary>
public sealed class QuoteFinderTests
{
    private static AttributionDocument Doc(string text)
    {
        var tokens = Tokenizer.Tokenize(text);
        var sentences = new List<SentenceSpan>();
        SentenceSplitter.Split(text, tokens, sentences);
        return new AttributionDocument(text, tokens, sentences, [(0, text.Length)]);
    }

    private static List<string> Quoted(string text, bool speechOnly = false)
    {
        var d = Doc(text);
        return d.Quotes.Where(q => !q.Single && (!speechOnly || q.Speech)).Select(q => text[q.Start..q.End]).ToList();
    }

    [Fact]
    public void CurlyQuotesPair()
    {
        Assert.Equal(["“The alliance has to adapt,”", "“have forced everyone.”"],
            Quoted("“The alliance has to adapt,” one diplomat said, emphasizing that developments “have forced everyone.”"));
    }

    [Fact]
    public void MixedCurlyAndStraightMarksPairWithinAFamily()
    {
        // From seed 001: a curly opening mark closed by a straight one, and the reverse.
        Assert.Equal(["“on hold,\""], Quoted("all discussions on the topic are “on hold,\" a source told Euractiv."));
        Assert.Equal(["\"develop recommendations on NATO’s strategic approach to Russia”"],
            Quoted("leaders said they wanted to \"develop recommendations on NATO’s strategic approach to Russia” by July."));
    }

    [Fact]
    public void StraightQuotesOpenAndCloseByWhatTheyAreGluedTo()
    {
        Assert.Equal(["\"Discussions are ongoing,\"", "\"We agree.\""],
            Quoted("\"Discussions are ongoing,\" a senior US official said. \"We agree.\""));
    }

    [Fact]
    public void ApostrophesAndPossessivesAreNotQuotes()
    {
        var d = Doc("Russia’s leaders don’t agree with the allies’ view, and NATO’s chief said so.");
        Assert.Empty(d.Quotes);
    }

    [Fact]
    public void SingleQuotesNestInsideDoubleQuotes()
    {
        var d = Doc("“They taunt us: ‘You will be thrown out.’ It hurts,” she said.");
        Assert.Single(d.Quotes, q => !q.Single);
        var inner = Assert.Single(d.Quotes, q => q.Single);
        Assert.Equal("‘You will be thrown out.’", d.Text[inner.Start..inner.End]);
    }

    [Fact]
    public void QuotationOverSeveralSentencesIsOneQuote()
    {
        var text = "“This isn’t just about Ukraine,” said a geopolitical analyst. “It’s about the order. The outcome could redefine power.”";
        Assert.Equal(["“This isn’t just about Ukraine,”", "“It’s about the order. The outcome could redefine power.”"], Quoted(text));
    }

    [Fact]
    public void MultiParagraphQuotationContinues()
    {
        // Newspaper convention: no closing mark at the end of a paragraph whose quotation goes on in the next one.
        var text = "“The first paragraph of the statement runs on\n\n“and the second one ends it,” he said.";
        var d = Doc(text);
        var quotes = d.Quotes.Where(q => !q.Single).ToList();
        Assert.Equal(2, quotes.Count);
        Assert.True(quotes[0].Unclosed);
        Assert.Equal(0, quotes[1].ContinuedFrom);
    }

    [Theory]
    [InlineData("NATO representatives describe the move as a “strategic reassessment” rather than an endorsement.", "strategic reassessment", false)]
    [InlineData("NATO still keeps the “Founding Act” with Russia alive.", "Founding Act", false)]
    [InlineData("a very aggressive new strategy could send a “signal” that could destabilize Russia.", "signal", false)]
    [InlineData("Trump Says “Very Good Talks” Underway on Russia-Ukraine War", "Very Good Talks", false)]
    [InlineData("Trump has touted his ability to strike deals “no one else can,” critics say.", "no one else can,", true)]
    [InlineData("all discussions on the topic are “on hold,” a source told Euractiv.", "on hold,", true)]
    [InlineData("NATO labeled Russia as the “most significant and direct threat to Allies’ security,” while others disagree.", "most significant and direct threat to Allies’ security,", true)]
    [InlineData("“We do not know,” another source said.", "We do not know,", true)]
    [InlineData("He said it was “terrible.”", "terrible.", true)]
    public void SpeechIsToldApartFromLabelsAndTitles(string text, string inner, bool speech)
    {
        var d = Doc(text);
        var q = Assert.Single(d.Quotes, x => !x.Single);
        Assert.Equal(inner, text[d.Tokens[q.First].Start..d.Tokens[q.EndInner - 1].End]);
        Assert.Equal(speech, q.Speech);
    }

    [Fact]
    public void QuotationsDoNotCrossBodyRanges()
    {
        const string text = "“An opening mark left open in a heading\nThen a body paragraph without marks.";
        var tokens = Tokenizer.Tokenize(text);
        var sentences = new List<SentenceSpan>();
        SentenceSplitter.Split(text, tokens, sentences);
        int cut = text.IndexOf('\n');
        var d = new AttributionDocument(text, tokens, sentences, [(0, cut), (cut + 1, text.Length)]);
        var q = Assert.Single(d.Quotes);
        Assert.True(q.End <= cut);
    }
}
