using System.Collections.Immutable;

namespace Sitrep.Knowledge;

/// <summary>How a surface form refers to its entity.</summary>
public enum MatchKind : byte
{
    /// <summary>The entity's canonical name.</summary>
    Name,
    /// <summary>Another name of the entity (short form, spelling variant, acronym, web domain).</summary>
    Alias,
    /// <summary>A mention of something else that stands for the entity ("Moscow", "the Kremlin" for Russia).</summary>
    Metonym,
    /// <summary>A demonym or adjective ("Russian", "Danish", "U.S.").</summary>
    Demonym,
}

/// <summary>How precisely a date in the KB is known.</summary>
public enum DatePrecision : byte
{
    Day,
    Month,
    Year,
}

/// <summary>Where something was written: a KB file and a 1-based line.</summary>
public readonly record struct SourceRef(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>
/// A half-open date range [From, To). A null bound is open: no From means "since before anything we know",
/// no To means "still so". A range with neither bound is <see cref="IsUndated"/>: we know the fact but not when,
/// and date queries do not count it.
/// </summary>
public readonly record struct DateRange(DateOnly? From, DateOnly? To, DatePrecision FromPrecision = DatePrecision.Day, DatePrecision ToPrecision = DatePrecision.Day)
{
    public static DateRange Undated => default;

    public bool IsUndated => From is null && To is null;

    /// <summary>True when <paramref name="date"/> lies in [From, To). Always false for an undated range.</summary>
    public bool Contains(DateOnly date) =>
        !IsUndated && (From is not { } f || date >= f) && (To is not { } t || date < t);

    /// <summary>True when this range shares at least one day with [from, toExclusive). False for an undated range.</summary>
    public bool Overlaps(DateOnly from, DateOnly toExclusive) =>
        !IsUndated && (To is not { } t || t > from) && (From is not { } f || f < toExclusive);

    public override string ToString()
    {
        if (IsUndated) return "(undated)";
        return $"[{Format(From, FromPrecision)}, {Format(To, ToPrecision)})";
    }

    internal static string Format(DateOnly? d, DatePrecision p) => d is not { } v ? "…" : p switch
    {
        DatePrecision.Year => v.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture),
        DatePrecision.Month => v.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>One surface form of an entity: an alias, a metonym or a demonym.</summary>
/// <param name="Text">The form as written in the KB.</param>
/// <param name="Confidence">Confidence that a match of this form refers to the entity; null = the default for its kind.</param>
/// <param name="Ambiguous">Declared as knowingly shared with another entity's name or alias.</param>
/// <param name="Note">Free text for editors (why it is ambiguous, in which context it holds).</param>
public sealed record Surface(string Text, MatchKind Kind, double? Confidence, bool Ambiguous, string? Note, SourceRef Source);

/// <summary>Membership of an entity in an organisation over a date range.</summary>
public sealed record Membership(string MemberId, string OrgId, DateRange Dates, string? Note, SourceRef Source);

/// <summary>A position that people hold: "Secretary General" of NATO, "President" of the United States.</summary>
/// <param name="Id">Role id (local, e.g. <c>sitrep:role/nato-secretary-general</c>).</param>
/// <param name="Title">The canonical title.</param>
/// <param name="OrgId">The organisation or country the role belongs to, if any.</param>
/// <param name="Titles">Every title form used to recognise the role before a name (includes <paramref name="Title"/>).</param>
public sealed record Role(string Id, string Title, string? OrgId, ImmutableArray<string> Titles, string? Description, SourceRef Source);

/// <summary>A person holding a role over a date range.</summary>
public sealed record Tenure(string PersonId, string RoleId, DateRange Dates, string? Note, SourceRef Source);

/// <summary>A thing the KB knows: a country, organisation, person, place, body, treaty, operation, summit, event or outlet.</summary>
public sealed class Entity
{
    internal Entity(string id, EntityType type, string name, SourceRef source)
    {
        Id = id;
        Type = type;
        Name = name;
        Source = source;
    }

    /// <summary>Stable id: a Wikidata QID (<c>Q7184</c>) or a local id (<c>sitrep:baltic-sentry</c>).</summary>
    public string Id { get; }
    public EntityType Type { get; }
    /// <summary>Canonical name.</summary>
    public string Name { get; }
    public string? Description { get; internal init; }
    /// <summary>When the entity existed or took place: founded/dissolved, signed, launched, held. Undated if unknown.</summary>
    public DateRange Dates { get; internal init; }
    /// <summary>The entity this one is part of (Greenland → Denmark; European Commission → EU).</summary>
    public string? PartOf { get; internal init; }
    /// <summary>For groups and regions: the entities they include (the Baltic states → Estonia, Latvia, Lithuania).</summary>
    public ImmutableArray<string> Includes { get; internal init; } = [];
    /// <summary>Where a summit, event or body sits.</summary>
    public string? Place { get; internal init; }
    /// <summary>Who runs an operation or holds a summit.</summary>
    public string? Org { get; internal init; }
    /// <summary>Web domains of an outlet (<c>euractiv.com</c>).</summary>
    public ImmutableArray<string> Domains { get; internal init; } = [];
    public ImmutableArray<Surface> Aliases { get; internal init; } = [];
    public ImmutableArray<Surface> Metonyms { get; internal init; } = [];
    public ImmutableArray<Surface> Demonyms { get; internal init; } = [];
    public ImmutableArray<Membership> Memberships { get; internal init; } = [];
    public ImmutableArray<Tenure> Roles { get; internal init; } = [];
    /// <summary>Where the entity was defined.</summary>
    public SourceRef Source { get; }

    public override string ToString() => $"{Id} ({Type.ToString().ToLowerInvariant()}: {Name})";
}
