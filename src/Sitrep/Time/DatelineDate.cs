using Sitrep.Text;
using System.Text.RegularExpressions;

namespace Sitrep.Time;

/// <summary>
/// The date a dateline gives ("BRUSSELS, June 3 (Reuters) —", "KYIV, 12 March 2025 (AFP)"): wire copy is filed on
/// the dateline's day and published that day or the next (time zones, overnight editions). Without a year the
/// dateline allows that day of every year.
/// </summary>
public static class DatelineDate
{
    /// <summary>
    /// A day with an optional year, month first ("June 3", "Sept. 30, 2024") or day first ("12 March 2025"). The month
    /// names are the time lexicon's (<see cref="TimeLexicon.MonthNames"/>), capitalised as a dateline writes them, an
    /// abbreviation with or without its period.
    /// </summary>
    private static readonly Regex DayPattern = new(Pattern(), RegexOptions.CultureInvariant);

    private static string Pattern()
    {
        // Longest first, so "September" is tried before "Sept" and "Sep".
        var names = TimeLexicon.MonthNames.Keys
            .OrderByDescending(k => k.Length).ThenBy(k => k, StringComparer.Ordinal)
            .Select(k => Regex.Escape(char.ToUpperInvariant(k[0]) + k[1..]));
        var month = $"(?<m>{string.Join('|', names)})";
        const string year = @"(?<y>(?:19|20)[0-9][0-9])";
        return $@"\b(?:{month}\.?\s+(?<d>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:,?\s+{year})?|(?<d>[0-9]{{1,2}})\s+{month}\.?(?:\s+{year})?)\b";
    }

    /// <summary>The month, day and (when given) year the dateline names, with the span of the date in <paramref name="text"/>.</summary>
    public static (int Month, int Day, int? Year, int Start, int End)? Read(string text, int start, int end)
    {
        start = Math.Clamp(start, 0, text.Length);
        end = Math.Clamp(end, start, text.Length);
        var m = DayPattern.Match(text[start..end]);
        if (!m.Success) return null;
        int month = TimeLexicon.MonthNames.GetValueOrDefault(m.Groups["m"].Value, -1);
        int day = AsciiNumber.ParseOr(m.Groups["d"].Value, -1);
        int? year = m.Groups["y"].Success ? AsciiNumber.ParseOr(m.Groups["y"].Value, 2024) : null;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year ?? 2024, month)) return null;
        return (month, day, year, start + m.Index, start + m.Index + m.Length);
    }

    /// <summary>A dateline without a year allows its day in at most this many years, up to the last one.</summary>
    public const int MaxYearsWithoutYear = 100;

    /// <summary>The days of publication the dateline allows: its day and the next, in its year or in every year from 1990 to <paramref name="lastYear"/>.</summary>
    public static DateSet Allowed(int month, int day, int? year, int lastYear)
    {
        var intervals = new List<DateInterval>();
        // Without a year: at most the last MaxYearsWithoutYear years (a far-off last year must not make thousands of intervals).
        int to = Math.Clamp(year ?? lastYear, 1, 9999);
        int from = year is { } y0 ? Math.Clamp(y0, 1, 9999) : Math.Max(Math.Max(1, to - MaxYearsWithoutYear + 1), Math.Min(1990, to));
        for (int y = from; y <= to; y++)
        {
            if (!DateTime.IsLeapYear(y) && month == 2 && day == 29) continue;
            if (DateMath.TryCreate(y, month, day) is not { } d) continue;
            intervals.Add(new DateInterval(d, d.PlusDays(2)));
        }
        return DateSet.Of(intervals);
    }
}
