using System.Globalization;
using System.Text;
using Sitrep.Ingest;
using Sitrep.Store;
using Sitrep.Stories;
using Sitrep.Text;

namespace Sitrep.Output;

/// <summary>
/// The Markdown brief. <see cref="WriteAsync(IStore, TextWriter, BriefOptions?, CancellationToken)"/> writes the brief
/// proper: a short header and the best-ranked stories with headline, lead, dates, outlets and the claims that matter
/// (<see cref="Brief"/>), read from the model tables. <see cref="WriteArticlesAsync"/> writes the per-article detail
/// (`sitrep brief --articles`): per article what it is and where it came from, what was set aside and why, time flags,
/// who said what, and the timeline of the documents given.
/// </summary>
public static class BriefWriter
{
    /// <summary>Writes the brief of the stored model (never reads every document: see <see cref="Brief.Read"/>).</summary>
    public static async Task WriteAsync(IStore store, TextWriter output, BriefOptions? options = null, CancellationToken ct = default)
    {
        var brief = Brief.Read(store, options, ct);
        await output.WriteAsync(Markdown(brief)).ConfigureAwait(false);
    }

    /// <summary>The brief as Markdown; every quoted text escaped (<see cref="Sitrep.Text.Markdown.Escape"/>).</summary>
    public static string Markdown(Brief brief)
    {
        var sb = new StringBuilder("# Sitrep brief\n\n");
        long Count(ClaimStatus s) => brief.ClaimCounts.GetValueOrDefault(s);
        sb.Append($"{N(brief.Articles)} article{S(brief.Articles)} in {N(brief.Stories)} stor{(brief.Stories == 1 ? "y" : "ies")}")
          .Append(brief.Newest is { } newest ? $", newest {Day(newest)}" : "").Append(". ")
          .Append($"Claims: {N(Count(ClaimStatus.Corroborated))} corroborated, {N(Count(ClaimStatus.Contradicted))} contradicted, ")
          .Append($"{N(Count(ClaimStatus.AnonymousOnly))} on anonymous sources only, {N(Count(ClaimStatus.SingleSource))} single-source.\n\n");
        if (brief.Top.Count == 0) return sb.Append("No stories yet: ingest articles first (`sitrep ingest`).\n").ToString();
        sb.Append($"Top {brief.Top.Count} of {N(brief.Stories)} stories by independent sources, size, recency and growth (articles dated in the last {brief.RecentDays} days). ")
          .Append("Everything else: `sitrep stories`, `sitrep claims`, `sitrep export`; per-article detail: `sitrep brief --articles`.\n\n");
        var rank = brief.Top.ToDictionary(s => s.Id, s => s.Rank, StringComparer.Ordinal);
        if (brief.Threads.Count > 0)
        {
            sb.Append("Threads (stories that share subjects):\n\n");
            foreach (var t in brief.Threads)
            {
                var shown = t.StoryIds.Where(rank.ContainsKey).Select(id => "#" + rank[id].ToString(CultureInfo.InvariantCulture)).ToList();
                int others = t.StoryIds.Count - shown.Count;
                sb.Append($"- **{Inline(t.Title)}**: {t.StoryIds.Count} stories, {string.Join(", ", shown)}{(others > 0 ? $" and {others} more" : "")}\n");
            }
            sb.Append('\n');
        }
        foreach (var s in brief.Top) Story(sb, s);
        return sb.ToString();
    }

    private static void Story(StringBuilder sb, BriefStory s)
    {
        sb.Append($"## {s.Rank}. ").Append(Inline(s.Title)).Append("\n\n");
        string span = s.From == null ? "undated" : s.From == s.To ? Day(s.From) : $"{Day(s.From)} to {Day(s.To)}";
        sb.Append(span).Append(" · ").Append($"{N(s.Stats.Articles)} article{S(s.Stats.Articles)}, {N(s.Stats.Sources)} independent source{S(s.Stats.Sources)}");
        if (s.Stats.Recent > 0 && s.Stats.Recent < s.Stats.Articles) sb.Append($", {N(s.Stats.Recent)} new");
        var outlets = string.Join(", ", s.Outlets.Select(o => Inline(o.Outlet ?? "outlet unknown") + (o.Articles > 1 ? $" ({o.Articles})" : "")));
        sb.Append(" · ").Append(outlets);
        if (s.OutletCount > s.Outlets.Count) sb.Append($" and {s.OutletCount - s.Outlets.Count} more");
        sb.Append($" · `{s.Id}`\n\n");
        if (s.Lead != null) sb.Append("> ").Append(Inline(s.Lead)).Append("\n\n");
        if (s.Claims.Count > 0)
        {
            sb.Append("| Claim | Status | For | Against |\n|---|---|---|---|\n");
            foreach (var c in s.Claims)
                sb.Append("| ").Append(Inline(Short(c.Text, 160))).Append(" | ").Append(StatusLabel(c.Status)).Append(" | ")
                  .Append(Inline(Sources(c.Support))).Append(" | ")
                  .Append(c.Contradict.Count == 0 ? "—" : Inline(Against(c.Contradict))).Append(" |\n");
            sb.Append('\n');
        }
        int matter = s.ClaimCounts.Where(kv => kv.Key != ClaimStatus.SingleSource).Sum(kv => kv.Value);
        int hidden = matter - s.Claims.Count, single = s.ClaimCounts.GetValueOrDefault(ClaimStatus.SingleSource);
        if (hidden > 0 || single > 0)
        {
            sb.Append(hidden > 0 ? $"{hidden} more corroborated, contradicted or anonymous claim{S(hidden)}" : "");
            sb.Append(hidden > 0 && single > 0 ? " and " : "").Append(single > 0 ? $"{single} single-source claim{S(single)}" : "");
            sb.Append($": `sitrep claims --story {s.Id}`.\n\n");
        }
    }

    private static string StatusLabel(ClaimStatus s) => s switch
    {
        ClaimStatus.Corroborated => "corroborated",
        ClaimStatus.Contradicted => "**contradicted**",
        ClaimStatus.AnonymousOnly => "anonymous sources only",
        _ => "single source",
    };

    /// <summary>A claim's sources, one per independent origin (the first mention of each): outlet, and who says it.</summary>
    private static string Sources(IReadOnlyList<ClaimMention> support)
    {
        var byOrigin = support.GroupBy(m => m.Origin).Select(g => g.First()).ToList();
        var parts = byOrigin.Take(4).Select(Source).ToList();
        if (byOrigin.Count > 4) parts.Add($"{byOrigin.Count - 4} more");
        return string.Join("; ", parts);
    }

    private static string Source(ClaimMention m)
    {
        var outlet = m.Outlet ?? m.ArticleLabel;
        var who = m.Headline ? "headline" : m.SpeakerKind == "none" ? "own reporting" : m.Speaker != null ? $"{Short(m.Speaker, 50)}, {m.SpeakerKind}" : m.SpeakerKind;
        return $"{Short(outlet, 40)} ({who})";
    }

    /// <summary>Who disagrees, side by side with who supports: one quote per origin, sources of about the same time
    /// first, then reports dated far apart (which may describe another moment), marked so; at most two quoted.</summary>
    private static string Against(IReadOnlyList<ClaimContradiction> against)
    {
        var byOrigin = against.OrderBy(x => x.SameTime ? 0 : 1).ThenBy(x => x.DaysApart ?? int.MaxValue)
            .GroupBy(x => x.Mention.Origin).Select(g => g.First()).ToList();
        var parts = byOrigin.Take(2).Select(x => $"{Source(x.Mention)}: “{Short(x.Mention.Text, 100)}”{(x.SameTime ? "" : $" (dated {x.DaysApart} days apart)")}").ToList();
        if (byOrigin.Count > 2) parts.Add($"{byOrigin.Count - 2} more");
        return string.Join("; ", parts);
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
    private static string S(long n) => n == 1 ? "" : "s";

    /// <summary>
    /// The per-article detail of <paramref name="documents"/> (`sitrep brief --articles`): the timeline of their dated
    /// statements, overall and by actor, their actors, and per document its articles (outlet, byline, size, published
    /// interval, time flags, who said what) and the pieces set aside with the reason.
    /// </summary>
    public static async Task WriteArticlesAsync(IAsyncEnumerable<StoredDocument> documents, TextWriter output, CancellationToken ct = default)
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
        await output.WriteAsync("# Articles\n\n").ConfigureAwait(false);
        await output.WriteAsync($"{docs} document{(docs == 1 ? "" : "s")}, {articles} article{(articles == 1 ? "" : "s")} ({words.ToString("N0", CultureInfo.InvariantCulture)} tokens), {setAside} piece{(setAside == 1 ? "" : "s")} set aside.\n\n").ConfigureAwait(false);
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

    /// <summary>Untrusted text quoted into the brief: see <see cref="Sitrep.Text.Markdown.Escape"/>.</summary>
    private static string Inline(string? s) => Sitrep.Text.Markdown.Escape(s);
}
