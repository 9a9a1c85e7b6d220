using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using Sitrep.Knowledge;
using Sitrep.Text;

namespace Sitrep.Time;

/// <summary>
/// Dates an article: from its metadata when there is a publication date, otherwise from its content and the knowledge
/// base, by intersecting constraints (<see cref="DateSolver"/>). Each constraint keeps the span of its evidence and the
/// sentence it came from:
/// <list type="bullet">
/// <item>roles in their time: "President-elect Donald Trump" → his terms as president-elect; "former" → after a term;</item>
/// <item>named operations, events, bodies and treaties the KB dates → after they began ("Eastern Sentry" → from its launch);</item>
/// <item>counts of members: "the 32 Alliance leaders" → when NATO had 32 members;</item>
/// <item>KB-dated events referred to relatively: "four months before the summit", "next week's NATO defence ministerial",
/// "the July NATO summit in Washington", "the next summit" (soft);</item>
/// <item>explicit dates read as past or future from the tense (soft).</item>
/// </list>
/// Thread-safe and pure: its only state, besides the KB's indexes, is a memo of solved relative phrases.
/// </summary>
public sealed class ArticleDater
{
    private readonly KnowledgeBase _kb;
    private readonly TimeTagger _tagger;
    private readonly FrozenDictionary<string, ImmutableArray<(DateInterval Span, int Count)>> _memberCounts;
    private readonly ImmutableArray<Entity> _summits;
    private readonly string? _theAlliance;

    public ArticleDater(KnowledgeBase knowledge, TimeTagger? tagger = null)
    {
        _kb = knowledge;
        _tagger = tagger ?? TimeTagger.Default;
        _memberCounts = knowledge.Entities.SelectMany(e => e.Memberships).GroupBy(m => m.OrgId)
            .ToFrozenDictionary(g => g.Key, g => CountHistory([.. g]), StringComparer.Ordinal);
        _summits = [.. knowledge.OfType(EntityType.Summit).Where(s => s.Dates.From is not null).OrderBy(s => s.Dates.From)];
        // "the Alliance", "the allies" with no organisation named: the organisation the KB calls "the alliance".
        _theAlliance = knowledge.Lookup("the alliance").Select(h => h.Entity.Id).FirstOrDefault(_memberCounts.ContainsKey);
    }

    public KnowledgeBase Knowledge => _kb;

    public TimeTagger Tagger => _tagger;

    /// <summary>
    /// The article's date: metadata when <paramref name="published"/> is given (content constraints are still read and
    /// checked against it), otherwise inferred from the content.
    /// </summary>
    /// <param name="times">The article's time expressions from <see cref="TimeTagger"/> (tagged without a reference or against
    /// <paramref name="published"/>); tagged here when default.</param>
    /// <param name="notAfter">The day of analysis: nothing is published later. Null leaves the interval open above.</param>
    /// <param name="dateline">The span of the article's dateline, when it has one.</param>
    public ArticleDate Date(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences, IReadOnlyList<LinkedEntity> entities,
        DateOnly? published, ImmutableArray<TimeExpression> times = default, DateOnly? notAfter = null, (int Start, int End)? dateline = null)
    {
        if (times.IsDefault) times = _tagger.Tag(text, tokens, sentences, published);
        var constraints = Constraints(text, tokens, sentences, entities, times, published, notAfter, dateline);
        return Solve(constraints, published);
    }

    /// <summary>Solves a set of constraints into an article date (exposed for tests and for callers with their own constraints).</summary>
    public static ArticleDate Solve(IReadOnlyList<DateConstraint> constraints, DateOnly? published = null)
    {
        var content = constraints.Where(c => c.Kind is not (ConstraintKind.NotAfterToday or ConstraintKind.Metadata)).ToList();
        if (published is null && content.Count == 0)
        {
            var open = DateSolver.Solve(constraints);
            return new ArticleDate(open.Allowed.From, open.Allowed.To, null, DatingSource.Unknown, open.Allowed, open.Constraints, open.Conflicts);
        }
        var s = DateSolver.Solve(constraints);
        var source = published is not null ? DatingSource.Metadata : DatingSource.Content;
        var reference = published ?? s.Reference;
        return new ArticleDate(s.Allowed.From, s.Allowed.To, reference, source, s.Allowed, s.Constraints, s.Conflicts);
    }

    // =====================================================================================================
    // Constraints
    // =====================================================================================================

    /// <summary>Every dating constraint the article's metadata, text and entities give.</summary>
    public ImmutableArray<DateConstraint> Constraints(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences,
        IReadOnlyList<LinkedEntity> entities, ImmutableArray<TimeExpression> times, DateOnly? published, DateOnly? notAfter,
        (int Start, int End)? dateline = null)
    {
        var doc = new Doc(text, tokens, sentences);
        var list = new List<DateConstraint>();
        // A dateline without a year needs a last possible year: the day of analysis or the stated date. With neither
        // (a caller that gives no "today"), only a dateline with its year dates the article.
        if (dateline is { } dl && DatelineDate.Read(text, dl.Start, dl.End) is { } dd && (dd.Year != null || (notAfter ?? published) != null))
        {
            int lastYear = (notAfter ?? published)?.Year ?? dd.Year!.Value;
            var allowed = DatelineDate.Allowed(dd.Month, dd.Day, dd.Year, lastYear);
            if (!allowed.IsEmpty)
                list.Add(new DateConstraint(ConstraintKind.Dateline, ConstraintStrength.Hard, allowed, dd.Start, dd.End, dl.Start, dl.End,
                    $"the dateline '{text[dl.Start..dl.End].Trim()}' gives {(dd.Year is { } y ? $"{y}-" : "")}{dd.Month:00}-{dd.Day:00}: published that day or the next"));
        }
        if (published is { } p)
            list.Add(new DateConstraint(ConstraintKind.Metadata, ConstraintStrength.Hard, DateSet.Of(DateInterval.Day(p)), 0, 0, 0, 0,
                $"published {Day(p)} (metadata)"));
        if (notAfter is { } na)
            list.Add(new DateConstraint(ConstraintKind.NotAfterToday, ConstraintStrength.Hard, DateSet.Of(DateInterval.Before(na.PlusDays(1))), 0, 0, 0, 0,
                $"not after the day of analysis, {Day(na)}"));
        RoleConstraints(doc, entities, list);
        ExistenceConstraints(doc, entities, list);
        CountConstraints(doc, entities, list);
        var refs = EventRefs(doc, entities, times);
        EventConstraints(doc, [.. refs.Where(r => !r.NeedsDate)], times, list);
        ExplicitDateConstraints(doc, times, list);
        // "the next summit", "their last summit": which summit depends on the article's date, so it is resolved
        // against the date the other constraints give.
        var pending = refs.Where(r => r.NeedsDate).ToList();
        if (pending.Count > 0)
        {
            var first = DateSolver.Solve(list).Allowed;
            var resolved = new List<EventRef>();
            foreach (var r in pending)
            {
                var cands = NextOrLast(r.Cue, first);
                if (!cands.IsEmpty) resolved.Add(r with { Candidates = cands, Identified = cands.Length == 1, NeedsDate = false });
            }
            EventConstraints(doc, resolved, times, list);
        }
        return [.. list];
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Range(DateRange r) =>
        r.From is { } f && r.To is { } t ? $"from {Day(f)} to {Day(t.PlusDays(-1))}" : r.From is { } f2 ? $"from {Day(f2)}" : r.To is { } t2 ? $"until {Day(t2.PlusDays(-1))}" : "at an unknown time";

    private static DateSet ToSet(DateRange r) => r.IsUndated ? DateSet.Empty : DateSet.Of(new DateInterval(r.From, r.To));

    // ---- roles: "President-elect Donald Trump", "former NATO chief"

    private void RoleConstraints(Doc doc, IReadOnlyList<LinkedEntity> entities, List<DateConstraint> into)
    {
        foreach (var e in entities)
        {
            if (e.KbId is not { } pid || e.Roles.IsEmpty) continue;
            foreach (var claim in e.Roles)
            {
                if (claim.RoleId is not { } rid) continue;
                var tenures = _kb.RolesOf(pid).Where(t => t.RoleId == rid && !t.Dates.IsUndated).ToList();
                if (tenures.Count == 0) continue;
                int end = PersonEnd(e, claim);
                var (ss, se) = doc.SentenceAt(claim.Start);
                var role = _kb.TryGetRole(rid, out var r) ? r : null;
                string roleName = RoleName(role);
                string quoted = Quote(doc.Text, claim.Start, end);
                if (claim.Former)
                {
                    var ended = tenures.Where(t => t.Dates.To is not null).Select(t => t.Dates.To!.Value).ToList();
                    if (ended.Count == 0) continue;
                    var after = ended.Min();
                    into.Add(new DateConstraint(ConstraintKind.FormerRole, ConstraintStrength.Hard, DateSet.Of(DateInterval.Since(after)), claim.Start, end, ss, se,
                        $"{quoted}: {e.Name} left the post of {roleName} on {Day(after)}", pid) { RoleId = rid });
                    continue;
                }
                var allowed = DateSet.Of(tenures.Select(t => new DateInterval(t.Dates.From, t.Dates.To)));
                string terms = string.Join(" and ", tenures.Select(t => Range(t.Dates)));
                into.Add(new DateConstraint(ConstraintKind.Role, ConstraintStrength.Hard, allowed, claim.Start, end, ss, se,
                    $"{quoted}: {e.Name} was {roleName} {terms}", pid) { RoleId = rid });
            }
        }
    }

    private string RoleName(Role? role)
    {
        if (role is null) return "in that role";
        string org = role.OrgId is { } o && _kb.TryGet(o, out var oe) ? oe.Name : "";
        return org.Length > 0 ? $"{role.Title} ({org})" : role.Title;
    }

    private static int PersonEnd(LinkedEntity e, ClaimedRole claim)
    {
        foreach (var m in e.Mentions) if (m.Start == claim.PersonStart) return m.End;
        return claim.End;
    }

    private static string Quote(string text, int start, int end)
    {
        var s = text[start..end].Replace('\n', ' ').Replace('\r', ' ');
        return $"'{s}'";
    }

    // ---- existence: a named operation, event, body or treaty exists only from its start

    private static readonly FrozenSet<string> ExistenceTypes = new[] { "operation", "event", "body", "treaty" }.ToFrozenSet();

    private void ExistenceConstraints(Doc doc, IReadOnlyList<LinkedEntity> entities, List<DateConstraint> into)
    {
        foreach (var e in entities)
        {
            if (e.KbId is not { } id || !ExistenceTypes.Contains(e.Type) || !_kb.TryGet(id, out var ent) || ent.Dates.From is not { } from) continue;
            var m = e.Mentions.FirstOrDefault(x => x.Source == "kb" && x.Confidence >= 0.6);
            if (m is null) continue;
            // A recurring meeting's generic name says nothing about which one, nor that it has happened.
            if (_kb.Lookup(doc.Text[m.Start..m.End]).Count(h => h.Entity.Type == ent.Type) > 1) continue;
            var (ss, se) = doc.SentenceAt(m.Start);
            string what = ent.Type switch
            {
                EntityType.Operation => "launched",
                EntityType.Treaty => "signed",
                EntityType.Body => "set up",
                _ => "began",
            };
            into.Add(new DateConstraint(ConstraintKind.Exists, ConstraintStrength.Hard, DateSet.Of(DateInterval.Since(from)), m.Start, m.End, ss, se,
                $"{Quote(doc.Text, m.Start, m.End)} is named: {ent.Name} {what} {DateRange.Format(from, ent.Dates.FromPrecision)}", id));
        }
    }

    // ---- member counts: "the 32 Alliance leaders", "32 NATO countries"

    private static readonly FrozenSet<string> MemberNouns = new[]
    {
        "allies", "members", "member", "countries", "nations", "states", "leaders", "governments", "capitals",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> AllianceWords = new[] { "alliance", "allies", "allied", "nato" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private void CountConstraints(Doc doc, IReadOnlyList<LinkedEntity> entities, List<DateConstraint> into)
    {
        // Organisations with a membership history, by their mentions.
        var orgMentions = new List<(int Start, int End, string Id)>();
        foreach (var e in entities)
            if (e.KbId is { } id && _memberCounts.ContainsKey(id))
                foreach (var m in e.Mentions) orgMentions.Add((m.Start, m.End, id));
        if (_memberCounts.Count == 0) return;
        var seen = new HashSet<string>();
        var tokens = doc.Tokens;
        for (int k = 0; k < tokens.Count; k++)
        {
            int n = NumberAt(doc, k, out int afterNumber);
            if (n is < 2 or > 99) continue;
            // A total, not a part: "the 32 allies", "all 32 members", "NATO's 32 members" ("two NATO countries" is a part).
            if (k == 0 || !(doc.Word(k - 1, "the") || doc.Word(k - 1, "all") || doc.Word(k - 1, "its") || doc.Word(k - 1, "their")
                || doc.Word(k - 1, "'s") || doc.Word(k - 1, "’s"))) continue;
            string? org = null;
            bool noun = false;
            int end = afterNumber;
            for (int j = afterNumber; j < Math.Min(tokens.Count, afterNumber + 3); j++)
            {
                var w = tokens[j].AsSpan(doc.Text);
                if (tokens[j].Kind != TokenKind.Word) break;
                var lookupW = MemberNounLookup.Contains(w);
                if (lookupW) { noun = true; end = tokens[j].End; }
                foreach (var (s, e, id) in orgMentions) if (s <= tokens[j].Start && tokens[j].End <= e) { org = id; end = Math.Max(end, tokens[j].End); }
                if (org is null && AllianceLookup.Contains(w)) org = "alliance";
                if (lookupW) break;
            }
            if (!noun || org is null) continue;
            if (org == "alliance")
            {
                // "the 32 Alliance leaders": the alliance the article names (the one with a membership history).
                var (ss0, se0) = doc.SentenceAt(tokens[k].Start);
                org = orgMentions.FirstOrDefault(o => o.Start >= ss0 && o.End <= se0).Id
                    ?? orgMentions.GroupBy(o => o.Id).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key
                    ?? _theAlliance;
                if (org is null) continue;
            }
            if (!seen.Add($"{org}:{n}")) continue;
            var history = _memberCounts[org];
            var allowed = DateSet.Of(SpansWithCount(history, n));
            var (ss, se) = doc.SentenceAt(tokens[k].Start);
            string orgName = _kb.TryGet(org, out var oe) ? oe.Name : org;
            string when = allowed.IsEmpty ? "never" : string.Join(" and ", allowed.Intervals.Select(i => i.To is null ? $"from {Day(i.From!.Value)}" : $"from {Day(i.From ?? DateOnly.MinValue)} to {Day(i.To.Value.PlusDays(-1))}"));
            into.Add(new DateConstraint(ConstraintKind.MemberCount, ConstraintStrength.Hard, allowed, tokens[k].Start, end, ss, se,
                $"{Quote(doc.Text, tokens[k].Start, end)}: {orgName} had {n} members {when}", org));
        }
    }

    /// <summary>The spans of a membership history with the given count, in order. (A lambda capturing the count made
    /// the compiler allocate a closure for every token of the loop, count or not.)</summary>
    private static List<DateInterval> SpansWithCount(ImmutableArray<(DateInterval Span, int Count)> history, int n)
    {
        var spans = new List<DateInterval>();
        foreach (var h in history) if (h.Count == n) spans.Add(h.Span);
        return spans;
    }

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> MemberNounLookup = MemberNouns.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> AllianceLookup = AllianceWords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>A count at token k: "32", "thirty-two", "all 32"; -1 when none.</summary>
    private static int NumberAt(Doc doc, int k, out int after)
    {
        after = k + 1;
        var t = doc.Tokens[k];
        var s = t.AsSpan(doc.Text);
        if (t.Kind == TokenKind.Number)
        {
            if (s.Length <= 2 && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v)) return v;
            return -1;
        }
        if (t.Kind != TokenKind.Word || s.Length < 3 || !char.IsLetter(s[0])) return -1;
        int dash = s.IndexOf('-');
        if (dash < 0) return NumberWordLookup.TryGetValue(s, out int single) ? single : -1;
        // thirty-two
        if (!NumberWordLookup.TryGetValue(s[..dash], out int tens) || tens < 20 || !NumberWordLookup.TryGetValue(s[(dash + 1)..], out int ones) || ones is < 1 or > 9) return -1;
        return tens + ones;
    }

    private static readonly string[] NumberWords =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
        "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];

    // Declared after NumberWords: static fields initialise in order.
    private static readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> NumberWordLookup =
        NumberWords.Select((w, i) => (w, v: i < 20 ? i : (i - 18) * 10)).ToFrozenDictionary(p => p.w, p => p.v, StringComparer.OrdinalIgnoreCase)
            .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The periods over which an organisation had a constant number of members.</summary>
    private static ImmutableArray<(DateInterval, int)> CountHistory(List<Membership> members)
    {
        var dated = members.Where(m => !m.Dates.IsUndated).ToList();
        var bounds = new SortedSet<DateOnly>();
        foreach (var m in dated)
        {
            if (m.Dates.From is { } f) bounds.Add(f);
            if (m.Dates.To is { } t) bounds.Add(t);
        }
        var result = ImmutableArray.CreateBuilder<(DateInterval, int)>();
        DateOnly? start = null;
        foreach (var b in bounds.Append(DateOnly.MaxValue))
        {
            var probe = start ?? b.PlusDays(-1);
            if (start is null && b == DateOnly.MinValue) { start = b; continue; }
            int count = dated.Select(m => m.MemberId).Distinct().Count(id => dated.Any(m => m.MemberId == id && m.Dates.Contains(probe)));
            result.Add((new DateInterval(start, b == DateOnly.MaxValue ? null : b), count));
            start = b;
            if (b == DateOnly.MaxValue) break;
        }
        return result.ToImmutable();
    }

    // ---- events the KB dates, referred to in the text

    /// <summary>A reference to KB-dated events: the span, the candidate events, and a cue (+1 future, -1 past, 0 none).</summary>
    private sealed record EventRef(int Start, int End, int FirstToken, int EndToken, ImmutableArray<Entity> Candidates, int Cue, bool Identified)
    {
        /// <summary>"the next summit" with nothing else to say which: resolved once the other evidence dates the article.</summary>
        public bool NeedsDate { get; init; }
    }

    /// <summary>The summits that are "next" (cue +1) or "last" (cue -1) for some day of <paramref name="days"/>.</summary>
    private ImmutableArray<Entity> NextOrLast(int cue, DateSet days)
    {
        var b = ImmutableArray.CreateBuilder<Entity>();
        for (int k = 0; k < _summits.Length; k++)
        {
            var s = _summits[k];
            DateInterval when = cue > 0
                ? new DateInterval(k > 0 ? _summits[k - 1].Dates.From : null, s.Dates.From)
                : new DateInterval(s.Dates.To ?? s.Dates.From, k + 1 < _summits.Length ? _summits[k + 1].Dates.To ?? _summits[k + 1].Dates.From : null);
            if (days.Overlaps(DateSet.Of(when))) b.Add(s);
        }
        return b.ToImmutable();
    }

    private static readonly FrozenSet<string> EventTypes = new[] { "summit", "event" }.ToFrozenSet();

    private List<EventRef> EventRefs(Doc doc, IReadOnlyList<LinkedEntity> entities, ImmutableArray<TimeExpression> times)
    {
        var refs = new List<EventRef>();
        var tokens = doc.Tokens;
        // 1. Linked mentions of dated summits and events; an ambiguous alias gives every entity it names.
        foreach (var e in entities)
        {
            if (e.KbId is not { } id || !EventTypes.Contains(e.Type) || !_kb.TryGet(id, out var ent)) continue;
            foreach (var m in e.Mentions)
            {
                if (m.Source != "kb") continue;
                var cands = _kb.Lookup(doc.Text[m.Start..m.End]).Select(h => h.Entity).Where(x => x.Type == ent.Type && x.Dates.From is not null).Distinct().ToImmutableArray();
                if (cands.IsEmpty && ent.Dates.From is not null) cands = [ent];
                if (cands.IsEmpty) continue;
                int ft = doc.TokenAt(m.Start), et = doc.TokenAt(m.End - 1) + 1;
                int left = ExtendLeft(doc, ft);
                refs.Add(new EventRef(doc.Tokens[left].Start, m.End, left, et, cands, Cue(doc, left, et), true));
            }
        }
        // 2. "summit" heads the KB did not match: by place ("summit in The Hague", "the July NATO summit in Washington"),
        //    by anaphora ("the summit"), or any summit when a time expression or cue says which ("their summit last summer").
        var places = entities.Where(e => e.KbId is not null && e.Type is "place" or "country").SelectMany(e => e.Mentions.Select(m => (m.Start, m.End, Id: e.KbId!))).ToList();
        int[]? timesByStart = null; // built on the first "summit" that needs it
        for (int k = 0; k < tokens.Count; k++)
        {
            var w = tokens[k].AsSpan(doc.Text);
            if (!w.Equals("summit", StringComparison.OrdinalIgnoreCase)) continue;
            if (refs.Any(r => r.FirstToken <= k && k < r.EndToken)) continue;
            int left = ExtendLeft(doc, k), end = k + 1;
            var cands = ImmutableArray<Entity>.Empty;
            bool identified = false;
            // summit in/at PLACE, summit set for PLACE
            int placeTok = k + 1 < tokens.Count && tokens[k + 1].AsSpan(doc.Text) is "in" or "at" ? k + 2 : -1;
            if (placeTok < 0)
            {
                int j = k + 1;
                if (doc.Word(j, ",")) j++;
                if ((doc.Word(j, "set") || doc.Word(j, "scheduled") || doc.Word(j, "planned")) && (doc.Word(j + 1, "for") || doc.Word(j + 1, "in"))) placeTok = j + 2;
            }
            if (placeTok > 0 && placeTok < tokens.Count)
            {
                int at = tokens[placeTok].Start;
                foreach (var pl in places)
                    if (pl.Start <= at && at < pl.End)
                    {
                        cands = [.. _summits.Where(s => s.Place == pl.Id || (s.Place is { } sp && _kb.TryGet(sp, out var spe) && spe.PartOf == pl.Id))];
                        identified = !cands.IsEmpty;
                        end = doc.TokenAt(pl.End - 1) + 1;
                        break;
                    }
            }
            if (cands.IsEmpty)
            {
                // PLACE summit
                foreach (var pl in places)
                    if (pl.End <= tokens[k].Start && pl.Start >= tokens[left].Start)
                    {
                        cands = [.. _summits.Where(s => s.Place == pl.Id)];
                        identified = !cands.IsEmpty;
                    }
            }
            int cue = Cue(doc, left, end);
            bool timed = AnyAdjacent(doc, left, end, Near(doc, times, timesByStart ??= Enumerable.Range(0, times.Length).OrderBy(i => times[i].Start).ThenBy(i => i).ToArray(), left, end));
            bool needsDate = false;
            if (cands.IsEmpty && cue != 0) needsDate = true;
            else if (cands.IsEmpty && timed) cands = _summits; // "their summit last summer": the time says which
            if (cands.IsEmpty && !needsDate)
            {
                // The summit already identified in the article (before, else after); else every summit the KB knows.
                var known = refs.Where(r => r.Identified && r.Candidates.Length == 1 && r.Candidates[0].Type == EntityType.Summit).ToList();
                var before = known.Where(r => r.End <= tokens[k].Start).OrderByDescending(r => r.End).FirstOrDefault();
                var pick = before ?? (known.Select(r => r.Candidates[0].Id).Distinct().Count() == 1 ? known.FirstOrDefault() : null);
                if (pick is not null) { cands = pick.Candidates; identified = true; }
                else cands = _summits;
            }
            if (cands.IsEmpty && !needsDate) continue;
            refs.Add(new EventRef(tokens[left].Start, tokens[end - 1].End, left, end, cands, cue, identified) { NeedsDate = needsDate });
        }
        return [.. refs.OrderBy(r => r.Start)];
    }

    /// <summary>Whether any of <paramref name="near"/> is adjacent to [left, end). (A lambda capturing left and end made the
    /// compiler allocate a closure for every token of the loop, "summit" or not.)</summary>
    private static bool AnyAdjacent(Doc doc, int left, int end, List<TimeExpression> near)
    {
        foreach (var x in near) if (Adjacent(doc, left, end, x)) return true;
        return false;
    }

    private static readonly FrozenSet<string> NpWords = new[]
    {
        "the", "their", "its", "our", "this", "that", "next", "last", "upcoming", "previous", "forthcoming", "coming", "alliance", "nato",
        "'s", "’s", "annual", "allied", "leaders", "leaders'", "leaders’", "defence", "defense", "ministers", "ministers'", "ministers’",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NpLookup = NpWords.GetAlternateLookup<ReadOnlySpan<char>>();

    private static int ExtendLeft(Doc doc, int k)
    {
        int left = k;
        while (left - 1 >= 0 && NpLookup.Contains(doc.Tokens[left - 1].AsSpan(doc.Text)) && !doc.LineBreakBefore(left)) left--;
        return left;
    }

    /// <summary>+1 when the phrase points ahead ("next", "upcoming", "ahead of", "set for"), -1 behind ("last", "previous"), else 0.</summary>
    private static int Cue(Doc doc, int first, int end)
    {
        for (int k = first; k < end; k++)
        {
            var w = doc.Tokens[k].AsSpan(doc.Text);
            if (w.Equals("next", StringComparison.OrdinalIgnoreCase) || w.Equals("upcoming", StringComparison.OrdinalIgnoreCase)
                || w.Equals("forthcoming", StringComparison.OrdinalIgnoreCase) || w.Equals("coming", StringComparison.OrdinalIgnoreCase)) return 1;
            if (w.Equals("last", StringComparison.OrdinalIgnoreCase) || w.Equals("previous", StringComparison.OrdinalIgnoreCase)) return -1;
        }
        if (first >= 2 && doc.Word(first - 1, "of") && doc.Word(first - 2, "ahead")) return 1;
        if (end + 1 < doc.Tokens.Count && (doc.Word(end, "set") || doc.Word(end, "scheduled") || doc.Word(end, "due")) && doc.Word(end + 1, "for")) return 1;
        if (end + 1 < doc.Tokens.Count && (doc.Word(end, "set") || doc.Word(end, "scheduled") || doc.Word(end, "due")) && (doc.Word(end + 1, ",") || doc.Word(end + 1, "to"))) return 1;
        if (end + 2 < doc.Tokens.Count && (doc.Word(end, "will") || doc.Word(end, "to")) && doc.Word(end + 1, "be") && doc.Word(end + 2, "held")) return 1;
        return 0;
    }

    private void EventConstraints(Doc doc, List<EventRef> refs, ImmutableArray<TimeExpression> all, List<DateConstraint> into)
    {
        // Only expressions within a few tokens of a reference can relate to it (Adjacent; "N units before"): each
        // reference looks at the expressions near it, found by binary search, not at every expression of the text.
        var byStart = Enumerable.Range(0, all.Length).OrderBy(i => all[i].Start).ThenBy(i => i).ToArray();
        foreach (var r in refs)
        {
            var times = Near(doc, all, byStart, r.FirstToken, r.EndToken);
            var (ss, se) = doc.SentenceAt(r.Start);
            string quoted = Quote(doc.Text, r.Start, r.End);
            // A cue on an identified event: before it ("next", "set for") or after it ("last").
            if (r.Cue != 0 && r.Identified)
            {
                var allowed = DateSet.Of(r.Candidates.Select(c => r.Cue > 0
                    ? DateInterval.Before(c.Dates.From!.Value)
                    : c.Dates.To is { } to ? DateInterval.Since(to) : new DateInterval(DateOnly.MinValue, DateOnly.MinValue)));
                string names = Names(r.Candidates);
                into.Add(new DateConstraint(ConstraintKind.EventRelation, ConstraintStrength.Soft, allowed, r.Start, r.End, ss, se,
                    r.Cue > 0 ? $"{quoted} is still to come: before {names}" : $"{quoted} is past: after {names}", Single(r.Candidates)));
            }
            // A time expression naming the event's time: inside the phrase, right after it, or just before it with 's.
            foreach (var x in times)
            {
                if (!Adjacent(doc, r.FirstToken, r.EndToken, x)) continue;
                var solution = DateSet.Empty;
                foreach (var c in r.Candidates) solution = solution.Union(WhenExpressionHolds(x, c.Dates));
                string tq = Quote(doc.Text, x.Start, x.End);
                if (solution.IsAll) continue; // an absolute date that fits: nothing to learn
                int start = Math.Min(r.Start, x.Start), end = Math.Max(r.End, x.End);
                if (solution.IsEmpty && !r.Identified) continue; // no KB event fits; the KB may not know the one meant
                into.Add(new DateConstraint(ConstraintKind.EventRelation, ConstraintStrength.Soft, solution, start, end, ss, se,
                    solution.IsEmpty
                        ? $"{Quote(doc.Text, start, end)}: {tq} does not fit {Names(r.Candidates)}"
                        : $"{Quote(doc.Text, start, end)}: {tq} holds {Names(r.Candidates)} when the article is dated so", Single(r.Candidates)));
            }
            // "four months before the summit", "a week after the election"
            foreach (var x in times)
            {
                if (x.Type != TimexType.Duration || !TryAmount(x.Value, out int amount, out var unit)) continue;
                int xe = doc.TokenAt(x.End - 1) + 1;
                if (xe >= doc.Tokens.Count || !doc.SameSentence(x.Start, r.Start)) continue;
                int rel = doc.Word(xe, "before") ? -1 : doc.Word(xe, "after") ? 1 : doc.Word(xe, "ahead") && doc.Word(xe + 1, "of") ? -1 : 0;
                int gap = r.FirstToken - xe;
                if (rel == 0 || gap < 1 || gap > 3) continue;
                var allowed = new List<DateInterval>();
                DateOnly? likely = null;
                foreach (var c in r.Candidates)
                {
                    var t = c.Dates.From!.Value;
                    if (rel < 0)
                    {
                        // Said about N units before the event: from N+1 units before it until the event.
                        allowed.Add(new DateInterval(Calendar.Shift(t, unit, -(amount + 1)), t));
                        likely ??= Calendar.Shift(t, unit, -amount);
                    }
                    else
                    {
                        allowed.Add(DateInterval.Since(Calendar.Shift(t, unit, amount - 1)));
                        likely ??= Calendar.Shift(t, unit, amount);
                    }
                }
                int start = Math.Min(r.Start, x.Start), end = Math.Max(r.End, x.End);
                into.Add(new DateConstraint(ConstraintKind.EventRelation, ConstraintStrength.Soft, DateSet.Of(allowed), start, end, ss, se,
                    $"{Quote(doc.Text, start, end)}: said {(rel < 0 ? "before" : "after")} {Names(r.Candidates)}, about {x.Value[1..]} {(rel < 0 ? "ahead" : "later")}",
                    Single(r.Candidates)) { Likely = r.Candidates.Length == 1 ? likely : null });
            }
        }
    }

    /// <summary>Longer than any time expression (in chars): the backward reach of <see cref="Near"/>.</summary>
    private const int MaxExpressionChars = 1000;

    /// <summary>
    /// The expressions (in their original order) that may lie within four tokens before or two after the token range
    /// [first, end): every one that <see cref="Adjacent"/> or a "N units before/after" relation can accept, and a few more.
    /// </summary>
    private static List<TimeExpression> Near(Doc doc, ImmutableArray<TimeExpression> all, int[] byStart, int first, int end)
    {
        var result = new List<TimeExpression>();
        if (all.IsEmpty || doc.Tokens.Count == 0) return result;
        int lo = doc.Tokens[Math.Clamp(first - 4, 0, doc.Tokens.Count - 1)].Start;
        int hi = doc.Tokens[Math.Clamp(end + 1, 0, doc.Tokens.Count - 1)].End;
        // The first expression starting after hi; walk back while an expression could still reach lo.
        int a = 0, b = byStart.Length;
        while (a < b) { int m = (a + b) >>> 1; if (all[byStart[m]].Start <= hi) a = m + 1; else b = m; }
        var picked = new List<int>();
        for (int k = a - 1; k >= 0; k--)
        {
            var x = all[byStart[k]];
            if (x.Start < lo - MaxExpressionChars) break;
            if (x.End > lo) picked.Add(byStart[k]);
        }
        picked.Sort();
        foreach (int i in picked) result.Add(all[i]);
        return result;
    }

    /// <summary>A date or time expression inside the phrase [first, end), right after it, or just before it ("next week's meeting").</summary>
    private static bool Adjacent(Doc doc, int first, int end, TimeExpression x)
    {
        if (!(x.Type is TimexType.Date or TimexType.Time) || first >= doc.Tokens.Count) return false;
        int xs = doc.TokenAt(x.Start), xe = doc.TokenAt(x.End - 1) + 1;
        if (xs >= first && xe <= end) return true;
        if (!doc.SameSentence(doc.Tokens[first].Start, x.Start)) return false;
        if (xs >= end && xs <= end + 1) return true;
        return xe <= first && xe >= first - 2;
    }

    private static string? Single(ImmutableArray<Entity> cands) => cands.Length == 1 ? cands[0].Id : null;

    private static string Names(ImmutableArray<Entity> cands) =>
        cands.Length switch
        {
            1 => $"{cands[0].Name} ({Range(cands[0].Dates)})",
            <= 3 => string.Join(" or ", cands.Select(c => $"{c.Name} ({Range(c.Dates)})")),
            _ => $"any of {cands.Length} dated events ({string.Join(", ", cands.Select(c => c.Name))})",
        };

    private static bool TryAmount(string value, out int amount, out Gran unit)
    {
        amount = 0;
        unit = Gran.None;
        if (value.Length < 3 || value[0] != 'P' || value[1] == 'T' || value[1] == 'X') return false;
        int k = 1;
        while (k < value.Length && char.IsAsciiDigit(value[k])) k++;
        if (k == 1 || k != value.Length - 1 || !int.TryParse(value.AsSpan(1, k - 1), NumberStyles.None, CultureInfo.InvariantCulture, out amount)) return false;
        unit = value[k] switch { 'Y' => Gran.Year, 'M' => Gran.Month, 'W' => Gran.Week, 'D' => Gran.Day, 'Q' => Gran.Quarter, _ => Gran.None };
        return unit != Gran.None && amount > 0;
    }

    /// <summary>
    /// The days d for which the expression, resolved with d as reference, covers the event's first day. Absolute
    /// expressions give every day or none. Relative ones are solved by trying each day within three years of the event.
    /// </summary>
    internal DateSet WhenExpressionHolds(TimeExpression x, DateRange eventDates)
    {
        if (eventDates.From is not { } t) return DateSet.All;
        if (!x.Meaning.IsRelative)
        {
            var r = TimexResolver.Resolve(x.Meaning, null, x.Tense, null);
            return r.Interval is { } iv && iv.Contains(t) ? DateSet.All : r.Interval is null ? DateSet.All : DateSet.Empty;
        }
        var key = (x.Meaning, x.Tense, t);
        if (_holds.TryGetValue(key, out var cached)) return cached;
        var result = Solve(x.Meaning, x.Tense, t);
        if (_holds.Count < 10_000) _holds.TryAdd(key, result);
        return result;
    }

    /// <summary>Memo of <see cref="WhenExpressionHolds"/>: the same relative phrase about the same event recurs across articles.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(TimexMeaning, Tense, DateOnly), DateSet> _holds = new();

    private static DateSet Solve(TimexMeaning m, Tense tense, DateOnly t)
    {
        // Try every day close enough for the phrase to reach the event: a few of its units either side.
        int reach = m.Kind == MeaningKind.Offset
            ? (Math.Abs(m.Amount ?? 1) + 2) * UnitDays(m.Unit)
            : m.Weekday >= 0 && m.Month < 0 ? 21 : 3 * 366;
        reach = Math.Clamp(reach, 14, 3 * 366);
        var runs = new List<DateInterval>();
        DateOnly? runStart = null;
        var from = t.PlusDays(-reach);
        var to = t.PlusDays(reach);
        for (int dn = from.DayNumber; dn <= to.DayNumber; dn++)
        {
            var d = DateOnly.FromDayNumber(dn);
            var r = TimexResolver.Resolve(m, d, tense, null, strictTense: true);
            bool ok = r.Interval is { } iv && iv.Contains(t);
            if (ok && runStart is null) runStart = d;
            else if (!ok && runStart is { } rs) { runs.Add(new DateInterval(rs, d)); runStart = null; }
        }
        if (runStart is { } open) runs.Add(new DateInterval(open, to.PlusDays(1)));
        return DateSet.Of(runs);
    }

    private static int UnitDays(Gran unit) => unit switch
    {
        Gran.Day or Gran.PartOfDay => 1,
        Gran.Week or Gran.Weekend => 7,
        Gran.Month => 31,
        Gran.Quarter or Gran.Season => 92,
        Gran.Half => 183,
        Gran.Year => 366,
        _ => 3 * 366,
    };

    // ---- explicit dates with a tense: "invaded Ukraine in February 2022" (after), "the summit set for June 2025" (before)

    private static void ExplicitDateConstraints(Doc doc, ImmutableArray<TimeExpression> times, List<DateConstraint> into)
    {
        foreach (var x in times)
        {
            if (x.Type != TimexType.Date || x.Meaning.IsRelative || x.Meaning.Kind != MeaningKind.Calendar) continue;
            if (x.Tense is not (Tense.Past or Tense.Future)) continue;
            var r = TimexResolver.Resolve(x.Meaning, null, x.Tense, null);
            if (r.Interval is not { From: { } f, To: { } t }) continue;
            var (ss, se) = doc.SentenceAt(x.Start);
            string q = Quote(doc.Text, x.Start, x.End);
            if (x.Tense == Tense.Past)
                into.Add(new DateConstraint(ConstraintKind.ExplicitDate, ConstraintStrength.Soft, DateSet.Of(DateInterval.Since(f)), x.Start, x.End, ss, se,
                    $"{q} is told as past: after {Day(f)}"));
            else
                into.Add(new DateConstraint(ConstraintKind.ExplicitDate, ConstraintStrength.Soft, DateSet.Of(DateInterval.Before(t)), x.Start, x.End, ss, se,
                    $"{q} is told as future: before {Day(t)}"));
        }
    }

    // =====================================================================================================
    // Consistency flags
    // =====================================================================================================

    /// <summary>
    /// Statements that contradict the knowledge base on the article's date: people called by roles they did not hold
    /// then, events referred to as still to come after they happened (or as past before), named things before they
    /// existed, member counts that did not hold, and text dates that do not fit the KB's. Each flag carries both sides.
    /// </summary>
    public ImmutableArray<TimeFlag> Check(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences, IReadOnlyList<LinkedEntity> entities, ArticleDate date)
    {
        var doc = new Doc(text, tokens, sentences);
        var flags = ImmutableArray.CreateBuilder<TimeFlag>();
        var allowed = date.Allowed;
        if (allowed.IsEmpty || allowed.IsAll) return flags.ToImmutable();
        var byConstraint = new Dictionary<DateConstraint, ImmutableArray<DateConstraint>>(ReferenceEqualityComparer.Instance);
        foreach (var cf in date.Conflicts) byConstraint[cf.Constraint] = cf.Against;
        string when = DateText(date);

        foreach (var c in date.Basis)
        {
            if (c.Satisfied || c.Kind is ConstraintKind.Metadata or ConstraintKind.NotAfterToday) continue;
            var against = byConstraint.TryGetValue(c, out var a) ? a : [];
            string dating = against.IsEmpty ? "" : " (dated by " + string.Join("; ", against.Select(x => x.Reason)) + ")";
            switch (c.Kind)
            {
                case ConstraintKind.Role:
                    {
                        string holders = Holders(c.RoleId, date);
                        flags.Add(new TimeFlag(TimeFlagKinds.RoleNotHeld, c.Start, c.End, c.SentenceStart, c.SentenceEnd,
                            $"{Quote(text, c.Start, c.End)} on {when}: {c.Reason}{holders}{dating}",
                            $"{Quote(text, c.Start, c.End)} holds the role on the article's date ({when})",
                            c.Reason + holders, against));
                        break;
                    }
                case ConstraintKind.FormerRole:
                    flags.Add(new TimeFlag(TimeFlagKinds.RoleNotHeld, c.Start, c.End, c.SentenceStart, c.SentenceEnd,
                        $"{Quote(text, c.Start, c.End)} on {when}: {c.Reason}, so not yet former{dating}",
                        "the person no longer holds the role", c.Reason, against));
                    break;
                case ConstraintKind.Exists:
                    flags.Add(new TimeFlag(TimeFlagKinds.Anachronism, c.Start, c.End, c.SentenceStart, c.SentenceEnd,
                        $"{Quote(text, c.Start, c.End)} is named on {when}, before it existed: {c.Reason}{dating}",
                        "it exists", c.Reason, against));
                    break;
                case ConstraintKind.MemberCount:
                    flags.Add(new TimeFlag(TimeFlagKinds.CountMismatch, c.Start, c.End, c.SentenceStart, c.SentenceEnd,
                        $"{c.Reason}; not on {when}{dating}", Quote(text, c.Start, c.End), c.Reason, against));
                    break;
                case ConstraintKind.EventRelation:
                    {
                        string kind = c.Allowed.IsEmpty ? TimeFlagKinds.DateMismatch
                            : c.Allowed.To is { } to && allowed.From is { } af && to <= af ? TimeFlagKinds.EventAlreadyHappened
                            : c.Allowed.From is { } fr && allowed.To is { } at && fr >= at ? TimeFlagKinds.EventNotYetHappened
                            : TimeFlagKinds.DateMismatch;
                        string kb = c.SubjectId is { } sid && _kb.TryGet(sid, out var ev) ? $"{ev.Name}: {Range(ev.Dates)}" : c.Reason;
                        flags.Add(new TimeFlag(kind, c.Start, c.End, c.SentenceStart, c.SentenceEnd,
                            $"{c.Reason}; the article is dated {when}{dating}", Quote(text, c.Start, c.End), kb, against));
                        break;
                    }
                case ConstraintKind.ExplicitDate:
                    flags.Add(new TimeFlag(TimeFlagKinds.DatingConflict, c.Start, c.End, c.SentenceStart, c.SentenceEnd,
                        $"{c.Reason}, but the article is dated {when}{dating}", Quote(text, c.Start, c.End), c.Reason, against));
                    break;
            }
        }

        // Role claims the dater could not use (no dated term for that person in that role) but that the KB contradicts:
        // someone else held the role throughout the article's interval.
        foreach (var e in entities)
        {
            if (e.KbId is not { } pid) continue;
            foreach (var claim in e.Roles)
            {
                if (claim.RoleId is not { } rid || claim.Former) continue;
                if (date.Basis.Any(b => b.Kind == ConstraintKind.Role && b.SubjectId == pid && b.RoleId == rid && b.Start == claim.Start)) continue;
                if (_kb.RolesOf(pid).Any(t => t.RoleId == rid)) continue;
                if (date.Reference is not { } day) continue;
                var held = _kb.WhoHeld(rid, day);
                if (held.IsEmpty || held.Any(t => t.PersonId == pid)) continue;
                int end = PersonEnd(e, claim);
                var (ss, se) = doc.SentenceAt(claim.Start);
                string holders = Holders(rid, date);
                var role = _kb.TryGetRole(rid, out var r) ? r : null;
                flags.Add(new TimeFlag(TimeFlagKinds.RoleNotHeld, claim.Start, end, ss, se,
                    $"{Quote(text, claim.Start, end)}: the KB has no term of {e.Name} as {RoleName(role)}{holders}",
                    $"{Quote(text, claim.Start, end)} holds the role", $"{e.Name} never held {RoleName(role)} in the KB{holders}", []));
            }
        }
        return [.. flags.OrderBy(f => f.Start)];
    }

    private string Holders(string? roleId, ArticleDate date)
    {
        if (roleId is null || date.Reference is not { } day) return "";
        var held = _kb.WhoHeld(roleId, day);
        if (held.IsEmpty) return "";
        return "; on " + Day(day) + " the post was held by " + string.Join(" and ", held.Select(t => $"{(_kb.TryGet(t.PersonId, out var p) ? p.Name : t.PersonId)} ({Range(t.Dates)})"));
    }

    private static string DateText(ArticleDate d) =>
        d.IsExact ? Day(d.From!.Value) : $"{(d.From is { } f ? Day(f) : "…")} to {(d.Latest is { } l ? Day(l) : "…")}";

    // =====================================================================================================
    // Document helpers
    // =====================================================================================================

    /// <summary>Offsets-to-tokens and offsets-to-sentences lookups for one article.</summary>
    private sealed class Doc(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences)
    {
        public string Text { get; } = text;
        public IReadOnlyList<Token> Tokens { get; } = tokens;

        /// <summary>The index of the token holding (or the first after) offset <paramref name="at"/>.</summary>
        public int TokenAt(int at)
        {
            int lo = 0, hi = Tokens.Count - 1;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (Tokens[mid].End <= at) lo = mid + 1;
                else hi = mid;
            }
            return Math.Max(0, lo);
        }

        /// <summary>The sentence holding offset <paramref name="at"/>; the whole text when sentences are not given.</summary>
        public (int Start, int End) SentenceAt(int at)
        {
            int lo = 0, hi = sentences.Count - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) / 2;
                var s = sentences[mid];
                if (at < s.Start) hi = mid - 1;
                else if (at >= s.End) lo = mid + 1;
                else return (s.Start, s.End);
            }
            return (0, Text.Length);
        }

        public bool SameSentence(int a, int b) => SentenceAt(a) == SentenceAt(b);

        public bool Word(int k, string w) => k >= 0 && k < Tokens.Count && Tokens[k].AsSpan(Text).Equals(w, StringComparison.OrdinalIgnoreCase);

        public bool LineBreakBefore(int k)
        {
            if (k <= 0) return false;
            for (int c = Tokens[k - 1].End; c < Tokens[k].Start; c++) if (Text[c] is '\n' or '\r') return true;
            return false;
        }
    }
}
