namespace Sitrep.Time;

/// <summary>
/// Date arithmetic that never throws: results beyond the calendar's range (0001-01-01 … 9999-12-31) saturate at its
/// ends. Text can name any year ("in 9999", "10,000 years ago"), so every shift of a date read from text goes through here.
/// </summary>
public static class DateMath
{
    private static readonly int MaxDay = DateOnly.MaxValue.DayNumber;

    public static DateOnly PlusDays(this DateOnly d, long days)
    {
        long n = d.DayNumber + days;
        return n <= 0 ? DateOnly.MinValue : n >= MaxDay ? DateOnly.MaxValue : DateOnly.FromDayNumber((int)n);
    }

    public static DateOnly PlusMonths(this DateOnly d, long months)
    {
        long index = (d.Year - 1) * 12L + (d.Month - 1) + months; // months since January of year 1
        if (index < 0) return DateOnly.MinValue;
        if (index > 9999 * 12L - 1) return DateOnly.MaxValue;
        int year = (int)(index / 12) + 1, month = (int)(index % 12) + 1;
        return new DateOnly(year, month, Math.Min(d.Day, DateTime.DaysInMonth(year, month)));
    }

    public static DateOnly PlusYears(this DateOnly d, long years) => d.PlusMonths(years * 12);

    /// <summary>The date, or null when <paramref name="year"/>, <paramref name="month"/>, <paramref name="day"/> name no day of the calendar.</summary>
    public static DateOnly? TryCreate(long year, long month, long day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth((int)year, (int)month)
            ? new DateOnly((int)year, (int)month, (int)day) : null;
}
