using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sitrep.Time;

namespace Sitrep.Pipeline;

/// <summary>
/// The time stage's result as stored and exported: <c>published</c> (the article's date interval with its basis and
/// conflicts), <c>times</c>, <c>flags</c> and <c>timeline</c>. Offsets are UTF-16 here; the export converts them.
/// <see cref="Read"/> reads it back into an <see cref="ArticleTimeView"/>.
/// </summary>
public static class TimeJson
{
    public static string Serialize(ArticleTime t, string text)
    {
        string Span(int start, int end) => start >= 0 && end <= text.Length && start <= end ? text[start..end] : "";
        var d = t.Date;
        var published = new JsonObject
        {
            ["from"] = Day(d.From),
            ["to"] = Day(d.Latest),
            ["likeliest"] = Day(d.Reference),
            ["source"] = d.Source.ToString().ToLowerInvariant(),
            ["windows"] = d.Allowed.ToString(),
            ["basis"] = new JsonArray(d.Basis.Select(c => (JsonNode)new JsonObject
            {
                ["kind"] = c.Kind.ToString().ToLowerInvariant(),
                ["strength"] = c.Strength.ToString().ToLowerInvariant(),
                ["from"] = Day(c.From),
                ["to"] = Day(new Sitrep.Time.DateInterval(c.From, c.To).LastDay),
                ["start"] = c.Start, ["end"] = c.End,
                ["sentence_start"] = c.SentenceStart, ["sentence_end"] = c.SentenceEnd,
                ["reason"] = c.Reason,
                ["satisfied"] = c.Satisfied,
            }).ToArray()),
            ["conflicts"] = new JsonArray(d.Conflicts.Select(c => (JsonNode)new JsonObject
            {
                ["reason"] = c.Reason,
                ["start"] = c.Constraint.Start, ["end"] = c.Constraint.End,
            }).ToArray()),
        };
        var root = new JsonObject
        {
            ["published"] = published,
            ["times"] = new JsonArray(t.Times.Select(x => (JsonNode)new JsonObject
            {
                ["text"] = Span(x.Start, x.End), ["start"] = x.Start, ["end"] = x.End, ["type"] = x.Type.ToString().ToUpperInvariant(), ["value"] = x.Value,
            }).ToArray()),
            ["flags"] = new JsonArray(t.Flags.Select(f => (JsonNode)new JsonObject
            {
                ["kind"] = f.Kind, ["text"] = Span(f.Start, f.End), ["start"] = f.Start, ["end"] = f.End, ["reason"] = f.Reason,
                ["text_says"] = f.TextSays, ["knowledge_says"] = f.KnowledgeSays,
            }).ToArray()),
            ["timeline"] = new JsonArray(t.Timeline.Select(e => (JsonNode)new JsonObject
            {
                ["from"] = Day(e.From), ["to"] = Day(new Sitrep.Time.DateInterval(e.From, e.To).LastDay), ["value"] = e.Value, ["start"] = e.Start, ["end"] = e.End,
                ["sentence_start"] = e.SentenceStart, ["sentence_end"] = e.SentenceEnd, ["uncertain"] = e.Uncertain,
            }).ToArray()),
        };
        return root.ToJsonString();
    }

    private static JsonNode? Day(DateOnly? d) => d is { } v ? JsonValue.Create(v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null;

    /// <summary>
    /// Reads what <see cref="Serialize"/> wrote into a typed view. A missing field reads as null, -1 (offsets),
    /// false or an empty list; text that is not JSON throws <see cref="JsonException"/>.
    /// </summary>
    public static ArticleTimeView Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        PublishedView published;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("published", out var p) && p.ValueKind == JsonValueKind.Object)
            published = new PublishedView(
                Day(p, "from"), Day(p, "to"), Day(p, "likeliest"), Str(p, "source"), Str(p, "windows"),
                List(p, "basis", b => new BasisView(
                    Str(b, "kind"), Str(b, "strength"), Day(b, "from"), Day(b, "to"), Int(b, "start"), Int(b, "end"),
                    Int(b, "sentence_start"), Int(b, "sentence_end"), Str(b, "reason"), Bool(b, "satisfied"))),
                List(p, "conflicts", c => new ConflictView(Str(c, "reason"), Int(c, "start"), Int(c, "end"))));
        else published = new PublishedView(null, null, null, null, null, [], []);
        return new ArticleTimeView(
            published,
            List(root, "times", x => new TimexView(Str(x, "text"), Int(x, "start"), Int(x, "end"), Str(x, "type"), Str(x, "value"))),
            List(root, "flags", f => new TimeFlagView(
                Str(f, "kind"), Str(f, "text"), Int(f, "start"), Int(f, "end"), Str(f, "reason"), Str(f, "text_says"), Str(f, "knowledge_says"))),
            List(root, "timeline", e => new TimelineEntryView(
                Day(e, "from"), Day(e, "to"), Str(e, "value"), Int(e, "start"), Int(e, "end"),
                Int(e, "sentence_start"), Int(e, "sentence_end"), Bool(e, "uncertain"))));
    }

    private static IReadOnlyList<T> List<T>(JsonElement o, string name, Func<JsonElement, T> read)
    {
        if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty(name, out var a) || a.ValueKind != JsonValueKind.Array) return [];
        var list = new List<T>(a.GetArrayLength());
        foreach (var x in a.EnumerateArray())
            if (x.ValueKind == JsonValueKind.Object) list.Add(read(x));
        return list;
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int Int(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : -1;

    private static bool Bool(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static DateOnly? Day(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
        && DateOnly.TryParseExact(v.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>Rewrites every offset field with <paramref name="convert"/> (UTF-16 → code points).</summary>
    public static JsonNode Convert(string json, Func<int, int> convert)
    {
        var node = JsonNode.Parse(json)!;
        Walk(node, convert);
        return node;
    }

    private static void Walk(JsonNode? node, Func<int, int> convert)
    {
        if (node is JsonArray a) foreach (var x in a) Walk(x, convert);
        else if (node is JsonObject o)
            foreach (var key in o.Select(kv => kv.Key).ToList())
            {
                if (key is "start" or "end" or "sentence_start" or "sentence_end" && o[key] is JsonValue v && v.TryGetValue<int>(out var i)) o[key] = convert(i);
                else Walk(o[key], convert);
            }
    }
}
