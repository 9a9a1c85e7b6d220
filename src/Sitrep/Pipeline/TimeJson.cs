using Sitrep.Time;

namespace Sitrep.Pipeline;

/// <summary>
/// The time stage's result as stored and exported: <c>published</c> (the article's date interval with its basis and
/// conflicts), <c>times</c>, <c>flags</c> and <c>timeline</c>, one typed record (<see cref="ArticleTimeView"/>) written
/// and read through <see cref="LayerJson"/>. Offsets are UTF-16 here; the export converts them.
/// </summary>
public static class TimeJson
{
    /// <summary>The stored record of an article's time analysis; <paramref name="text"/> is the document text the offsets point into.</summary>
    public static ArticleTimeView From(ArticleTime t, string text)
    {
        string Span(int start, int end) => start >= 0 && end <= text.Length && start <= end ? text[start..end] : "";
        var d = t.Date;
        var published = new PublishedView(
            d.From, d.Latest, d.Reference, d.Source.ToString().ToLowerInvariant(), d.Allowed.ToString(),
            [.. d.Basis.Select(c => new BasisView(
                c.Kind.ToString().ToLowerInvariant(), c.Strength.ToString().ToLowerInvariant(), c.From, new DateInterval(c.From, c.To).LastDay,
                c.Start, c.End, c.SentenceStart, c.SentenceEnd, c.Reason, c.Satisfied))],
            [.. d.Conflicts.Select(c => new ConflictView(c.Reason, c.Constraint.Start, c.Constraint.End))]);
        return new ArticleTimeView(
            published,
            [.. t.Times.Select(x => new TimexView(Span(x.Start, x.End), x.Start, x.End, x.Type.ToString().ToUpperInvariant(), x.Value))],
            [.. t.Flags.Select(f => new TimeFlagView(f.Kind, Span(f.Start, f.End), f.Start, f.End, f.Reason, f.TextSays, f.KnowledgeSays))],
            [.. t.Timeline.Select(e => new TimelineEntryView(
                e.From, new DateInterval(e.From, e.To).LastDay, e.Value, e.Start, e.End, e.SentenceStart, e.SentenceEnd, e.Uncertain))]);
    }

    public static string Serialize(ArticleTime t, string text) => LayerJson.Serialize(From(t, text), LayerJson.Context.ArticleTimeView);

    /// <summary>
    /// Reads what <see cref="Serialize"/> wrote into the typed record. A missing field reads as null, -1 (offsets),
    /// false or an empty list, a day that is not <c>yyyy-MM-dd</c> as null; text that is not such a record throws
    /// <see cref="System.Text.Json.JsonException"/>.
    /// </summary>
    public static ArticleTimeView Read(string json) => LayerJson.Read(json, LayerJson.Context.ArticleTimeView).Normalized();
}
