using System.Globalization;

namespace Sitrep.Time;

/// <summary>Granularity of a calendar value, coarse to fine.</summary>
internal enum Gran : byte
{
    None,
    Millennium,
    Century,
    Decade,
    Year,
    Half,
    Quarter,
    Season,
    Month,
    Week,
    Weekend,
    Day,
    PartOfDay,
    Hour,
    Minute,
    Second,
}

internal enum MeaningKind : byte
{
    /// <summary>Nothing (a placeholder).</summary>
    None,
    /// <summary>A calendar value, possibly missing its year or given as a weekday: "Oct. 23", "Friday", "the third quarter", "1998".</summary>
    Calendar,
    /// <summary>A shift from the reference (or from the last date mentioned): "last year", "two weeks ago", "a year earlier".</summary>
    Offset,
    /// <summary>A value that does not depend on any date: durations, sets, PRESENT_REF.</summary>
    Fixed,
}

/// <summary>How to place a calendar value that lacks its year (or week) relative to the reference date.</summary>
internal enum Direction : byte
{
    /// <summary>From the tense of the clause, with a default per granularity.</summary>
    Auto,
    /// <summary>The latest instance not after the reference (the reference's own day, month, season counts).</summary>
    Past,
    /// <summary>The earliest instance not before the reference.</summary>
    Future,
    /// <summary>The latest instance strictly before the reference's own ("last Friday", "last April", "last summer").</summary>
    PastStrict,
    /// <summary>The earliest instance strictly after ("next Friday", "next January").</summary>
    FutureStrict,
    /// <summary>The instance in the reference's year (or week): "this July", "this Friday".</summary>
    This,
    /// <summary>The instance nearest the reference.</summary>
    Nearest,
}

internal enum Anchor : byte
{
    /// <summary>The reference date (document creation time or the article's date).</summary>
    Reference,
    /// <summary>The last date mentioned before, else the reference ("a year earlier", "two days later").</summary>
    LastMention,
}

/// <summary>
/// What a time expression means independently of any reference date, so that it can be resolved against the
/// document creation time first and against an inferred article date later. Unset integer fields are -1.
/// </summary>
internal sealed record TimexMeaning
{
    public static readonly TimexMeaning None = new() { Kind = MeaningKind.None };

    public MeaningKind Kind { get; init; }

    /// <summary>For <see cref="MeaningKind.Fixed"/>: the type and value.</summary>
    public TimexType FixedType { get; init; } = TimexType.Date;
    public string? FixedValue { get; init; }

    // ---- calendar fields
    public int Year { get; init; } = -1;
    /// <summary>A two-digit year ("'98") to be placed in a century near the reference.</summary>
    public int ShortYear { get; init; } = -1;
    public int Month { get; init; } = -1;
    public int Day { get; init; } = -1;
    /// <summary>1 = Monday … 7 = Sunday.</summary>
    public int Weekday { get; init; } = -1;
    public int Quarter { get; init; } = -1;
    public int Half { get; init; } = -1;
    /// <summary>1 spring, 2 summer, 3 fall, 4 winter.</summary>
    public int Season { get; init; } = -1;
    /// <summary>Decade as its first three digits (199 = the 1990s).</summary>
    public int Decade { get; init; } = -1;
    /// <summary>A decade written with two digits ("the '90s"): 9 = the 90s.</summary>
    public int ShortDecade { get; init; } = -1;
    /// <summary>Century as its first two digits (19 = the 1900s, the 20th century).</summary>
    public int Century { get; init; } = -1;
    public int Hour { get; init; } = -1;
    public int Minute { get; init; } = -1;
    /// <summary>MO, AF, EV, NI, DT or null.</summary>
    public string? PartOfDay { get; init; }
    /// <summary>The week-end of the week ("the weekend").</summary>
    public bool Weekend { get; init; }
    /// <summary>A movable holiday: the <see cref="HolidayNth"/>-th <see cref="HolidayWeekday"/> of <see cref="Month"/> (negative = from the end); 99 = Easter.</summary>
    public int HolidayNth { get; init; }
    public int HolidayWeekday { get; init; } = -1;
    public Direction Direction { get; init; }
    /// <summary>The week that holds the day ("the week of March 6", "Easter week").</summary>
    public bool WeekOf { get; init; }
    /// <summary>The year relative to the reference's, for "this year's third quarter" (0) or "next year's first quarter" (+1).</summary>
    public int? YearShift { get; init; }

    // ---- offset fields
    public Gran Unit { get; init; }
    /// <summary>Signed number of units; null for "some" (several years ago → PAST_REF-like).</summary>
    public int? Amount { get; init; }
    /// <summary>Granularity of the value (a decade ago → a year).</summary>
    public Gran Out { get; init; }
    public Anchor Anchor { get; init; }
    /// <summary>Amount used instead of <see cref="Amount"/> when the anchor is the last mention but nothing was mentioned ("the quarter" → the last quarter).</summary>
    public int? FallbackAmount { get; init; }
    /// <summary>Anchor on the last mention only when it has the granularity <see cref="Out"/> ("the quarter" after "the third quarter").</summary>
    public bool SameGranMention { get; init; }
    /// <summary>"a year ago", "a year earlier", "year-earlier": after a quarter or half, the same quarter or half a year before.</summary>
    public bool QuarterAware { get; init; }
    /// <summary>Anchored on the last mention, the value keeps the unit's granularity ("the following year" → a year, not a day).</summary>
    public bool UnitGran { get; init; }
    /// <summary>"the 1988 period/quarter" after a quarter was mentioned: that quarter of the given year (<see cref="Unit"/> is
    /// <see cref="Gran.Quarter"/> when the word is "quarter": then the quarter under discussion even if other dates came between).</summary>
    public bool MentionQuarter { get; init; }
    /// <summary>Clock time given with an offset ("5 p.m. yesterday").</summary>
    public int OffsetHour { get; init; } = -1;
    public int OffsetMinute { get; init; } = -1;

    /// <summary>Calendar fields given with an offset: "this morning" = day 0 + MO.</summary>
    public string? OffsetPartOfDay { get; init; }

    public string? Mod { get; init; }

    public bool IsRelative => Kind switch
    {
        MeaningKind.Offset => true,
        MeaningKind.Calendar => Year < 0 && Decade < 0 && Century < 0 && ShortDecade < 0,
        _ => false,
    };

    /// <summary>The granularity of a calendar meaning.</summary>
    public Gran CalendarGran =>
        Minute >= 0 || Hour >= 0 ? Gran.Hour
        : PartOfDay is not null ? Gran.PartOfDay
        : Day >= 0 || Weekday >= 0 || HolidayNth != 0 ? Gran.Day
        : Weekend ? Gran.Weekend
        : Month >= 0 ? Gran.Month
        : Season >= 0 ? Gran.Season
        : Quarter >= 0 ? Gran.Quarter
        : Half >= 0 ? Gran.Half
        : Year >= 0 || ShortYear >= 0 ? Gran.Year
        : Decade >= 0 || ShortDecade >= 0 ? Gran.Decade
        : Century >= 0 ? Gran.Century
        : Gran.None;
}

/// <summary>A resolved calendar value: a granularity and the first day of the period, plus time-of-day details.</summary>
internal readonly record struct CalValue(Gran Gran, DateOnly Start, int Hour = -1, int Minute = -1, string? PartOfDay = null)
{
    /// <summary>Sorting key of the period's start.</summary>
    public int Key => Start.DayNumber;

    public DateInterval Interval => new(Start, Calendar.End(Gran, Start));

    public string Value => Calendar.Format(this);

    public TimexType Type => Gran is Gran.PartOfDay or Gran.Hour or Gran.Minute ? TimexType.Time : TimexType.Date;
}

/// <summary>Calendar arithmetic for TIMEX3 values.</summary>
internal static class Calendar
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int QuarterOf(DateOnly d) => (d.Month - 1) / 3 + 1;

    /// <summary>Season of a month: 1 spring (Mar–May), 2 summer (Jun–Aug), 3 fall (Sep–Nov), 4 winter (Dec–Feb).</summary>
    public static int SeasonOf(int month) => month switch { 3 or 4 or 5 => 1, 6 or 7 or 8 => 2, 9 or 10 or 11 => 3, _ => 4 };

    /// <summary>
    /// First day of season <paramref name="s"/> labelled with <paramref name="year"/>. Winter <c>Y-WI</c> is the winter
    /// that holds January and February of Y: it starts on 1 December of Y−1.
    /// </summary>
    public static DateOnly SeasonStart(int year, int s) => s switch
    {
        1 => new DateOnly(year, 3, 1),
        2 => new DateOnly(year, 6, 1),
        3 => new DateOnly(year, 9, 1),
        _ => year > 1 ? new DateOnly(year - 1, 12, 1) : DateOnly.MinValue, // the winter of year 1 starts before the calendar
    };

    /// <summary>The season instance (label year, season) that holds <paramref name="d"/>.</summary>
    public static (int Year, int Season) SeasonLabel(DateOnly d)
    {
        int s = SeasonOf(d.Month);
        return (s == 4 && d.Month == 12 ? d.Year + 1 : d.Year, s);
    }

    public static DateOnly WeekStart(DateOnly d) => d.PlusDays(-(((int)d.DayOfWeek + 6) % 7));

    /// <summary>1 = Monday … 7 = Sunday.</summary>
    public static int IsoWeekday(DateOnly d) => ((int)d.DayOfWeek + 6) % 7 + 1;

    /// <summary>The start of the period of granularity <paramref name="g"/> that holds <paramref name="d"/>.</summary>
    public static DateOnly Floor(Gran g, DateOnly d) => g switch
    {
        Gran.Millennium => new DateOnly(Math.Max(1, d.Year / 1000 * 1000), 1, 1),
        Gran.Century => new DateOnly(Math.Max(1, d.Year / 100 * 100), 1, 1),
        Gran.Decade => new DateOnly(Math.Max(1, d.Year / 10 * 10), 1, 1),
        Gran.Year => new DateOnly(d.Year, 1, 1),
        Gran.Half => new DateOnly(d.Year, d.Month <= 6 ? 1 : 7, 1),
        Gran.Quarter => new DateOnly(d.Year, (QuarterOf(d) - 1) * 3 + 1, 1),
        Gran.Season => SeasonStartOf(d),
        Gran.Month => new DateOnly(d.Year, d.Month, 1),
        Gran.Week => WeekStart(d),
        Gran.Weekend => WeekStart(d).PlusDays(5),
        _ => d,
    };

    private static DateOnly SeasonStartOf(DateOnly d)
    {
        var (y, s) = SeasonLabel(d);
        return SeasonStart(y, s);
    }

    /// <summary>The day after the period of granularity <paramref name="g"/> starting on <paramref name="start"/>.</summary>
    public static DateOnly End(Gran g, DateOnly start) => g switch
    {
        Gran.Millennium => SafeAddYears(start, 1000),
        Gran.Century => SafeAddYears(start, 100),
        Gran.Decade => SafeAddYears(start, 10),
        Gran.Year => SafeAddYears(start, 1),
        Gran.Half => start.PlusMonths(6),
        Gran.Quarter or Gran.Season => start.PlusMonths(3),
        Gran.Month => start.PlusMonths(1),
        Gran.Week => start.PlusDays(7),
        Gran.Weekend => start.PlusDays(2),
        _ => start.PlusDays(1),
    };

    private static DateOnly SafeAddYears(DateOnly d, int n) => d.PlusYears(n);

    /// <summary>Shifts a date by <paramref name="n"/> units.</summary>
    public static DateOnly Shift(DateOnly d, Gran unit, int n)
    {
        try
        {
            return unit switch
            {
                Gran.Millennium => d.PlusYears(1000 * n),
                Gran.Century => d.PlusYears(100 * n),
                Gran.Decade => d.PlusYears(10 * n),
                Gran.Year => d.PlusYears(n),
                Gran.Half => d.PlusMonths(6 * n),
                Gran.Quarter or Gran.Season => d.PlusMonths(3 * n),
                Gran.Month => d.PlusMonths(n),
                Gran.Week or Gran.Weekend => d.PlusDays(7 * n),
                Gran.Day or Gran.PartOfDay => d.PlusDays(n),
                _ => d,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            return n < 0 ? DateOnly.MinValue : DateOnly.MaxValue;
        }
    }

    /// <summary>The TIMEX3 value of a resolved calendar value.</summary>
    public static string Format(CalValue v)
    {
        var d = v.Start;
        switch (v.Gran)
        {
            case Gran.Millennium: return (d.Year / 1000).ToString(Inv);
            case Gran.Century: return (d.Year / 100).ToString("00", Inv);
            case Gran.Decade: return (d.Year / 10).ToString("000", Inv);
            case Gran.Year: return d.Year.ToString("0000", Inv);
            case Gran.Half: return $"{d.Year:0000}-H{(d.Month <= 6 ? 1 : 2)}";
            case Gran.Quarter: return $"{d.Year:0000}-Q{QuarterOf(d)}";
            case Gran.Season:
                {
                    var (y, s) = SeasonLabel(d);
                    return $"{y:0000}-{SeasonCode(s)}";
                }
            case Gran.Month: return d.ToString("yyyy-MM", Inv);
            case Gran.Week:
            case Gran.Weekend:
                {
                    var dt = d.ToDateTime(TimeOnly.MinValue);
                    string w = $"{ISOWeek.GetYear(dt):0000}-W{ISOWeek.GetWeekOfYear(dt):00}";
                    return v.Gran == Gran.Weekend ? w + "-WE" : w;
                }
            case Gran.Day: return d.ToString("yyyy-MM-dd", Inv);
            case Gran.PartOfDay: return d.ToString("yyyy-MM-dd", Inv) + "T" + (v.PartOfDay ?? "DT");
            case Gran.Hour:
            case Gran.Minute:
                return d.ToString("yyyy-MM-dd", Inv) + "T" + v.Hour.ToString("00", Inv) + ":" + Math.Max(0, v.Minute).ToString("00", Inv);
            default: return "XXXX";
        }
    }

    public static string SeasonCode(int s) => s switch { 1 => "SP", 2 => "SU", 3 => "FA", _ => "WI" };

    /// <summary>Value with X placeholders for a meaning that cannot be resolved without a reference date.</summary>
    public static string Underspecified(TimexMeaning m)
    {
        string pod = m.PartOfDay is { } p ? "T" + p : m.Hour >= 0 ? $"T{m.Hour:00}:{Math.Max(0, m.Minute):00}" : "";
        if (m.Kind == MeaningKind.Offset)
        {
            string tail = m.OffsetPartOfDay is { } op ? "T" + op : "";
            return m.Out switch
            {
                Gran.Decade => "XXX",
                Gran.Century => "XX",
                Gran.Year => "XXXX",
                Gran.Half => "XXXX-HX",
                Gran.Quarter => "XXXX-QX",
                Gran.Season => "XXXX-XX",
                Gran.Month => "XXXX-XX",
                Gran.Week => "XXXX-WXX",
                Gran.Weekend => "XXXX-WXX-WE",
                _ => "XXXX-XX-XX" + tail,
            };
        }
        if (m.Weekday >= 0) return $"XXXX-WXX-{m.Weekday}{pod}";
        if (m.Month >= 0 && m.Day >= 0) return $"XXXX-{m.Month:00}-{m.Day:00}{pod}";
        if (m.Month >= 0) return $"XXXX-{m.Month:00}";
        if (m.Season >= 0) return "XXXX-" + SeasonCode(m.Season);
        if (m.Quarter >= 0) return $"XXXX-Q{m.Quarter}";
        if (m.Half >= 0) return $"XXXX-H{m.Half}";
        if (m.Weekend) return "XXXX-WXX-WE";
        if (m.Hour >= 0 || m.PartOfDay is not null) return "XXXX-XX-XX" + pod;
        if (m.ShortDecade >= 0) return $"XX{m.ShortDecade}";
        if (m.ShortYear >= 0) return $"XX{m.ShortYear:00}";
        return "XXXX";
    }

    /// <summary>Easter Sunday (Gregorian, anonymous algorithm).</summary>
    public static DateOnly Easter(int y)
    {
        int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(y, month, day);
    }

    /// <summary>The date of a holiday in a year: a fixed day, the n-th weekday of a month (negative n from the end), or Easter.</summary>
    public static DateOnly? Holiday(TimexMeaning m, int year)
    {
        if (year < 1 || year > 9998) return null;
        if (m.HolidayNth == 99) return Easter(year);
        if (m.HolidayNth == 98)
        {
            // US Election Day: the Tuesday after the first Monday of November.
            var nov1 = new DateOnly(year, 11, 1);
            return nov1.PlusDays((1 - IsoWeekday(nov1) + 7) % 7 + 1);
        }
        if (m.HolidayNth == 0) return ValidDate(year, m.Month, m.Day);
        int wd = m.HolidayWeekday;
        if (m.HolidayNth > 0)
        {
            var first = new DateOnly(year, m.Month, 1);
            int shift = (wd - IsoWeekday(first) + 7) % 7;
            return first.PlusDays(shift + 7 * (m.HolidayNth - 1));
        }
        var last = new DateOnly(year, m.Month, DateTime.DaysInMonth(year, m.Month));
        int back = (IsoWeekday(last) - wd + 7) % 7;
        return last.PlusDays(-back - 7 * (-m.HolidayNth - 1));
    }

    public static DateOnly? ValidDate(int y, int m, int d) =>
        y is >= 1 and <= 9999 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m) ? new DateOnly(y, m, d) : null;
}
