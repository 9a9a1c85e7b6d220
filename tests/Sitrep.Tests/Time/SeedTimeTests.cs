using Sitrep.Time;
using static Sitrep.Tests.Time.TimeFixture;

namespace Sitrep.Tests.Time;

/// <summary>
/// The issue's acceptance on the five seed articles, none of which carries a date: each gets an interval with its
/// reasons, no interval excludes the publication date reasoned from its content, the 003 anachronism is flagged, and
/// the relative expressions are resolved against the inferred date. The seeds are analysed as on the issue's day,
/// 2026-11-23 (nothing is published after the day it is read).
/// </summary>
public sealed class SeedTimeTests : IClassFixture<SeedTimeTests.Run>
{
    public sealed class Run
    {
        public Dictionary<string, (PreparedArticle Article, ArticleTime Time)> Seeds { get; } =
            new[] { "000", "001", "002", "003", "004" }.ToDictionary(p => p, p =>
            {
                var a = Seed(p);
                return (a, Analyze(a, published: null, notAfter: Today));
            });
    }

    private readonly Run _run;
    public SeedTimeTests(Run run) => _run = run;

    private (string Text, ArticleTime Time) Get(string prefix) => (_run.Seeds[prefix].Article.Text, _run.Seeds[prefix].Time);

    /// <summary>
    /// Publication dates reasoned from the texts (none is given):
    /// 000 — Trump's Greenland ambitions and tariff threats against European allies, in his second term (January 2026);
    /// 001 — Euractiv, after the US-brokered Black Sea ceasefire of 2025-03-25 and before The Hague summit (late March 2025);
    /// 002 — Politico, the Friday before the October 2024 defence ministerial (or, read the other way, the February 2025 one);
    /// 003 — between Trump's election and inauguration (Putin's demands to the president-elect, late November 2024);
    /// 004 — Rutte's press conference in Croatia on a Monday, with Eastern Sentry running (2026-01-12).
    /// </summary>
    public static TheoryData<string, string> TrueDates => new()
    {
        { "000", "2026-01-20" },
        { "001", "2025-03-26" },
        { "002", "2024-10-11" },
        { "002", "2025-02-07" },
        { "003", "2024-11-20" },
        { "003", "2024-12-15" },
        { "004", "2026-01-12" },
    };

    [Theory]
    [MemberData(nameof(TrueDates))]
    public void NoIntervalExcludesThePublicationDate(string prefix, string day)
    {
        var (_, t) = Get(prefix);
        Assert.True(t.Date.Allows(D(day)), $"{prefix}: {day} is outside {t.Date.Allowed}");
    }

    [Theory]
    [InlineData("000")]
    [InlineData("001")]
    [InlineData("002")]
    [InlineData("003")]
    [InlineData("004")]
    public void EveryArticleGetsAnIntervalWithItsReasons(string prefix)
    {
        var (text, t) = Get(prefix);
        Assert.Equal(DatingSource.Content, t.Date.Source);
        Assert.NotNull(t.Date.From);
        Assert.NotNull(t.Date.To);
        Assert.NotNull(t.Date.Reference);
        var content = t.Date.Basis.Where(c => c.Kind is not ConstraintKind.NotAfterToday).ToList();
        Assert.NotEmpty(content);
        // Every reason points at its evidence and the sentence it came from.
        foreach (var c in content)
        {
            Assert.InRange(c.Start, 0, c.End - 1);
            Assert.True(c.SentenceStart <= c.Start && c.End <= c.SentenceEnd, $"{prefix}: '{c.Reason}' is not inside its sentence");
            Assert.False(string.IsNullOrWhiteSpace(text[c.Start..c.End]));
        }
        // The bounds come from named evidence.
        Assert.Contains(t.Date.Basis, c => c.Binding);
    }

    [Fact]
    public void TheIntervalsAreAsNarrowAsTheEvidenceAllows()
    {
        // 001: Trump in office, before The Hague summit, about four months before it.
        Assert.Equal((D("2025-01-24"), D("2025-06-24")), (Get("001").Time.Date.From!.Value, Get("001").Time.Date.To!.Value));
        // 002: a week before a defence ministerial, after the Washington summit, before The Hague's.
        var w = Get("002").Time.Date.Allowed.Intervals.ToArray();
        Assert.Contains(new DateInterval(D("2024-10-07"), D("2024-10-14")), w);
        Assert.Contains(new DateInterval(D("2025-02-03"), D("2025-02-10")), w);
        // 003: Trump's transition in 2024-25.
        Assert.Equal(new DateInterval(D("2024-11-05"), D("2025-01-20")), Assert.Single(Get("003").Time.Date.Allowed.Intervals));
        // 004: from Eastern Sentry's launch.
        Assert.Equal(D("2025-09-12"), Get("004").Time.Date.From);
        // 000: one of Trump's terms.
        Assert.Equal(2, Get("000").Time.Date.Allowed.Intervals.Length);
    }

    [Fact]
    public void TheStoltenbergAnachronismIsFlaggedAndTheConflictReported()
    {
        var (text, t) = Get("003");
        var flag = Assert.Single(t.Flags, f => f.Kind == TimeFlagKinds.RoleNotHeld);
        Assert.Equal("Secretary-General Jens Stoltenberg", text[flag.Start..flag.End]);
        Assert.Contains("2024-09-30", flag.KnowledgeSays);      // his last day
        Assert.Contains("Mark Rutte", flag.KnowledgeSays);      // who held the post then
        Assert.Contains(flag.Against, c => text[c.Start..c.End] == "U.S. President-elect Donald Trump");

        // The constraints themselves conflict: reported, not silently resolved.
        var conflict = Assert.Single(t.Date.Conflicts);
        Assert.Equal("Secretary-General Jens Stoltenberg", text[conflict.Constraint.Start..conflict.Constraint.End]);
        Assert.Contains(conflict.Against, c => c.Reason.Contains("President-elect"));
        Assert.True(t.Date.HasConflicts);
    }

    [Fact]
    public void OnlyTheAnachronismIsARoleFlag()
    {
        foreach (var p in new[] { "000", "001", "002", "004" })
            Assert.DoesNotContain(Get(p).Time.Flags, f => f.Kind == TimeFlagKinds.RoleNotHeld);
    }

    private static TimeExpression Expr(string text, ArticleTime t, string surface) =>
        Assert.Single(t.Times, x => text[x.Start..x.End] == surface);

    [Fact]
    public void RelativeExpressionsAreResolvedAgainstTheInferredDate()
    {
        var (t1, a1) = Get("001");
        Assert.Equal("2024", Expr(t1, a1, "Last year").Value);
        Assert.Equal("2025-07", Expr(t1, a1, "this July").Value);
        Assert.Equal("2025-01", Expr(t1, a1, "January").Value);
        Assert.Equal("2024-SU", Expr(t1, a1, "last summer").Value);

        var (t2, a2) = Get("002");
        var nextWeek = a2.Times.Where(x => t2[x.Start..x.End] == "next week").ToList();
        Assert.Equal(2, nextWeek.Count);
        // A week of the ministerials the interval allows; which one depends on the window.
        Assert.All(nextWeek, x => Assert.Matches(@"^202[45]-W\d\d$", x.Value));
        Assert.All(nextWeek, x => Assert.True(x.Uncertain));
        Assert.Equal("2024-W42", nextWeek[0].ValueIfEarliest);
        Assert.Equal("2024-07", Expr(t2, a2, "July").Value); // "During the July NATO summit in Washington, the allies agreed"

        var (t4, a4) = Get("004");
        var monday = Expr(t4, a4, "Monday");
        Assert.Equal(DayOfWeek.Monday, monday.From!.Value.DayOfWeek);
        Assert.True(monday.Uncertain);
        var lastYear = Expr(t4, a4, "last year");
        Assert.Equal("2025", lastYear.Value);
        Assert.Equal("2024", lastYear.ValueIfEarliest);
    }

    [Fact]
    public void TextDatesThatDoNotFitTheKbAreFlagged()
    {
        // 001: "by their next summit this July" — the next summit (The Hague) was on 24–25 June.
        var (text, t) = Get("001");
        var flag = Assert.Single(t.Flags, f => f.Kind == TimeFlagKinds.DateMismatch);
        Assert.Contains("this July", text[flag.Start..flag.End]);
    }

    [Fact]
    public void EveryDatedStatementIsOnTheTimeline()
    {
        foreach (var p in new[] { "000", "001", "002", "003", "004" })
        {
            var (text, t) = Get(p);
            var dated = t.Times.Where(x => x.From is not null).ToList();
            Assert.Equal(dated.Count, t.Timeline.Length);
            foreach (var e in t.Timeline)
            {
                Assert.True(e.From < e.To);
                Assert.True(e.SentenceStart <= e.Start && e.End <= e.SentenceEnd);
                Assert.False(string.IsNullOrWhiteSpace(text[e.SentenceStart..e.SentenceEnd]));
            }
        }
    }
}
