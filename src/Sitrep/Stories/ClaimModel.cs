namespace Sitrep.Stories;

/// <summary>How well a claim is established across sources.</summary>
public enum ClaimStatus : byte
{
    /// <summary>Two or more independent origins support it (wire copies and syndication count once) and no source of the same time disagrees.</summary>
    Corroborated,
    /// <summary>A source of about the same time disagrees; both sides are listed.</summary>
    Contradicted,
    /// <summary>One origin supports it, through at least one named or collective source, or the outlet's own assertion.</summary>
    SingleSource,
    /// <summary>Every support is a described or unnamed source ("a senior U.S. official", "a source").</summary>
    AnonymousOnly,
}

public static class ClaimStatuses
{
    public static string Name(ClaimStatus s) => s switch
    {
        ClaimStatus.Corroborated => "corroborated",
        ClaimStatus.Contradicted => "contradicted",
        ClaimStatus.SingleSource => "single_source",
        _ => "anonymous_only",
    };

    public static bool TryParse(string s, out ClaimStatus status)
    {
        foreach (var v in Enum.GetValues<ClaimStatus>())
            if (Name(v).Equals(s.Replace('-', '_'), StringComparison.OrdinalIgnoreCase)) { status = v; return true; }
        status = default;
        return false;
    }
}

/// <summary>A quote as the claims stage reads it from the attribution stage (UTF-16 offsets into the document text).</summary>
public sealed record QuoteInput(int Start, int End, string Text, string? Speaker, string SpeakerKind, int? SpeakerStart, double Confidence);

/// <summary>
/// What the cross-source stage needs of one article: where it comes from (<see cref="Origin"/>: the same for wire
/// copies, syndication and pieces of one site), when it was published, its sentences, actors and quotes.
/// </summary>
public sealed record ClaimArticle(
    string Id, string DocumentId, string Label, string? Title, int TitleStart, string Text, string? Outlet, string Origin,
    DateOnly? Date, DateOnly? DateFrom, DateOnly? DateTo,
    IReadOnlyList<(int Start, int End)> Sentences,
    IReadOnlyList<(string Key, string Name, IReadOnlyList<(int Start, int End)> Mentions)> Actors,
    IReadOnlyList<QuoteInput> Quotes)
{
    /// <summary>The body's range in <see cref="Text"/> (what near-duplicate detection compares).</summary>
    public int BodyStart { get; init; }
    public int BodyEnd { get; init; } = -1;

    /// <summary>The body text: [BodyStart, BodyEnd), or to the end of the text when no end is known.</summary>
    public string Body
    {
        get
        {
            int end = BodyEnd < 0 ? Text.Length : BodyEnd;
            return Text[Math.Clamp(BodyStart, 0, end)..end];
        }
    }
    public string? Byline { get; init; }
    public string? Dateline { get; init; }
    /// <summary>The dek (standfirst) above the body, when the article has one.</summary>
    public string? Dek { get; init; }
    /// <summary>The page's URL (canonical when given) and site, from the store's provenance.</summary>
    public string? Url { get; init; }
    public string? Site { get; init; }
}

/// <summary>One place a claim is made: the article, the span (quote content, headline or sentence), and who made it.</summary>
/// <param name="SpeakerKind">named, described, unnamed, collective, or none (the outlet's own assertion).</param>
/// <param name="Headline">True for the article's headline read as its central claim.</param>
public sealed record ClaimMention(
    string ArticleId, string ArticleLabel, string Origin, string? Outlet, DateOnly? Date,
    int Start, int End, string Text, int SentenceStart, int SentenceEnd,
    string? Speaker, string SpeakerKind, bool Headline, bool Negated)
{
    /// <summary>True when the source is a described or unnamed person ("a senior official", "a source").</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Anonymous => SpeakerKind is "described" or "unnamed";

    /// <summary>Start, end, sentence start and sentence end as Unicode code-point offsets (the export contract's unit), set
    /// by the cross-source stage when it stores the claim; null when not computed.</summary>
    public int[]? CodePoints { get; init; }
}

/// <summary>A mention that disagrees with a claim, and whether the two are of the same time.</summary>
/// <param name="DaysApart">Days between the two articles' likeliest dates, when both are dated.</param>
/// <param name="SameTime">False when the two are dated far apart: they may describe different moments, not disagree.</param>
public sealed record ClaimContradiction(ClaimMention Mention, string Reason, int? DaysApart, bool SameTime);

/// <summary>A claim aligned across articles, graded.</summary>
public sealed record Claim(
    string Id, string Text, ClaimStatus Status, string Reason, int Origins,
    IReadOnlyList<ClaimMention> Support, IReadOnlyList<ClaimContradiction> Contradict, IReadOnlyList<string> Actors)
{
    /// <summary>The story the claim belongs to (its first support's), set by the caller that knows the stories.</summary>
    public string? StoryId { get; init; }
}
