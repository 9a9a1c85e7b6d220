using System.Collections.Immutable;
using System.Text.Json;
using Sitrep.Attribution;

namespace Sitrep.Pipeline;

/// <summary>A quote as stored and exported (UTF-16 offsets here; the export converts them to code points).</summary>
public sealed record QuoteRecord(string Text, int Start, int End, bool Direct, int Statement, QuoteSpanRecord? Cue, SpeakerRecord Speaker,
    string? OutletCredit, double Confidence);

/// <summary>A cue ("said", "according to") with its span.</summary>
public sealed record QuoteSpanRecord(string Text, int Start, int End);

/// <summary>Who is quoted: the speaker's words in the text (empty when nobody is named or described), its knowledge-base id, its kind.</summary>
public sealed record SpeakerRecord(string? Text, int Start, int End, string? KbId, string Kind);

/// <summary>How an article's claims are sourced: counts by kind of source.</summary>
public sealed record SourcingRecord(int Claims, int Named, int Described, int Unnamed, int Collective, int None, int Direct);

/// <summary>The attribution layer of an article as stored: its quotes and the sourcing summary.</summary>
public sealed record QuotesRecord(IReadOnlyList<QuoteRecord> Quotes, SourcingRecord Sourcing);

/// <summary>
/// The attribution stage's result as stored and exported: <c>quotes</c> and the <c>sourcing</c> summary. One typed
/// contract (<see cref="QuotesRecord"/>, through <see cref="LayerJson"/>) is used to write and to read it.
/// </summary>
public static class QuoteJson
{
    public static QuotesRecord From(ImmutableArray<Quote> quotes)
    {
        var s = AttributionExtractor.Summarize(quotes);
        return new QuotesRecord(
            quotes.Select(q => new QuoteRecord(q.Text, q.Start, q.End, q.Direct, q.Statement,
                q.Cue is { } c ? new QuoteSpanRecord(c.Text, c.Start, c.End) : null,
                new SpeakerRecord(q.Speaker.Text, q.Speaker.Start, q.Speaker.End, q.Speaker.KbId, SpeakerKinds.Name(q.Speaker.Kind)),
                q.OutletCredit?.Name, Math.Round(q.Confidence, 3))).ToList(),
            new SourcingRecord(s.Claims, s.Named, s.Described, s.Unnamed, s.Collective, s.NoSource, s.Direct));
    }

    public static string Serialize(ImmutableArray<Quote> quotes) => LayerJson.Serialize(From(quotes), LayerJson.Context.QuotesRecord);

    /// <summary>Reads what <see cref="Serialize"/> wrote. Throws <see cref="JsonException"/> on anything else.</summary>
    public static QuotesRecord Read(string json) => LayerJson.Read(json, LayerJson.Context.QuotesRecord);

    /// <summary>The record with every offset passed through <paramref name="convert"/> (the export's code points).</summary>
    public static QuotesRecord MapOffsets(QuotesRecord r, Func<int, int> convert) => r with
    {
        Quotes = [.. r.Quotes.Select(q => q with
        {
            Start = convert(q.Start), End = convert(q.End),
            Cue = q.Cue is { } c ? c with { Start = convert(c.Start), End = convert(c.End) } : null,
            Speaker = q.Speaker with { Start = convert(q.Speaker.Start), End = convert(q.Speaker.End) },
        })],
    };
}
