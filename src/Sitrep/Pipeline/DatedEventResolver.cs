using System.Collections.Immutable;
using Sitrep.Knowledge;
using Sitrep.Text;
using Sitrep.Time;

namespace Sitrep.Pipeline;

/// <summary>
/// Settles which of several dated events a shared name means once the article is dated. "NATO defence ministers
/// meeting" names every ministerial in the KB; the linker cannot choose without a date, so it takes one reading. Here,
/// with the time stage's result: the event whose dates meet a time expression of the mention's sentence ("… meeting
/// next week"); else the event nearest the article's likeliest date, on the side the sentence's tense points to;
/// with no date at all, the mention stays as the linker left it.
/// </summary>
public static class DatedEventResolver
{
    public static ImmutableArray<LinkedEntity> Resolve(string text, ImmutableArray<LinkedEntity> entities, ArticleTime time,
        IReadOnlyList<SentenceSpan> sentences, KnowledgeBase kb)
    {
        if (entities.IsDefaultOrEmpty) return entities;
        var result = new List<LinkedEntity>(entities.Length);
        var moved = new List<(string Id, Mention Mention)>();
        bool changed = false;
        foreach (var e in entities)
        {
            if (e.KbId == null || !kb.TryGet(e.KbId, out var entity) || entity.Type is not (EntityType.Event or EntityType.Summit) || entity.Dates.IsUndated)
            {
                result.Add(e);
                continue;
            }
            var keep = new List<Mention>();
            foreach (var m in e.Mentions)
            {
                var candidates = kb.Lookup(text[m.Start..m.End]).Select(h => h.Entity)
                    .Where(c => c.Type == entity.Type && c.Dates.From != null).DistinctBy(c => c.Id).ToList();
                if (candidates.Count < 2) { keep.Add(m); continue; }
                var pick = Pick(m, candidates, time, sentences) ?? entity;
                if (pick.Id == entity.Id) keep.Add(m);
                else { moved.Add((pick.Id, m)); changed = true; }
            }
            if (keep.Count > 0) result.Add(keep.Count == e.Mentions.Length ? e : e with { Mentions = [.. keep] });
        }
        if (!changed) return entities;
        foreach (var group in moved.GroupBy(x => x.Id))
        {
            int at = result.FindIndex(r => r.KbId == group.Key);
            if (at >= 0)
                result[at] = result[at] with { Mentions = [.. result[at].Mentions.Concat(group.Select(g => g.Mention)).OrderBy(m => m.Start)] };
            else
            {
                var ent = kb.Get(group.Key);
                var mentions = group.Select(g => g.Mention).OrderBy(m => m.Start).ToImmutableArray();
                result.Add(new LinkedEntity(ent.Id, ent.Name, ent.Id, ent.Type.ToString().ToLowerInvariant(), mentions.Max(m => m.Confidence), mentions, []));
            }
        }
        return [.. result.OrderBy(r => r.Mentions[0].Start)];
    }

    private static Entity? Pick(Mention m, List<Entity> candidates, ArticleTime time, IReadOnlyList<SentenceSpan> sentences)
    {
        var sentence = sentences.FirstOrDefault(s => s.Start <= m.Start && m.End <= s.End);
        bool inSentence = sentence.End > sentence.Start;
        if (inSentence)
        {
            // A time expression of the same sentence that the event's dates meet: "the ministers meeting next week".
            var hits = candidates.Where(c => time.Timeline.Any(t => t.SentenceStart == sentence.Start &&
                                                                      c.Dates.Overlaps(t.From, t.To))).ToList();
            if (hits.Count == 1) return hits[0];
        }
        if (time.Date.Reference is not { } reference) return null;
        // Nearest to the article's likeliest date; a future-tense sentence prefers an event on or after it, a past one before it.
        int Distance(Entity c)
        {
            var from = c.Dates.From!.Value;
            var last = c.Dates.To is { } t ? t.PlusDays(-1) : from;
            if (reference < from) return from.DayNumber - reference.DayNumber;
            if (reference > last) return reference.DayNumber - last.DayNumber;
            return 0;
        }
        var tense = inSentence ? Tense(sentence.Start, time) : 0;
        var ordered = candidates
            .OrderBy(c => tense > 0 && c.Dates.From!.Value < reference ? 1 : tense < 0 && c.Dates.From!.Value > reference ? 1 : 0)
            .ThenBy(Distance).ToList();
        return ordered[0];
    }

    /// <summary>+1 when the sentence's resolved expressions all lie after the reference date, −1 when all before, else 0.</summary>
    private static int Tense(int sentenceStart, ArticleTime time)
    {
        var entries = time.Timeline.Where(t => t.SentenceStart == sentenceStart).ToList();
        if (entries.Count == 0 || time.Date.Reference is not { } r) return 0;
        if (entries.All(t => t.From > r)) return 1;
        if (entries.All(t => t.To <= r)) return -1;
        return 0;
    }
}
