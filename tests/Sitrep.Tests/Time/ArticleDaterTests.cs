using Sitrep.Time;
using static Sitrep.Tests.Time.TimeFixture;

namespace Sitrep.Tests.Time;

/// <summary>Dating constructed articles with the built-in KB: each kind of evidence on its own, then together.</summary>
public class ArticleDaterTests
{
    private static ArticleDate Date(string text, DateOnly? published = null, DateOnly? notAfter = null) => Analyze(text, published, notAfter).Date;

    private static DateConstraint Only(ArticleDate d, ConstraintKind kind) => Assert.Single(d.Basis, c => c.Kind == kind);

    [Fact]
    public void ARoleInItsTimeDatesTheArticle()
    {
        const string text = "U.S. President-elect Donald Trump is expected to call Moscow.";
        var d = Date(text);
        var c = Only(d, ConstraintKind.Role);
        Assert.Equal(ConstraintStrength.Hard, c.Strength);
        Assert.Equal("U.S. President-elect Donald Trump", text[c.Start..c.End]);
        Assert.Equal((0, text.Length), (c.SentenceStart, c.SentenceEnd));
        Assert.Equal("sitrep:role/us-president-elect", c.RoleId);
        Assert.Equal([new DateInterval(D("2016-11-08"), D("2017-01-20")), new DateInterval(D("2024-11-05"), D("2025-01-20"))], c.Allowed.Intervals.ToArray());
        Assert.Equal(DatingSource.Content, d.Source);
        Assert.True(d.Allows(D("2024-12-01")));
        Assert.False(d.Allows(D("2025-02-01")));
    }

    [Fact]
    public void NatoSecretaryGeneralMarkRutteIsFromOctober2024()
    {
        var d = Date("NATO Secretary General Mark Rutte said allies agree on Arctic security.", notAfter: D("2026-11-23"));
        Assert.Equal(D("2024-10-01"), d.From);
        Assert.Equal(D("2026-11-24"), d.To);
    }

    [Fact]
    public void ANamedOperationExistsFromItsLaunch()
    {
        const string text = "A new mission could be modeled on existing missions like Baltic Sentry and Eastern Sentry.";
        var d = Date(text);
        Assert.Equal(D("2025-09-12"), d.From);
        var binding = Assert.Single(d.Basis, c => c.Binding);
        Assert.Equal("Eastern Sentry", text[binding.Start..binding.End]);
        Assert.Contains("launched 2025-09-12", binding.Reason);
    }

    [Fact]
    public void TheNumberOfAlliesDatesTheArticle()
    {
        var d = Date("Last year, the 32 Alliance leaders said they wanted new recommendations.");
        var c = Only(d, ConstraintKind.MemberCount);
        Assert.Equal(D("2024-03-07"), c.From); // Sweden joined
        Assert.Null(c.To);
        // Thirty members: from North Macedonia's accession to Finland's.
        var thirty = Only(Date("All 30 allies signed the declaration."), ConstraintKind.MemberCount);
        Assert.Equal(D("2020-03-27"), thirty.From);
        Assert.Equal(D("2023-04-04"), thirty.To);
        // A part is not a total.
        Assert.DoesNotContain(Date("Hungary and Slovakia, two NATO countries, keep contacts with Moscow.").Basis, c => c.Kind == ConstraintKind.MemberCount);
    }

    [Fact]
    public void NextWeeksMinisterialIsAWeekBeforeOneOfTheMeetingsTheKbKnows()
    {
        var d = Date("NATO defense ministers meeting next week will rethink the alliance's policy on Russia.");
        var c = Only(d, ConstraintKind.EventRelation);
        Assert.Equal(ConstraintStrength.Soft, c.Strength);
        // The Monday-to-Sunday week before each meeting's week: October 2024's meeting was on the 17th and 18th.
        Assert.Contains(new DateInterval(D("2024-10-07"), D("2024-10-14")), c.Allowed.Intervals);
        Assert.Contains(new DateInterval(D("2025-02-03"), D("2025-02-10")), c.Allowed.Intervals);
        Assert.True(d.Allows(D("2024-10-11")));
        Assert.False(d.Allows(D("2024-10-20")));
    }

    [Fact]
    public void MonthsBeforeAnIdentifiedSummit()
    {
        const string text = "The summit in The Hague was meant as a turning point. \"We don't talk about it,\" a diplomat said, four months before the summit.";
        var d = Date(text);
        var c = Assert.Single(d.Basis, x => x.Reason.Contains("four months before the summit"));
        // Said about four months before 2025-06-24: from five months before until the summit; likeliest four months before.
        Assert.Equal(new DateInterval(D("2025-01-24"), D("2025-06-24")), Assert.Single(c.Allowed.Intervals));
        Assert.Equal(D("2025-02-24"), c.Likely);
        Assert.Equal(D("2025-02-24"), d.Reference);
    }

    [Fact]
    public void TheNextSummitDependsOnTheDateAndATimeThatDoesNotFitIsFlagged()
    {
        // Dated between Rutte's start (2024-10-01) and the day of analysis (2025-06-01), "their next summit" is The
        // Hague's (24–25 June 2025), so "this July" does not fit it.
        const string text = "NATO Secretary General Mark Rutte spoke. The leaders want recommendations by their next summit this July.";
        var t = Analyze(text, notAfter: D("2025-06-01"));
        Assert.Contains(t.Date.Basis, c => c.Kind == ConstraintKind.EventRelation && c.Satisfied && c.Reason.Contains("still to come") && c.Reason.Contains("The Hague"));
        var flag = Assert.Single(t.Flags, f => f.Kind == TimeFlagKinds.DateMismatch);
        Assert.Contains("this July", text[flag.Start..flag.End]);
        Assert.Contains("2025-06-24", flag.KnowledgeSays);
    }

    [Fact]
    public void ExplicitDatesWithATense()
    {
        var d = Date("Moscow invaded Ukraine in February 2022. The next summit is set for June 2025 in The Hague.");
        Assert.Contains(d.Basis, c => c.Kind == ConstraintKind.ExplicitDate && c.From == D("2022-02-01") && c.To is null);
    }

    [Fact]
    public void MetadataDatesTheArticleAndTheContentIsCheckedAgainstIt()
    {
        const string text = "Secretary-General Jens Stoltenberg said the door remains open.";
        var t = Analyze(text, published: D("2024-12-15"));
        Assert.Equal(DatingSource.Metadata, t.Date.Source);
        Assert.True(t.Date.IsExact);
        Assert.Equal(D("2024-12-15"), t.Date.Reference);
        var flag = Assert.Single(t.Flags);
        Assert.Equal(TimeFlagKinds.RoleNotHeld, flag.Kind);
        Assert.Equal("Secretary-General Jens Stoltenberg", text[flag.Start..flag.End]);
        Assert.Contains("Mark Rutte", flag.Reason);
        // Before October 2024 the same sentence is fine.
        Assert.Empty(Analyze(text, published: D("2024-06-15")).Flags);
    }

    [Fact]
    public void ATextWithoutEvidenceIsUndated()
    {
        var d = Date("Officials discussed the matter at length.");
        Assert.Equal(DatingSource.Unknown, d.Source);
        Assert.Null(d.Reference);
        Assert.Null(d.From);
    }

    [Fact]
    public void RelativeExpressionsAreResolvedAgainstTheInferredDate()
    {
        const string text = "U.S. President-elect Donald Trump will meet allies next week. Last year he criticised NATO.";
        var t = Analyze(text);
        Assert.Equal(D("2024-12-12"), t.Date.Reference);
        var lastYear = Assert.Single(t.Times, x => text[x.Start..x.End] == "Last year");
        Assert.Equal("2023", lastYear.Value);
        Assert.Equal("2024", lastYear.ValueIfLatest); // if written in January 2025
        var nextWeek = Assert.Single(t.Times, x => text[x.Start..x.End] == "next week");
        Assert.Equal("2024-W51", nextWeek.Value);
        Assert.True(nextWeek.Uncertain);
        // The earliest possible day is in his first term as president-elect (November 2016).
        Assert.Equal("2016-W46", nextWeek.ValueIfEarliest);
        Assert.Equal("2025-W04", nextWeek.ValueIfLatest);
        // The timeline has both statements, dated.
        Assert.Equal(2, t.Timeline.Length);
        Assert.All(t.Timeline, e => Assert.True(e.SentenceStart <= e.Start && e.End <= e.SentenceEnd));
    }

    [Fact]
    public void FormerHoldersAreAfterATermEnded()
    {
        var d = Date("Former NATO Secretary General Jens Stoltenberg is now Norway's finance minister.");
        var c = Only(d, ConstraintKind.FormerRole);
        Assert.Equal(D("2024-10-01"), c.From);
    }
}

/// <summary>Publication dates as pages and feeds write them.</summary>
public class PublicationDateTests
{
    [Theory]
    [InlineData("2025-03-26", "2025-03-26")]
    [InlineData("2025-03-26T23:30:00-05:00", "2025-03-26")]          // the day where it was published
    [InlineData("2025-03-26T10:00:00Z", "2025-03-26")]
    [InlineData("Wed, 26 Mar 2025 10:00:00 GMT", "2025-03-26")]      // RSS pubDate
    [InlineData("Wed, 26 Mar 2025 23:30:00 +0100", "2025-03-26")]
    [InlineData("March 26, 2025", "2025-03-26")]
    [InlineData("26 March 2025", "2025-03-26")]
    public void ReadsTheDay(string raw, string day) => Assert.Equal(DateOnly.Parse(day), PublicationDate.Parse(raw));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("March 2025")]
    [InlineData("0001-01-01")]
    public void RefusesWhatIsNotADay(string? raw) => Assert.Null(PublicationDate.Parse(raw));
}
