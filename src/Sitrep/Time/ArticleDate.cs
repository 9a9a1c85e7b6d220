using System.Collections.Immutable;

namespace Sitrep.Time;

/// <summary>How much a dating constraint is trusted.</summary>
public enum ConstraintStrength : byte
{
    /// <summary>
    /// A fact of the knowledge base about something the text names (a role in its term, a named operation that exists,
    /// the number of members), or the metadata: the article cannot be right otherwise.
    /// </summary>
    Hard,
    /// <summary>
    /// Read through tense or a relative expression ("four months before the summit", "next week's ministerial",
    /// "set for June 2025"): usually right, but a misread clause or a loose phrase can make it wrong.
    /// </summary>
    Soft,
}

/// <summary>Where a dating constraint comes from.</summary>
public enum ConstraintKind : byte
{
    /// <summary>The publication date from the page's metadata (HTML meta, feed, WARC headers).</summary>
    Metadata,
    /// <summary>No later than the day of analysis.</summary>
    NotAfterToday,
    /// <summary>A person named with a role: the article falls in a term of that role ("President-elect Donald Trump").</summary>
    Role,
    /// <summary>A person named as former holder of a role: after a term ended.</summary>
    FormerRole,
    /// <summary>A named operation, event, body or treaty the KB dates: the article is after it began.</summary>
    Exists,
    /// <summary>A count of members ("the 32 Alliance leaders"): the article falls when the organisation had that many.</summary>
    MemberCount,
    /// <summary>An explicit date read as past (after its start) or future (before its end) from the tense.</summary>
    ExplicitDate,
    /// <summary>The date of the dateline ("BRUSSELS, June 3 (Reuters)"): that day or the next, in any year when none is given.</summary>
    Dateline,
    /// <summary>A KB-dated event referred to as past ("last summer's summit") or future ("next week's ministerial", "the summit set for June").</summary>
    EventRelation,
}

/// <summary>
/// One piece of evidence about an article's date: the set of days it allows, its strength, the evidence span in
/// the text and the sentence it came from, and a reason in words.
/// </summary>
/// <param name="Kind">Where it comes from.</param>
/// <param name="Strength">Hard or soft.</param>
/// <param name="Allowed">The days it allows (often one half-open interval; a role held twice gives two).</param>
/// <param name="Start">Start offset of the evidence in the text (the title, the name, the expression).</param>
/// <param name="End">End offset of the evidence.</param>
/// <param name="SentenceStart">Start offset of the sentence the evidence is in.</param>
/// <param name="SentenceEnd">End offset of that sentence.</param>
/// <param name="Reason">Why, in words: "'NATO Secretary General Mark Rutte': Mark Rutte is NATO Secretary General from 2024-10-01".</param>
/// <param name="SubjectId">The KB id the evidence is about (a person, an operation, an event), when there is one.</param>
public sealed record DateConstraint(
    ConstraintKind Kind, ConstraintStrength Strength, DateSet Allowed, int Start, int End, int SentenceStart, int SentenceEnd, string Reason,
    string? SubjectId = null)
{
    /// <summary>The earliest allowed day, or null when open below.</summary>
    public DateOnly? From => Allowed.From;

    /// <summary>The day after the last allowed day, or null when open above.</summary>
    public DateOnly? To => Allowed.To;

    /// <summary>For a role claim: the role id.</summary>
    public string? RoleId { get; init; }

    /// <summary>Set by the dater: the final date satisfies this constraint.</summary>
    public bool Satisfied { get; init; } = true;

    /// <summary>Set by the dater: this constraint sets one of the final interval's bounds.</summary>
    public bool Binding { get; init; }

    /// <summary>A likely day within <see cref="Allowed"/> ("four months before the summit" → that day), used for the reference date.</summary>
    public DateOnly? Likely { get; init; }

    public override string ToString() => $"{Kind} {Strength} {Allowed}: {Reason}";
}

/// <summary>A constraint that the article's date does not satisfy, with the constraints it cannot be reconciled with.</summary>
/// <param name="Constraint">The constraint left unsatisfied.</param>
/// <param name="Against">The satisfied constraints that, together, exclude every day it allows.</param>
/// <param name="Reason">What conflicts with what, in words.</param>
public sealed record DateConflict(DateConstraint Constraint, ImmutableArray<DateConstraint> Against, string Reason);

/// <summary>Where an article's date comes from.</summary>
public enum DatingSource : byte
{
    /// <summary>The page's metadata gave the publication date.</summary>
    Metadata,
    /// <summary>Inferred from the text and the knowledge base.</summary>
    Content,
    /// <summary>Nothing dates the article.</summary>
    Unknown,
}

/// <summary>
/// An article's publication date as an interval [From, To) with the evidence for it. <see cref="Allowed"/> may
/// hold several windows within the interval (two NATO ministerials a week ahead of which the article could fall).
/// Relative expressions are resolved against <see cref="Reference"/>, the most likely day.
/// </summary>
/// <param name="From">First possible day, or null when nothing bounds it below.</param>
/// <param name="To">Day after the last possible day, or null when nothing bounds it above.</param>
/// <param name="Reference">The most likely day (see docs/time.md for the choice), or null when nothing dates the article.</param>
/// <param name="Source">Metadata, content or unknown.</param>
/// <param name="Allowed">The possible days (the union of windows); its hull is [From, To).</param>
/// <param name="Basis">Every constraint found, each marked satisfied or not and binding or not.</param>
/// <param name="Conflicts">Constraints the date does not satisfy, with what they conflict with. Empty when all agree.</param>
public sealed record ArticleDate(
    DateOnly? From, DateOnly? To, DateOnly? Reference, DatingSource Source, DateSet Allowed,
    ImmutableArray<DateConstraint> Basis, ImmutableArray<DateConflict> Conflicts)
{
    /// <summary>No date at all.</summary>
    public static ArticleDate Unknown { get; } = new(null, null, null, DatingSource.Unknown, DateSet.All, [], []);

    /// <summary>A single known day (from metadata).</summary>
    public bool IsExact => From is { } f && To is { } t && t.DayNumber - f.DayNumber == 1;

    /// <summary>The earliest possible day, when bounded.</summary>
    public DateOnly? Earliest => From;

    /// <summary>The latest possible day, when bounded.</summary>
    public DateOnly? Latest => To?.PlusDays(-1);

    /// <summary>True when the hard evidence could not all hold at once.</summary>
    public bool HasConflicts => !Conflicts.IsEmpty;

    /// <summary>True when the article may have been published on <paramref name="day"/>.</summary>
    public bool Allows(DateOnly day) => Allowed.Contains(day);

    public override string ToString() => $"{DateInterval.Format(From)}..{DateInterval.Format(To)} (ref {DateInterval.Format(Reference)}, {Source}, {Basis.Length} constraints, {Conflicts.Length} conflicts)";
}
