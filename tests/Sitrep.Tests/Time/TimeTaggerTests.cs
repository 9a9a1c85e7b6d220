using Sitrep.Time;
using static Sitrep.Tests.Time.TimeFixture;

namespace Sitrep.Tests.Time;

/// <summary>Finding and normalising time expressions against known reference dates.</summary>
public class TimeTaggerTests
{
    private static List<(string Text, string Type, string Value)> Tag(string text, string? reference) =>
        [.. TimeTagger.Default.Tag(text, reference is null ? null : D(reference)).Select(x => (text[x.Start..x.End], x.TypeName, x.Value))];

    /// <summary>The one expression whose text is <paramref name="expr"/>; fails when it is not found.</summary>
    private static (string Type, string Value) One(string text, string reference, string expr)
    {
        var all = Tag(text, reference);
        var hit = all.Where(x => x.Text == expr).ToList();
        Assert.True(hit.Count == 1, $"'{expr}' not found once in [{string.Join(" | ", all.Select(a => $"{a.Text}={a.Value}"))}]");
        return (hit[0].Type, hit[0].Value);
    }

    private static void Value(string text, string reference, string expr, string type, string value) =>
        Assert.Equal((type, value), One(text, reference, expr));

    // ---------- relative to the reference: years, months, weeks ----------

    [Theory]
    [InlineData("Last year, the leaders met.", "2025-03-12", "Last year", "2024")]
    [InlineData("Sales will rise next year.", "2025-03-12", "next year", "2026")]
    [InlineData("Profit fell this year.", "2025-03-12", "this year", "2025")]
    [InlineData("Prices rose last month.", "2025-03-12", "last month", "2025-02")]
    [InlineData("The ministers meet next week.", "2025-03-12", "next week", "2025-W12")]
    [InlineData("The ministers met this week.", "2025-03-12", "this week", "2025-W11")]
    [InlineData("The ministers met last week.", "2025-01-02", "last week", "2024-W52")]
    [InlineData("The summit took place three years ago.", "2025-03-12", "three years ago", "2022")]
    [InlineData("They met two weeks ago.", "2025-03-12", "two weeks ago", "2025-W09")]
    [InlineData("It happened a decade ago.", "2025-03-12", "a decade ago", "2015")]
    [InlineData("We spoke yesterday.", "2025-03-12", "yesterday", "2025-03-11")]
    [InlineData("They meet tomorrow.", "2025-03-12", "tomorrow", "2025-03-13")]
    [InlineData("The 1990s were calm.", "2025-03-12", "The 1990s", "199")]
    public void ShiftsFromTheReference(string text, string reference, string expr, string value) =>
        Assert.Equal(value, One(text, reference, expr).Value);

    // ---------- bare weekdays and months take their direction from the tense ----------

    [Theory]
    // 2025-03-12 is a Wednesday.
    [InlineData("The minister said on Monday that talks had stalled.", "Monday", "2025-03-10")]
    [InlineData("The ministers will meet on Monday in Brussels.", "Monday", "2025-03-17")]
    [InlineData("Rutte confirmed on Wednesday that allies agree.", "Wednesday", "2025-03-12")]
    [InlineData("The talks are expected to resume Friday.", "Friday", "2025-03-14")]
    [InlineData("Officials told reporters on Friday.", "Friday", "2025-03-07")]
    [InlineData("He called the Russian leader in January.", "January", "2025-01")]
    [InlineData("They will decide in January.", "January", "2026-01")]
    [InlineData("The leaders want recommendations by their next summit this July.", "this July", "2025-07")]
    [InlineData("Allies met last July in Washington.", "last July", "2024-07")]
    [InlineData("The deal was signed on Oct. 23.", "Oct. 23", "2024-10-23")]
    public void WeekdaysAndMonthsFollowTheTense(string text, string expr, string value) =>
        Assert.Equal(value, One(text, "2025-03-12", expr).Value);

    [Fact]
    public void APrepositionPointsTheWay()
    {
        // In June, Jan. 14 of that year is nearer, but "by" looks ahead; "since" looks back.
        Value("Bids are due by Jan. 14.", "2025-06-20", "Jan. 14", "DATE", "2026-01-14");
        Value("Prices have fallen since November.", "2025-06-20", "November", "DATE", "2024-11");
        // A tense-directed date more than ten months away gives way to the nearest one (the cue is often another clause's).
        Value("Bids are due by Jan. 14.", "2025-03-12", "Jan. 14", "DATE", "2025-01-14");
    }

    [Fact]
    public void AQuotedSentenceStillStartsWithATime() =>
        // Only a capitalised unit makes a title (ABC's "This Week"); a weekday is always capitalised.
        Value("He said: \"Last Friday we met the minister.\"", "1998-08-07", "Last Friday", "DATE", "1998-07-31");

    [Fact]
    public void TheReferenceDayItselfForItsWeekday()
    {
        // Said on a Friday about "Friday": that day.
        Value("The embassy said Friday that it would close.", "1998-08-07", "Friday", "DATE", "1998-08-07");
    }

    // ---------- explicit dates ----------

    [Theory]
    [InlineData("The summit opens on June 24, 2025, in The Hague.", "June 24, 2025", "2025-06-24")]
    [InlineData("It was published 2025-06-24.", "2025-06-24", "2025-06-24")]
    [InlineData("Moscow invaded Ukraine in February 2022.", "February 2022", "2022-02")]
    [InlineData("The Founding Act was signed in 1997.", "1997", "1997")]
    [InlineData("Talks resume Monday, Oct. 26.", "Monday, Oct. 26", "1998-10-26")]
    [InlineData("It started on 24 February 2022.", "24 February 2022", "2022-02-24")]
    [InlineData("The summit is set for mid-2026.", "mid-2026", "2026")]
    [InlineData("The summit will be held on April 24 and 25.", "25", "1999-04-25")]
    [InlineData("The March accession will make them members.", "March", "1999-03")]
    public void ExplicitDates(string text, string expr, string value) =>
        Assert.Equal(value, One(text, "1998-10-25", expr).Value);

    // ---------- durations, seasons, quarters, sets, references, times ----------

    [Theory]
    [InlineData("Talks have been halted for four months.", "four months", "DURATION", "P4M")]
    [InlineData("The war has lasted two and a half years.", "two and a half years", "DURATION", "P2Y6M")]
    [InlineData("They lived in the camps for 2 1/2 years.", "2 1/2 years", "DURATION", "P2Y6M")]
    [InlineData("It took half a year.", "half a year", "DURATION", "P6M")]
    [InlineData("It took several weeks.", "several weeks", "DURATION", "PXW")]
    [InlineData("Prices rose over the past two years.", "the past two years", "DURATION", "P2Y")]
    [InlineData("A two-year deal was agreed.", "two-year", "DURATION", "P2Y")]
    [InlineData("The meeting lasted 90 minutes.", "90 minutes", "DURATION", "PT90M")]
    [InlineData("It has been a decade.", "a decade", "DURATION", "P10Y")]
    [InlineData("Patrols fly daily over the Baltic.", "daily", "SET", "P1D")]
    [InlineData("The council meets every Monday.", "every Monday", "SET", "XXXX-WXX-1")]
    [InlineData("Right now, nobody knows.", "Right now", "DATE", "PRESENT_REF")]
    [InlineData("The fund was recently set up.", "recently", "DATE", "PAST_REF")]
    [InlineData("We will see in the future.", "the future", "DATE", "FUTURE_REF")]
    [InlineData("The blast came at 10:35 a.m. on the day.", "10:35 a.m.", "TIME", "2025-03-12T10:35")]
    [InlineData("The attack began Friday morning.", "Friday morning", "TIME", "2025-03-07TMO")]
    public void DurationsSetsReferencesAndTimes(string text, string expr, string type, string value) =>
        Value(text, "2025-03-12", expr, type, value);

    [Theory]
    [InlineData("Arctic patrols grew last summer.", "2025-03-12", "last summer", "2024-SU")]
    [InlineData("Arctic patrols grew last summer.", "2025-11-20", "last summer", "2025-SU")]
    [InlineData("The ice melted in summer 2024.", "2025-03-12", "summer 2024", "2024-SU")]
    [InlineData("Exercises are planned this winter.", "2025-01-15", "this winter", "2025-WI")]
    [InlineData("Profit rose in the third quarter.", "1989-10-26", "the third quarter", "1989-Q3")]
    [InlineData("AT&T announced a drop in profits for the fourth quarter.", "1998-01-26", "the fourth quarter", "1997-Q4")]
    [InlineData("Third-quarter profit rose 5% from a year earlier.", "1989-10-26", "a year earlier", "1988-Q3")]
    [InlineData("Sales fell in the first half.", "1989-10-26", "the first half", "1989-H1")]
    [InlineData("Losses will last through the first two quarters of 1990.", "1989-10-26", "the first two quarters of 1990", "1990-H1")]
    [InlineData("Profit fell in the last six months of 1989.", "1990-02-26", "the last six months of 1989", "1989-H2")]
    public void SeasonsAndQuarters(string text, string reference, string expr, string value) =>
        Assert.Equal(value, One(text, reference, expr).Value);

    // ---------- clause tense: adjectives in -ed, plans in the past perfect, parentheses ----------

    [Theory]
    // 1989-10-26 is a Thursday; 1989-10-30 a Monday.
    [InlineData("The split would be paid on a still unspecified date in January.", "1989-10-26", "January", "1990-01")]
    [InlineData("The offer had been scheduled to expire at midnight Friday.", "1989-10-30", "midnight Friday", "1989-10-27T24:00")]
    [InlineData("It had been due to expire Friday evening.", "1989-10-30", "Friday evening", "1989-10-27TEV")]
    [InlineData("It is due to expire Friday evening.", "1989-10-30", "Friday evening", "1989-11-03TEV")]
    // 2000-04-05 is a Wednesday: the parenthesis takes the tense of the clause around it.
    [InlineData("The father will leave at 4 in the morning (4 a.m. EDT Thursday), Castro said.", "2000-04-05", "4 a.m. EDT Thursday", "2000-04-06T04:00")]
    // A limit in the past perfect is past; with another past verb it is still ahead (1999-05-07 is a Friday, 2000-03-30 a Thursday).
    [InlineData("Until Thursday, they had not called Kopp a suspect.", "1999-05-07", "Thursday", "1999-05-06")]
    [InlineData("Only two members had filed reports by Wednesday.", "1990-08-16", "Wednesday", "1990-08-15")]
    [InlineData("Officials postponed until Tuesday morning any action on the case.", "2000-03-30", "Tuesday morning", "2000-04-04TMO")]
    // A fronted adverbial takes the tense of the main verb, further on.
    [InlineData("In January, a week after the 25th anniversary of the Roe vs. Wade Supreme Court decision, a clinic bombing in Birmingham killed a guard.",
        "1998-10-25", "January", "1998-01")]
    // "since" looks back however far: the last year-end, not the coming one.
    [InlineData("The percentage change is since year-end.", "1989-10-30", "year-end", "1988-12-31")]
    public void TenseOfTheClause(string text, string reference, string expr, string value) =>
        Assert.Equal(value, One(text, reference, expr).Value);

    // ---------- anchored on the last date mentioned ----------

    [Theory]
    [InlineData("The index fell 3% on Friday and 4.5% from the previous Friday.", "1989-10-30", "the previous Friday", "1989-10-20")]
    [InlineData("Hopes were dashed Friday. Dealers placed heavy orders in the morning.", "1989-10-30", "the morning", "1989-10-27TMO")]
    [InlineData("Dealers placed heavy orders in the morning.", "1989-10-30", "the morning", "1989-10-30TMO")]
    [InlineData("The case may be resolved in a court hearing the week of March 6.", "2000-02-24", "the week of March 6", "2000-W10")]
    [InlineData("Protesters prayed as Easter week began.", "2000-04-17", "Easter week", "2000-W16")]
    public void NarrativeAnchors(string text, string reference, string expr, string value) =>
        Assert.Equal(value, One(text, reference, expr).Value);

    [Theory]
    [InlineData("Third-quarter profit fell. For the quarter a year ago, it earned $16.3 million.", "the quarter a year ago", "1988-Q3")]
    [InlineData("It posted a third-quarter loss, against net of $1.8 million for the corresponding period last year.", "the corresponding period last year", "1988-Q3")]
    [InlineData("It posted a third-quarter loss. In the comparable year-ago quarter, it earned $12 million.", "the comparable year-ago quarter", "1988-Q3")]
    // The quarter compared with is the last one reported, not one forecast.
    [InlineData("Third-quarter profit fell. Analysts expect losses through the third quarter of 1990. In the year-ago period, it earned $101 million.",
        "the year-ago period", "1988-Q3")]
    // "the 1988 quarter" is the quarter under discussion even after other dates; "the 1988 period" may be another span.
    [InlineData("Third-quarter profit fell to $1 million as of Sept. 30. It earned $376,000 in the 1988 quarter.", "the 1988 quarter", "1988-Q3")]
    [InlineData("Third-quarter profit fell as of Sept. 30. In the first nine months, net was $306 million, against a loss in the 1988 period.", "the 1988 period", "1988")]
    public void QuarterComparisons(string text, string expr, string value) =>
        Assert.Equal(value, One(text, "1989-10-26", expr).Value);

    // ---------- spans, sentences, references ----------

    [Fact]
    public void SpansAreOffsetsIntoTheText()
    {
        const string text = "NATO defense ministers meeting next week will begin to rethink the alliance’s policy.";
        var x = Assert.Single(TimeTagger.Default.Tag(text, D("2024-10-11")));
        Assert.Equal("next week", text[x.Start..x.End]);
        Assert.Equal(TimexType.Date, x.Type);
        Assert.Equal("2024-W42", x.Value);
        Assert.Equal(D("2024-10-14"), x.From);
        Assert.Equal(D("2024-10-21"), x.To);
        Assert.True(x.Relative);
    }

    [Fact]
    public void WithoutAReferenceRelativeValuesKeepPlaceholders()
    {
        var xs = Tag("They met in January and will meet next week; Oct. 23 was a Friday.", null);
        Assert.Contains(("January", "DATE", "XXXX-01"), xs);
        Assert.Contains(("next week", "DATE", "XXXX-WXX"), xs);
        Assert.Contains(("Oct. 23", "DATE", "XXXX-10-23"), xs);
    }

    [Fact]
    public void ExpressionsCanBeResolvedAgainAgainstAnotherReference()
    {
        const string text = "Last year the allies met; they meet again next week.";
        var raw = TimeTagger.Default.Tag(text, null);
        var in2025 = TimeTagger.Default.Resolve(raw, D("2025-03-12"));
        var in2026 = TimeTagger.Default.Resolve(raw, D("2026-01-12"));
        Assert.Equal(["2024", "2025-W12"], in2025.Select(x => x.Value));
        Assert.Equal(["2025", "2026-W04"], in2026.Select(x => x.Value));
    }

    [Fact]
    public void AnUncertainReferenceKeepsTheValuesAtItsBounds()
    {
        const string text = "Discussions have been ongoing since last year.";
        var raw = TimeTagger.Default.Tag(text, null);
        var date = ArticleDater.Solve([new DateConstraint(ConstraintKind.Exists, ConstraintStrength.Hard,
            DateSet.Of(new DateInterval(D("2025-09-12"), D("2026-11-24"))), 0, 0, 0, 0, "test")]);
        var x = Assert.Single(TimeTagger.Default.Resolve(raw, date));
        Assert.True(x.Uncertain);
        Assert.Equal("2024", x.ValueIfEarliest);
        Assert.Equal("2025", x.ValueIfLatest);
    }

    [Theory]
    [InlineData("May I add one thing?")]
    [InlineData("Troops may march into the city.")]
    [InlineData("The fall of the Soviet Union changed Europe.")]
    [InlineData("Iraq imports about three-quarters of its food.")]
    [InlineData("He is a 44-year-old protester.")]
    [InlineData("Most recruits are in their 30s or her early 40s.")]
    [InlineData("The company raised its quarterly dividend.")]
    [InlineData("Gonzalez spoke on CBS's 60 Minutes.")]
    [InlineData("Baker said on ABC-TV's \"This Week With David Brinkley\" that talks failed.")]
    [InlineData("This is VOA Today.")]
    [InlineData("They set up a joint venture called Orion 1980, making space technology.")]
    [InlineData("The quarter-to-quarter comparison was also enhanced by charges.")]
    [InlineData("She led the March of Dimes.")]
    public void WordsThatOnlyLookLikeTime(string text) => Assert.Empty(Tag(text, "2025-03-12"));

    [Fact]
    public void ExpressionsDoNotCrossSentences()
    {
        const string text = "It happened in March. 2025 was a hard year.";
        var xs = Tag(text, "2025-06-01");
        Assert.Contains(("March", "DATE", "2025-03"), xs);
        Assert.Contains(("2025", "DATE", "2025"), xs);
    }
}
