using System.Text.Encodings.Web;
using System.Text.Json;
using Sitrep.Ingest;
using Sitrep.Store;
using Sitrep.Stories;

namespace Sitrep.Output;

/// <summary>
/// Writes the export contract (docs/schema.md) as JSON, streaming document by document. Offsets are Unicode
/// code-point offsets into the document's <c>text</c>, the decoded original.
/// </summary>
public static class JsonExport
{
    /// <param name="view">The cross-source view (stories and claims), written after the documents when given.</param>
    public static async Task WriteAsync(IAsyncEnumerable<StoredDocument> documents, Stream output, bool includeText = true, CancellationToken ct = default,
        CrossSourceView? view = null)
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
                WriteProvenance(w, d, a, view);
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
                Sitrep.Pipeline.LayerJson.WriteExportMembers(w, a.QuotesJson, a.TimeJson, map.ToCodePoint);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (includeText) w.WriteString("text", d.Text);
            w.WriteEndObject();
            if (w.BytesPending > 1 << 16) await w.FlushAsync(ct).ConfigureAwait(false);
        }
        w.WriteEndArray();
        if (view != null) WriteStories(w, view);
        w.WriteEndObject();
        await w.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Where the article came from and what it repeats: url, site, authors, language, duplicate_of, origin.</summary>
    private static void WriteProvenance(Utf8JsonWriter w, StoredDocument d, StoredArticle a, CrossSourceView? view)
    {
        var p = Sitrep.Pipeline.ProvenanceJson.Parse(d.ProvenanceJson);
        WriteOptional(w, "url", p.Url);
        WriteOptional(w, "site", p.Site ?? a.Outlet);
        w.WriteStartArray("authors");
        var authors = p.Authors.Count > 0 ? p.Authors : Sitrep.Ingest.Web.ArticleProvenance.SplitAuthors(a.Byline);
        foreach (var name in authors) w.WriteStringValue(name);
        w.WriteEndArray();
        WriteOptional(w, "language", p.Language);
        CopyLink? link = null;
        view?.Links.TryGetValue(a.Id, out link);
        WriteOptional(w, "duplicate_of", link?.DuplicateOf);
        WriteOptional(w, "origin", link?.Origin ?? a.Id);
        WriteOptional(w, "duplicate_kind", link?.Kind?.ToString().ToLowerInvariant());
        if (link?.Similarity is { } sim) w.WriteNumber("similarity", Math.Round(sim, 3)); else w.WriteNull("similarity");
        WriteOptional(w, "wire", link?.WireAgency);
    }

    private static void WriteStories(Utf8JsonWriter w, CrossSourceView view)
    {
        // The model stores each mention's code-point offsets beside its UTF-16 ones (the export's unit).
        void Mention(ClaimMention m)
        {
            var cp = m.CodePoints is { Length: 4 } c ? c : [m.Start, m.End, m.SentenceStart, m.SentenceEnd];
            w.WriteString("article", m.ArticleId);
            w.WriteNumber("start", cp[0]);
            w.WriteNumber("end", cp[1]);
            w.WriteString("text", m.Text);
            w.WriteNumber("sentence_start", cp[2]);
            w.WriteNumber("sentence_end", cp[3]);
            WriteOptional(w, "speaker", m.Speaker);
            w.WriteString("speaker_kind", m.SpeakerKind);
            w.WriteBoolean("headline", m.Headline);
            w.WriteBoolean("negated", m.Negated);
            WriteOptional(w, "outlet", m.Outlet);
            w.WriteString("origin", m.Origin);
            WriteOptional(w, "date", m.Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        w.WriteStartArray("stories");
        foreach (var s in view.Stories)
        {
            w.WriteStartObject();
            w.WriteString("id", s.Id);
            w.WriteString("title", s.Title);
            w.WriteStartArray("articles");
            foreach (var a in s.Articles) w.WriteStringValue(a.Id);
            w.WriteEndArray();
            w.WriteStartObject("span");
            WriteOptional(w, "from", s.From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            WriteOptional(w, "to", s.To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteStartArray("actors");
            foreach (var (key, name, articles) in s.Actors)
            {
                w.WriteStartObject();
                w.WriteString("key", key);
                w.WriteString("name", name);
                w.WriteNumber("articles", articles);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("claims");
            foreach (var c in s.Claims)
            {
                w.WriteStartObject();
                w.WriteString("id", c.Id);
                w.WriteString("text", c.Text);
                w.WriteString("status", ClaimStatuses.Name(c.Status));
                w.WriteString("reason", c.Reason);
                w.WriteNumber("origins", c.Origins);
                w.WriteStartArray("actors");
                foreach (var a in c.Actors) w.WriteStringValue(a);
                w.WriteEndArray();
                w.WriteStartArray("support");
                foreach (var m in c.Support) { w.WriteStartObject(); Mention(m); w.WriteEndObject(); }
                w.WriteEndArray();
                w.WriteStartArray("contradict");
                foreach (var x in c.Contradict)
                {
                    w.WriteStartObject();
                    Mention(x.Mention);
                    w.WriteString("reason", x.Reason);
                    if (x.DaysApart is { } d) w.WriteNumber("days_apart", d); else w.WriteNull("days_apart");
                    w.WriteBoolean("same_time", x.SameTime);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("threads");
        foreach (var t in view.Threads)
        {
            w.WriteStartObject();
            w.WriteString("id", t.Id);
            w.WriteString("title", t.Title);
            w.WriteStartArray("actors");
            foreach (var (key, name) in t.Actors)
            {
                w.WriteStartObject();
                w.WriteString("key", key);
                w.WriteString("name", name);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("stories");
            foreach (var id in t.StoryIds) w.WriteStringValue(id);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
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
