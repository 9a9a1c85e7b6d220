using System.Collections.Immutable;
using Sitrep.Text;

namespace Sitrep.Knowledge;

/// <summary>Splits text[start..end) into tokens; the shape of <see cref="Tokenizer.Tokenize"/>.</summary>
public delegate void TokenizeFunc(string text, int start, int end, List<Token> into);

/// <summary>
/// One reading of a span of the document as a KB entity. Offsets [Start, End) are UTF-16 offsets into the text;
/// [FirstToken, EndToken) are token indices. A match inside one hyphenated token ("Russia" in "NATO-Russia")
/// has FirstToken + 1 == EndToken and a narrower [Start, End) than that token (<see cref="InsideToken"/>).
/// </summary>
public readonly record struct EntityMatch(
    int Start, int End, int FirstToken, int EndToken, string EntityId, MatchKind Kind, double Confidence, bool InsideToken = false)
{
    public int Length => End - Start;
}

/// <summary>
/// A title written before a person's name ("NATO Secretary General Mark Rutte"): the text claims that the person
/// holds (or, with <see cref="Former"/>, held) the role. Whether the claim was true on a date is for
/// <see cref="KnowledgeBase.HeldRole"/> to say.
/// </summary>
/// <param name="Person">The person's match.</param>
/// <param name="RoleId">The role the title names, or null when the title fits several roles and nothing tells which.</param>
/// <param name="Title">The title as written, qualifier included ("U.S. President-elect").</param>
/// <param name="TitleStart">Start offset of the title (of its qualifier when there is one).</param>
/// <param name="TitleEnd">End offset of the title.</param>
/// <param name="TitleFirstToken">First token of the title (or qualifier).</param>
/// <param name="TitleEndToken">Token index just past the title.</param>
/// <param name="OrgId">The organisation or country named before the title ("NATO", "U.S.", "Russian"), if any.</param>
/// <param name="CandidateRoleIds">Every role the title could name, best first.</param>
/// <param name="Former">The title is preceded by "former" or "ex-".</param>
public sealed record RoleClaim(
    EntityMatch Person, string? RoleId, string Title, int TitleStart, int TitleEnd, int TitleFirstToken, int TitleEndToken,
    string? OrgId, ImmutableArray<string> CandidateRoleIds, bool Former);

/// <summary>Entity matches and role claims of one document.</summary>
public sealed record MatchResult(ImmutableArray<EntityMatch> Matches, ImmutableArray<RoleClaim> RoleClaims);

/// <summary>
/// Finds KB names, aliases, metonyms and demonyms in tokenised text: the longest match wins, matches do not
/// overlap, and one span may have several readings (the city "Moscow" and Russia, by metonymy), best first.
/// Built once per KB over interned token keys and a trie; immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// Case rules, token by token of the KB form: an all-capital token ("NATO", "U.S.") must match exactly;
/// a lower-case token ("alliance") or a function word ("the", "of", "von") matches in any case; any other
/// token ("Russia") matches when the text has it with a capital first letter in any case ("RUSSIA" scores a
/// little lower). Curly and straight apostrophes, and all hyphens and dashes, are the same. A form beginning
/// with lower-case "the" before a capitalised word ("the Kremlin") also matches without the "the".
/// Multi-token matches do not cross a line break.
/// </remarks>
public sealed class AliasMatcher
{
    private const double DefaultAlias = 0.95, DefaultMetonym = 0.8, DefaultDemonym = 0.9;
    private const double CaseVariantFactor = 0.9, InsideTokenFactor = 0.95;
    private const int MaxKeyLength = 96;

    private static readonly HashSet<string> FunctionWords =
        ["the", "of", "and", "for", "in", "on", "at", "de", "du", "des", "la", "le", "von", "van", "der", "den", "al", "el", "'s"];

    private readonly Dictionary<string, int> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _keyLookup;
    private readonly Dictionary<long, int> _edges = [];
    private readonly List<Entry[]?> _terminals = [null];
    private readonly Dictionary<long, int> _titleEdges = [];
    private readonly List<string[]?> _titleTerminals = [null];
    private readonly int _maxTitleTokens;
    private readonly TokenizeFunc _tokenize;
    private readonly int _theKey, _possessiveKey, _apostropheKey, _formerKey, _exKey;

    private enum CaseRule : byte { Any, Exact, Capitalised }

    private sealed record Entry(string EntityId, MatchKind Kind, double Confidence, string[] Tokens, CaseRule[] Rules);

    /// <param name="knowledge">The KB whose forms to find.</param>
    /// <param name="tokenize">
    /// Tokenises the KB's forms; must be the tokenizer the documents are tokenised with, so that a form and its
    /// occurrence split the same way. Defaults to <see cref="Tokenizer.Tokenize"/>.
    /// </param>
    public AliasMatcher(KnowledgeBase knowledge, TokenizeFunc? tokenize = null)
    {
        Knowledge = knowledge;
        _tokenize = tokenize ?? Tokenizer.Tokenize;
        _keyLookup = _keys.GetAlternateLookup<ReadOnlySpan<char>>();
        _theKey = Intern("the");
        _possessiveKey = Intern("'s");
        _apostropheKey = Intern("'");
        _formerKey = Intern("former");
        _exKey = Intern("ex");

        var tokens = new List<Token>();
        foreach (var e in knowledge.Entities)
        {
            Add(e.Id, MatchKind.Name, 1.0, e.Name, tokens);
            foreach (var s in e.Aliases) Add(e.Id, MatchKind.Alias, s.Confidence ?? DefaultAlias, s.Text, tokens);
            foreach (var s in e.Metonyms) Add(e.Id, MatchKind.Metonym, s.Confidence ?? DefaultMetonym, s.Text, tokens);
            foreach (var s in e.Demonyms) Add(e.Id, MatchKind.Demonym, s.Confidence ?? DefaultDemonym, s.Text, tokens);
            foreach (var d in e.Domains) Add(e.Id, MatchKind.Alias, DefaultAlias, d, tokens);
        }
        foreach (var r in knowledge.Roles)
            foreach (var t in r.Titles)
                _maxTitleTokens = Math.Max(_maxTitleTokens, AddTitle(r.Id, t, tokens));
    }

    public KnowledgeBase Knowledge { get; }

    /// <summary>Entity matches and title+name role claims in one call.</summary>
    public MatchResult Analyse(string text, IReadOnlyList<Token> tokens)
    {
        int[] ids = KeysOf(text, tokens);
        var matches = Match(text, tokens, ids);
        return new MatchResult(matches, FindRoleClaims(text, tokens, matches, ids));
    }

    /// <summary>Tokenises <paramref name="text"/> with the matcher's tokenizer, then <see cref="Analyse(string, IReadOnlyList{Token})"/>.</summary>
    public MatchResult Analyse(string text)
    {
        var tokens = new List<Token>();
        _tokenize(text, 0, text.Length, tokens);
        return Analyse(text, tokens);
    }

    /// <summary>All longest non-overlapping matches, in text order; readings of one span are adjacent, best first.</summary>
    public ImmutableArray<EntityMatch> Match(string text, IReadOnlyList<Token> tokens) => Match(text, tokens, KeysOf(text, tokens));

    private ImmutableArray<EntityMatch> Match(string text, IReadOnlyList<Token> tokens, int[] ids)
    {
        int n = tokens.Count;
        var result = ImmutableArray.CreateBuilder<EntityMatch>();
        if (n == 0) return result.ToImmutable();

        var readings = new List<(Entry Entry, double Confidence)>();
        int i = 0;
        while (i < n)
        {
            int bestEnd = -1;
            if (ids[i] >= 0)
            {
                int node = 0;
                for (int j = i; j < n; j++)
                {
                    if (j > i && LineBreakBetween(text, tokens[j - 1], tokens[j])) break;
                    if (ids[j] < 0 || !_edges.TryGetValue(Edge(node, ids[j]), out node)) break;
                    if (_terminals[node] is not { } entries) continue;
                    int before = readings.Count;
                    foreach (var entry in entries)
                        if (CaseFactor(entry, text, tokens, i) is var f and > 0) readings.Add((entry, entry.Confidence * f));
                    if (readings.Count > before)
                    {
                        readings.RemoveRange(0, before);
                        bestEnd = j + 1;
                    }
                }
            }
            if (bestEnd > 0)
            {
                Emit(result, readings, tokens[i].Start, tokens[bestEnd - 1].End, i, bestEnd, false);
                readings.Clear();
                i = bestEnd;
            }
            else
            {
                MatchInsideToken(text, tokens[i], i, result, readings);
                i++;
            }
        }
        return result.ToImmutable();
    }

    /// <summary>
    /// Title+name patterns before person matches: "[former] [ORG['s]] TITLE NAME", as in "NATO Secretary General
    /// Mark Rutte", "Secretary-General Jens Stoltenberg", "U.S. President-elect Donald Trump", "Russian President
    /// Vladimir Putin". The organisation (a name, alias, metonym or demonym match) picks among roles with the same
    /// title; without one, the roles the person is known to have held decide.
    /// </summary>
    public ImmutableArray<RoleClaim> FindRoleClaims(string text, IReadOnlyList<Token> tokens, IReadOnlyList<EntityMatch> matches) =>
        _maxTitleTokens == 0 || matches.Count == 0 ? [] : FindRoleClaims(text, tokens, matches, KeysOf(text, tokens));

    private ImmutableArray<RoleClaim> FindRoleClaims(string text, IReadOnlyList<Token> tokens, IReadOnlyList<EntityMatch> matches, int[] ids)
    {
        var claims = ImmutableArray.CreateBuilder<RoleClaim>();
        if (_maxTitleTokens == 0 || matches.Count == 0) return claims.ToImmutable();

        // Index whole-token matches by the token they end at, to find qualifiers.
        var byEnd = new Dictionary<int, List<EntityMatch>>();
        foreach (var m in matches)
        {
            if (m.InsideToken) continue;
            if (!byEnd.TryGetValue(m.EndToken, out var l)) byEnd[m.EndToken] = l = [];
            l.Add(m);
        }

        int lastPersonStart = -1;
        foreach (var person in matches)
        {
            if (person.InsideToken || person.FirstToken == lastPersonStart) continue;
            if (person.Kind is not (MatchKind.Name or MatchKind.Alias)) continue;
            if (!Knowledge.TryGet(person.EntityId, out var pe) || pe.Type != EntityType.Person) continue;
            int p = person.FirstToken;

            // The longest title ending right before the name.
            int titleStart = -1;
            string[]? titleRoles = null;
            for (int s = Math.Max(0, p - _maxTitleTokens); s < p && titleStart < 0; s++)
            {
                int node = 0;
                bool ok = true;
                for (int j = s; j < p && ok; j++)
                {
                    ok = ids[j] >= 0 && (j == s || !LineBreakBetween(text, tokens[j - 1], tokens[j]))
                         && _titleEdges.TryGetValue(Edge(node, ids[j]), out node);
                }
                if (ok && !LineBreakBetween(text, tokens[p - 1], tokens[p]) && _titleTerminals[node] is { } roles)
                {
                    titleStart = s;
                    titleRoles = roles;
                }
            }
            if (titleStart < 0 || titleRoles is null) continue;
            lastPersonStart = p;

            // A qualifier right before the title, possibly with a possessive: "NATO's Secretary General".
            int q = titleStart;
            if (q > 0 && (ids[q - 1] == _possessiveKey || ids[q - 1] == _apostropheKey)) q--;
            string? org = null;
            int spanStart = titleStart;
            var candidates = titleRoles.Select(id => Knowledge.GetRole(id)).ToList();
            if (q > 0 && !LineBreakBetween(text, tokens[q - 1], tokens[q]) && byEnd.TryGetValue(q, out var before))
            {
                foreach (var m in before)
                {
                    var fitting = candidates.Where(r => r.OrgId == m.EntityId).ToList();
                    if (fitting.Count == 0) continue;
                    org = m.EntityId;
                    candidates = fitting;
                    spanStart = m.FirstToken;
                    break;
                }
            }
            var held = candidates.Where(r => pe.Roles.Any(t => t.RoleId == r.Id)).ToList();
            var ordered = held.Concat(candidates.Except(held)).Select(r => r.Id).ToImmutableArray();
            string? roleId = held.Count >= 1 ? held[0].Id : candidates.Count == 1 ? candidates[0].Id : null;
            if (org is null && roleId is not null) org = Knowledge.GetRole(roleId).OrgId;

            int f = spanStart - 1;
            bool former = f >= 0 && (ids[f] == _formerKey || ids[f] == _exKey);
            int start = tokens[spanStart].Start, end = tokens[p - 1].End;
            claims.Add(new RoleClaim(person, roleId, text[start..end], start, end, spanStart, p, org, ordered, former));
        }
        return claims.ToImmutable();
    }

    // ---------- building ----------

    private void Add(string entityId, MatchKind kind, double confidence, string form, List<Token> scratch)
    {
        var parts = Split(form, scratch);
        if (parts.Length == 0) return;
        Insert(new Entry(entityId, kind, confidence, parts, [.. parts.Select(RuleOf)]));
        // "the Kremlin" also as "Kremlin"; not "the alliance" (a common noun) nor "The Hague" (part of the name).
        if (parts.Length > 1 && parts[0] == "the" && parts[1].Length > 0 && char.IsUpper(parts[1][0]))
        {
            var rest = parts[1..];
            Insert(new Entry(entityId, kind, confidence, rest, [.. rest.Select(RuleOf)]));
        }
    }

    private void Insert(Entry entry)
    {
        int node = 0;
        foreach (var t in entry.Tokens)
        {
            long edge = Edge(node, Intern(TextKey.FoldToken(t)));
            if (!_edges.TryGetValue(edge, out int next))
            {
                next = _terminals.Count;
                _terminals.Add(null);
                _edges[edge] = next;
            }
            node = next;
        }
        var existing = _terminals[node] ?? [];
        if (existing.Any(e => e.EntityId == entry.EntityId && e.Kind == entry.Kind && e.Tokens.SequenceEqual(entry.Tokens))) return;
        _terminals[node] = [.. existing, entry];
    }

    private int AddTitle(string roleId, string title, List<Token> scratch)
    {
        var parts = Split(title, scratch);
        if (parts.Length == 0) return 0;
        int node = 0;
        foreach (var t in parts)
        {
            long edge = Edge(node, Intern(TextKey.FoldToken(t)));
            if (!_titleEdges.TryGetValue(edge, out int next))
            {
                next = _titleTerminals.Count;
                _titleTerminals.Add(null);
                _titleEdges[edge] = next;
            }
            node = next;
        }
        var existing = _titleTerminals[node] ?? [];
        if (!existing.Contains(roleId)) _titleTerminals[node] = [.. existing, roleId];
        return parts.Length;
    }

    private string[] Split(string form, List<Token> scratch)
    {
        scratch.Clear();
        _tokenize(form, 0, form.Length, scratch);
        return [.. scratch.Select(t => TextKey.NormaliseToken(form.AsSpan(t.Start, t.Length)))];
    }

    private static CaseRule RuleOf(string token)
    {
        if (FunctionWords.Contains(TextKey.FoldToken(token))) return CaseRule.Any;
        int upper = 0, lower = 0;
        foreach (char c in token)
        {
            if (char.IsUpper(c)) upper++;
            else if (char.IsLower(c)) lower++;
        }
        if (upper == 0) return CaseRule.Any;
        if (lower == 0 && upper >= 2) return CaseRule.Exact;
        return CaseRule.Capitalised;
    }

    private int Intern(string key)
    {
        if (_keys.TryGetValue(key, out int id)) return id;
        id = _keys.Count;
        _keys.Add(key, id);
        return id;
    }

    private static long Edge(int node, int key) => ((long)node << 32) | (uint)key;

    // ---------- matching ----------

    private int[] KeysOf(string text, IReadOnlyList<Token> tokens)
    {
        int[] ids = new int[tokens.Count];
        for (int k = 0; k < ids.Length; k++) ids[k] = KeyOf(text.AsSpan(tokens[k].Start, tokens[k].Length));
        return ids;
    }

    private int KeyOf(ReadOnlySpan<char> token)
    {
        if (token.Length == 0 || token.Length > MaxKeyLength) return -1;
        Span<char> buf = stackalloc char[MaxKeyLength];
        int len = TextKey.FoldToken(token, buf);
        return _keyLookup.TryGetValue(buf[..len], out int id) ? id : -1;
    }

    /// <summary>1 for an exact-case match, <see cref="CaseVariantFactor"/> for an allowed case variant, 0 when the case rules fail.</summary>
    private static double CaseFactor(Entry entry, string text, IReadOnlyList<Token> tokens, int first)
    {
        double factor = 1;
        for (int k = 0; k < entry.Tokens.Length; k++)
        {
            var tok = tokens[first + k];
            double f = TokenCaseFactor(entry.Tokens[k], entry.Rules[k], text.AsSpan(tok.Start, tok.Length));
            if (f == 0) return 0;
            factor = Math.Min(factor, f);
        }
        return factor;
    }

    // The keys already matched case-folded, so only case remains to check.
    private static double TokenCaseFactor(string form, CaseRule rule, ReadOnlySpan<char> doc)
    {
        if (rule == CaseRule.Any) return 1;
        bool exact = true;
        for (int k = 0; k < doc.Length && exact; k++) exact = TextKey.NormaliseChar(doc[k]) == form[k];
        if (exact) return 1;
        if (rule == CaseRule.Exact) return 0;
        foreach (char c in doc)
            if (char.IsLetter(c)) return char.IsUpper(c) ? CaseVariantFactor : 0;
        return 0;
    }

    private static bool LineBreakBetween(string text, Token a, Token b) =>
        text.AsSpan(a.End, Math.Max(0, b.Start - a.End)).IndexOfAny('\n', '\r') >= 0;

    /// <summary>Parts of a hyphenated token that are one-token forms: "NATO-Russia", "U.S.-Russia", "pro-Kremlin".</summary>
    private void MatchInsideToken(string text, Token token, int index, ImmutableArray<EntityMatch>.Builder result, List<(Entry, double)> readings)
    {
        var span = text.AsSpan(token.Start, token.Length);
        if (span.Length < 3) return;
        bool hyphenated = false;
        foreach (char c in span) hyphenated |= TextKey.IsHyphen(c);
        if (!hyphenated) return;
        int partStart = 0;
        for (int k = 0; k <= span.Length; k++)
        {
            if (k < span.Length && !TextKey.IsHyphen(span[k])) continue;
            if (k > partStart && !(partStart == 0 && k == span.Length))
            {
                var part = span[partStart..k];
                int id = KeyOf(part);
                if (id >= 0 && _edges.TryGetValue(Edge(0, id), out int node) && _terminals[node] is { } entries)
                {
                    foreach (var e in entries)
                    {
                        if (e.Tokens.Length != 1) continue;
                        double f = TokenCaseFactor(e.Tokens[0], e.Rules[0], part);
                        if (f > 0) readings.Add((e, e.Confidence * f * InsideTokenFactor));
                    }
                    if (readings.Count > 0)
                    {
                        Emit(result, readings, token.Start + partStart, token.Start + k, index, index + 1, true);
                        readings.Clear();
                    }
                }
            }
            partStart = k + 1;
        }
    }

    private static void Emit(ImmutableArray<EntityMatch>.Builder result, List<(Entry Entry, double Confidence)> readings,
        int start, int end, int firstToken, int endToken, bool inside)
    {
        // One reading per entity: the best-scoring form; ties go to the stronger kind (name > alias > metonym > demonym).
        // Readings are few (usually one to three), so plain loops beat sorting machinery here.
        int first = result.Count;
        foreach (var (entry, confidence) in readings)
        {
            var m = new EntityMatch(start, end, firstToken, endToken, entry.EntityId, entry.Kind, Math.Round(confidence, 4), inside);
            int same = -1;
            for (int k = first; k < result.Count; k++)
                if (result[k].EntityId == m.EntityId) same = k;
            if (same >= 0)
            {
                if (!Better(m, result[same])) continue;
                result.RemoveAt(same);
            }
            int at = result.Count;
            while (at > first && Better(m, result[at - 1])) at--;
            result.Insert(at, m);
        }

        static bool Better(EntityMatch a, EntityMatch b) =>
            a.Confidence != b.Confidence ? a.Confidence > b.Confidence
            : a.Kind != b.Kind ? a.Kind < b.Kind
            : string.CompareOrdinal(a.EntityId, b.EntityId) < 0;
    }
}
