using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sitrep.Pipeline;

/// <summary>
/// The one serializer of the JSON layers an article or document keeps in the store: time (<see cref="ArticleTimeView"/>,
/// <c>articles.time_json</c>), quotes (<see cref="QuotesRecord"/>, <c>articles.quotes_json</c>) and provenance
/// (<see cref="Provenance"/>, <c>documents.provenance_json</c>). Each layer is a typed record, written and read through
/// the same source-generated contract (snake_case names, properties in record order); nothing reads a layer by key
/// name. The export writes the same records, offsets converted to code points.
/// </summary>
/// <remarks>
/// The stored JSON carries no version field, so that stores written before this serializer keep their exact bytes.
/// <see cref="Version"/> names the shape; a change of shape bumps it and keeps a reader for the old shape (the store
/// schema says which one a store holds).
/// </remarks>
public static class LayerJson
{
    /// <summary>Version of the layers' JSON shape (1: the shape stores of schema v5 hold).</summary>
    public const int Version = 1;

    internal static LayerJsonContext Context => LayerJsonContext.Default;

    /// <summary>Writes a layer record.</summary>
    public static string Serialize<T>(T value, JsonTypeInfo<T> info) => JsonSerializer.Serialize(value, info);

    /// <summary>Reads a layer record; text that is not such a record throws <see cref="JsonException"/>.</summary>
    public static T Read<T>(string json, JsonTypeInfo<T> info) where T : class =>
        JsonSerializer.Deserialize(json, info) ?? throw new JsonException($"empty {typeof(T).Name} record");

    /// <summary>
    /// Writes the members of an article's quote and time layers into the export's article object (<c>quotes</c>,
    /// <c>sourcing</c>, then <c>published</c>, <c>times</c>, <c>flags</c>, <c>timeline</c>), every offset converted with
    /// <paramref name="convert"/> (UTF-16 → code points).
    /// </summary>
    public static void WriteExportMembers(Utf8JsonWriter w, string? quotesJson, string? timeJson, Func<int, int> convert)
    {
        if (quotesJson != null) WriteMembers(w, QuoteJson.MapOffsets(QuoteJson.Read(quotesJson), convert), Context.QuotesRecord);
        if (timeJson != null) WriteMembers(w, TimeJson.Read(timeJson).MapOffsets(convert), Context.ArticleTimeView);
    }

    /// <summary>Each property of <paramref name="value"/> as a member of the object being written, in contract order.</summary>
    private static void WriteMembers<T>(Utf8JsonWriter w, T value, JsonTypeInfo<T> info)
    {
        foreach (var p in info.Properties)
        {
            w.WritePropertyName(p.Name);
            JsonSerializer.Serialize(w, p.Get!(value!), Context.GetTypeInfo(p.PropertyType)!);
        }
    }
}

/// <summary>
/// A day as <c>yyyy-MM-dd</c>; anything else (another format, an impossible date, another JSON kind) reads as null,
/// as stores have always been read.
/// </summary>
internal sealed class LenientDayConverter : JsonConverter<DateOnly?>
{
    public override bool HandleNull => true;

    public override DateOnly? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String
            && DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return d;
        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, DateOnly? value, JsonSerializerOptions options)
    {
        if (value is { } d) writer.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        else writer.WriteNullValue();
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, Converters = [typeof(LenientDayConverter)])]
[JsonSerializable(typeof(ArticleTimeView))]
[JsonSerializable(typeof(QuotesRecord))]
[JsonSerializable(typeof(Provenance))]
internal sealed partial class LayerJsonContext : JsonSerializerContext;
