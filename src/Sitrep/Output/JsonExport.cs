using System.Text.Encodings.Web;
using System.Text.Json;
using Sitrep.Ingest;
using Sitrep.Store;

namespace Sitrep.Output;

/// <summary>
/// Writes the export contract (docs/schema.md) as JSON, streaming document by document. Offsets are Unicode
/// code-point offsets into the document's <c>text</c>, the decoded original.
/// </summary>
public static class JsonExport
{
    public static async Task WriteAsync(IAsyncEnumerable<StoredDocument> documents, Stream output, bool includeText = true, CancellationToken ct = default)
    {
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        await using var w = new Utf8JsonWriter(output, options);
        w.WriteStartObject();
        w.WriteString("schema", "sitrep/1");
        w.WriteStartArray("documents");
        await foreach (var d in documents.WithCancellation(ct).ConfigureAwait(false))
        {
            var map = new OffsetMap(d.Text);
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            w.WriteString("file", d.Files[0]);
            if (d.Files.Count > 1)
            {
                w.WriteStartArray("files");
                foreach (var f in d.Files) w.WriteStringValue(f);
                w.WriteEndArray();
            }
            w.WriteString("encoding", d.Encoding);
            w.WriteString("format", d.Format);
            w.WriteNumber("bytes", d.Bytes);
            w.WriteStartArray("pieces");
            foreach (var p in d.Pieces)
            {
                w.WriteStartObject();
                w.WriteString("kind", PieceKinds.Name(p.Kind));
                w.WriteNumber("start", map.ToCodePoint(p.Start));
                w.WriteNumber("end", map.ToCodePoint(p.End));
                if (p.Article >= 0) w.WriteNumber("article", p.Article); else w.WriteNull("article");
                w.WriteString("reason", p.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("articles");
            foreach (var a in d.Articles)
            {
                w.WriteStartObject();
                w.WriteString("id", a.Id);
                w.WriteNumber("index", a.Seq);
                w.WriteBoolean("main", a.IsMain);
                WriteOptional(w, "title", a.Title);
                WriteOptional(w, "dek", a.Dek);
                WriteOptional(w, "outlet", a.Outlet);
                WriteOptional(w, "byline", a.Byline);
                WriteOptional(w, "dateline", a.Dateline);
                w.WriteNumber("text_start", map.ToCodePoint(a.TextStart));
                w.WriteNumber("text_end", map.ToCodePoint(a.TextEnd));
                w.WriteNumber("sentences", a.Sentences);
                w.WriteNumber("tokens", a.Tokens);
                w.WriteStartArray("sentence_spans");
                foreach (var s in a.SentenceSpans)
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(map.ToCodePoint(s.Start));
                    w.WriteNumberValue(map.ToCodePoint(s.End));
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                WriteEntities(w, a, map);
                if (a.TimeJson != null)
                    foreach (var (name, node) in Sitrep.Pipeline.TimeJson.Convert(a.TimeJson, map.ToCodePoint).AsObject())
                    {
                        w.WritePropertyName(name);
                        node!.WriteTo(w);
                    }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (includeText) w.WriteString("text", d.Text);
            w.WriteEndObject();
            if (w.BytesPending > 1 << 16) await w.FlushAsync(ct).ConfigureAwait(false);
        }
        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(ct).ConfigureAwait(false);
    }

    private static void WriteEntities(Utf8JsonWriter w, StoredArticle a, OffsetMap map)
    {
        w.WriteStartArray("entities");
        foreach (var e in a.Entities)
        {
            w.WriteStartObject();
            w.WriteString("name", e.Name);
            w.WriteString("key", e.Key);
            WriteOptional(w, "kb_id", e.KbId);
            w.WriteString("type", e.Type);
            w.WriteNumber("confidence", e.Confidence);
            w.WriteStartArray("mentions");
            foreach (var m in e.Mentions)
            {
                w.WriteStartArray();
                w.WriteNumberValue(map.ToCodePoint(m.Start));
                w.WriteNumberValue(map.ToCodePoint(m.End));
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartArray("mention_kinds");
            foreach (var m in e.Mentions) w.WriteStringValue(m.Kind?.ToString().ToLowerInvariant() ?? "ner");
            w.WriteEndArray();
            w.WriteStartArray("roles");
            foreach (var r in e.Roles)
            {
                w.WriteStartObject();
                w.WriteString("title", r.Title);
                WriteOptional(w, "role_id", r.RoleId);
                WriteOptional(w, "org_id", r.OrgId);
                w.WriteNumber("start", map.ToCodePoint(r.Start));
                w.WriteNumber("end", map.ToCodePoint(r.End));
                w.WriteBoolean("former", r.Former);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value == null) w.WriteNull(name); else w.WriteString(name, value);
    }
}
