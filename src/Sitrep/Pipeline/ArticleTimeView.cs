namespace Sitrep.Pipeline;

/// <summary>
/// The time stage's stored record of one article, read back (see <see cref="TimeJson"/>): the published interval
/// with its basis and conflicts, the times, the flags and the timeline. Offsets are UTF-16, as stored. Days are the
/// inclusive days the JSON holds (<c>to</c> is the last day, not the day after); a day that is not <c>yyyy-MM-dd</c>
/// reads as null.
/// </summary>
public sealed record ArticleTimeView(
    PublishedView Published, IReadOnlyList<TimexView> Times, IReadOnlyList<TimeFlagView> Flags, IReadOnlyList<TimelineEntryView> Timeline);

/// <summary>The article's date: first and last possible day, the likeliest day, where it came from, and why.</summary>
public sealed record PublishedView(
    DateOnly? From, DateOnly? To, DateOnly? Likeliest, string? Source, string? Windows,
    IReadOnlyList<BasisView> Basis, IReadOnlyList<ConflictView> Conflicts);

/// <summary>One dating constraint as stored.</summary>
public sealed record BasisView(
    string? Kind, string? Strength, DateOnly? From, DateOnly? To, int Start, int End, int SentenceStart, int SentenceEnd, string? Reason, bool Satisfied);

/// <summary>A constraint the date does not satisfy, with the evidence's offsets.</summary>
public sealed record ConflictView(string? Reason, int Start, int End);

/// <summary>A time expression as stored.</summary>
public sealed record TimexView(string? Text, int Start, int End, string? Type, string? Value);

/// <summary>A time flag as stored.</summary>
public sealed record TimeFlagView(string? Kind, string? Text, int Start, int End, string? Reason, string? TextSays, string? KnowledgeSays);

/// <summary>A timeline entry as stored: the days it covers (both inclusive), its expression and sentence.</summary>
public sealed record TimelineEntryView(
    DateOnly? From, DateOnly? To, string? Value, int Start, int End, int SentenceStart, int SentenceEnd, bool Uncertain);
