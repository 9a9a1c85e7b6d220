using Sitrep.Stories;
using Sitrep.Text.Terms;

namespace Sitrep.Tests.Text;

/// <summary>The one text-term chain: one stemmer and the stop lists read from data files.</summary>
public sealed class TermChainTests
{
    [Theory]
    [InlineData("policies", "policy")]
    [InlineData("talks", "talk")]
    [InlineData("russia's", "russia")]
    [InlineData("boxes", "box")]
    [InlineData("launches", "launch")]
    [InlineData("drafting", "draft")]
    [InlineData("agreed", "agreed")]  // -eed is not -ed
    [InlineData("status", "status")]  // -us, -is, -ss keep their s
    [InlineData("1990s", "1990s")]    // numbers are not stemmed
    [InlineData("gas", "gas")]        // three letters or fewer
    public void OneStemmerForEveryUse(string word, string stem)
    {
        Assert.Equal(stem, Stemmer.Stem(word));
        Assert.Equal(stem, TextTerms.Stem(word));
        Assert.Equal(stem, ClaimTerms.Stem(word));
        Span<char> buf = word.ToCharArray();
        Assert.Equal(stem, new string(buf[..Stemmer.Stem(buf)]));
    }

    [Fact]
    public void ListsComeFromTheDataFiles()
    {
        // function words are shared; news words only leave content terms; reporting words only leave claim terms
        Assert.True(TermLists.ContentStop.Contains("the"), "the");
        Assert.True(TermLists.ClaimStop.Contains("the"), "the");
        Assert.True(TermLists.ContentStop.Contains("photo"), "photo");
        Assert.False(TermLists.ClaimStop.Contains("photo"), "photo");
        Assert.True(TermLists.ClaimStop.Contains("spokesman"), "spokesman");
        Assert.False(TermLists.ContentStop.Contains("spokesman"), "spokesman");
        Assert.True(TermLists.Negations.Contains("halted"), "halted");
        Assert.False(TermLists.Negations.Contains("ruled"), "ruled"); // dropped from the terms, but not a negation by itself
        Assert.True(TermLists.ClaimStop.Contains("ruled"), "ruled");
        // Particles: a topic term drops them, a claim keeps them ("pulls out" is not "sends").
        Assert.True(TermLists.ContentStop.Contains("out"), "out");
        Assert.False(TermLists.ClaimStop.Contains("out"), "out");
    }

    [Fact]
    public void ContentAndClaimTermsUseTheirLists()
    {
        Assert.Equal(["minister", "resign"], TextTerms.ContentWords("The minister said he will resign. Photo:"));
        var (terms, negated) = ClaimTerms.Of("Officials said the talks were halted", 0, 36);
        Assert.True(negated);
        Assert.Equal(["discuss"], terms);
    }

    [Fact]
    public void ConceptsMeetAcrossInflections()
    {
        foreach (var w in new[] { "talks", "discussions", "negotiating", "negotiations", "negotiated" }) Assert.Equal("discuss", ClaimTerms.Normalise(w));
        foreach (var w in new[] { "propose", "proposed", "proposing", "proposals" }) Assert.Equal("propos", ClaimTerms.Normalise(w));
        foreach (var w in new[] { "begin", "beginning", "began", "launched", "launches" }) Assert.Equal("start", ClaimTerms.Normalise(w));
        Assert.Equal("troop", ClaimTerms.Normalise("troops"));
    }
}
