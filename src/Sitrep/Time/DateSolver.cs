using System.Collections.Immutable;

namespace Sitrep.Time;

/// <summary>The outcome of <see cref="DateSolver.Solve"/>.</summary>
/// <param name="Allowed">The days the article may have been published on.</param>
/// <param name="Reference">The most likely day, or null when the set is unbounded on both sides.</param>
/// <param name="Constraints">The constraints given, each marked <see cref="DateConstraint.Satisfied"/> and <see cref="DateConstraint.Binding"/>.</param>
/// <param name="Conflicts">Each unsatisfied constraint with the satisfied ones that exclude it.</param>
/// <param name="HardAllowed">The days the hard constraints allow (before soft constraints narrow it).</param>
public sealed record DateSolution(DateSet Allowed, DateOnly? Reference, ImmutableArray<DateConstraint> Constraints, ImmutableArray<DateConflict> Conflicts, DateSet HardAllowed);

/// <summary>
/// Intersects dating constraints. Hard constraints are intersected; when they cannot all hold, the solver keeps the
/// days that violate the least, weighing how a constraint is violated: being dated before something the text
/// knows about (an anachronism: a president-elect before the election) costs three times as much as being dated
/// after something the text still believes (a stale title: "Secretary-General Stoltenberg" a month after he left),
/// plus a year's worth per year of distance. Soft constraints then narrow the result to the days most of them
/// allow, and only as far as they agree with it. Every constraint left unsatisfied is reported with the satisfied
/// constraints that rule it out. Pure and thread-safe.
/// </summary>
public static class DateSolver
{
    /// <summary>Weight of a violated hard constraint whose days all lie after the chosen date (the text knows something that had not happened).</summary>
    public const double EarlyWeight = 3.0;
    /// <summary>Weight of a violated hard constraint whose days all lie before the chosen date (the text repeats something no longer true).</summary>
    public const double LateWeight = 1.0;
    /// <summary>Weight of violating the metadata or the day of analysis.</summary>
    public const double FixedWeight = 100.0;

    public static DateSolution Solve(IReadOnlyList<DateConstraint> constraints)
    {
        var hard = constraints.Where(c => c.Strength == ConstraintStrength.Hard).ToList();
        var soft = constraints.Where(c => c.Strength == ConstraintStrength.Soft).ToList();

        // 1. Hard: the elementary segments between all bounds; the cheapest ones win.
        var segments = Segments(hard.Select(c => c.Allowed), DateSet.All);
        double best = double.MaxValue;
        var chosen = new List<DateInterval>();
        foreach (var seg in segments)
        {
            double cost = 0;
            foreach (var c in hard) cost += Penalty(c, seg);
            if (cost < best - 1e-9)
            {
                best = cost;
                chosen.Clear();
                chosen.Add(seg);
            }
            else if (Math.Abs(cost - best) <= 1e-9) chosen.Add(seg);
        }
        var hardSet = DateSet.Of(chosen);

        // 2. Soft: within the hard result, the days most soft constraints allow.
        var allowed = hardSet;
        if (soft.Count > 0 && !hardSet.IsEmpty)
        {
            var softSegments = Segments(soft.Select(c => c.Allowed), hardSet);
            double top = 0;
            var keep = new List<DateInterval>();
            foreach (var seg in softSegments)
            {
                double score = 0;
                foreach (var c in soft) if (Holds(c.Allowed, seg)) score += 1;
                if (score > top + 1e-9)
                {
                    top = score;
                    keep.Clear();
                    keep.Add(seg);
                }
                else if (Math.Abs(score - top) <= 1e-9) keep.Add(seg);
            }
            if (top > 0) allowed = DateSet.Of(keep);
        }

        // 3. Mark each constraint; explain the unsatisfied ones.
        var marked = new List<DateConstraint>(constraints.Count);
        foreach (var c in constraints)
        {
            bool satisfied = Covers(c.Allowed, allowed);
            bool binding = satisfied && IsBinding(c.Allowed, allowed);
            marked.Add(c with { Satisfied = satisfied, Binding = binding });
        }
        var conflicts = ImmutableArray.CreateBuilder<DateConflict>();
        var satisfiedHard = marked.Where(c => c.Satisfied && c.Strength == ConstraintStrength.Hard).ToList();
        var satisfiedAll = marked.Where(m => m.Satisfied).ToList();
        int explained = 0;
        foreach (var c in marked.Where(c => !c.Satisfied))
        {
            // Explaining costs a pass over the satisfied constraints: past the first few conflicts (a huge text), the
            // rest are reported against "the other evidence", so the solver stays linear in the number of constraints.
            var against = explained++ < MaxExplainedConflicts
                ? Against(c, c.Strength == ConstraintStrength.Hard ? satisfiedHard : satisfiedAll, allowed)
                : [];
            conflicts.Add(new DateConflict(c, against, Explain(c, against, allowed)));
        }

        return new DateSolution(allowed, ReferenceOf(allowed, marked), [.. marked], conflicts.ToImmutable(), hardSet);
    }

    /// <summary>The elementary intervals of <paramref name="within"/> cut at every bound of the given sets.</summary>
    internal static List<DateInterval> Segments(IEnumerable<DateSet> sets, DateSet within)
    {
        var bounds = new SortedSet<DateOnly>();
        foreach (var s in sets)
            foreach (var i in s.Intervals)
            {
                if (i.From is { } f) bounds.Add(f);
                if (i.To is { } t) bounds.Add(t);
            }
        var result = new List<DateInterval>();
        foreach (var w in within.Intervals)
        {
            DateOnly? start = w.From;
            foreach (var b in bounds)
            {
                if (w.From is { } wf && b <= wf) continue;
                if (w.To is { } wt && b >= wt) break;
                result.Add(new DateInterval(start, b));
                start = b;
            }
            result.Add(new DateInterval(start, w.To));
        }
        result.RemoveAll(i => i.IsEmpty);
        return result;
    }

    /// <summary>True when the set holds every day of the (non-empty) interval.</summary>
    internal static bool Holds(DateSet set, DateInterval seg)
    {
        foreach (var i in set.Intervals) if (i.Covers(seg)) return true;
        return false;
    }

    private static double Penalty(DateConstraint c, DateInterval seg)
    {
        if (Holds(c.Allowed, seg)) return 0;
        bool fixedKind = c.Kind is ConstraintKind.Metadata or ConstraintKind.NotAfterToday;
        double best = double.MaxValue;
        foreach (var i in c.Allowed.Intervals)
        {
            // All of the allowed interval lies after the segment: the article would be too early for it.
            if (i.From is { } f && seg.To is { } st && f >= st)
                best = Math.Min(best, (fixedKind ? FixedWeight : EarlyWeight) + (f.DayNumber - st.DayNumber + 1) / 365.0);
            // It lies before the segment: the text would be repeating something that no longer held.
            if (i.To is { } t && seg.From is { } sf && t <= sf)
                best = Math.Min(best, (fixedKind ? FixedWeight : LateWeight) + (sf.DayNumber - t.DayNumber + 1) / 365.0);
        }
        return best == double.MaxValue ? (fixedKind ? FixedWeight : EarlyWeight) : best;
    }

    private static bool Covers(DateSet outer, DateSet inner) => !inner.IsEmpty && outer.Intersect(inner).Equals(inner);

    /// <summary>A constraint is binding when one of its bounds is one of the result's bounds.</summary>
    private static bool IsBinding(DateSet c, DateSet result)
    {
        if (result.IsEmpty) return false;
        foreach (var i in c.Intervals)
        {
            if (i.From is { } f && f == result.From) return true;
            if (i.To is { } t && t == result.To) return true;
        }
        return false;
    }

    /// <summary>Conflicts explained with the constraints they clash with; any further ones are reported without (see <see cref="Solve"/>).</summary>
    public const int MaxExplainedConflicts = 64;

    /// <summary>At most this many constraints are named against a conflict, and the search for a minimal set among them
    /// (quadratic in their number) only ever looks at this many, the most restrictive.</summary>
    public const int MaxAgainst = 24;

    /// <summary>A small set of satisfied constraints that together leave no day for <paramref name="c"/>.</summary>
    private static ImmutableArray<DateConstraint> Against(DateConstraint c, List<DateConstraint> satisfied, DateSet allowed)
    {
        var set = satisfied.Where(s => !ReferenceEquals(s, c)).ToList();
        DateSet Meet(IEnumerable<DateConstraint> xs)
        {
            var acc = c.Allowed;
            foreach (var x in xs)
            {
                if (acc.IsEmpty) break;
                acc = acc.Intersect(x.Allowed);
            }
            return acc;
        }
        // Compatible with all of them together: it lost to the weighing, not to a contradiction; name those it cannot meet.
        if (!Meet(set).IsEmpty) return [.. set.Where(s => !s.Allowed.Overlaps(c.Allowed)).Take(MaxAgainst)];
        if (set.Count > MaxAgainst)
        {
            // The most restrictive ones, when they already leave no day; else those of them it cannot meet alone.
            var narrow = set.OrderBy(x => x.Allowed.Days ?? long.MaxValue).Take(MaxAgainst).ToList();
            if (!Meet(narrow).IsEmpty) return [.. narrow.Where(s => !s.Allowed.Overlaps(c.Allowed))];
            set = narrow;
        }
        // Drop the least restrictive first; keep what is needed.
        foreach (var s in set.OrderByDescending(x => x.Allowed.Days ?? long.MaxValue).ToList())
        {
            var without = set.Where(x => !ReferenceEquals(x, s)).ToList();
            if (Meet(without).IsEmpty) set = without;
        }
        return [.. set];
    }

    private static string Explain(DateConstraint c, ImmutableArray<DateConstraint> against, DateSet allowed)
    {
        string others = against.IsEmpty ? "the other evidence" : string.Join("; ", against.Select(a => $"{a.Reason} {a.Allowed}"));
        return $"{c.Reason} {c.Allowed} cannot hold with {others}; kept {allowed}";
    }

    /// <summary>
    /// The most likely day: the likely days of satisfied constraints that fall in the set (their median), else, with
    /// several windows, the middle of the first window after the latest past the content names, else the
    /// middle of the set's latest window (news is read close to its writing),
    /// else a month inside an open bound; null when the set is unbounded on both sides.
    /// </summary>
    internal static DateOnly? ReferenceOf(DateSet allowed, IReadOnlyList<DateConstraint> constraints)
    {
        if (allowed.IsEmpty) return null;
        var hints = constraints.Where(c => c.Satisfied && c.Likely is { } l && allowed.Contains(l)).Select(c => c.Likely!.Value).Order().ToList();
        if (hints.Count > 0) return hints[hints.Count / 2];
        // Several windows and nothing to choose among them: an article is written soon after the latest thing it
        // tells as past, so take the first window that starts after the latest lower bound the content gives.
        if (allowed.Intervals.Length > 1)
        {
            // Only single-interval evidence counts (a role held twice is what makes windows, not evidence among them),
            // and only when that window follows within a year.
            var latestPast = constraints.Where(c => c.Satisfied && c.Kind is not (ConstraintKind.Metadata or ConstraintKind.NotAfterToday)
                                                    && c.From is not null && c.Allowed.Intervals.Length == 1)
                                        .Select(c => c.From!.Value).DefaultIfEmpty(DateOnly.MinValue).Max();
            var window = allowed.Intervals.FirstOrDefault(w => w.From is { } wf && wf >= latestPast && wf.DayNumber - latestPast.DayNumber <= 365 && w.To is not null);
            if (window.From is { } wf2 && window.To is { } wt2) return wf2.PlusDays((wt2.DayNumber - wf2.DayNumber - 1) / 2);
        }
        var last = allowed.Intervals[^1];
        if (last.From is { } f && last.To is { } t) return f.PlusDays((t.DayNumber - f.DayNumber - 1) / 2);
        if (last.From is { } f2) return f2.PlusDays(30);
        if (last.To is { } t2) return t2.PlusDays(-30);
        return null;
    }
}
