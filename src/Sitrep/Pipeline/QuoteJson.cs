using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Sitrep.Attribution;

namespace Sitrep.Pipeline;

/// <summary>The attribution stage's result as stored and exported: <c>quotes</c> and the <c>sourcing</c> summary (UTF-16 offsets here).</summary>
public static class QuoteJson
{
    public static string Serialize(ImmutableArray<Quote> quotes)
    {
        var s = AttributionExtractor.Summarize(quotes);
        var root = new JsonObject
        {
            ["quotes"] = new JsonArray(quotes.Select(q => (JsonNode)new JsonObject
            {
                ["text"] = q.Text,
                ["start"] = q.Start,
                ["end"] = q.End,
                ["direct"] = q.Direct,
                ["statement"] = q.Statement,
                ["cue"] = q.Cue is { } c ? new JsonObject { ["text"] = c.Text, ["start"] = c.Start, ["end"] = c.End } : null,
                ["speaker"] = new JsonObject
                {
                    ["text"] = q.Speaker.Text,
                    ["start"] = q.Speaker.Start,
                    ["end"] = q.Speaker.End,
                    ["kb_id"] = q.Speaker.KbId,
                    ["kind"] = SpeakerKinds.Name(q.Speaker.Kind),
                },
                ["outlet_credit"] = q.OutletCredit?.Name,
                ["confidence"] = Math.Round(q.Confidence, 3),
            }).ToArray()),
            ["sourcing"] = new JsonObject
            {
                ["claims"] = s.Claims, ["named"] = s.Named, ["described"] = s.Described, ["unnamed"] = s.Unnamed,
                ["collective"] = s.Collective, ["none"] = s.NoSource, ["direct"] = s.Direct,
            },
        };
        return root.ToJsonString();
    }
}
