namespace Sitrep.Time;

/// <summary>The outcome of resolving a meaning against a reference date.</summary>
internal readonly record struct Resolution(TimexType Type, string Value, CalValue? Cal)
{
    public DateInterval? Interval => Cal?.Interval;
}

/// <summary>Resolves a <see cref="TimexMeaning"/> against a reference date, the clause's tense and the last date mentioned.</summary>
internal static class TimexResolver
{
    /// <param name="strictTense">Follow the tense however far it sends the value (for dating, where "the allies agreed
    /// during the July summit" must put the summit before the article); otherwise a tense-directed month or date more than
    /// ten months away gives way to the nearest one.</param>
    public static Resolution Resolve(TimexMeaning m, DateOnly? reference, Tense tense, CalValue? last, bool strictTense = false)
    {
        switch (m.Kind)
        {
            case MeaningKind.Fixed:
                return new Resolution(m.FixedType, m.FixedValue ?? "XXXX", null);
            case MeaningKind.Calendar:
                {
                    if (m.MentionQuarter && m.Year > 0 && last is { Gran: Gran.Quarter } lq)
                    {
                        var q = new CalValue(Gran.Quarter, new DateOnly(m.Year, lq.Start.Month, 1));
                        return new Resolution(q.Type, q.Value, q);
                    }
                    // "the previous Friday", "the following Monday": from the day last mentioned.
                    if (m.Anchor == Anchor.LastMention && m.Weekday >= 0 && m.Month < 0 && last is { Gran: Gran.Day } lw)
                    {
                        var w = WithTime(m, PickWeekday(lw.Start, m.Weekday, m.Direction));
                        return new Resolution(w.Type, w.Value, w);
                    }
                    // A clock time or a part of the day alone ("at 10 p.m.", "in the morning") belongs to the day last
                    // mentioned, as a story tells it.
                    if ((m.Hour >= 0 || m.PartOfDay is not null) && m.Year < 0 && m.Month < 0 && m.Weekday < 0 && m.HolidayNth == 0 && last is { Gran: Gran.Day } ld)
                    {
                        var t = WithTime(m, ld.Start);
                        return new Resolution(t.Type, t.Value, t);
                    }
                    var cal = ResolveCalendar(m, reference, tense, strictTense);
                    if (m.WeekOf && cal is { Gran: Gran.Day } wd) cal = new CalValue(Gran.Week, Calendar.WeekStart(wd.Start));
                    if (cal is { } c) return new Resolution(c.Type, c.Value, c);
                    var type = m.Hour >= 0 || m.PartOfDay is not null ? TimexType.Time : TimexType.Date;
                    return new Resolution(type, Calendar.Underspecified(m), null);
                }
            case MeaningKind.Offset:
                {
                    var cal = ResolveOffset(m, reference, last);
                    if (cal is { } c) return new Resolution(c.Type, c.Value, c);
                    var type = m.OffsetPartOfDay is not null ? TimexType.Time : TimexType.Date;
                    return new Resolution(type, Calendar.Underspecified(m), null);
                }
            default:
                return new Resolution(TimexType.Date, "XXXX", null);
        }
    }

    // ------------------------------------------------------------------ calendar

    public static CalValue? ResolveCalendar(TimexMeaning m, DateOnly? reference, Tense tense, bool strictTense = false)
    {
        if (m.Decade >= 0) return Safe(() => new CalValue(Gran.Decade, new DateOnly(Math.Max(1, m.Decade * 10), 1, 1)));
        if (m.Century >= 0) return Safe(() => new CalValue(Gran.Century, new DateOnly(Math.Max(1, m.Century * 100), 1, 1)));
        if (m.ShortDecade >= 0)
        {
            // "the '90s": the latest such decade that has begun by the reference (1990s in 2025, 2020s in 2025 for "'20s").
            int refYear = reference?.Year ?? 1999;
            int start = refYear / 100 * 100 + m.ShortDecade * 10;
            if (start > refYear) start -= 100;
            return Safe(() => new CalValue(Gran.Decade, new DateOnly(Math.Max(1, start), 1, 1)));
        }
        int year = m.Year;
        if (year < 0 && m.ShortYear >= 0)
        {
            // "'98": the year with those last two digits nearest the reference, preferring the past.
            int refYear = reference?.Year ?? 1999;
            year = refYear / 100 * 100 + m.ShortYear;
            if (year > refYear + 10) year -= 100;
        }
        if (year < 0 && m.YearShift is { } ys && reference is { } rr) year = rr.Year + ys;
        if (year >= 0) return FromYear(m, year, reference);
        if (reference is not { } r) return null;

        var dir = m.Direction;
        if (m.Weekday >= 0 && m.Month < 0 && m.Day < 0)
        {
            if (dir == Direction.Auto) dir = tense == Tense.Future ? Direction.Future : Direction.Past;
            var day = PickWeekday(r, m.Weekday, dir);
            return WithTime(m, day);
        }
        if (m.Weekend && m.Month < 0)
        {
            var sat = Calendar.WeekStart(r).PlusDays(5);
            if (dir == Direction.Auto) dir = tense == Tense.Past ? Direction.Past : Direction.Future;
            var c = Pick([new CalValue(Gran.Weekend, sat.PlusDays(-7)), new CalValue(Gran.Weekend, sat), new CalValue(Gran.Weekend, sat.PlusDays(7))], r, dir);
            return c;
        }
        if (m.Month < 0 && m.Season < 0 && m.Quarter < 0 && m.Half < 0 && m.HolidayNth == 0)
        {
            // A time of day alone ("3 p.m.", "this morning" is an offset): the reference day.
            if (m.Hour >= 0 || m.PartOfDay is not null) return WithTime(m, r);
            return null;
        }

        var candidates = new List<CalValue>(3);
        for (int y = r.Year - 1; y <= r.Year + 1; y++)
            if (FromYear(m, y, reference) is { } c) candidates.Add(c);
        if (candidates.Count == 0) return null;
        if (dir == Direction.Auto)
        {
            var g = m.CalendarGran;
            if (g is Gran.Quarter or Gran.Half) dir = Direction.This;
            else
            {
                // The tense says which way, unless that instance is far (over eight months) and another is near:
                // "said … Dec. 14" written in October is this December, not last.
                var near = Pick(candidates, r, Direction.Nearest);
                var towards = tense switch
                {
                    Tense.Past => Pick(candidates, r, Direction.Past),
                    Tense.Future => Pick(candidates, r, Direction.Future),
                    _ => near,
                };
                int limit = g == Gran.Month ? MaxTenseDistanceMonth : MaxTenseDistance;
                return towards is { } tw && (strictTense || tw.Interval.DistanceTo(r) <= limit) ? tw : near;
            }
        }
        if (dir == Direction.This)
        {
            foreach (var c in candidates)
                if (LabelYear(c) == r.Year)
                {
                    // "the fourth quarter" said in January is the one just ended, unless the clause looks ahead.
                    if (m.Direction == Direction.Auto && c.Gran is Gran.Quarter or Gran.Half && c.Start > r && tense != Tense.Future)
                        return new CalValue(c.Gran, Calendar.Shift(c.Start, Gran.Year, -1));
                    return c;
                }
            return null;
        }
        return Pick(candidates, r, dir);
    }

    /// <summary>How far (days) the tense may send a month or date away from the reference before the nearest instance wins.</summary>
    private const int MaxTenseDistance = 300, MaxTenseDistanceMonth = 300;

    private static int LabelYear(CalValue c) => c.Gran == Gran.Season ? Calendar.SeasonLabel(c.Start).Year : c.Start.Year;

    private static CalValue? Safe(Func<CalValue> f)
    {
        try { return f(); }
        catch (ArgumentOutOfRangeException) { return null; }
    }

    /// <summary>The calendar value in a given year.</summary>
    private static CalValue? FromYear(TimexMeaning m, int year, DateOnly? reference)
    {
        if (year is < 1 or > 9998) return null;
        if (m.HolidayNth != 0 || (m.Month >= 0 && m.Day >= 0))
        {
            DateOnly? d = m.HolidayNth != 0 ? Calendar.Holiday(m, year) : Calendar.ValidDate(year, m.Month, m.Day);
            return d is { } day ? WithTime(m, day) : null;
        }
        if (m.Month >= 0) return new CalValue(Gran.Month, new DateOnly(year, m.Month, 1));
        if (m.Season >= 0) return new CalValue(Gran.Season, Calendar.SeasonStart(year, m.Season));
        if (m.Quarter >= 0) return new CalValue(Gran.Quarter, new DateOnly(year, (m.Quarter - 1) * 3 + 1, 1));
        if (m.Half >= 0) return new CalValue(Gran.Half, new DateOnly(year, m.Half == 1 ? 1 : 7, 1));
        if (m.Weekday >= 0 && reference is { } r && r.Year == year) return WithTime(m, PickWeekday(r, m.Weekday, Direction.Past));
        return new CalValue(Gran.Year, new DateOnly(year, 1, 1));
    }

    private static CalValue WithTime(TimexMeaning m, DateOnly day)
    {
        if (m.Hour >= 0) return new CalValue(m.Minute >= 0 ? Gran.Minute : Gran.Hour, day, m.Hour, m.Minute);
        if (m.PartOfDay is { } p) return new CalValue(Gran.PartOfDay, day, PartOfDay: p);
        return new CalValue(Gran.Day, day);
    }

    /// <summary>The day with the given ISO weekday, placed relative to <paramref name="r"/>.</summary>
    public static DateOnly PickWeekday(DateOnly r, int weekday, Direction dir)
    {
        int today = Calendar.IsoWeekday(r);
        int back = (today - weekday + 7) % 7;     // days back to the latest such day (0 = today)
        int ahead = (weekday - today + 7) % 7;    // days ahead to the next such day (0 = today)
        return dir switch
        {
            Direction.Past => r.PlusDays(-back),
            Direction.Future => r.PlusDays(ahead),
            Direction.PastStrict => r.PlusDays(back == 0 ? -7 : -back),
            Direction.FutureStrict => r.PlusDays(ahead == 0 ? 7 : ahead),
            Direction.This => Calendar.WeekStart(r).PlusDays(weekday - 1),
            _ => back <= ahead ? r.PlusDays(-back) : r.PlusDays(ahead),
        };
    }

    private static CalValue? Pick(List<CalValue> candidates, DateOnly r, Direction dir)
    {
        CalValue? best = null;
        switch (dir)
        {
            case Direction.Past:
                foreach (var c in candidates) if (c.Start <= r && (best is null || c.Start > best.Value.Start)) best = c;
                return best ?? candidates.MinBy(c => c.Start);
            case Direction.Future:
                foreach (var c in candidates) if (c.Interval.To > r && (best is null || c.Start < best.Value.Start)) best = c;
                return best ?? candidates.MaxBy(c => c.Start);
            case Direction.PastStrict:
                foreach (var c in candidates) if (c.Interval.To <= r && (best is null || c.Start > best.Value.Start)) best = c;
                return best ?? candidates.MinBy(c => c.Start);
            case Direction.FutureStrict:
                foreach (var c in candidates) if (c.Start > r && (best is null || c.Start < best.Value.Start)) best = c;
                return best ?? candidates.MaxBy(c => c.Start);
            default:
                {
                    int bestDist = int.MaxValue;
                    foreach (var c in candidates)
                    {
                        int dist = c.Interval.DistanceTo(r);
                        if (dist < bestDist || (dist == bestDist && best is { } b && c.Start < b.Start)) { best = c; bestDist = dist; }
                    }
                    return best;
                }
        }
    }

    // ------------------------------------------------------------------ offsets

    public static CalValue? ResolveOffset(TimexMeaning m, DateOnly? reference, CalValue? last)
    {
        int n = m.Amount ?? 0;
        // A year before a quarter or half just mentioned is the same quarter or half a year before
        // ("third-quarter profit … a year earlier / a year ago / the year-earlier period").
        if (m.QuarterAware && m.Unit == Gran.Year)
        {
            if (last is { } lq && lq.Gran is Gran.Quarter or Gran.Half)
                return new CalValue(lq.Gran, Calendar.Floor(lq.Gran, Calendar.Shift(lq.Start, Gran.Year, n)));
            // Without a quarter to compare with, "a year ago" / "year-earlier" is the year before the reference's;
            // "the year-earlier quarter" the last full quarter, a year before.
            if (reference is not { } rq) return null;
            if (m.Out == Gran.Quarter)
                return new CalValue(Gran.Quarter, Calendar.Shift(Calendar.Shift(Calendar.Floor(Gran.Quarter, rq), Gran.Quarter, -1), Gran.Year, n));
            return new CalValue(Gran.Year, Calendar.Floor(Gran.Year, Calendar.Shift(rq, Gran.Year, n)));
        }
        if (m.SameGranMention && last is { } lg && lg.Gran != m.Out) last = null;
        if (m.Anchor == Anchor.LastMention && last is null && m.FallbackAmount is { } fa) n = fa;
        if (m.Anchor == Anchor.LastMention && last is { } l && l.Gran >= Gran.Year && l.Gran <= Gran.Day)
        {
            var g = m.UnitGran ? m.Out : l.Gran > m.Out ? l.Gran : m.Out;
            if (g > Gran.Day) g = Gran.Day;
            var shifted = Calendar.Shift(l.Start, m.Unit, n);
            return new CalValue(g, Calendar.Floor(g, shifted));
        }
        if (reference is not { } r) return null;
        var date = Calendar.Shift(r, m.Unit, n);
        if (date == DateOnly.MinValue || date == DateOnly.MaxValue) return null;
        if (m.OffsetHour >= 0) return new CalValue(m.OffsetMinute >= 0 ? Gran.Minute : Gran.Hour, date, m.OffsetHour, m.OffsetMinute);
        if (m.OffsetPartOfDay is { } pod) return new CalValue(Gran.PartOfDay, date, PartOfDay: pod);
        var og = m.Out == Gran.None ? m.Unit : m.Out;
        return new CalValue(og, Calendar.Floor(og, date));
    }
}
