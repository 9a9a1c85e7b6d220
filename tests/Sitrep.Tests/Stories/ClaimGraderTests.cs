using Sitrep.Stories;

namespace Sitrep.Tests.Stories;

/// <summary>
/// Grading on constructed articles whose truth is known: independent outlets corroborate, wire copies count once,
/// a same-time denial contradicts, a denial a year apart is listed but does not contradict, and a claim carried only
/// by described or unnamed sources is anonymous_only.
/// </summary>
public sealed class ClaimGraderTests
{
    private static ClaimArticle Article(string id, string origin, string date, string text, params (string Speaker, string Kind, string Quote)[] quotes) =>
        Article(id, origin, date, null, text, quotes);

    private static ClaimArticle Article(string id, string origin, string date, string? title, string body, params (string Speaker, string Kind, string Quote)[] quotes)
    {
        var text = title == null ? body : title + "\n" + body;
        var qs = new List<QuoteInput>();
        foreach (var (speaker, kind, quote) in quotes)
        {
            int at = text.IndexOf(quote, StringComparison.Ordinal);
            Assert.True(at >= 0, quote);
            int sp = text.IndexOf(speaker, StringComparison.Ordinal);
            qs.Add(new QuoteInput(at, at + quote.Length, quote, speaker, kind, sp, 1.0));
        }
        var actors = new List<(string, string, IReadOnlyList<(int, int)>)>();
        foreach (var (key, name) in new[] { ("Q7184", "NATO"), ("Q159", "Russia"), ("Q1011", "Arctic") })
        {
            var mentions = new List<(int, int)>();
            for (int i = text.IndexOf(name, StringComparison.Ordinal); i >= 0; i = text.IndexOf(name, i + 1, StringComparison.Ordinal)) mentions.Add((i, i + name.Length));
            if (mentions.Count > 0) actors.Add((key, name, mentions));
        }
        var sentences = new List<(int, int)>();
        int s = title == null ? 0 : title.Length + 1;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '.' && (i + 1 == text.Length || text[i + 1] == ' ')) { sentences.Add((s, i + 1)); s = i + 2; }
        var d = DateOnly.Parse(date);
        return new ClaimArticle(id, "doc-" + id, id, title, 0, text, origin, origin, d, d, d.AddDays(1), sentences, actors, qs);
    }

    private const string ThreatA = "Russia remains the most significant and direct threat to NATO security, the alliance leaders said.";
    private const string ThreatB = "NATO called Russia the most significant and direct threat to NATO security, a statement said.";

    [Fact]
    public void TwoIndependentOutletsCorroborate()
    {
        var claims = new ClaimGrader().Grade([
            Article("a", "outlet:one", "2025-03-01", ThreatA, ("the alliance leaders", "collective", "Russia remains the most significant and direct threat to NATO security")),
            Article("b", "outlet:two", "2025-03-02", ThreatB, ("NATO", "named", "Russia the most significant and direct threat to NATO security")),
        ]);
        var c = Assert.Single(claims, c => c.Support.Count == 2);
        Assert.Equal(ClaimStatus.Corroborated, c.Status);
        Assert.Equal(2, c.Origins);
    }

    [Fact]
    public void WireCopiesCountOnce()
    {
        var claims = new ClaimGrader().Grade([
            Article("a", "wire:ap-1", "2025-03-01", ThreatA, ("the alliance leaders", "collective", "Russia remains the most significant and direct threat to NATO security")),
            Article("b", "wire:ap-1", "2025-03-01", ThreatA, ("the alliance leaders", "collective", "Russia remains the most significant and direct threat to NATO security")),
        ]);
        var c = Assert.Single(claims, c => c.Support.Count == 2);
        Assert.Equal(1, c.Origins);
        Assert.Equal(ClaimStatus.SingleSource, c.Status);
    }

    private const string Headline = "NATO begins talks on new Russia strategy";
    private const string Talks = "NATO has begun talks on a new Russia strategy, a senior official said.";
    private const string Halted = "All talks on the NATO Russia strategy are on hold, a diplomat said.";

    [Fact]
    public void ADenialOfTheSameTimeContradictsAndBothSidesAreKept()
    {
        var claims = new ClaimGrader().Grade([
            Article("a", "outlet:one", "2025-03-01", Headline, Talks, ("a senior official", "described", "NATO has begun talks on a new Russia strategy")),
            Article("b", "outlet:two", "2025-03-10", Halted, ("a diplomat", "described", "All talks on the NATO Russia strategy are on hold")),
        ]);
        var c = claims.Single(c => c.Support.Any(m => m.ArticleId == "a"));
        Assert.Equal(ClaimStatus.Contradicted, c.Status);
        var x = Assert.Single(c.Contradict);
        Assert.Equal("b", x.Mention.ArticleId);
        Assert.True(x.SameTime);
        Assert.Equal(9, x.DaysApart);
    }

    [Fact]
    public void ADenialAYearApartIsListedButIsNoContradiction()
    {
        var claims = new ClaimGrader().Grade([
            Article("a", "outlet:one", "2025-03-01", Headline, Talks, ("a senior official", "described", "NATO has begun talks on a new Russia strategy")),
            Article("b", "outlet:two", "2026-03-01", Halted, ("a diplomat", "described", "All talks on the NATO Russia strategy are on hold")),
        ]);
        var c = claims.Single(c => c.Support.Any(m => m.ArticleId == "a"));
        Assert.Equal(ClaimStatus.AnonymousOnly, c.Status);
        var x = Assert.Single(c.Contradict);
        Assert.False(x.SameTime);
        Assert.Contains("365 days apart", x.Reason);
    }

    [Fact]
    public void ANamedSourceIsSingleSourceAndUnrelatedClaimsStayApart()
    {
        var claims = new ClaimGrader().Grade([
            Article("a", "outlet:one", "2025-03-01", "The Arctic ice is melting faster than expected, the minister Jane Doe said.", ("Jane Doe", "named", "The Arctic ice is melting faster than expected")),
            Article("b", "outlet:two", "2025-03-01", Talks, ("a senior official", "described", "NATO has begun talks on a new Russia strategy")),
        ]);
        Assert.Equal(2, claims.Count);
        Assert.Equal(ClaimStatus.SingleSource, claims.Single(c => c.Support[0].ArticleId == "a").Status);
        Assert.Equal(ClaimStatus.AnonymousOnly, claims.Single(c => c.Support[0].ArticleId == "b").Status);
        Assert.All(claims, c => Assert.Empty(c.Contradict));
    }

    [Fact]
    public void AStoredDigestGradesAsTheArticleDoesWithCodePointsCounted()
    {
        // An emoji before the quote: two UTF-16 units, one code point.
        var a = Article("a", "outlet:one", "2025-03-01", Headline, "\U0001F6A8 " + Talks, ("a senior official", "described", "NATO has begun talks on a new Russia strategy"));
        var b = Article("b", "outlet:two", "2025-03-10", Halted, ("a diplomat", "described", "All talks on the NATO Russia strategy are on hold"));
        var fromArticles = new ClaimGrader().Grade([a, b]);
        var digests = new[] { a, b }.Select(x => ClaimDigest.FromBytes(ClaimDigest.From(x).ToBytes())!).ToList();
        var fromDigests = new ClaimGrader().Grade(digests);
        Assert.Equal(Json(fromArticles), Json(fromDigests));
        var quote = fromDigests.SelectMany(c => c.Support).Single(m => m.ArticleId == "a" && !m.Headline);
        Assert.Equal(quote.Start - 1, quote.CodePoints![0]);
        Assert.Equal(quote.End - 1, quote.CodePoints[1]);
        // A digest of another format version is read as missing (the stage makes it again from the document).
        var bytes = ClaimDigest.From(a).ToBytes();
        bytes[0]++;
        Assert.Null(ClaimDigest.FromBytes(bytes));
    }

    private static string Json(IReadOnlyList<Claim> claims) => System.Text.Json.JsonSerializer.Serialize(claims);
}
