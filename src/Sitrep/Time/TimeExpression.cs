namespace Sitrep.Time;

/// <summary>TIMEX3 types.</summary>
public enum TimexType : byte
{
    /// <summary>A calendar date or period: <c>2025-06-24</c>, <c>2025-06</c>, <c>2025-W11</c>, <c>2024-SU</c>, <c>PRESENT_REF</c>.</summary>
    Date,
    /// <summary>A time of day, or a part of a day: <c>2025-06-24T15:30</c>, <c>2025-06-24TMO</c>.</summary>
    Time,
    /// <summary>A length of time: <c>P4M</c>, <c>PT2H</c>, <c>PXY</c> (some years).</summary>
    Duration,
    /// <summary>A recurrence: <c>P1D</c> (daily), <c>XXXX-WXX-1</c> (every Monday).</summary>
    Set,
}

/// <summary>The tense of the clause around an expression, as far as cheap cues tell.</summary>
public enum Tense : byte
{
    Unknown,
    Past,
    Present,
    Future,
}

/// <summary>
/// A time expression found in a text: the span [Start, End) (UTF-16 offsets into the document text), its TIMEX3
/// type and value, and for dates and times the days it covers [From, To).
/// </summary>
/// <param name="Start">Start offset of the expression.</param>
/// <param name="End">End offset of the expression.</param>
/// <param name="Type">TIMEX3 type.</param>
/// <param name="Value">
/// TIMEX3 value, normalised against the reference date: <c>2025-06-24</c>, <c>2025-06</c>, <c>2025-W11</c>,
/// <c>2025-Q1</c>, <c>2024-SU</c>, <c>199</c> (the 1990s), <c>P4M</c>, <c>PRESENT_REF</c>. A relative expression
/// with no reference date keeps X placeholders (<c>XXXX-07</c>).
/// </param>
public sealed record TimeExpression(int Start, int End, TimexType Type, string Value)
{
    /// <summary>TIMEX3 <c>mod</c>: START, MID, END, APPROX, MORE_THAN, LESS_THAN, EQUAL_OR_MORE, EQUAL_OR_LESS; null when none.</summary>
    public string? Mod { get; init; }

    /// <summary>True when the value depends on the reference date ("last year", "on Monday", "in January").</summary>
    public bool Relative { get; init; }

    /// <summary>The tense read around the expression (used to resolve bare weekdays and months).</summary>
    public Tense Tense { get; init; }

    /// <summary>First day the expression covers, for a resolved date or time; null otherwise (and for open references).</summary>
    public DateOnly? From { get; init; }

    /// <summary>The day after the last day it covers.</summary>
    public DateOnly? To { get; init; }

    /// <summary>
    /// When the reference date is uncertain (an inferred interval), the value the expression takes at the earliest and
    /// at the latest possible reference date; both null when the value is the same across the interval.
    /// </summary>
    public string? ValueIfEarliest { get; init; }

    /// <inheritdoc cref="ValueIfEarliest"/>
    public string? ValueIfLatest { get; init; }

    /// <summary>True when the value would differ for another date in the article's possible interval.</summary>
    public bool Uncertain => ValueIfEarliest is not null || ValueIfLatest is not null;

    /// <summary>The days covered, when known.</summary>
    public DateInterval? Interval => From is { } f && To is { } t ? new DateInterval(f, t) : null;

    /// <summary>The reference-independent meaning, kept so the expression can be resolved again against another date.</summary>
    internal TimexMeaning Meaning { get; init; } = TimexMeaning.None;

    public int Length => End - Start;

    /// <summary>The TIMEX3 spelling of <see cref="Type"/>: DATE, TIME, DURATION, SET.</summary>
    public string TypeName => Type.ToTimeML();

    public string GetText(string text) => text[Start..End];

    public override string ToString() => $"[{Start},{End}) {TypeName} {Value}";
}

public static class TimexTypeExtensions
{
    /// <summary>DATE, TIME, DURATION or SET.</summary>
    public static string ToTimeML(this TimexType t) => t switch
    {
        TimexType.Date => "DATE",
        TimexType.Time => "TIME",
        TimexType.Duration => "DURATION",
        _ => "SET",
    };

    /// <summary>Parses DATE, TIME, DURATION or SET (any case).</summary>
    public static bool TryParse(string s, out TimexType type)
    {
        switch (s.ToUpperInvariant())
        {
            case "DATE": type = TimexType.Date; return true;
            case "TIME": type = TimexType.Time; return true;
            case "DURATION": type = TimexType.Duration; return true;
            case "SET": type = TimexType.Set; return true;
            default: type = TimexType.Date; return false;
        }
    }
}
