using System.Globalization;
using System.Text;
using Sitrep.Ingest;
using Sitrep.Store;
using Sitrep.Stories;
using Sitrep.Text;

namespace Sitrep.Output;

/// <summary>The Markdown brief: per article what it is and where it came from, and what was set aside and why.</summary>
public static class BriefWriter
{
    /// <param name="view">The stories and claims across sources; the brief opens with them when given.</param>
    public static async Task WriteAsync(IAsyncEnumerable<StoredDocument> documents, TextWriter output, CancellationToken ct = default, CrossSourceView? view = null)
    {
        var body = new StringBuilder();
        int docs = 0, articles = 0, setAside = 0;
        long words = 0;
        var actors = new Dictionary<string, Actor>();
        var timeline = new TimelineBuilder();
        await foreach (var d in documents.WithCancellation(ct).ConfigureAwait(false))
        {
            docs++;
            body.Append("## ").Append(Inline(Path.GetFileName(d.Files[0]))).Append('\n').Append('\n');
            // Paths as escaped text, not code spans: a renderer shows a code span's "<" as is, and some show it as a tag.
            body.Append($"{Inline(d.Files[0])} · {d.Format} · {Inline(d.Encoding)} · {d.Bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes");
            if (d.Files.Count > 1) body.Append($" · also at {string.Join(", ", d.Files.Skip(1).Select(Inline))}");
            body.Append("\n\n");
            foreach (var a in d.Articles)
            {
                articles++;
                words += a.Tokens;
                foreach (var e in a.Entities)
                {
                    if (!actors.TryGetValue(e.Key, out var actor)) actors[e.Key] = actor = new Actor(e.Name, e.KbId, e.Type);
                    actor.Mentions += e.Mentions.Length;
                    actor.Articles.Add(a.Id);
                    actor.Outlets.Add(a.Outlet ?? "(unknown outlet)");
                    foreach (var r in e.Roles) actor.Roles.Add(r.Title);
                }
                var (heading, how) = Heading(d, a);
                timeline.Add(d, a, $"{Path.GetFileName(d.Files[0])}: {Excerpt(heading, 0, heading.Length, 60)}");
                body.Append("### ").Append(Inline(heading)).Append(how).Append("\n\n");
                body.Append("| | |\n|---|---|\n");
                Row(body, "Outlet", a.Outlet);
                Row(body, "Byline", a.Byline);
                Row(body, "Dateline", a.Dateline);
                if (a.Title != null) Row(body, "Dek", a.Dek);
                Row(body, "Size", $"{a.Tokens.ToString("N0", CultureInfo.InvariantCulture)} tokens, {a.Sentences} sentences, {(a.TextEnd - a.TextStart).ToString("N0", CultureInfo.InvariantCulture)} characters [{a.TextStart}, {a.TextEnd})");
                Row(body, "Role", a.IsMain ? "main article" : "further article in the same file");
                var flags = new List<string>();
                if (a.Time is { } t)
                {
                    var p = t.Published;
                    string? from = DayOrNull(p.From), to = DayOrNull(p.To), likely = DayOrNull(p.Likeliest);
                    var basis = p.Basis.Where(b => b.Satisfied).Select(b => b.Reason).Take(3);
                    Row(body, "Published", from == null && to == null ? "unknown" :
                        $"{from ?? "…"} to {to ?? "…"}" + (likely != null ? $" (likeliest {likely})" : "") + $" — {string.Join("; ", basis)}");
                    foreach (var f in t.Flags)
                        flags.Add($"**{Inline(f.Kind.ToString())}**: {Inline(f.Reason)}");
                }
                body.Append('\n');
                foreach (var f in flags) body.Append("> ⚠ ").Append(f).Append('\n');
                if (flags.Count > 0) body.Append('\n');
                if (a.QuotesJson != null) WhoSaidWhat(body, Sitrep.Pipeline.QuoteJson.Read(a.QuotesJson));
            }
            var aside = d.Pieces.Where(p => p.Kind is not (PieceKind.Article or PieceKind.Subheading or PieceKind.Title or PieceKind.Dateline or PieceKind.Byline or PieceKind.Dek)
                                         || p.Article < 0).ToList();
            if (aside.Count > 0)
            {
                setAside += aside.Count;
                body.Append($"**Set aside** ({aside.Count} piece{(aside.Count == 1 ? "" : "s")} not part of any article body):\n\n");
                body.Append("| Kind | Text | Why |\n|---|---|---|\n");
                foreach (var p in aside)
                    body.Append($"| {Inline(PieceKinds.Name(p.Kind))} | {Inline(Excerpt(d.Text, p.Start, p.End, 90))} | {Inline(p.Reason)} |\n");
                body.Append('\n');
            }
        }
        await output.WriteAsync("# Sitrep brief\n\n").ConfigureAwait(false);
        await output.WriteAsync($"{docs} document{(docs == 1 ? "" : "s")}, {articles} article{(articles == 1 ? "" : "s")} ({words.ToString("N0", CultureInfo.InvariantCulture)} tokens), {setAside} piece{(setAside == 1 ? "" : "s")} set aside.\n\n").ConfigureAwait(false);
        if (view != null && view.Stories.Count > 0) await output.WriteAsync(StoriesSection(view, timeline)).ConfigureAwait(false);
        var entries = timeline.Ordered();
        if (entries.Count > 0)
        {
            await output.WriteAsync($"## Timeline\n\nEvery dated statement, earliest first ({entries.Count}). `~` marks a date resolved from a relative expression (\"next week\", \"last year\") against the article's inferred date.\n\n").ConfigureAwait(false);
            await output.WriteAsync(TimelineBuilder.Markdown(entries, withActors: true, Inline)).ConfigureAwait(false);
            var byActor = timeline.ByActor(minEntries: 2);
            if (byActor.Count > 0)
            {
                await output.WriteAsync("### Timeline by actor\n\nActors named in the sentence of two or more dated statements.\n\n").ConfigureAwait(false);
                foreach (var (_, name, items) in byActor.Take(12))
                    await output.WriteAsync($"#### {Inline(name)}\n\n" + TimelineBuilder.Markdown(items, withActors: false, Inline)).ConfigureAwait(false);
            }
        }
        if (actors.Count > 0) await output.WriteAsync(ActorsTable(actors)).ConfigureAwait(false);
        await output.WriteAsync(body.ToString()).ConfigureAwait(false);
    }

    /// <summary>
    /// The stories, largest first: their articles and dates, main actors, timeline, and claims graded across sources
    /// (everything that is not single-source, and the first single-source ones).
    /// </summary>
    private static string StoriesSection(CrossSourceView view, TimelineBuilder timeline)
    {
        var sb = new StringBuilder("## Stories\n\n");
        int corroborated = view.Claims.Count(c => c.Status == ClaimStatus.Corroborated), contradicted = view.Claims.Count(c => c.Status == ClaimStatus.Contradicted);
        int anonymous = view.Claims.Count(c => c.Status == ClaimStatus.AnonymousOnly), single = view.Claims.Count(c => c.Status == ClaimStatus.SingleSource);
        sb.Append($"{view.Stories.Count} stor{(view.Stories.Count == 1 ? "y" : "ies")} from {view.Articles.Count} article{(view.Articles.Count == 1 ? "" : "s")}; ")
          .Append($"{view.Claims.Count} claims: {corroborated} corroborated, {contradicted} contradicted, {anonymous} resting on anonymous sources only, {single} single-source.\n\n");
        if (view.Threads.Count > 0)
        {
            sb.Append("Threads across stories (shared actors few other stories have):\n\n");
            foreach (var t in view.Threads)
                sb.Append($"- **{Inline(t.Title)}**: {Inline(string.Join("; ", t.StoryIds.Select(id => Short(view.Stories.FirstOrDefault(s => s.Id == id)?.Title ?? id, 70))))}\n");
            sb.Append('\n');
        }
        var items = timeline.Ordered();
        foreach (var story in view.Stories)
        {
            sb.Append("### ").Append(Inline(story.Title)).Append("\n\n");
            string span = story.From == null ? "undated" : story.From == story.To ? Day(story.From) : $"{Day(story.From)} to {Day(story.To)}";
            sb.Append($"{story.Articles.Count} article{(story.Articles.Count == 1 ? "" : "s")} · likeliest dates {span} · ")
              .Append("actors: ").Append(Inline(string.Join(", ", story.Actors.Take(8).Select(a => a.Name)))).Append("\n\n");
            foreach (var a in story.Articles)
                sb.Append($"- {Inline(a.Label)} — {Inline(a.Outlet ?? "outlet unknown")}, {(a.Date is { } d ? "likeliest " + Day(d) : "undated")}{(a.Title != null ? ": " + Inline(a.Title.Trim()) : "")}\n");
            sb.Append('\n');
            var ids = story.Articles.Select(a => a.Id).ToHashSet();
            var storyTimeline = items.Where(i => ids.Contains(i.ArticleId)).ToList();
            if (storyTimeline.Count > 0)
            {
                sb.Append("**Timeline**\n\n");
                sb.Append(TimelineBuilder.Markdown(storyTimeline, withActors: false, Inline));
            }
            // Corroborated and contradicted claims, headlines, and claims with disagreement first; then a few of the rest.
            var key = story.Claims.Where(c => c.Status is ClaimStatus.Corroborated or ClaimStatus.Contradicted || c.Contradict.Count > 0 || c.Support.Any(m => m.Headline)).ToList();
            var shown = key.Concat(story.Claims.Where(c => c.Status == ClaimStatus.AnonymousOnly).Except(key).Take(6))
                           .Concat(story.Claims.Where(c => c.Status == ClaimStatus.SingleSource).Except(key).Take(4)).ToList();
            if (shown.Count > 0)
            {
                sb.Append("**Claims**\n\n| Status | Claim | Sourcing | Against |\n|---|---|---|---|\n");
                foreach (var c in shown)
                {
                    var support = string.Join("; ", c.Support.Select(m => $"{m.ArticleLabel}: {(m.Headline ? "headline" : m.Speaker ?? "no source")} ({m.SpeakerKind})").Distinct());
                    var against = string.Join("; ", c.Contradict.Select(x => $"{x.Mention.ArticleLabel}: “{Short(x.Mention.Text, 80)}”{(x.SameTime ? "" : $" (dated {x.DaysApart} days apart)")}"));
                    sb.Append($"| {Inline(ClaimStatuses.Name(c.Status))} | {Inline(Short(c.Text, 140))} | {Inline(support)} | {Inline(against.Length == 0 ? "—" : against)} |\n");
                }
                int hidden = story.Claims.Count - shown.Count;
                if (hidden > 0) sb.Append($"\n{hidden} further claim{(hidden == 1 ? "" : "s")} in the export (`sitrep claims`).\n");
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    private static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "undated";

    private static string? DayOrNull(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Short(string s, int max)
    {
        return TextCut.Ellipsis(s.ReplaceLineEndings(" "), max);
    }

    private sealed class Actor(string name, string? kbId, string type)
    {
        public string Name = name;
        public string? KbId = kbId;
        public string Type = type;
        public int Mentions;
        public readonly HashSet<string> Articles = [];
        public readonly SortedSet<string> Outlets = new(StringComparer.Ordinal);
        public readonly SortedSet<string> Roles = new(StringComparer.Ordinal);
    }

    /// <summary>The corpus-wide actors table, most mentioned first; a one-word person joins the one longer name ending in it.</summary>
    private static string ActorsTable(Dictionary<string, Actor> actors)
    {
        // Person names by their last word, so that each one-word name finds its longer names without a scan of every actor.
        var byLastWord = new Dictionary<string, List<KeyValuePair<string, Actor>>>(StringComparer.OrdinalIgnoreCase);
        foreach (var kv in actors.Where(kv => kv.Value.Type == "person" && kv.Value.Name.Contains(' ')))
        {
            var last = kv.Value.Name[(kv.Value.Name.LastIndexOf(' ') + 1)..];
            (byLastWord.TryGetValue(last, out var l) ? l : byLastWord[last] = []).Add(kv);
        }
        foreach (var (key, a) in actors.Where(kv => kv.Value.KbId == null && kv.Value.Type == "person" && !kv.Value.Name.Contains(' ')).ToList())
        {
            var full = byLastWord.GetValueOrDefault(a.Name) ?? [];
            if (full.Count != 1) continue;
            var target = full[0].Value;
            target.Mentions += a.Mentions;
            target.Articles.UnionWith(a.Articles);
            target.Outlets.UnionWith(a.Outlets);
            actors.Remove(key);
        }
        var sb = new StringBuilder("## Actors\n\n| Actor | Type | KB id | Mentions | Articles | Outlets | Roles claimed |\n|---|---|---|---:|---:|---|---|\n");
        foreach (var a in actors.Values.OrderByDescending(a => a.Mentions).ThenBy(a => a.Name, StringComparer.Ordinal))
            sb.Append($"| {Inline(a.Name)} | {Inline(a.Type)} | {Inline(a.KbId ?? "—")} | {a.Mentions} | {a.Articles.Count} | {Inline(string.Join(", ", a.Outlets))} | {Inline(string.Join("; ", a.Roles))} |\n");
        return sb.Append('\n').ToString();
    }

    private static void WhoSaidWhat(StringBuilder body, Sitrep.Pipeline.QuotesRecord q)
    {
        if (q.Quotes.Count == 0) return;
        var s = q.Sourcing;
        int claims = s.Claims;
        string Share(int n) => claims == 0 ? "0%" : $"{100.0 * n / claims:F0}%";
        body.Append($"**Who said what** ({claims} claims: named {Share(s.Named)}, described {Share(s.Described)}, unnamed {Share(s.Unnamed)}, collective {Share(s.Collective)}, no source {Share(s.None)}):\n\n");
        body.Append("| Speaker | Kind | Said | Quote | Via |\n|---|---|---|---|---|\n");
        foreach (var x in q.Quotes)
        {
            var text = TextCut.Ellipsis(x.Text, 110);
            body.Append($"| {Inline(x.Speaker.Text ?? "—")} | {Inline(x.Speaker.Kind)} | {Inline(x.Cue?.Text ?? "")} | {Inline(text)} | {Inline(x.OutletCredit ?? "")} |\n");
        }
        body.Append('\n');
    }

    private static (string Text, string How) Heading(StoredDocument d, StoredArticle a)
    {
        if (a.Title != null) return (a.Title, "");
        if (a.Dek != null) return (a.Dek, " _(no title; dek)_");
        if (a.SentenceSpans.Count > 0) return (Excerpt(d.Text, a.SentenceSpans[0].Start, a.SentenceSpans[0].End, 120), " _(no title; first sentence)_");
        return ("(untitled)", "");
    }

    private static void Row(StringBuilder sb, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) sb.Append($"| {name} | {Inline(value)} |\n");
    }

    internal static string Excerpt(string text, int start, int end, int max)
    {
        start = Math.Clamp(start, 0, text.Length);
        end = Math.Clamp(end, start, text.Length);
        // Only what can show is copied and re-lined (a piece may be megabytes long).
        int upTo = Math.Min(end, start + 4 * max + 16);
        var s = TextCut.Slice(text, start, upTo).ReplaceLineEndings(" / ");
        return s.Length <= max && upTo == end ? s : TextCut.Prefix(s, max - 1).TrimEnd() + "…";
    }

    /// <summary>Untrusted text quoted into the brief: see <see cref="Markdown.Escape"/>.</summary>
    private static string Inline(string? s) => Markdown.Escape(s);
}
