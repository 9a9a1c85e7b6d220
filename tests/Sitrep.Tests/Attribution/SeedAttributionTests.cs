using Sitrep.Attribution;

namespace Sitrep.Tests.Attribution;

/// <summary>
/// The issue's acceptance on the five showcase articles: every direct quote is found with the right speaker and kind,
/// back-references resolve to the earlier speaker, outlets are credited, scare-quoted labels are not speech, and the
/// reported speech the issue names is found.
/// </summary>
public sealed class SeedAttributionTests(AttributionFixture fixture) : IClassFixture<AttributionFixture>
{
    private AttributionFixture.SeedResult Seed(string prefix) => fixture.Seed(prefix);

    /// <summary>The record whose content holds <paramref name="words"/>.</summary>
    private static Quote With(AttributionFixture.SeedResult seed, string words)
    {
        var hits = seed.Quotes.Where(q => q.Text.Contains(words, StringComparison.Ordinal)).ToList();
        Assert.True(hits.Count == 1, $"expected one record holding “{words}”, found {hits.Count}: {string.Join(" | ", seed.Quotes.Select(q => q.Text))}");
        return hits[0];
    }

    private static void Spoken(Quote q, string speaker, SpeakerKind kind)
    {
        Assert.Equal(speaker, q.Speaker.Text);
        Assert.Equal(kind, q.Speaker.Kind);
    }

    private static string? Mention(AttributionFixture.SeedResult seed, Quote q) => q.Speaker.Mention is { } m ? seed.Text[m.Start..m.End] : null;

    private static IEnumerable<string> VerbatimTexts(AttributionFixture.SeedResult seed) =>
        seed.Quotes.SelectMany(q => q.Verbatim).Select(v => seed.Text[v.Start..v.End].Trim('“', '”', '"', '\'', '‘', '’', ',', '.', ' '));

    private string KbId(string name) => fixture.Extractor.Knowledge!.Entities.Single(e => e.Name == name).Id;

    // ------------------------------------------------------------------ 000

    [Fact]
    public void Seed000_TheThreeAnonymousQuotes()
    {
        var s = Seed("000");
        var diplomat = With(s, "The alliance has to constantly adapt to new pressures");
        Assert.True(diplomat.Direct);
        Assert.Equal("said", diplomat.Cue?.Text);
        Spoken(diplomat, "one diplomat", SpeakerKind.Described);

        // The partial quote after "emphasizing that" is the same diplomat's.
        var emphasis = With(s, "have forced everyone to update their calculations");
        Spoken(emphasis, "one diplomat", SpeakerKind.Described);
        Assert.Contains(emphasis.Verbatim, v => s.Text[v.Start..v.End].Contains("have forced everyone", StringComparison.Ordinal));

        // A quote split around its attribution: both halves, one statement.
        var first = With(s, "There’s no scenario where NATO membership for Russia arrives tomorrow");
        var second = With(s, "but there are scenarios where dialogue becomes strategically valuable");
        Spoken(first, "a former NATO policy adviser", SpeakerKind.Described);
        Spoken(second, "a former NATO policy adviser", SpeakerKind.Described);
        Assert.True(first.Direct && second.Direct);
        Assert.Equal(first.Statement, second.Statement);
        Assert.True(second.Continuation);

        var baltic = With(s, "You cannot simply rewrite history because of tariffs or Greenland");
        Assert.True(baltic.Direct);
        Spoken(baltic, "one Baltic official", SpeakerKind.Described);
    }

    [Fact]
    public void Seed000_StrategicReassessmentIsALabelInReportedSpeech()
    {
        var s = Seed("000");
        // “strategic reassessment” is a label: never reported as quoted speech …
        Assert.DoesNotContain("strategic reassessment", VerbatimTexts(s));
        // … while "NATO representatives describe the move as …" is reported speech of a collective speaker.
        var described = With(s, "the move as a “strategic reassessment”");
        Assert.False(described.Direct);
        Assert.False(described.HasVerbatim);
        Spoken(described, "NATO representatives", SpeakerKind.Collective);
        Spoken(With(s, "that the discussions remain preliminary"), "NATO spokespersons", SpeakerKind.Collective);
    }

    // ------------------------------------------------------------------ 001

    [Fact]
    public void Seed001_SourcesAnotherOneAndAnotherSource()
    {
        var s = Seed("001");
        var onHold = With(s, "“on hold,\"");
        Spoken(onHold, "a source", SpeakerKind.Unnamed);
        Assert.Contains("on hold", VerbatimTexts(s));
        Assert.Equal("Euractiv", onHold.OutletCredit?.Name);
        Assert.Equal(KbId("Euractiv"), onHold.OutletCredit?.KbId);

        var another = With(s, "We don’t talk about it");
        Assert.True(another.Direct);
        Spoken(another, "another one", SpeakerKind.Unnamed);

        var anotherSource = With(s, "We do not know");
        Spoken(anotherSource, "another source", SpeakerKind.Unnamed);
        Assert.Contains("We do not know", VerbatimTexts(s));
    }

    [Fact]
    public void Seed001_TheSeniorUsOfficialTwiceTheSecondViaTheyAdded()
    {
        var s = Seed("001");
        var first = With(s, "Discussions are ongoing among Allies regarding The Hague Summit");
        Assert.True(first.Direct);
        Spoken(first, "a senior US official", SpeakerKind.Described);
        Assert.False(first.Speaker.Resolved);

        var second = With(s, "Regarding Ukraine, all Allies agree that the death and destruction must stop");
        Assert.True(second.Direct);
        Assert.Equal("added", second.Cue?.Text);
        Spoken(second, "a senior US official", SpeakerKind.Described);
        Assert.Equal(first.Speaker.Start, second.Speaker.Start);
        Assert.True(second.Speaker.Resolved);
        Assert.Equal("they", Mention(s, second));
        // The author's aside after the first quote is not the official's statement.
        Assert.DoesNotContain(s.Quotes, q => q.Text.Contains("did not respond to Euractiv", StringComparison.Ordinal));
    }

    [Fact]
    public void Seed001_TheAllianceLeadersSpeakCollectively()
    {
        var s = Seed("001");
        Spoken(With(s, "develop recommendations on NATO’s strategic approach to Russia"), "the 32 Alliance leaders", SpeakerKind.Collective);
        // "as the leaders reiterated" points back to "the 32 Alliance leaders".
        var reiterated = With(s, "Russia remains the most significant and direct threat");
        Assert.True(reiterated.Direct);
        Spoken(reiterated, "the 32 Alliance leaders", SpeakerKind.Collective);
        Assert.Equal("the leaders", Mention(s, reiterated));
    }

    // ------------------------------------------------------------------ 002

    [Fact]
    public void Seed002_TheUsGovernmentOfficialsThreeQuotesTwoByBackReference()
    {
        var s = Seed("002");
        var first = With(s, "map out different elements of [the Russia] strategy");
        Spoken(first, "a senior U.S. government official", SpeakerKind.Described);
        Assert.False(first.Direct); // a partial quote inside reported speech
        Assert.Contains(first.Verbatim, v => s.Text[v.Start..v.End].StartsWith("“map out", StringComparison.Ordinal));

        var second = With(s, "It’s time to now craft a new strategy");
        Assert.True(second.Direct);
        Spoken(second, "a senior U.S. government official", SpeakerKind.Described);
        Assert.Equal("the official", Mention(s, second));

        var third = With(s, "Right now we have to have an understanding across the alliance");
        Assert.True(third.Direct);
        Spoken(third, "a senior U.S. government official", SpeakerKind.Described);
        Assert.Equal("The U.S. official", Mention(s, third));
        Assert.Equal(first.Speaker.Start, second.Speaker.Start);
        Assert.Equal(first.Speaker.Start, third.Speaker.Start);

        // "They also said …" is the same official again.
        Spoken(With(s, "the military implication of this political exercise"), "a senior U.S. government official", SpeakerKind.Described);
    }

    [Fact]
    public void Seed002_QuotedNamesAndScareQuotesAreNotSpeech()
    {
        var s = Seed("002");
        var verbatim = VerbatimTexts(s).ToList();
        Assert.DoesNotContain("signal", verbatim);
        Assert.DoesNotContain("Founding Act", verbatim);
        // The diplomat's statement holds the scare-quoted “signal” as reported speech, not as a quotation.
        var diplomat = With(s, "could send a “signal”");
        Spoken(diplomat, "A NATO diplomat", SpeakerKind.Described);
        Assert.False(diplomat.HasVerbatim);
        // NATO's label for Russia is NATO's words.
        Spoken(With(s, "most significant and direct threat to Allies’ security"), "NATO", SpeakerKind.Named);
        // The Founding Act's own words are credited to the document ("It’s a document … stipulating …").
        var act = With(s, "build a stable, peaceful and undivided Europe");
        Assert.Equal(SpeakerKind.Named, act.Speaker.Kind);
        Assert.Equal(KbId("NATO-Russia Founding Act"), act.Speaker.KbId);
    }

    // ------------------------------------------------------------------ 003

    [Fact]
    public void Seed003_EachSpeakerForBothOfTheirSentences()
    {
        var s = Seed("003");
        void Both(string a, string b, string speaker, SpeakerKind kind, string? kb)
        {
            var qa = With(s, a);
            var qb = With(s, b);
            Spoken(qa, speaker, kind);
            Spoken(qb, speaker, kind);
            Assert.True(qa.Direct && qb.Direct);
            Assert.Equal(qa.Statement, qb.Statement);
            Assert.Equal(kb, qa.Speaker.KbId);
        }
        Both("Ukraine’s NATO membership is a bridge too far for Russia", "Putin will fight tooth and nail", "a Kremlin insider", SpeakerKind.Described, null);
        Both("NATO is not just about military alliances", "We cannot allow our fate to be decided in backroom deals", "Zelensky", SpeakerKind.Named, KbId("Volodymyr Zelenskyy"));
        // The analyst's continuation is itself two sentences inside one quotation.
        Both("This isn’t just about Ukraine", "It’s about the rules-based international order. The outcome of these talks", "a geopolitical analyst", SpeakerKind.Described, null);

        // Stoltenberg: reported ("reaffirming that …") and quoted.
        var stoltenbergId = KbId("Jens Stoltenberg");
        var quoted = With(s, "Ukraine’s membership is a decision for NATO and Ukraine");
        Assert.True(quoted.Direct);
        Spoken(quoted, "Stoltenberg", SpeakerKind.Named);
        Assert.Equal(stoltenbergId, quoted.Speaker.KbId);
        var reported = With(s, "the alliance’s open-door policy remains intact");
        Assert.False(reported.Direct);
        Assert.Equal(SpeakerKind.Named, reported.Speaker.Kind);
        Assert.Equal(stoltenbergId, reported.Speaker.KbId);

        // Zelensky's reported claim before the quote.
        var emphasized = With(s, "joining the alliance is essential to securing Ukraine’s sovereignty");
        Assert.Equal(KbId("Volodymyr Zelenskyy"), emphasized.Speaker.KbId);
    }

    [Fact]
    public void Seed003_NoOneElseCanIsAPartialQuoteOfTrump()
    {
        var s = Seed("003");
        var touted = With(s, "his ability to strike deals “no one else can,”");
        Assert.False(touted.Direct);
        Assert.Equal(SpeakerKind.Named, touted.Speaker.Kind);
        Assert.Equal(KbId("Donald Trump"), touted.Speaker.KbId);
        Assert.Contains("no one else can", VerbatimTexts(s));
    }

    // ------------------------------------------------------------------ 004

    [Fact]
    public void Seed004_ReportedSpeechOfRutteAndOfDiplomatsToReuters()
    {
        var s = Seed("004");
        var rutte = With(s, "allies are working to ensure the Arctic remains safe and stable");
        Assert.False(rutte.Direct);
        Assert.Equal("confirmed", rutte.Cue?.Text);
        Spoken(rutte, "NATO Secretary General Mark Rutte", SpeakerKind.Named);
        Assert.Equal(KbId("Mark Rutte"), rutte.Speaker.KbId);

        var diplomats = With(s, "NATO members are exploring the possibility of a new operation");
        Assert.Equal("told", diplomats.Cue?.Text);
        Spoken(diplomats, "European diplomats", SpeakerKind.Described);
        Assert.Equal("Reuters", diplomats.OutletCredit?.Name);
        Assert.Equal(KbId("Reuters"), diplomats.OutletCredit?.KbId);

        // "He noted that …" and "According to Rutte, …" are Rutte's too.
        var noted = With(s, "discussions have been ongoing since last year");
        Assert.Equal(KbId("Mark Rutte"), noted.Speaker.KbId);
        Assert.Equal("He", Mention(s, noted));
        Assert.Equal(KbId("Mark Rutte"), With(s, "the opening of Arctic sea routes increases the risk").Speaker.KbId);
        Spoken(With(s, "the island is not for sale"), "Danish and Greenlandic officials", SpeakerKind.Described);
        var spokesperson = With(s, "discussions on strengthening security in the Arctic region are currently underway");
        Spoken(spokesperson, "a spokesperson for the German government", SpeakerKind.Collective);
    }

    // ------------------------------------------------------------------ every seed

    [Theory]
    [InlineData("000")]
    [InlineData("001")]
    [InlineData("002")]
    [InlineData("003")]
    [InlineData("004")]
    public void EverySpeechQuotationHasASpeaker(string prefix)
    {
        var s = Seed(prefix);
        // Every quotation of four words or more in the body that reads as speech lies in a record with a speaker.
        foreach (var (open, close) in Quotations(s))
        {
            var inner = s.Text[(open + 1)..close];
            if (inner.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 4) continue;
            var q = s.Quotes.FirstOrDefault(x => x.Start <= open + 1 && x.End >= close);
            Assert.True(q != null, $"{prefix}: quotation not found: {inner}");
            Assert.NotEqual(SpeakerKind.None, q!.Speaker.Kind);
        }
    }

    [Theory]
    [InlineData("000")]
    [InlineData("001")]
    [InlineData("002")]
    [InlineData("003")]
    [InlineData("004")]
    public void RecordsAreWellFormed(string prefix)
    {
        var s = Seed(prefix);
        Assert.NotEmpty(s.Quotes);
        foreach (var q in s.Quotes)
        {
            Assert.Equal(s.Text[q.Start..q.End], q.Text);
            Assert.Contains(s.Body, r => q.Start >= r.Start && q.End <= r.End);
            if (q.Cue is { } c) Assert.Equal(s.Text[c.Start..c.End], c.Text);
            if (!q.Speaker.IsNobody) Assert.Equal(s.Text[q.Speaker.Start..q.Speaker.End], q.Speaker.Text);
            Assert.All(q.Verbatim, v => Assert.True(v.Start >= q.Start && v.End <= q.End));
            Assert.InRange(q.Confidence, 0, 1);
        }
        // Statements are numbered in order; pieces of one statement share its cue and speaker.
        var statements = s.Quotes.Select(q => q.Statement).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, statements.Count), statements);
        foreach (var g in s.Quotes.GroupBy(q => q.Statement))
        {
            Assert.False(g.First().Continuation);
            Assert.All(g.Skip(1), q => Assert.True(q.Continuation));
            Assert.All(g, q => Assert.Equal(g.First().Speaker, q.Speaker));
        }
        var summary = SourcingSummary.Of(s.Quotes);
        Assert.Equal(statements.Count, summary.Claims);
        Assert.Equal(summary.Claims, summary.Named + summary.Described + summary.Unnamed + summary.Collective + summary.NoSource);
        Assert.Equal(1.0, Enum.GetValues<SpeakerKind>().Sum(summary.Share), 6);
    }

    [Fact]
    public void SourcingSummaryOfTheSeeds()
    {
        var s001 = SourcingSummary.Of(Seed("001").Quotes);
        Assert.True(s001.Unnamed >= 3, s001.ToString());
        Assert.True(s001.Described >= 2, s001.ToString());
        Assert.True(s001.Collective >= 2, s001.ToString());
        var s003 = SourcingSummary.Of(Seed("003").Quotes);
        Assert.True(s003.Named >= 5, s003.ToString());
        Assert.True(s003.Direct >= 4, s003.ToString());
    }

    /// <summary>Double quotation marks paired naively within one line (curly or straight), for the generic check.</summary>
    private static IEnumerable<(int Open, int Close)> Quotations(AttributionFixture.SeedResult s)
    {
        foreach (var (start, end) in s.Body)
        {
            int open = -1;
            for (int i = start; i < end; i++)
            {
                char c = s.Text[i];
                if (c == '\n') open = -1;
                if (c is not ('“' or '”' or '"')) continue;
                if (open < 0 && c != '”') open = i;
                else if (open >= 0 && c != '“') { yield return (open, i); open = -1; }
            }
        }
    }
}
