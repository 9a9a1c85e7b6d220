using Sitrep.Time;
using System.Globalization;
using System.Text;
using Sitrep.Store;
using Sitrep.Text;

namespace Sitrep.Output;

/// <summary>One dated statement: the interval a time expression resolved to, the sentence that holds it, and who is in that sentence.</summary>
public sealed record TimelineItem(
    DateOnly From, DateOnly To, string Value, bool Uncertain, string Expression,
    string ArticleId, string ArticleLabel, string DocumentId, int SentenceStart, int SentenceEnd, string Sentence,
    IReadOnlyList<(string Key, string Name)> Actors);

/// <summary>
/// Gathers the time stage's timeline entries across articles into one corpus timeline, and per actor: an actor is on
/// an entry when one of its mentions lies in the entry's sentence.
/// </summary>
public sealed class TimelineBuilder
{
    private readonly List<TimelineItem> _items = [];

    public IReadOnlyList<TimelineItem> Items => _items;

    public void Add(StoredDocument d, StoredArticle a, string articleLabel)
    {
        if (a.Time is not { } time) return;
        foreach (var e in time.Timeline)
        {
            if (e.From is not { } from || e.To is not { } to) continue;
            int start = e.Start, end = e.End, ss = e.SentenceStart, se = e.SentenceEnd;
            if (start < 0 || end > d.Text.Length || ss < 0 || se > d.Text.Length || start > end || ss > se) continue;
            var actors = new List<(string, string)>();
            foreach (var ent in a.Entities)
                if (ent.Mentions.Any(m => m.Start >= ss && m.End <= se)) actors.Add((ent.Key, ent.Name));
            _items.Add(new TimelineItem(from, to, e.Value ?? "", e.Uncertain, d.Text[start..end],
                a.Id, articleLabel, d.Id, ss, se, d.Text[ss..se], actors));
        }
    }

    /// <summary>The corpus timeline, earliest first; the same sentence resolving to the same interval is listed once.</summary>
    public IReadOnlyList<TimelineItem> Ordered() =>
        _items.DistinctBy(i => (i.ArticleId, i.SentenceStart, i.From, i.To))
              .OrderBy(i => i.From).ThenBy(i => i.To).ThenBy(i => i.ArticleLabel, StringComparer.Ordinal).ThenBy(i => i.SentenceStart)
              .ToList();

    /// <summary>Actors on at least <paramref name="minEntries"/> entries, most entries first, with their entries.</summary>
    public IReadOnlyList<(string Key, string Name, IReadOnlyList<TimelineItem> Items)> ByActor(int minEntries = 2)
    {
        var ordered = Ordered();
        var byKey = new Dictionary<string, (string Name, List<TimelineItem> Items)>();
        foreach (var i in ordered)
            foreach (var (key, name) in i.Actors.DistinctBy(x => x.Key))
            {
                if (!byKey.TryGetValue(key, out var v)) byKey[key] = v = (name, []);
                v.Items.Add(i);
            }
        return byKey.Where(kv => kv.Value.Items.Count >= minEntries)
                    .OrderByDescending(kv => kv.Value.Items.Count).ThenBy(kv => kv.Value.Name, StringComparer.Ordinal)
                    .Select(kv => (kv.Key, kv.Value.Name, (IReadOnlyList<TimelineItem>)kv.Value.Items)).ToList();
    }

    /// <summary>An interval as a reader says it: a day, a month, a year, a decade, or a range.</summary>
    public static string When(DateOnly from, DateOnly to, bool uncertain)
    {
        string s;
        if (from == to) s = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        else if (from.Day == 1 && to == from.PlusMonths(1).PlusDays(-1)) s = from.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        else if (from.Day == 1 && from.Month == 1 && to.Month == 12 && to.Day == 31 && to.Year == from.Year) s = from.Year.ToString(CultureInfo.InvariantCulture);
        else if (from.Day == 1 && from.Month == 1 && from.Year % 10 == 0 && to.Month == 12 && to.Day == 31 && to.Year == from.Year + 9) s = from.Year + "s";
        else s = $"{from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} – {to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        return uncertain ? "~" + s : s;
    }

    internal static string Markdown(IReadOnlyList<TimelineItem> items, bool withActors, Func<string, string> inline)
    {
        var sb = new StringBuilder();
        sb.Append(withActors ? "| When | Statement | Article | Actors |\n|---|---|---|---|\n" : "| When | Statement | Article |\n|---|---|---|\n");
        foreach (var i in items)
        {
            sb.Append("| ").Append(When(i.From, i.To, i.Uncertain)).Append(" | ").Append(Bolded(i, 170, inline)).Append(" | ").Append(inline(i.ArticleLabel));
            if (withActors) sb.Append(" | ").Append(inline(string.Join(", ", i.Actors.Select(a => a.Name).Distinct().Take(6))));
            sb.Append(" |\n");
        }
        return sb.Append('\n').ToString();
    }

    /// <summary>
    /// The sentence, on one line, with the time expression in bold, shortened around it when long, as Markdown: the
    /// sentence's own text goes through <paramref name="escape"/>; only the bold markers are Markdown.
    /// </summary>
    internal static string Bolded(TimelineItem i, int max, Func<string, string> escape)
    {
        var s = i.Sentence.ReplaceLineEndings(" ");
        int at = i.Expression.Length == 0 ? -1 : s.IndexOf(i.Expression, StringComparison.Ordinal);
        if (at < 0) return escape(TextCut.Ellipsis(s, max));
        int len = i.Expression.Length;
        int from = 0, to = s.Length;
        if (s.Length > max)
        {
            from = Math.Max(0, at - (max - len) / 2);
            to = Math.Min(s.Length, from + max);
            from = Math.Max(0, to - max);
            from = Math.Min(TextCut.Floor(s, from), at);
            to = Math.Max(TextCut.Ceiling(s, to), at + len);
        }
        var sb = new StringBuilder();
        if (from > 0) sb.Append('…');
        sb.Append(escape(s[from..at])).Append("**").Append(escape(s.Substring(at, len))).Append("**").Append(escape(s[(at + len)..to]));
        if (to < s.Length) sb.Append('…');
        return sb.ToString();
    }
}
