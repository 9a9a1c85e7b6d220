using System.Collections.Frozen;
using System.Collections.Immutable;
using Sitrep.Knowledge;
using Sitrep.Text;

namespace Sitrep.Attribution;

/// <summary>
/// Turns statements into <see cref="Quote"/> records: picks each statement's speaker phrase, classifies it
/// (named / described / unnamed / collective), resolves back-references to earlier speakers, links named speakers to
/// the article's entities (and so to KB ids) and credits outlets ("told Reuters").
/// </summary>
/// <remarks>
/// <para>The speaker phrase is the source run nearest the cue, cut before a relative clause, an apposition or a
/// preposition ("a spokesperson for the German government" → head "spokesperson"). Its <b>head</b> decides the kind:
/// a token inside a linked person, organisation, country or outlet, or a capitalised word that is not a role noun,
/// makes it <b>named</b>; a role noun makes it <b>described</b> ("official", "diplomat", "insider", "analyst",
/// "adviser", "expert"), <b>collective</b> (a group or an institution's voice: "leaders", "members", "allies",
/// "spokesperson(s)", "representatives", "government") or <b>unnamed</b> ("source(s)", "one", "someone"; a source with
/// a description, "senior diplomatic sources", is described).</para>
/// <para>Back-references: he/she/his/her → the nearest earlier person (a speaker or a person mention); they/their →
/// the previous statement's speaker when that is a group or an anonymous person (singular they), else the nearest
/// group; it/its → the nearest organisation, country or document; "the official", "The U.S. official", "the
/// leaders" → the latest earlier speaker with the same head noun (and the same qualifiers); "another one" → a new
/// speaker of the kind of the latest anonymous one.</para>
/// </remarks>
internal sealed class SpeakerResolver(KnowledgeBase? knowledge)
{
    private enum Role : byte { None, Unnamed, Described, Collective }

    private static readonly FrozenDictionary<ulong, Role> RoleNouns = BuildRoles();

    /// <summary>The role nouns' hashes (for the feature fingerprint).</summary>
    internal static IEnumerable<ulong> RoleNounKeys => RoleNouns.Keys;

    /// <summary>True for a noun that names a speaker by role or group ("official", "spokesperson", "leaders", "source").</summary>
    internal static bool IsRoleNoun(ulong word) => RoleNouns.ContainsKey(word);

    private static FrozenDictionary<ulong, Role> BuildRoles()
    {
        var d = new Dictionary<ulong, Role>();
        void Add(Role r, string words)
        {
            foreach (var w in words.Split(' ', StringSplitOptions.RemoveEmptyEntries)) d[AttributionDocument.HashLower(w)] = r;
        }
        Add(Role.Unnamed, "source sources one someone somebody person people individual individuals another");
        Add(Role.Described,
            "official officials diplomat diplomats adviser advisers advisor advisors insider insiders analyst analysts expert experts " +
            "aide aides observer observers officer officers lawmaker lawmakers legislator legislators minister ministers commentator " +
            "commentators critic critics researcher researchers scholar scholars economist economists strategist strategists negotiator " +
            "negotiators envoy envoys ambassador ambassadors staffer staffers employee employees member witness witnesses resident " +
            "residents voter voters supporter supporters opponent opponents activist activists protester protesters protestors veteran " +
            "veterans general generals commander commanders soldier soldiers agent agents investigator investigators prosecutor " +
            "prosecutors lawyer lawyers attorney attorneys consultant consultants operative operatives strategist pollster pollsters " +
            "executive executives manager managers director directors correspondent correspondents reporter reporters " +
            "journalist journalists historian historians professor professors academic academics specialist specialists figure figures " +
            "colleague colleagues friend friends ally insider planner planners economist observer");
        Add(Role.Collective,
            "leaders allies members states countries nations governments government administration ministry ministries spokesperson " +
            "spokespersons spokesman spokesmen spokeswoman spokeswomen spokespeople representatives delegation delegations capitals " +
            "alliance council parliament congress committee cabinet campaign party team agency department office embassy commission " +
            "court authorities regime leadership board union group organisation organization coalition bloc institutions " +
            "allies partners capitals governments secretariat headquarters military army navy");
        return d.ToFrozenDictionary();
    }

    private static readonly FrozenSet<ulong> Determiners = Set(
        "a an the one another some several two three four five six seven eight nine ten multiple other many few various numerous " +
        "both all most more this that these those any each either of");

    private static readonly FrozenSet<ulong> CutWords = Set("for of at in with from on to who which that whose whom by about as like near under over , ( - ; :");

    private static readonly FrozenSet<ulong> Masculine = Set("he his him himself");
    private static readonly FrozenSet<ulong> Feminine = Set("she her hers herself");
    private static readonly FrozenSet<ulong> Plural = Set("they their them themselves");
    private static readonly FrozenSet<ulong> Neuter = Set("it its");
    private static readonly FrozenSet<ulong> FirstPerson = Set("i we my our me us");
    private static readonly FrozenSet<ulong> DefiniteStart = Set("the this that these those");
    private static readonly ulong Another = AttributionDocument.HashLower("another"), AnotherOne = AttributionDocument.HashLower("one");
    private static readonly ulong As = AttributionDocument.HashLower("as"), And = AttributionDocument.HashLower("and");

    private static FrozenSet<ulong> Set(string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => AttributionDocument.HashLower(w)).ToFrozenSet();

    /// <summary>A speaker as resolved for one statement, with what later back-references need.</summary>
    private sealed record Resolved(Speaker Speaker, int Token, ulong Head, bool Person, bool PluralGroup, string EntityType)
    {
        /// <summary>Where the statement that has this speaker is (its cue or first content token).</summary>
        public int At { get; init; } = Token;
    }

    public ImmutableArray<Quote> Build(AttributionDocument doc, List<Statement> statements, IReadOnlyList<LinkedEntity> entities)
    {
        var entityAt = EntityIndex(doc, entities);
        var result = ImmutableArray.CreateBuilder<Quote>();
        var resolved = new List<Resolved?>(statements.Count);
        for (int k = 0; k < statements.Count; k++)
        {
            var st = statements[k];
            var r = Resolve(doc, statements, k, resolved, entities, entityAt);
            int anchor = st.HasCue ? st.CueFirst : Math.Max(0, st.FirstContent);
            resolved.Add(r == null ? null : r with { At = anchor });
            var speaker = r?.Speaker ?? Speaker.Nobody;
            var cue = st.HasCue ? new QuoteCue(doc.GetText(st.CueFirst, st.CueEnd), doc.Tokens[st.CueFirst].Start, doc.Tokens[st.CueEnd - 1].End) : null;
            var credit = st.HasCue ? Credit(doc, st, entities, entityAt, speaker) : null;
            double confidence = st.HasCue ? 1 / (1 + Math.Exp(-st.CueScore / 4.0)) : 0.5;
            int piece = 0;
            foreach (var (first, end) in Pieces(doc, st))
            {
                var verbatim = Verbatim(doc, first, end, out bool direct);
                int start = doc.Tokens[first].Start, stop = doc.Tokens[end - 1].End;
                result.Add(new Quote(doc.Text[start..stop], start, stop, direct, cue, speaker, credit, k, piece > 0, verbatim, Math.Round(confidence, 3)));
                piece++;
            }
        }
        return result.ToImmutable();
    }

    /// <summary>Content runs in text order, touching runs merged.</summary>
    private static List<(int First, int End)> Pieces(AttributionDocument doc, Statement st)
    {
        var runs = st.Content.OrderBy(r => r.First).ToList();
        var merged = new List<(int First, int End)>(runs.Count);
        foreach (var r in runs)
        {
            if (merged.Count > 0 && r.First <= merged[^1].End)
            {
                merged[^1] = (merged[^1].First, Math.Max(merged[^1].End, r.End));
                continue;
            }
            merged.Add(r);
        }
        // Commas, colons and dashes at the edges belong to the sentence, not to the content.
        for (int k = merged.Count - 1; k >= 0; k--)
        {
            var (f, e) = merged[k];
            while (f < e && doc.Shapes[f] is Shape.Comma or Shape.Colon or Shape.Dash or Shape.Terminal) f++;
            while (e > f && doc.Shapes[e - 1] is Shape.Comma or Shape.Colon or Shape.Dash) e--;
            if (e > f) merged[k] = (f, e); else merged.RemoveAt(k);
        }
        return merged;
    }

    /// <summary>Speech quotations inside [first, end); <paramref name="direct"/> when every word of the piece is inside them.</summary>
    private static ImmutableArray<TextSpan> Verbatim(AttributionDocument doc, int first, int end, out bool direct)
    {
        var list = ImmutableArray.CreateBuilder<TextSpan>();
        int words = 0, quoted = 0;
        int lastQuote = -1;
        for (int i = first; i < end; i++)
        {
            if (doc.IsWordLike(i))
            {
                words++;
                int q = doc.QuoteOf[i];
                if (q >= 0 && doc.InQuote(i) && doc.Quotes[q].Speech) quoted++;
            }
            int qi = doc.QuoteOf[i];
            if (qi >= 0 && qi != lastQuote && doc.Quotes[qi].Speech)
            {
                lastQuote = qi;
                var q = doc.Quotes[qi];
                int a = Math.Max(first, q.Open), b = Math.Min(end, q.EndToken);
                if (b > a) list.Add(new TextSpan(doc.Tokens[a].Start, doc.Tokens[b - 1].End));
            }
        }
        direct = words > 0 && quoted == words;
        return list.ToImmutable();
    }

    // ------------------------------------------------------------------ entities

    /// <summary>For each token, the index of the entity one of whose mentions covers it, or -1.</summary>
    private static int[] EntityIndex(AttributionDocument doc, IReadOnlyList<LinkedEntity> entities)
    {
        var at = new int[doc.Count];
        Array.Fill(at, -1);
        for (int e = 0; e < entities.Count; e++)
        {
            foreach (var m in entities[e].Mentions)
            {
                int i = AttributionDocument.LowerBound(doc.Tokens, m.Start);
                for (; i < doc.Count && doc.Tokens[i].Start < m.End; i++)
                    if (at[i] < 0) at[i] = e;
            }
        }
        return at;
    }

    /// <summary>A person: the KB's "person", or a recogniser's "person"/"PER".</summary>
    private static bool IsPersonLike(string type) => type.Equals("person", StringComparison.OrdinalIgnoreCase) || type.Equals("per", StringComparison.OrdinalIgnoreCase);

    /// <summary>Entity types that can speak by name (not places, operations or summits).</summary>
    private static bool IsNameable(string type) =>
        IsPersonLike(type) || type.ToLowerInvariant() is "organisation" or "organization" or "org" or "country" or "body" or "outlet" or "treaty" or "misc";

    // ------------------------------------------------------------------ resolution

    private Resolved? Resolve(AttributionDocument doc, List<Statement> statements, int k, List<Resolved?> earlier,
        IReadOnlyList<LinkedEntity> entities, int[] entityAt)
    {
        var st = statements[k];
        // The subject of the verb before ("…, emphasizing that"; "announced … and said") is this statement's source too.
        if (st.SharesSpeakerOf >= 0 && st.SharesSpeakerOf < k && earlier[st.SharesSpeakerOf] is { } shared)
            return shared;
        if (st.Sources.Count == 0)
        {
            // A quotation credited by no cue: the speaker of the statement just before, when that was a quotation of
            // the same or the preceding paragraph.
            if (!st.HasCue && k > 0 && earlier[k - 1] is { } prev && statements[k - 1].Content.Count > 0)
            {
                int prevEnd = statements[k - 1].Content.Max(c => c.End) - 1;
                int first = st.FirstContent;
                if (doc.Paragraph[first] - doc.Paragraph[prevEnd] <= 1 && HasQuote(doc, statements[k - 1]))
                    return prev with { Speaker = prev.Speaker with { Mention = null, Resolved = true } };
            }
            return null;
        }

        // The source run nearest the cue is the speaker phrase.
        var run = st.Sources[0];
        if (st.HasCue)
        {
            int best = int.MaxValue;
            foreach (var r in st.Sources)
            {
                int dist = r.End <= st.CueFirst ? st.CueFirst - r.End : r.First - st.CueEnd;
                if (dist < best) { best = dist; run = r; }
            }
        }
        int from = run.First, to = run.End;
        while (from < to && (!doc.IsWordLike(from) || doc.Word[from] == As)) from++;
        while (to > from && !doc.IsWordLike(to - 1)) to--;
        if (from >= to) return null;
        var mention = new TextSpan(doc.Tokens[st.Sources.Min(r => r.First)].Start, doc.Tokens[st.Sources.Max(r => r.End) - 1].End);

        // A relative pronoun ("Trump, who has criticized …") stands for the noun phrase its clause hangs on.
        if (to - from == 1 && Relatives.Contains(doc.Word[from]) && NounPhraseBefore(doc, from) is { } np)
            (from, to) = np;
        var (head, headEnd) = Head(doc, from, to);
        ulong headWord = doc.Word[head];
        // Not a speaker: a verb form or a function word the tagger took for one ("despite having rejected").
        if (NonHeads.Contains(headWord) || (!doc.Capitalised(head) && doc.Span(head).EndsWith("ing", StringComparison.OrdinalIgnoreCase)))
            return new Resolved(Speaker.Nobody with { Mention = mention }, from, headWord, false, false, "");

        // Pronouns.
        if (head == from && to - from <= 1)
        {
            if (Masculine.Contains(headWord) || Feminine.Contains(headWord))
                return Antecedent(doc, earlier, from, entities, entityAt, person: true, plural: false, neuter: false, mention)
                       ?? Local(doc, from, to, headWord, SpeakerKind.Unnamed, null, null, mention, true, false, "");
            if (Plural.Contains(headWord))
                return PluralAntecedent(doc, statements, k, earlier, from, mention)
                       ?? Local(doc, from, to, headWord, SpeakerKind.Unnamed, null, null, mention, false, true, "");
            if (Neuter.Contains(headWord))
                return Antecedent(doc, earlier, from, entities, entityAt, person: false, plural: false, neuter: true, mention)
                       ?? Local(doc, from, to, headWord, SpeakerKind.None, null, null, mention, false, false, "");
            if (FirstPerson.Contains(headWord))
                return Local(doc, from, to, headWord, SpeakerKind.None, null, null, mention, true, false, "");
        }

        // "another one", "another": a new anonymous speaker of the kind of the latest anonymous one.
        if (doc.Word[from] == Another && (to - from == 1 || (to - from == 2 && doc.Word[from + 1] == AnotherOne)))
        {
            var kind = SpeakerKind.Unnamed;
            for (int p = earlier.Count - 1; p >= 0; p--)
                if (earlier[p] is { } e && e.Speaker.Kind is SpeakerKind.Unnamed or SpeakerKind.Described) { kind = e.Speaker.Kind; break; }
            return Local(doc, from, to, headWord, kind, null, null, mention, true, false, "");
        }

        // Named: the head lies in a linked entity, or is a capitalised word that is not a role noun.
        var role = RoleNouns.TryGetValue(headWord, out var rr) ? rr : Role.None;
        int ent = entityAt[head];
        if (ent < 0)
            for (int i = from; i < headEnd && ent < 0; i++)
                if (entityAt[i] >= 0 && IsPersonLike(entities[entityAt[i]].Type)) ent = entityAt[i];
        if (ent >= 0 && role == Role.None && IsNameable(entities[ent].Type))
        {
            var e = entities[ent];
            return Local(doc, from, to, headWord, SpeakerKind.Named, e.KbId, e.Key, mention, IsPersonLike(e.Type), false, e.Type);
        }

        // Definite back-reference: "the official", "The U.S. official", "the leaders".
        if (role != Role.None && DefiniteStart.Contains(doc.Word[from]))
        {
            var back = Definite(doc, earlier, from, head, headWord);
            if (back != null) return back with { Speaker = back.Speaker with { Mention = mention, Resolved = true } };
        }

        if (role == Role.None)
        {
            if (doc.Capitalised(head) && !DefiniteStart.Contains(headWord))
                return Local(doc, from, to, headWord, SpeakerKind.Named, LookupKb(doc, from, headEnd), null, mention, true, false, "");
            // Anything else described by a common noun ("critics", "the report", "polls").
            return Local(doc, from, to, headWord, SpeakerKind.Described, null, null, mention, false, IsPluralWord(doc, head), "");
        }
        bool plural = IsPluralWord(doc, head);
        var kindOf = role switch
        {
            Role.Unnamed => OnlyDeterminers(doc, from, head) ? SpeakerKind.Unnamed : SpeakerKind.Described,
            Role.Collective => SpeakerKind.Collective,
            _ => SpeakerKind.Described,
        };
        return Local(doc, from, to, headWord, kindOf, null, null, mention, role is Role.Described or Role.Unnamed && !plural, plural || role == Role.Collective, "");
    }

    private static readonly FrozenSet<ulong> Relatives = Set("who which that whom");
    private static readonly FrozenSet<ulong> Articles = Set("a an the this these those some many several his her their its our my your one");
    private static readonly FrozenSet<ulong> NonHeads = Set(
        "having being is was are were be been has have had do does did will would can could should may might must not n't " +
        "the a an of to in on at for with by from as and or but if so than then there here what which who whom whose this these those");

    /// <summary>The head of a speaker phrase: its last word before a cut (preposition, relative, comma, dash).</summary>
    private static (int Head, int HeadEnd) Head(AttributionDocument doc, int from, int to)
    {
        int headEnd = from;
        while (headEnd < to && !(headEnd > from && CutWords.Contains(doc.Word[headEnd]))) headEnd++;
        int head = headEnd - 1;
        while (head > from && !doc.IsWordLike(head)) head--;
        return (head, headEnd);
    }

    /// <summary>The noun phrase just before token i (a comma skipped): a capitalised run, or up to four words back to a determiner.</summary>
    private static (int First, int End)? NounPhraseBefore(AttributionDocument doc, int i)
    {
        int j = i - 1;
        if (j >= 0 && doc.Shapes[j] == Shape.Comma) j--;
        if (j < 0 || !doc.IsWordLike(j) || doc.Paragraph[j] != doc.Paragraph[i]) return null;
        int end = j + 1;
        if (doc.Capitalised(j))
        {
            while (j > 0 && !doc.BreakBefore(j) && (doc.Capitalised(j - 1) || (doc.Tokens[j - 1].Kind == TokenKind.Word && doc.Span(j - 1) is "’s" or "'s"))) j--;
            return (j, end);
        }
        for (int k = j; k >= Math.Max(0, j - 4); k--)
        {
            if (!doc.IsWordLike(k) || doc.Paragraph[k] != doc.Paragraph[i]) return null;
            if (Articles.Contains(doc.Word[k])) return (k, end);
        }
        return null;
    }

    private static bool HasQuote(AttributionDocument doc, Statement st)
    {
        foreach (var (f, e) in st.Content)
            for (int i = f; i < e; i++)
                if (doc.InQuote(i)) return true;
        return false;
    }

    private static bool OnlyDeterminers(AttributionDocument doc, int from, int head)
    {
        for (int i = from; i < head; i++)
            if (doc.IsWordLike(i) && !Determiners.Contains(doc.Word[i]) && doc.Tokens[i].Kind != TokenKind.Number) return false;
        return true;
    }

    private static bool IsPluralWord(AttributionDocument doc, int i)
    {
        var s = doc.Span(i);
        return s.Length > 3 && (s[^1] is 's' or 'S') && !(s[^2] is 's' or 'S') || s.Equals("people", StringComparison.OrdinalIgnoreCase);
    }

    private Resolved Local(AttributionDocument doc, int from, int to, ulong head, SpeakerKind kind, string? kbId, string? key, TextSpan mention,
        bool person, bool plural, string entityType)
    {
        int start = doc.Tokens[from].Start, end = doc.Tokens[to - 1].End;
        var sp = new Speaker(doc.Text[start..end], start, end, kbId, kind, key ?? kbId, mention, false);
        return new Resolved(sp, from, head, person, plural, entityType);
    }

    private string? LookupKb(AttributionDocument doc, int from, int end)
    {
        if (knowledge == null) return null;
        // The longest capitalised run ending at the head names the speaker ("Mark Rutte" in "NATO chief Mark Rutte").
        int b = end;
        while (b > from && !doc.Capitalised(b - 1)) b--;
        int a = b;
        while (a > from && doc.Capitalised(a - 1)) a--;
        for (int s = a; s < b; s++)
        {
            var hits = knowledge.Lookup(doc.GetText(s, b));
            foreach (var h in hits)
                if (h.Entity.Type is EntityType.Person or EntityType.Organisation or EntityType.Country or EntityType.Outlet)
                    return h.Entity.Id;
        }
        return null;
    }

    /// <summary>The nearest earlier person (he/she) or organisation (it): a speaker of an earlier statement or an entity mention.</summary>
    private static Resolved? Antecedent(AttributionDocument doc, List<Resolved?> earlier, int at, IReadOnlyList<LinkedEntity> entities, int[] entityAt,
        bool person, bool plural, bool neuter, TextSpan mention)
    {
        Resolved? best = null;
        for (int p = earlier.Count - 1; p >= 0; p--)
        {
            if (earlier[p] is not { } e || e.Token >= at || e.Speaker.IsNobody) continue;
            bool fits = person ? e.Person && e.Speaker.Kind == SpeakerKind.Named : neuter ? !e.Person && !e.PluralGroup && e.Speaker.Kind == SpeakerKind.Named : e.PluralGroup;
            if (!fits) continue;
            best = e;
            break;
        }
        // An entity mention nearer than that speaker wins ("Rutte emphasized … He noted"). "It’s a document …" wants a
        // document: a treaty or agreement rather than the nearest country.
        bool document = neuter && NamesDocument(doc, at);
        int limit = best?.Token ?? Math.Max(0, at - 400);
        if (document) limit = Math.Max(0, at - 400);
        int para = doc.Paragraph[at];
        for (int i = at - 1; i > limit; i--)
        {
            int ent = entityAt[i];
            if (ent < 0) continue;
            var e = entities[ent];
            bool fits = person ? IsPersonLike(e.Type) : document ? e.Type is "treaty" : neuter && e.Type is "organisation" or "country" or "treaty" or "body" or "outlet";
            if (!fits) continue;
            if (doc.Paragraph[i] < para - 2) break;
            int s = i;
            while (s > 0 && entityAt[s - 1] == ent && doc.Tokens[s].Start - doc.Tokens[s - 1].End <= 1) s--;
            int start = doc.Tokens[s].Start, end = doc.Tokens[i].End;
            var sp = new Speaker(doc.Text[start..end], start, end, e.KbId, SpeakerKind.Named, e.Key, mention, true);
            return new Resolved(sp, s, doc.Word[i], IsPersonLike(e.Type), false, e.Type);
        }
        return best == null ? null : best with { Speaker = best.Speaker with { Mention = mention, Resolved = true } };
    }

    private static readonly FrozenSet<ulong> DocumentNouns = Set("document treaty agreement accord pact deal charter declaration text act memorandum statement");
    private static readonly FrozenSet<ulong> Copulas = Set("is 's was");

    /// <summary>"It’s a document …", "It is an agreement …": the pronoun at <paramref name="at"/> is said to be a document.</summary>
    private static bool NamesDocument(AttributionDocument doc, int at)
    {
        int i = at + 1;
        if (i >= doc.Count || !Copulas.Contains(doc.Word[i])) return false;
        i++;
        if (i < doc.Count && Articles.Contains(doc.Word[i])) i++;
        for (int k = i; k < Math.Min(doc.Count, i + 3); k++)
            if (DocumentNouns.Contains(doc.Word[k])) return true;
        return false;
    }

    /// <summary>they/their: the previous statement's speaker when it is a group or an anonymous person, else the nearest group.</summary>
    private static Resolved? PluralAntecedent(AttributionDocument doc, List<Statement> statements, int k, List<Resolved?> earlier, int at, TextSpan mention)
    {
        for (int p = earlier.Count - 1; p >= 0; p--)
        {
            if (earlier[p] is not { } e || e.Token >= at || e.Speaker.IsNobody) continue;
            if (doc.Paragraph[at] - doc.Paragraph[Math.Min(e.At, doc.Count - 1)] > 2) break;
            bool anonymous = e.Speaker.Kind is SpeakerKind.Described or SpeakerKind.Unnamed or SpeakerKind.Collective;
            if (e.PluralGroup || (p == earlier.Count - 1 && anonymous))
                return e with { Speaker = e.Speaker with { Mention = mention, Resolved = true } };
        }
        return null;
    }

    /// <summary>"the official" → the latest earlier speaker with the same head noun whose words include this one's qualifiers.</summary>
    private static Resolved? Definite(AttributionDocument doc, List<Resolved?> earlier, int from, int head, ulong headWord)
    {
        for (int p = earlier.Count - 1; p >= 0; p--)
        {
            if (earlier[p] is not { } e || e.Token >= from || e.Speaker.IsNobody) continue;
            if (!SameHead(e.Head, headWord)) continue;
            var text = e.Speaker.Text;
            bool qualifiersAgree = true;
            for (int i = from + 1; i < head; i++)
            {
                if (!doc.IsWordLike(i)) continue;
                var w = doc.Span(i);
                if (!text.AsSpan().Contains(w, StringComparison.OrdinalIgnoreCase) &&
                    !(w.Equals("U.S.", StringComparison.OrdinalIgnoreCase) && text.Contains("US", StringComparison.Ordinal)) &&
                    !(w.Equals("US", StringComparison.Ordinal) && text.Contains("U.S.", StringComparison.Ordinal)))
                { qualifiersAgree = false; break; }
            }
            if (qualifiersAgree) return e;
        }
        return null;
    }

    private static readonly FrozenDictionary<ulong, ulong> Singular = new Dictionary<ulong, ulong>
    {
        [AttributionDocument.HashLower("officials")] = AttributionDocument.HashLower("official"),
        [AttributionDocument.HashLower("diplomats")] = AttributionDocument.HashLower("diplomat"),
        [AttributionDocument.HashLower("sources")] = AttributionDocument.HashLower("source"),
        [AttributionDocument.HashLower("leaders")] = AttributionDocument.HashLower("leader"),
        [AttributionDocument.HashLower("analysts")] = AttributionDocument.HashLower("analyst"),
        [AttributionDocument.HashLower("advisers")] = AttributionDocument.HashLower("adviser"),
        [AttributionDocument.HashLower("experts")] = AttributionDocument.HashLower("expert"),
        [AttributionDocument.HashLower("spokespersons")] = AttributionDocument.HashLower("spokesperson"),
        [AttributionDocument.HashLower("members")] = AttributionDocument.HashLower("member"),
        [AttributionDocument.HashLower("insiders")] = AttributionDocument.HashLower("insider"),
    }.ToFrozenDictionary();

    private static bool SameHead(ulong a, ulong b)
    {
        if (a == b) return true;
        return (Singular.TryGetValue(a, out var sa) ? sa : a) == (Singular.TryGetValue(b, out var sb) ? sb : b);
    }

    // ------------------------------------------------------------------ outlets

    private static readonly FrozenSet<ulong> CreditVerbs = Set("told tells telling tell");
    private static readonly FrozenSet<ulong> CreditLeads = Set("interview interviews interviewed speaking spoke talking talked comments remarks statement told");
    private static readonly FrozenSet<ulong> CreditPrepositions = Set("to with");

    /// <summary>"told Euractiv", "in an interview with Reuters", "speaking to CNN": an outlet named right after a telling cue.</summary>
    private OutletCredit? Credit(AttributionDocument doc, Statement st, IReadOnlyList<LinkedEntity> entities, int[] entityAt, Speaker speaker)
    {
        int sentence = doc.SentenceOf[st.CueFirst];
        int end = sentence >= 0 ? Math.Min(doc.Count, doc.Sentences[sentence].EndToken) : st.CueEnd;
        int from = Math.Max(0, st.CueFirst);
        for (int i = from; i < end && i < st.CueEnd + 8; i++)
        {
            // "told Reuters", "in an interview with CNN", "speaking to Euractiv", "in comments to Reuters".
            bool tell = CreditVerbs.Contains(doc.Word[i]);
            bool lead = CreditPrepositions.Contains(doc.Word[i]) && i > 0 && CreditLeads.Contains(doc.Word[i - 1]);
            if (!tell && !lead) continue;
            int j = i + 1;
            if (j >= end) break;
            if (doc.Is(j, "the") && j + 1 < end) j++;
            if (j + 1 < end && doc.Tokens[j + 1].Kind == TokenKind.Word && doc.Span(j + 1) is "’s" or "'s") continue;
            int ent = entityAt[j];
            if (ent >= 0 && entities[ent].Type == "outlet")
            {
                if (speaker.EntityKey == entities[ent].Key) return null;
                int e = j;
                while (e + 1 < end && entityAt[e + 1] == ent) e++;
                return new OutletCredit(entities[ent].Name, entities[ent].KbId, doc.Tokens[j].Start, doc.Tokens[e].End);
            }
            if (knowledge != null && doc.Capitalised(j))
            {
                int e = j;
                while (e + 1 < end && doc.Capitalised(e + 1) && e - j < 4) e++;
                for (int stop = e; stop >= j; stop--)
                {
                    foreach (var h in knowledge.Lookup(doc.GetText(j, stop + 1)))
                        if (h.Entity.Type == EntityType.Outlet)
                            return new OutletCredit(h.Entity.Name, h.Entity.Id, doc.Tokens[j].Start, doc.Tokens[stop].End);
                }
            }
        }
        return null;
    }
}
