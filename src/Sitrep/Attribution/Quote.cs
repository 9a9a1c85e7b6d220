using System.Collections.Immutable;

namespace Sitrep.Attribution;

/// <summary>How a statement's speaker is identified in the text; what an analyst weighs a claim by.</summary>
public enum SpeakerKind : byte
{
    /// <summary>No source at all: passive or impersonal reporting ("it is said", "reportedly"), or a quote nobody is credited with.</summary>
    None,

    /// <summary>A person, organisation or country by name ("Zelensky", "NATO Secretary General Mark Rutte", "the Kremlin").</summary>
    Named,

    /// <summary>An anonymous person or group described by role: "a senior U.S. official", "one Baltic official", "a Kremlin insider", "European diplomats".</summary>
    Described,

    /// <summary>An anonymous source with no description: "a source", "another one", "sources".</summary>
    Unnamed,

    /// <summary>A group or an institution speaking as one: "the 32 Alliance leaders", "NATO spokespersons", "some NATO members".</summary>
    Collective,
}

/// <summary>A span [Start, End) of UTF-16 offsets into the document text.</summary>
public readonly record struct TextSpan(int Start, int End)
{
    public int Length => End - Start;

    public bool Overlaps(TextSpan other) => Start < other.End && other.Start < End;

    public string GetText(string text) => text.Substring(Start, End - Start);
}

/// <summary>The words that signal the attribution: a reporting verb ("said", "told", "confirmed"), a phrase ("according to"), or a colon.</summary>
public sealed record QuoteCue(string Text, int Start, int End);

/// <summary>
/// Who a statement is attributed to. <see cref="Text"/>/<see cref="Start"/>/<see cref="End"/> name the speaker: the
/// words at the cue ("one Baltic official"), or, when those words only point back ("they added", "the official said",
/// "he noted"), the earlier mention they resolve to ("a senior US official"). <see cref="Mention"/> keeps the words at
/// the cue in every case (null when the statement has none, e.g. "…, emphasizing that …" sharing the subject of the
/// verb before it).
/// </summary>
/// <param name="KbId">The knowledge-base id of a named speaker, when the entity linker knows it.</param>
/// <param name="EntityKey">The linked entity's key (KB id or corpus key), when the speaker is a linked entity.</param>
/// <param name="Resolved">True when the speaker was found by resolving a back-reference (pronoun, "the official", "another one").</param>
public sealed record Speaker(string Text, int Start, int End, string? KbId, SpeakerKind Kind, string? EntityKey, TextSpan? Mention, bool Resolved)
{
    /// <summary>The speaker of a statement with no source.</summary>
    public static Speaker Nobody { get; } = new("", -1, -1, null, SpeakerKind.None, null, null, false);

    public bool IsNobody => Kind == SpeakerKind.None && Start < 0;
}

/// <summary>The outlet that obtained a statement: "told Euractiv", "told Reuters", "in an interview with CNN".</summary>
public sealed record OutletCredit(string Name, string? KbId, int Start, int End);

/// <summary>
/// One stretch of attributed content: a direct quote, or reported speech ("X said that …"), with its cue, speaker and
/// outlet credit. A statement whose content comes in several pieces ("“X,” he said. “Y.”") gives one record per
/// piece, all with the same <see cref="Statement"/> number; pieces after the first have <see cref="Continuation"/> set.
/// </summary>
/// <param name="Text">The content as written (quotation marks of a direct quote included).</param>
/// <param name="Start">Start offset of the content.</param>
/// <param name="End">End offset of the content (exclusive).</param>
/// <param name="Direct">The content is a verbatim quotation (it lies within quotation marks).</param>
/// <param name="Cue">The reporting cue, or null when none is written (a quote that continues an earlier one, or is credited by context only).</param>
/// <param name="Speaker">Who the statement is attributed to.</param>
/// <param name="OutletCredit">The outlet credited with obtaining the statement, if the text says so.</param>
/// <param name="Statement">Index of the statement in the article (0, 1, …), shared by its pieces.</param>
/// <param name="Continuation">This piece continues the statement of an earlier piece.</param>
/// <param name="Verbatim">The quoted words inside the content: the whole content of a direct quote; the partial quotes
/// inside reported speech ("all discussions on the topic are “on hold”"). Scare quotes and quoted names or labels
/// ("a “strategic reassessment”", the “Founding Act”) are not verbatim speech and are not listed.</param>
/// <param name="Confidence">The model's confidence in the attribution, 0–1.</param>
public sealed record Quote(
    string Text, int Start, int End, bool Direct, QuoteCue? Cue, Speaker Speaker, OutletCredit? OutletCredit,
    int Statement, bool Continuation, ImmutableArray<TextSpan> Verbatim, double Confidence)
{
    /// <summary>True when the content holds quoted words, wholly (direct) or in part (a partial quote inside reported speech).</summary>
    public bool HasVerbatim => !Verbatim.IsDefaultOrEmpty;
}

/// <summary>How an article's claims are sourced: counts of statements (not pieces) by speaker kind.</summary>
public sealed record SourcingSummary(int Claims, int Named, int Described, int Unnamed, int Collective, int NoSource, int Direct)
{
    public static SourcingSummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);

    public double Share(SpeakerKind kind) => Claims == 0 ? 0 : Count(kind) / (double)Claims;

    public int Count(SpeakerKind kind) => kind switch
    {
        SpeakerKind.Named => Named,
        SpeakerKind.Described => Described,
        SpeakerKind.Unnamed => Unnamed,
        SpeakerKind.Collective => Collective,
        _ => NoSource,
    };

    /// <summary>Summarises the quotes of one article: each statement counts once, by its speaker's kind.</summary>
    public static SourcingSummary Of(IEnumerable<Quote> quotes)
    {
        ArgumentNullException.ThrowIfNull(quotes);
        int claims = 0, named = 0, described = 0, unnamed = 0, collective = 0, none = 0, direct = 0;
        var seen = new HashSet<int>();
        foreach (var q in quotes)
        {
            if (!seen.Add(q.Statement)) continue;
            claims++;
            if (q.Direct) direct++;
            switch (q.Speaker.Kind)
            {
                case SpeakerKind.Named: named++; break;
                case SpeakerKind.Described: described++; break;
                case SpeakerKind.Unnamed: unnamed++; break;
                case SpeakerKind.Collective: collective++; break;
                default: none++; break;
            }
        }
        return new SourcingSummary(claims, named, described, unnamed, collective, none, direct);
    }
}

/// <summary>Names of <see cref="SpeakerKind"/> as the export spells them.</summary>
public static class SpeakerKinds
{
    public static string Name(SpeakerKind kind) => kind switch
    {
        SpeakerKind.Named => "named",
        SpeakerKind.Described => "described",
        SpeakerKind.Unnamed => "unnamed",
        SpeakerKind.Collective => "collective",
        _ => "none",
    };
}
