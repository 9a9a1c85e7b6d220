using System.Collections.Immutable;

namespace Sitrep.Time;

/// <summary>Kinds of consistency flags, as spelled in the export.</summary>
public static class TimeFlagKinds
{
    /// <summary>A person is called by a role they did not hold on the article's date ("Secretary-General Jens Stoltenberg" in December 2024).</summary>
    public const string RoleNotHeld = "role-not-held";
    /// <summary>An event is referred to as still to come although, on the article's date, it had already happened.</summary>
    public const string EventAlreadyHappened = "event-already-happened";
    /// <summary>An event is referred to as past although, on the article's date, it had not happened yet.</summary>
    public const string EventNotYetHappened = "event-not-yet-happened";
    /// <summary>Something the KB dates after the article's date is named as existing (an operation before its launch).</summary>
    public const string Anachronism = "anachronism";
    /// <summary>The text dates a KB event differently from the KB ("their next summit this July": the summit was in June).</summary>
    public const string DateMismatch = "date-mismatch";
    /// <summary>A count of members that does not fit the article's date ("the 30 allies" after Finland and Sweden joined).</summary>
    public const string CountMismatch = "count-mismatch";
    /// <summary>A dating constraint that the date could not satisfy, when no more specific kind applies.</summary>
    public const string DatingConflict = "dating-conflict";
}

/// <summary>
/// A statement that contradicts the knowledge base at the article's date, with the evidence on both sides.
/// [Start, End) is the span of the statement's evidence in the text (UTF-16 offsets); the sentence is given too.
/// </summary>
/// <param name="Kind">One of <see cref="TimeFlagKinds"/>.</param>
/// <param name="Start">Start of the evidence ("Secretary-General Jens Stoltenberg").</param>
/// <param name="End">End of the evidence.</param>
/// <param name="SentenceStart">Start of its sentence.</param>
/// <param name="SentenceEnd">End of its sentence.</param>
/// <param name="Reason">The contradiction in one sentence.</param>
/// <param name="TextSays">What the text says or implies.</param>
/// <param name="KnowledgeSays">What the KB says, with dates.</param>
/// <param name="Against">The constraints that dated the article against this statement.</param>
public sealed record TimeFlag(
    string Kind, int Start, int End, int SentenceStart, int SentenceEnd, string Reason, string TextSays, string KnowledgeSays,
    ImmutableArray<DateConstraint> Against)
{
    public override string ToString() => $"{Kind} [{Start},{End}): {Reason}";
}

/// <summary>A dated statement: a time expression with the days it covers, its sentence and article.</summary>
/// <param name="ArticleId">The article's id (as the pipeline names it), or empty.</param>
/// <param name="From">First day covered.</param>
/// <param name="To">Day after the last day covered.</param>
/// <param name="Value">The TIMEX3 value.</param>
/// <param name="Start">Start of the time expression.</param>
/// <param name="End">End of the time expression.</param>
/// <param name="SentenceStart">Start of the statement (its sentence).</param>
/// <param name="SentenceEnd">End of the statement.</param>
/// <param name="Uncertain">The value depends on which day in the article's possible interval it was written.</param>
public sealed record TimelineEntry(string ArticleId, DateOnly From, DateOnly To, string Value, int Start, int End, int SentenceStart, int SentenceEnd, bool Uncertain)
{
    /// <summary>True for a single day.</summary>
    public bool IsDay => To.DayNumber - From.DayNumber == 1;
}
