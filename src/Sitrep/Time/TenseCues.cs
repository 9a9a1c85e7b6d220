using System.Collections.Frozen;
using Sitrep.Text;

namespace Sitrep.Time;

/// <summary>
/// Reads the tense of the clause around a position from cheap lexical cues, without a part-of-speech tagger:
/// modals and "going to" for the future; past auxiliaries, irregular past forms and -ed verbs for the past;
/// present auxiliaries and reporting verbs in -s for the present. The nearest cue to the left within the
/// clause wins, else the nearest to the right.
/// </summary>
internal static class TenseCues
{
    private enum Cue : byte { None, Past, Present, Future, FutureMarker, Be, Have, Stop }

    private static readonly FrozenDictionary<string, Cue> Words = BuildWords();
    private static readonly FrozenDictionary<string, Cue>.AlternateLookup<ReadOnlySpan<char>> Lookup = Words.GetAlternateLookup<ReadOnlySpan<char>>();

    private static FrozenDictionary<string, Cue> BuildWords()
    {
        var d = new Dictionary<string, Cue>(StringComparer.OrdinalIgnoreCase);
        foreach (var w in new[] { "will", "'ll", "’ll", "shall", "wo", "gonna", "would", "'d", "’d" }) d[w] = Cue.Future;
        foreach (var w in new[] { "plans", "plan", "planned", "planning", "scheduled", "expected", "expects", "due", "set", "poised", "preparing", "prepares", "intends", "aims", "hopes" })
            d[w] = Cue.FutureMarker;
        foreach (var w in new[] { "was", "were", "had", "did", "said", "told", "made", "went", "came", "took", "gave", "saw", "began", "left", "held",
            "sold", "fell", "rose", "won", "lost", "led", "paid", "bought", "brought", "thought", "found", "got", "kept", "spent", "sent", "built",
            "felt", "heard", "knew", "became", "ran", "wrote", "spoke", "chose", "drove", "struck", "flew", "grew", "threw", "fought", "caught",
            "taught", "met", "stood", "understood", "wore", "forgot", "froze", "hid", "rode", "rang", "sang", "sank", "swam", "shook", "stole",
            "swore", "tore", "woke", "ate", "drank", "fled", "slid", "sought", "bore", "dealt", "meant", "slept", "swept", "wept", "lent", "bent",
            "sat", "shot", "lit", "fed", "bled", "bred", "overtook", "withdrew", "undertook", "arose", "awoke", "beat", "bit", "blew", "broke",
            "dug", "drew", "forbade", "forgave", "hung", "laid", "lay", "overcame", "rose", "saw", "seized", "spun", "strove", "swung", "thrust",
            "trod", "upheld", "withheld", "wrung", "ago", "earlier", "yesterday", "last" })
            d[w] = Cue.Past;
        foreach (var w in new[] { "is", "are", "am", "does", "do", "says", "say", "remains", "seems", "appears", "thinks", "believes", "wants",
            "needs", "continues", "today", "now", "currently" })
            d[w] = Cue.Present;
        foreach (var w in new[] { "be", "been", "being", "is", "are", "was", "were", "am" })
            d.TryAdd(w, Cue.Be);
        foreach (var w in new[] { "has", "have", "having", "'ve", "’ve" }) d[w] = Cue.Have;
        return d.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    // Words ending in -ed that are not past verbs.
    private static readonly FrozenSet<string> NotPastEd = new[]
    {
        "need", "seed", "speed", "feed", "deed", "bed", "red", "shed", "hundred", "indeed", "embed", "proceed", "exceed", "succeed",
        "breed", "greed", "weed", "creed", "bleed", "steed", "heed", "wed", "led", "fled", "sled", "bred", "fed", "biased", "based",
        "ted", "ned", "fred", "ahmed", "mohammed", "muhammad", "united", "limited", "detailed", "advanced", "supposed", "alleged", "armed",
        "unprecedented", "concerned", "interested", "sophisticated", "experienced", "qualified", "skilled", "talented", "dedicated", "complicated",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NotPastEdLookup = NotPastEd.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// The tense around tokens [first, end) within the sentence [sentFirst, sentEnd): a preposition right before the
    /// expression first ("by Jan. 14", "until", "as soon as" → future; "since" → past), else the nearest verb cue on
    /// either side (the left one on a tie), up to 12 tokens away within the clause.
    /// </summary>
    public static Tense Around(string text, IReadOnlyList<Token> tokens, int first, int end, int sentFirst, int sentEnd)
    {
        // "will leave at 4 in the morning (4 a.m. EDT Thursday)": an aside takes the tense of the clause around it.
        if (first - 1 >= sentFirst && IsChar(text, tokens[first - 1], '('))
        {
            for (int k = end; k < sentEnd && k < end + 3; k++)
                if (IsChar(text, tokens[k], ')')) return Around(text, tokens, first - 1, k + 1, sentFirst, sentEnd);
        }
        var prep = Preposition(text, tokens, first, sentFirst);
        if (prep == Tense.Past) return prep;
        // "had filed reports by Wednesday", "until Thursday, they had not called him a suspect": a limit in the past perfect is past
        if (prep == Tense.Future) return HasPastPerfect(text, tokens, first, end, sentFirst, sentEnd) ? Tense.Past : prep;
        return Verbs(text, tokens, first, end, sentFirst, sentEnd);
    }

    /// <summary>"had" followed by a participle within the clause around tokens [first, end).</summary>
    private static bool HasPastPerfect(string text, IReadOnlyList<Token> tokens, int first, int end, int sentFirst, int sentEnd)
    {
        for (int k = first - 1, steps = 1; k >= sentFirst && steps <= 8; k--, steps++)
        {
            if (IsClauseBoundary(text, tokens[k])) break;
            if (IsPastPerfectAt(text, tokens, k)) return true;
        }
        for (int k = end, steps = 1; k < sentEnd && steps <= 6; k++, steps++)
        {
            if (IsClauseBoundary(text, tokens[k])) break;
            if (IsPastPerfectAt(text, tokens, k)) return true;
        }
        return false;
    }

    private static bool IsPastPerfectAt(string text, IReadOnlyList<Token> tokens, int k)
    {
        if (!tokens[k].AsSpan(text).Equals("had", StringComparison.OrdinalIgnoreCase)) return false;
        for (int j = k + 1; j < tokens.Count && j <= k + 3; j++)
        {
            var w = tokens[j].AsSpan(text);
            if (tokens[j].Kind != TokenKind.Word) return false;
            if (w.Equals("not", StringComparison.OrdinalIgnoreCase) || w.Equals("n't", StringComparison.OrdinalIgnoreCase)
                || w.Equals("already", StringComparison.OrdinalIgnoreCase) || w.Equals("been", StringComparison.OrdinalIgnoreCase)) continue;
            return w.Length > 3 && (w.EndsWith("ed", StringComparison.OrdinalIgnoreCase) || (Lookup.TryGetValue(w, out var c) && c == Cue.Past));
        }
        return false;
    }

    /// <summary>The expression opens its sentence, alone or after a preposition ("In January, …", "Last week …").</summary>
    private static bool IsFronted(string text, IReadOnlyList<Token> tokens, int first, int sentFirst)
    {
        int k = first - 1;
        while (k >= sentFirst && tokens[k].Kind is TokenKind.Quote or TokenKind.Punct) k--;
        if (k >= sentFirst && tokens[k].Kind == TokenKind.Word && (IsAny(text, tokens[k], "in", "on", "by", "during", "since", "until", "at", "from", "after", "before", "early", "late", "and", "but"))) k--;
        while (k >= sentFirst && tokens[k].Kind is TokenKind.Quote or TokenKind.Punct) k--;
        return k < sentFirst;
    }

    private static Tense Verbs(string text, IReadOnlyList<Token> tokens, int first, int end, int sentFirst, int sentEnd)
    {
        Tense left = Tense.Unknown, right = Tense.Unknown;
        int leftDist = int.MaxValue, rightDist = int.MaxValue;
        for (int k = first - 1, steps = 1; k >= sentFirst && steps <= 12; k--, steps++)
        {
            var t = tokens[k];
            if (IsClauseBoundary(text, t)) break;
            var tense = Read(text, tokens, k, sentFirst, out bool stop);
            if (tense != Tense.Unknown) { left = tense; leftDist = steps; break; }
            if (stop) break;
        }
        // A fronted adverbial ("In January, a week after the anniversary, a bombing killed …") takes the main verb, further on.
        bool fronted = IsFronted(text, tokens, first, sentFirst);
        int rightLimit = fronted ? 25 : 10;
        for (int k = end, steps = 1; k < sentEnd && steps <= rightLimit && steps < leftDist; k++, steps++)
        {
            var t = tokens[k];
            if (IsClauseBoundary(text, t)) break;
            // "…, Castro said": a reporting clause after a comma is not the tense of what it reports
            if (left != Tense.Unknown && IsChar(text, t, ',')) break;
            var tense = Read(text, tokens, k, sentFirst, out bool stop);
            if (tense != Tense.Unknown) { right = tense; rightDist = steps; break; }
            if (stop) break;
        }
        return rightDist < leftDist ? right : left;
    }

    private static bool IsChar(string text, Token t, char c) => t.Length == 1 && text[t.Start] == c;

    /// <summary>Semicolons, colons and quotation marks end the clause the tense is read in (a quote's verbs are not the reporting verb's).</summary>
    private static bool IsClauseBoundary(string text, Token t) =>
        t.Kind == TokenKind.Quote || (t.Kind == TokenKind.Punct && text[t.Start] is ';' or ':' or '(' or ')');

    /// <summary>Direction given by a preposition just before the expression (skipping "the", "early", "mid", "on").</summary>
    private static Tense Preposition(string text, IReadOnlyList<Token> tokens, int first, int sentFirst)
    {
        int k = first - 1;
        while (k >= sentFirst && IsAny(text, tokens[k], "the", "on", "early", "late", "mid", "about", "around")) k--;
        if (k < sentFirst) return Tense.Unknown;
        var t = tokens[k];
        if (IsAny(text, t, "by", "until", "till", "through", "starting", "beginning", "effective")) return Tense.Future;
        if (IsAny(text, t, "since")) return Tense.Past;
        // as soon as / as early as / as late as
        if (IsAny(text, t, "as") && k - 2 >= sentFirst && IsAny(text, tokens[k - 1], "soon", "early", "late") && IsAny(text, tokens[k - 2], "as")) return Tense.Future;
        return Tense.Unknown;
    }

    private static bool IsAny(string text, Token t, params ReadOnlySpan<string> words)
    {
        var s = t.AsSpan(text);
        foreach (var w in words) if (s.Equals(w, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static Tense Read(string text, IReadOnlyList<Token> tokens, int k, int sentFirst, out bool stop)
    {
        stop = false;
        var t = tokens[k];
        if (t.Kind != TokenKind.Word) return Tense.Unknown;
        var w = t.AsSpan(text);
        if (Lookup.TryGetValue(w, out var cue))
        {
            switch (cue)
            {
                case Cue.Future: return Tense.Future;
                case Cue.FutureMarker:
                    // "had been scheduled to expire Friday", "had been due to": a plan in the past perfect was for a past day.
                    if (PastPerfectBefore(text, tokens, k, sentFirst)) return Tense.Past;
                    // "is expected to", "plans to", "set to", "due to": future only before "to" or a following verb.
                    if (k + 1 < tokens.Count && tokens[k + 1].AsSpan(text).Equals("to", StringComparison.OrdinalIgnoreCase)) return Tense.Future;
                    if (w.Equals("scheduled", StringComparison.OrdinalIgnoreCase) || w.Equals("expected", StringComparison.OrdinalIgnoreCase)) return Tense.Future;
                    return Tense.Unknown;
                case Cue.Past:
                    {
                        // A participle after an auxiliary takes the auxiliary's tense: "will be held", "is made".
                        if (w.Equals("was", StringComparison.OrdinalIgnoreCase) || w.Equals("were", StringComparison.OrdinalIgnoreCase)
                            || w.Equals("had", StringComparison.OrdinalIgnoreCase) || w.Equals("did", StringComparison.OrdinalIgnoreCase)) return Tense.Past;
                        var aux = Before(text, tokens, k, sentFirst);
                        return aux == Tense.Unknown ? Tense.Past : aux;
                    }
                case Cue.Present:
                case Cue.Be:
                    {
                        // "is going to" = future.
                        if (k + 2 < tokens.Count && tokens[k + 1].AsSpan(text).Equals("going", StringComparison.OrdinalIgnoreCase)
                            && tokens[k + 2].AsSpan(text).Equals("to", StringComparison.OrdinalIgnoreCase)) return Tense.Future;
                        // "is to resume", "was to meet": future (from then)
                        if (k + 1 < tokens.Count && tokens[k + 1].AsSpan(text).Equals("to", StringComparison.OrdinalIgnoreCase)) return Tense.Future;
                        if (w.Equals("was", StringComparison.OrdinalIgnoreCase) || w.Equals("were", StringComparison.OrdinalIgnoreCase)) return Tense.Past;
                        if (w.Equals("be", StringComparison.OrdinalIgnoreCase) || w.Equals("been", StringComparison.OrdinalIgnoreCase) || w.Equals("being", StringComparison.OrdinalIgnoreCase))
                            return Before(text, tokens, k, sentFirst);
                        return Tense.Present;
                    }
                case Cue.Have: return Tense.Past; // present perfect: the event is in the past
            }
        }
        if (w.Length > 4 && (w.EndsWith("ed", StringComparison.OrdinalIgnoreCase)) && char.IsLower(w[0]) && !NotPastEdLookup.Contains(w))
        {
            // "a still unspecified date", "the proposed merger": after a determiner the -ed word is an adjective.
            if (AfterDeterminer(text, tokens, k, sentFirst)) return Tense.Unknown;
            // "will be held", "to be signed": the auxiliary before decides.
            var before = Before(text, tokens, k, sentFirst);
            return before == Tense.Unknown ? Tense.Past : before;
        }
        return Tense.Unknown;
    }

    private static readonly FrozenSet<string> Determiners = new[]
    {
        "a", "an", "the", "this", "that", "these", "those", "its", "their", "his", "her", "our", "your", "my", "any", "some", "no", "every", "each",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> DeterminerLookup = Determiners.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Token k follows a determiner, possibly with one adverb in -ly or "still" between ("a still unspecified date").</summary>
    private static bool AfterDeterminer(string text, IReadOnlyList<Token> tokens, int k, int sentFirst)
    {
        int j = k - 1;
        if (j >= sentFirst && tokens[j].Kind == TokenKind.Word)
        {
            var a = tokens[j].AsSpan(text);
            if ((a.Length > 3 && a.EndsWith("ly", StringComparison.OrdinalIgnoreCase)) || a.Equals("still", StringComparison.OrdinalIgnoreCase)) j--;
        }
        return j >= sentFirst && tokens[j].Kind == TokenKind.Word && DeterminerLookup.Contains(tokens[j].AsSpan(text));
    }

    /// <summary>"had" or "had been" (with an adverb allowed between) right before token k: the past perfect.</summary>
    private static bool PastPerfectBefore(string text, IReadOnlyList<Token> tokens, int k, int sentFirst)
    {
        for (int j = k - 1; j >= sentFirst && j >= k - 3; j--)
        {
            var w = tokens[j].AsSpan(text);
            if (w.Equals("had", StringComparison.OrdinalIgnoreCase)) return true;
            if (w.Equals("been", StringComparison.OrdinalIgnoreCase) || (tokens[j].Kind == TokenKind.Word && w.Length > 3 && w.EndsWith("ly", StringComparison.OrdinalIgnoreCase))) continue;
            return false;
        }
        return false;
    }

    /// <summary>The tense of the auxiliaries just before token k ("will be", "has been", "is", "to be").</summary>
    private static Tense Before(string text, IReadOnlyList<Token> tokens, int k, int sentFirst)
    {
        for (int j = k - 1; j >= sentFirst && j >= k - 3; j--)
        {
            var w = tokens[j].AsSpan(text);
            if (!Lookup.TryGetValue(w, out var cue))
            {
                if (w.Equals("to", StringComparison.OrdinalIgnoreCase)) return Tense.Future;
                if (tokens[j].Kind == TokenKind.Word && j > k - 3) continue; // an adverb between: "will still be held", "has not been"
                return Tense.Unknown;
            }
            switch (cue)
            {
                case Cue.Future: return Tense.Future;
                case Cue.Have: return Tense.Past;
                case Cue.Past: return Tense.Past;
                case Cue.Be:
                case Cue.Present:
                    if (w.Equals("was", StringComparison.OrdinalIgnoreCase) || w.Equals("were", StringComparison.OrdinalIgnoreCase)) return Tense.Past;
                    if (w.Equals("is", StringComparison.OrdinalIgnoreCase) || w.Equals("are", StringComparison.OrdinalIgnoreCase) || w.Equals("am", StringComparison.OrdinalIgnoreCase)) return Tense.Present;
                    continue;
            }
        }
        return Tense.Unknown;
    }
}
