using Sitrep.Time;
using static Sitrep.Tests.Time.TimeFixture;

namespace Sitrep.Tests.Time;

/// <summary>The interval logic on constructed cases with known dates.</summary>
public class DateSolverTests
{
    private static DateInterval I(string? from, string? to) => new(from is null ? null : D(from), to is null ? null : D(to));

    private static DateConstraint C(string name, ConstraintStrength strength, params DateInterval[] allowed) =>
        new(ConstraintKind.Role, strength, DateSet.Of(allowed), 0, 0, 0, 0, name);

    private static DateConstraint Hard(string name, params DateInterval[] allowed) => C(name, ConstraintStrength.Hard, allowed);
    private static DateConstraint Soft(string name, params DateInterval[] allowed) => C(name, ConstraintStrength.Soft, allowed);

    // ---------- sets of days ----------

    [Fact]
    public void SetsMergeIntersectAndComplement()
    {
        var a = DateSet.Of([I("2024-01-01", "2024-03-01"), I("2024-02-15", "2024-04-01"), I("2024-04-01", "2024-05-01")]);
        Assert.Equal<DateInterval>([I("2024-01-01", "2024-05-01")], a.Intervals); // overlapping and adjacent merge
        var b = DateSet.Of([I(null, "2024-02-01"), I("2024-04-15", null)]);
        Assert.Equal<DateInterval>([I("2024-01-01", "2024-02-01"), I("2024-04-15", "2024-05-01")], a.Intersect(b).Intervals);
        Assert.Equal<DateInterval>([I("2024-02-01", "2024-04-15")], b.Complement().Intervals);
        Assert.True(DateSet.All.Complement().IsEmpty);
        Assert.True(a.Contains(D("2024-04-30")));
        Assert.False(a.Contains(D("2024-05-01"))); // half-open
        Assert.Equal(0, a.DistanceTo(D("2024-02-01")));
        Assert.Equal(10, a.DistanceTo(D("2023-12-22")));
    }

    // ---------- hard constraints ----------

    [Fact]
    public void ConsistentHardConstraintsIntersect()
    {
        var s = DateSolver.Solve([
            Hard("Rutte is Secretary General", I("2024-10-01", null)),
            Hard("Trump is President", I("2017-01-20", "2021-01-20"), I("2025-01-20", null)),
            Hard("analysed on 2026-11-23", I(null, "2026-11-24")),
        ]);
        Assert.Equal<DateInterval>([I("2025-01-20", "2026-11-24")], s.Allowed.Intervals);
        Assert.Empty(s.Conflicts);
        Assert.All(s.Constraints, c => Assert.True(c.Satisfied));
        Assert.Equal(["Trump is President", "analysed on 2026-11-23"], s.Constraints.Where(c => c.Binding).Select(c => c.Reason));
    }

    [Fact]
    public void ARoleHeldTwiceKeepsBothTerms()
    {
        var s = DateSolver.Solve([Hard("President-elect Trump", I("2016-11-08", "2017-01-20"), I("2024-11-05", "2025-01-20"))]);
        Assert.Equal(2, s.Allowed.Intervals.Length);
        Assert.Equal(D("2016-11-08"), s.Allowed.From);
        Assert.Equal(D("2025-01-20"), s.Allowed.To);
    }

    [Fact]
    public void AConflictIsReportedWithTheConstraintsThatExcludeIt()
    {
        // The seed 003 case: President-elect Trump and President Zelensky agree on Nov 2024–Jan 2025, which
        // "Secretary-General Stoltenberg" (until 2024-10-01) cannot join.
        var trump = Hard("President-elect Trump", I("2016-11-08", "2017-01-20"), I("2024-11-05", "2025-01-20"));
        var zelensky = Hard("President Zelensky", I("2019-05-20", null));
        var putin = Hard("President Putin", I("2000-05-07", "2008-05-07"), I("2012-05-07", null));
        var stoltenberg = Hard("Secretary-General Stoltenberg", I("2014-10-01", "2024-10-01"));
        var s = DateSolver.Solve([trump, zelensky, putin, stoltenberg]);

        Assert.Equal<DateInterval>([I("2024-11-05", "2025-01-20")], s.Allowed.Intervals);
        var conflict = Assert.Single(s.Conflicts);
        Assert.Equal("Secretary-General Stoltenberg", conflict.Constraint.Reason);
        Assert.False(conflict.Constraint.Satisfied);
        // The smallest set that excludes it: Trump's terms alone overlap Stoltenberg's (2016), Zelensky's alone too (2019–2024);
        // together they do not.
        Assert.Equal(["President Zelensky", "President-elect Trump"], conflict.Against.Select(c => c.Reason).Order(StringComparer.Ordinal));
        Assert.Contains("cannot hold with", conflict.Reason);
    }

    [Fact]
    public void AStaleTitleCostsLessThanKnowingTheFuture()
    {
        // The text cannot know what had not happened (A from 2022) but may repeat what no longer holds (B until 2021):
        // the solver keeps A and lets B go.
        var a = Hard("A: from 2022", I("2022-01-01", null));
        var b = Hard("B: until 2021", I(null, "2021-01-01"));
        var s = DateSolver.Solve([a, b]);
        Assert.Equal<DateInterval>([I("2022-01-01", null)], s.Allowed.Intervals);
        Assert.Equal("B: until 2021", Assert.Single(s.Conflicts).Constraint.Reason);

        // The same holds whichever comes first in the list.
        Assert.Equal(s.Allowed, DateSolver.Solve([b, a]).Allowed);
    }

    [Fact]
    public void TheNearerStaleClaimLoses()
    {
        // Either A is stale by five years or B by one month: the month is the likelier slip.
        var a = Hard("A", I("2015-01-01", "2016-01-01"), I("2024-01-01", "2024-06-01"));
        var b = Hard("B", I("2019-01-01", "2024-05-01"));
        var c = Hard("C", I("2024-06-01", null));
        var s = DateSolver.Solve([a, b, c]);
        Assert.Equal<DateInterval>([I("2024-06-01", null)], s.Allowed.Intervals);
        Assert.Equal(["A", "B"], s.Conflicts.Select(x => x.Constraint.Reason).Order());
    }

    [Fact]
    public void MetadataOutweighsContent()
    {
        var meta = new DateConstraint(ConstraintKind.Metadata, ConstraintStrength.Hard, DateSet.Of(DateInterval.Day(D("2024-12-15"))), 0, 0, 0, 0, "published");
        var role = Hard("Secretary-General Stoltenberg", I("2014-10-01", "2024-10-01"));
        var s = DateSolver.Solve([meta, role]);
        Assert.Equal<DateInterval>([DateInterval.Day(D("2024-12-15"))], s.Allowed.Intervals);
        Assert.Equal("Secretary-General Stoltenberg", Assert.Single(s.Conflicts).Constraint.Reason);
        Assert.Equal(D("2024-12-15"), s.Reference);
    }

    // ---------- soft constraints ----------

    [Fact]
    public void SoftConstraintsNarrowWhereTheyAgree()
    {
        var s = DateSolver.Solve([
            Hard("President Trump", I("2025-01-20", null)),
            Hard("not after today", I(null, "2026-11-24")),
            Soft("before the summit", I(null, "2025-06-24")),
            Soft("about four months before it", I("2025-01-24", "2025-06-24")),
        ]);
        Assert.Equal<DateInterval>([I("2025-01-24", "2025-06-24")], s.Allowed.Intervals);
        Assert.Equal<DateInterval>([I("2025-01-20", "2026-11-24")], s.HardAllowed.Intervals);
        Assert.Empty(s.Conflicts);
    }

    [Fact]
    public void ASoftConstraintAgainstTheHardOnesIsSetAsideAndReported()
    {
        var s = DateSolver.Solve([
            Hard("President Trump (second term)", I("2025-01-20", "2029-01-20")),
            Soft("'this July' fits the 2024 summit", I("2024-01-01", "2025-01-01")),
        ]);
        Assert.Equal<DateInterval>([I("2025-01-20", "2029-01-20")], s.Allowed.Intervals);
        var conflict = Assert.Single(s.Conflicts);
        Assert.Equal(ConstraintStrength.Soft, conflict.Constraint.Strength);
        Assert.Equal("President Trump (second term)", Assert.Single(conflict.Against).Reason);
    }

    [Fact]
    public void WindowsTheSoftConstraintsAllowStaySeparate()
    {
        // "next week's ministerial": a week before each of two meetings.
        var s = DateSolver.Solve([
            Hard("32 members", I("2024-03-07", null)),
            Soft("a week before a ministerial", I("2024-10-07", "2024-10-14"), I("2025-02-03", "2025-02-10")),
            Soft("before The Hague summit", I(null, "2025-06-24")),
        ]);
        Assert.Equal<DateInterval>([I("2024-10-07", "2024-10-14"), I("2025-02-03", "2025-02-10")], s.Allowed.Intervals);
        Assert.True(s.Allowed.Contains(D("2024-10-11")));
        Assert.False(s.Allowed.Contains(D("2024-12-01")));
    }

    // ---------- the reference day ----------

    [Fact]
    public void TheReferenceIsALikelyDayOrTheMiddleOfTheLatestWindow()
    {
        var hinted = DateSolver.Solve([
            Hard("from 2025-01-20", I("2025-01-20", "2025-06-24")),
            Soft("four months before the summit", I("2025-01-24", "2025-06-24")) with { Likely = D("2025-02-24") },
        ]);
        Assert.Equal(D("2025-02-24"), hinted.Reference);

        var plain = DateSolver.Solve([Hard("x", I("2024-11-05", "2025-01-20"))]);
        Assert.Equal(D("2024-12-12"), plain.Reference);

        var windows = DateSolver.Solve([Hard("x", I("2017-01-20", "2021-01-20"), I("2025-01-20", "2025-03-01"))]);
        Assert.Equal(D("2025-02-08"), windows.Reference);

        Assert.Null(DateSolver.Solve([Soft("nothing", I(null, null))]).Reference);
    }

    [Fact]
    public void ArticleDateSaysWhereItCameFrom()
    {
        Assert.Equal(DatingSource.Unknown, ArticleDater.Solve([]).Source);
        var meta = ArticleDater.Solve([new DateConstraint(ConstraintKind.Metadata, ConstraintStrength.Hard, DateSet.Of(DateInterval.Day(D("2025-03-26"))), 0, 0, 0, 0, "published")], D("2025-03-26"));
        Assert.Equal(DatingSource.Metadata, meta.Source);
        Assert.True(meta.IsExact);
        Assert.Equal(D("2025-03-26"), meta.Reference);
        var content = ArticleDater.Solve([Hard("x", I("2024-11-05", "2025-01-20"))]);
        Assert.Equal(DatingSource.Content, content.Source);
        Assert.Equal(D("2024-11-05"), content.From);
        Assert.Equal(D("2025-01-20"), content.To);
        Assert.Equal(D("2025-01-19"), content.Latest);
    }

    // ---------- the reference day among several windows ----------

    [Fact]
    public void AmongSeveralWindowsTheFirstAfterTheLatestPastIsTheLikeliest()
    {
        // "next week's ministerial" allows the week before each of three meetings; "the July summit" was in July 2024.
        var s = DateSolver.Solve([
            Soft("next week's ministerial", I("2024-10-07", "2024-10-14"), I("2025-02-03", "2025-02-10"), I("2025-05-26", "2025-06-02")),
            Soft("the July summit, past", I("2024-07-01", "2025-07-01")),
        ]);
        Assert.Equal(3, s.Allowed.Intervals.Length);
        Assert.Equal(D("2024-10-10"), s.Reference);
    }

    [Fact]
    public void WindowsOfARoleHeldTwiceLeaveTheLatestWindowTheLikeliest()
    {
        // A president in either of two terms, with only old evidence besides: news is read close to its writing.
        var s = DateSolver.Solve([
            Hard("U.S. President Donald Trump", I("2017-01-20", "2021-01-20"), I("2025-01-20", "2026-01-20")),
            Soft("the Cold War, past", I("1947-01-01", null)),
        ]);
        Assert.Equal(2, s.Allowed.Intervals.Length);
        Assert.True(s.Reference >= D("2025-01-20"), s.Reference.ToString());
    }
}
