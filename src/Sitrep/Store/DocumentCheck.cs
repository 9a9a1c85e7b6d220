using System.Text.Json;
using Sitrep.Ingest;
using Sitrep.Knowledge;
using Sitrep.Pipeline;
using Sitrep.Text;

namespace Sitrep.Store;

/// <summary>
/// The store's invariants for one document: its text survives storage unchanged (no NUL, no lone surrogate — the two
/// things SQLite's UTF-8 text cannot give back as they were), and every offset the model keeps — pieces, articles,
/// sentences, mentions, roles, and the <c>start</c>/<c>end</c> pairs inside the time and quote records — lies within
/// that text. The writer refuses a document that breaks them; readers, <c>sitrep check</c> and <c>sitrep repair</c>
/// use the same test on what is stored. Each answer is null (consistent) or one line saying what is wrong.
/// </summary>
public static class DocumentCheck
{
    /// <summary>Why a document about to be stored would break the invariants, or null.</summary>
    public static string? Problem(AnalyzedDocument doc)
    {
        var text = doc.Source.Text;
        return TextProblem(text)
            ?? PiecesProblem(doc.Segmentation.Pieces, text.Length)
            ?? FirstOf(doc.Articles, a => FieldsProblem(a.Id, a.Layout.Title, a.Layout.Dek, a.Layout.Outlet, a.Layout.Byline, a.Layout.Dateline, a.Entities))
            ?? FirstOf(doc.Articles, a => ArticleProblem(a.Id, a.Layout.TextStart, a.Layout.TextEnd, a.Sentences, a.Entities, a.TimeJson, a.QuotesJson, text.Length))
            ?? JsonProblem("provenance", doc.ProvenanceJson, text.Length);
    }

    /// <summary>Why a stored document breaks the invariants, or null. Reads each article's time record into its view.</summary>
    public static string? Problem(StoredDocument doc)
    {
        var text = doc.Text;
        return TextProblem(text)
            ?? PiecesProblem(doc.Pieces, text.Length)
            ?? FirstOf(doc.Articles, a => FieldsProblem(a.Id, a.Title, a.Dek, a.Outlet, a.Byline, a.Dateline, a.Entities))
            ?? FirstOf(doc.Articles, a => ArticleProblem(a.Id, a.TextStart, a.TextEnd, a.SentenceSpans, a.Entities, a.TimeJson, a.QuotesJson, text.Length)
                ?? TimeViewProblem(a))
            ?? JsonProblem("provenance", doc.ProvenanceJson, text.Length);
    }

    private static string? TimeViewProblem(StoredArticle a)
    {
        try
        {
            _ = a.Time;
            return null;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException or NullReferenceException or OverflowException)
        {
            return $"article {a.Id}: time record cannot be read ({e.GetType().Name})";
        }
    }

    private static string? FirstOf<T>(IEnumerable<T> items, Func<T, string?> problem)
    {
        foreach (var i in items)
            if (problem(i) is { } p) return p;
        return null;
    }

    /// <summary>NUL and lone surrogates: characters that do not come back from storage as they went in.</summary>
    public static string? TextProblem(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\0') return $"text holds a NUL character at offset {i}";
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return $"text holds a lone surrogate at offset {i}";
            }
            if (char.IsLowSurrogate(c)) return $"text holds a lone surrogate at offset {i}";
        }
        return null;
    }

    /// <summary>The strings an article keeps beside its text (title, outlet, names…) must come back from storage as they went in too.</summary>
    private static string? FieldsProblem(string id, string? title, string? dek, string? outlet, string? byline, string? dateline, IReadOnlyList<LinkedEntity> entities)
    {
        foreach (var (name, value) in new[] { ("title", title), ("dek", dek), ("outlet", outlet), ("byline", byline), ("dateline", dateline) })
            if (value != null && TextProblem(value) is { } p) return $"article {id}: {name}: {p}";
        foreach (var e in entities)
            if (TextProblem(e.Name) is { } p) return $"article {id}: actor name: {p}";
        return null;
    }

    private static string? PiecesProblem(IReadOnlyList<Piece> pieces, int length)
    {
        for (int i = 0; i < pieces.Count; i++)
            if (SpanProblem($"piece {i}", pieces[i].Start, pieces[i].End, length) is { } p) return p;
        return null;
    }

    private static string? ArticleProblem(string id, int start, int end, IReadOnlyList<SentenceSpan> sentences,
        IReadOnlyList<LinkedEntity> entities, string? timeJson, string? quotesJson, int length)
    {
        if (SpanProblem($"article {id}", start, end, length) is { } p) return p;
        for (int i = 0; i < sentences.Count; i++)
            if (SpanProblem($"article {id}: sentence {i}", sentences[i].Start, sentences[i].End, length) is { } s) return s;
        foreach (var e in entities)
        {
            foreach (var m in e.Mentions)
                if (SpanProblem($"article {id}: mention of {e.Key}", m.Start, m.End, length) is { } q) return q;
            foreach (var r in e.Roles)
            {
                if (SpanProblem($"article {id}: role of {e.Key}", r.Start, r.End, length) is { } q) return q;
                if (r.PersonStart < 0 || r.PersonStart > length) return $"article {id}: role of {e.Key}: person offset {r.PersonStart} outside the text (0..{length})";
            }
        }
        return JsonProblem($"article {id}: time record", timeJson, length) ?? JsonProblem($"article {id}: quote record", quotesJson, length);
    }

    private static string? SpanProblem(string what, int start, int end, int length) =>
        start < 0 || end < start || end > length ? $"{what}: span [{start},{end}) outside the text (0..{length})" : null;

    private static readonly string[] OffsetKeys = ["start", "end", "sentence_start", "sentence_end"];

    /// <summary>
    /// The record parses as JSON, and every offset in it (<c>start</c>, <c>end</c>, <c>sentence_start</c>,
    /// <c>sentence_end</c>) lies within the text or is -1 (no span).
    /// </summary>
    private static string? JsonProblem(string what, string? json, int length)
    {
        if (json == null) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Walk(doc.RootElement, what, length);
        }
        catch (JsonException)
        {
            return $"{what}: not valid JSON";
        }
    }

    private static string? Walk(JsonElement e, string what, int length)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var x in e.EnumerateArray())
                    if (Walk(x, what, length) is { } p) return p;
                return null;
            case JsonValueKind.Object:
                int? start = null, end = null;
                foreach (var prop in e.EnumerateObject())
                {
                    if (prop.Value.ValueKind == JsonValueKind.Number && Array.IndexOf(OffsetKeys, prop.Name) >= 0)
                    {
                        // -1 stands for "no span" (a quote with no speaker in the text).
                        if (!prop.Value.TryGetInt32(out var v) || v < -1 || v > length)
                            return $"{what}: {prop.Name} {prop.Value.GetRawText()} outside the text (0..{length})";
                        if (prop.Name == "start") start = v;
                        else if (prop.Name == "end") end = v;
                    }
                    else if (Walk(prop.Value, what, length) is { } p) return p;
                }
                if (start is { } s && end is { } t && (t < s || (s < 0) != (t < 0))) return $"{what}: span [{s},{t}) is reversed or half missing";
                return null;
            default:
                return null;
        }
    }
}
