namespace Sitrep.Pipeline;

/// <summary>
/// The time stage's stored record of one article (the time layer; written and read by <see cref="TimeJson"/> through
/// <see cref="LayerJson"/>): the published interval with its basis and conflicts, the times, the flags and the
/// timeline. Offsets are UTF-16, as stored. Days are the inclusive days the JSON holds (<c>to</c> is the last day, not
/// the day after); a day that is not <c>yyyy-MM-dd</c> reads as null. A missing field reads as null, −1 (offsets),
/// false or an empty list.
/// </summary>
public sealed record ArticleTimeView(
    PublishedView Published, IReadOnlyList<TimexView> Times, IReadOnlyList<TimeFlagView> Flags, IReadOnlyList<TimelineEntryView> Timeline)
{
    /// <summary>The record with missing parts filled in (an empty published interval, empty lists).</summary>
    internal ArticleTimeView Normalized() => new(
        (Published ?? PublishedView.Empty).Normalized(), Times ?? [], Flags ?? [], Timeline ?? []);

    /// <summary>The record with every offset passed through <paramref name="convert"/> (the export's code points).</summary>
    public ArticleTimeView MapOffsets(Func<int, int> convert) => new(
        Published with
        {
            Basis = [.. Published.Basis.Select(b => b with { Start = convert(b.Start), End = convert(b.End), SentenceStart = convert(b.SentenceStart), SentenceEnd = convert(b.SentenceEnd) })],
            Conflicts = [.. Published.Conflicts.Select(c => c with { Start = convert(c.Start), End = convert(c.End) })],
        },
        [.. Times.Select(t => t with { Start = convert(t.Start), End = convert(t.End) })],
        [.. Flags.Select(f => f with { Start = convert(f.Start), End = convert(f.End) })],
        [.. Timeline.Select(e => e with { Start = convert(e.Start), End = convert(e.End), SentenceStart = convert(e.SentenceStart), SentenceEnd = convert(e.SentenceEnd) })]);
}

/// <summary>The article's date: first and last possible day, the likeliest day, where it came from, and why.</summary>
public sealed record PublishedView(
    DateOnly? From, DateOnly? To, DateOnly? Likeliest, string? Source, string? Windows,
    IReadOnlyList<BasisView> Basis, IReadOnlyList<ConflictView> Conflicts)
{
    /// <summary>Nothing known.</summary>
    public static PublishedView Empty { get; } = new(null, null, null, null, null, [], []);

    internal PublishedView Normalized() => Basis != null && Conflicts != null ? this : this with { Basis = Basis ?? [], Conflicts = Conflicts ?? [] };
}

/// <summary>One dating constraint as stored.</summary>
public sealed record BasisView(
    string? Kind = null, string? Strength = null, DateOnly? From = null, DateOnly? To = null, int Start = -1, int End = -1,
    int SentenceStart = -1, int SentenceEnd = -1, string? Reason = null, bool Satisfied = false);

/// <summary>A constraint the date does not satisfy, with the evidence's offsets.</summary>
public sealed record ConflictView(string? Reason = null, int Start = -1, int End = -1);

/// <summary>A time expression as stored.</summary>
public sealed record TimexView(string? Text = null, int Start = -1, int End = -1, string? Type = null, string? Value = null);

/// <summary>A time flag as stored.</summary>
public sealed record TimeFlagView(
    string? Kind = null, string? Text = null, int Start = -1, int End = -1, string? Reason = null, string? TextSays = null, string? KnowledgeSays = null);

/// <summary>A timeline entry as stored: the days it covers (both inclusive), its expression and sentence.</summary>
public sealed record TimelineEntryView(
    DateOnly? From = null, DateOnly? To = null, string? Value = null, int Start = -1, int End = -1, int SentenceStart = -1, int SentenceEnd = -1,
    bool Uncertain = false);
