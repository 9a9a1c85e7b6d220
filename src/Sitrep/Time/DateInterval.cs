using System.Collections.Immutable;
using System.Globalization;

namespace Sitrep.Time;

/// <summary>
/// A half-open interval of days [From, To). A null bound is open: no <see cref="From"/> means "since ever",
/// no <see cref="To"/> means "and ever after". <see cref="All"/> has neither. An interval whose To is not after its
/// From is empty.
/// <para>
/// <b>The one time convention.</b> Inside the code, a span of days is half-open, [From, To), as here. Wherever a span
/// leaves the code — the store's JSON columns and model tables, the export, the brief, the CLI — it is written as its
/// first and last day, both included (<c>from</c> = <see cref="From"/>, <c>to</c> = <see cref="LastDay"/>), and read
/// back with <see cref="Inclusive"/>. Instants are UTC; "today" comes from the injected <see cref="TimeProvider"/>.
/// </para>
/// </summary>
public readonly record struct DateInterval(DateOnly? From, DateOnly? To)
{
    /// <summary>The last day in the interval (To − 1), as the store and the export write it; null when unbounded above.</summary>
    public DateOnly? LastDay => To?.PlusDays(-1);

    /// <summary>The interval from a first and a last day, both included (as the store and the export write them).</summary>
    public static DateInterval Inclusive(DateOnly? first, DateOnly? last) => new(first, last?.PlusDays(1));

    /// <summary>Every day.</summary>
    public static DateInterval All => default;

    /// <summary>One day: [day, day + 1).</summary>
    public static DateInterval Day(DateOnly day) => new(day, day.PlusDays(1));

    /// <summary>[from, ∞).</summary>
    public static DateInterval Since(DateOnly from) => new(from, null);

    /// <summary>(−∞, to).</summary>
    public static DateInterval Before(DateOnly to) => new(null, to);

    public bool IsEmpty => From is { } f && To is { } t && t <= f;

    public bool IsAll => From is null && To is null;

    /// <summary>True when the interval has both bounds.</summary>
    public bool IsBounded => From is not null && To is not null;

    /// <summary>Number of days, or null when unbounded.</summary>
    public int? Days => From is { } f && To is { } t ? Math.Max(0, t.DayNumber - f.DayNumber) : null;

    public bool Contains(DateOnly d) => (From is not { } f || d >= f) && (To is not { } t || d < t);

    /// <summary>True when every day of <paramref name="other"/> is in this interval.</summary>
    public bool Covers(DateInterval other) =>
        other.IsEmpty || ((From is not { } f || (other.From is { } of && of >= f)) && (To is not { } t || (other.To is { } ot && ot <= t)));

    public DateInterval Intersect(DateInterval other) => new(Max(From, other.From), Min(To, other.To));

    public bool Overlaps(DateInterval other) => !Intersect(other).IsEmpty;

    /// <summary>Days between this interval and <paramref name="d"/>: 0 inside, positive outside.</summary>
    public int DistanceTo(DateOnly d)
    {
        if (From is { } f && d < f) return f.DayNumber - d.DayNumber;
        if (To is { } t && d >= t) return d.DayNumber - t.DayNumber + 1;
        return 0;
    }

    private static DateOnly? Max(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a > b ? a : b);
    private static DateOnly? Min(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a < b ? a : b);

    public override string ToString() => $"[{Format(From)}, {Format(To)})";

    internal static string Format(DateOnly? d) => d is { } v ? v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "…";
}

/// <summary>
/// A set of days as a union of disjoint, non-adjacent intervals in order. Immutable. The empty set has no intervals;
/// <see cref="All"/> has one unbounded interval. Constraints that allow several periods (Donald Trump was
/// President-elect twice) are sets, and intersecting sets keeps every period that survives.
/// </summary>
public sealed class DateSet : IEquatable<DateSet>
{
    public static DateSet Empty { get; } = new([]);
    public static DateSet All { get; } = new([DateInterval.All]);

    private DateSet(ImmutableArray<DateInterval> intervals) => Intervals = intervals;

    /// <summary>The intervals, disjoint, non-adjacent and in order.</summary>
    public ImmutableArray<DateInterval> Intervals { get; }

    public bool IsEmpty => Intervals.Length == 0;

    public bool IsAll => Intervals.Length == 1 && Intervals[0].IsAll;

    /// <summary>The earliest day, or null when unbounded below (or empty).</summary>
    public DateOnly? From => IsEmpty ? null : Intervals[0].From;

    /// <summary>The day after the last, or null when unbounded above (or empty).</summary>
    public DateOnly? To => IsEmpty ? null : Intervals[^1].To;

    /// <summary>The smallest interval holding the whole set.</summary>
    public DateInterval Hull => IsEmpty ? new DateInterval(DateOnly.MinValue, DateOnly.MinValue) : new(From, To);

    public static DateSet Of(DateInterval interval) => interval.IsEmpty ? Empty : new([interval]);

    /// <summary>The union of the given intervals (in any order, overlapping or not).</summary>
    public static DateSet Of(IEnumerable<DateInterval> intervals)
    {
        var list = intervals.Where(i => !i.IsEmpty).OrderBy(i => i.From ?? DateOnly.MinValue).ToList();
        if (list.Count == 0) return Empty;
        var merged = new List<DateInterval>(list.Count);
        var cur = list[0];
        for (int k = 1; k < list.Count; k++)
        {
            var n = list[k];
            // Overlapping or adjacent: merge.
            if (cur.To is not { } ct || (n.From is { } nf && nf <= ct) || n.From is null)
            {
                DateOnly? to = cur.To is null || n.To is null ? null : (cur.To > n.To ? cur.To : n.To);
                cur = new DateInterval(cur.From, to);
            }
            else
            {
                merged.Add(cur);
                cur = n;
            }
        }
        merged.Add(cur);
        return new DateSet([.. merged]);
    }

    public bool Contains(DateOnly d)
    {
        foreach (var i in Intervals) if (i.Contains(d)) return true;
        return false;
    }

    public DateSet Intersect(DateSet other)
    {
        if (IsAll) return other;
        if (other.IsAll) return this;
        var result = new List<DateInterval>();
        foreach (var a in Intervals)
            foreach (var b in other.Intervals)
            {
                var x = a.Intersect(b);
                if (!x.IsEmpty) result.Add(x);
            }
        return Of(result);
    }

    public DateSet Intersect(DateInterval other) => Intersect(Of(other));

    public DateSet Union(DateSet other) => Of(Intervals.Concat(other.Intervals));

    /// <summary>Every day not in this set.</summary>
    public DateSet Complement()
    {
        if (IsEmpty) return All;
        var result = new List<DateInterval>();
        DateOnly? cursor = null;
        bool open = true;
        foreach (var i in Intervals)
        {
            if (i.From is { } f && (open || cursor is { } c && f > c)) result.Add(new DateInterval(open ? null : cursor, f));
            open = false;
            cursor = i.To;
            if (i.To is null) return Of(result);
        }
        result.Add(new DateInterval(cursor, null));
        return Of(result);
    }

    public bool Overlaps(DateSet other) => !Intersect(other).IsEmpty;

    /// <summary>Days from <paramref name="d"/> to the nearest day of the set (0 inside); int.MaxValue when empty.</summary>
    public int DistanceTo(DateOnly d)
    {
        int best = int.MaxValue;
        foreach (var i in Intervals) best = Math.Min(best, i.DistanceTo(d));
        return best;
    }

    /// <summary>Total days, or null when unbounded.</summary>
    public long? Days
    {
        get
        {
            long sum = 0;
            foreach (var i in Intervals)
            {
                if (i.Days is not { } n) return null;
                sum += n;
            }
            return sum;
        }
    }

    public bool Equals(DateSet? other) => other is not null && Intervals.SequenceEqual(other.Intervals);
    public override bool Equals(object? obj) => Equals(obj as DateSet);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var i in Intervals) h.Add(i);
        return h.ToHashCode();
    }

    public override string ToString() => IsEmpty ? "∅" : string.Join(" ∪ ", Intervals.Select(i => i.ToString()));
}
