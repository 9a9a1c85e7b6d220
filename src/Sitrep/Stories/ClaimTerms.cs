using System.Collections.Frozen;

namespace Sitrep.Stories;

/// <summary>
/// The content terms of a claim: lower-cased, lightly stemmed, stop words and reporting vocabulary dropped, near
/// synonyms folded into one concept ("talks", "discussions", "negotiating" → discuss), and whether the claim is
/// negated or says something stopped ("not", "no longer", "on hold", "halted").
/// </summary>
public static class ClaimTerms
{
    private static readonly FrozenSet<string> Stop = new[]
    {
        "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "into", "onto",
        "about", "over", "under", "after", "before", "between", "through", "during", "since", "until", "than", "then", "so", "such",
        "that", "this", "these", "those", "there", "here", "it", "its", "it's", "they", "them", "their", "we", "our", "us", "you", "your",
        "he", "him", "his", "she", "her", "i", "me", "my", "who", "whom", "whose", "which", "what", "when", "where", "why", "how",
        "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "having", "do", "does", "did", "will", "would",
        "shall", "should", "can", "could", "may", "might", "must", "also", "only", "just", "even", "still", "yet", "very", "more", "most",
        "much", "many", "some", "any", "all", "each", "every", "other", "another", "own", "same", "both", "either", "whether", "if",
        "while", "because", "though", "although", "however", "now", "already", "again", "ever", "long", "new", "one", "two",
        // reporting vocabulary: who says it is the attribution's business, not the claim's
        "said", "say", "says", "saying", "told", "tell", "tells", "according", "reported", "reportedly", "report", "reports", "source",
        "sources", "official", "officials", "spokesperson", "spokesman", "spokeswoman", "added", "noted", "stated", "claimed", "confirmed",
        "explained", "revealed", "believe", "believes", "think", "thinks",
        // negation and halting words are read as polarity, not as terms
        "not", "no", "never", "n't", "none", "neither", "without", "longer", "hold", "halted", "halt", "halts", "frozen", "freeze",
        "suspended", "suspend", "stalled", "stall", "stopped", "stop", "paused", "pause", "shelved", "denied", "deny", "denies",
        "rejected", "reject", "rejects", "dismissed", "ruled", "cancelled", "canceled",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> NegationWords = new[]
    {
        "not", "no", "never", "n't", "none", "neither", "nor", "without", "halted", "halt", "halts", "frozen", "suspended", "stalled",
        "stopped", "paused", "shelved", "denied", "deny", "denies", "rejected", "rejects", "dismissed", "cancelled", "canceled",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Stems folded into one concept.</summary>
    private static readonly FrozenDictionary<string, string> Concepts = new Dictionary<string, string>
    {
        ["talk"] = "discuss", ["discuss"] = "discuss", ["discussion"] = "discuss", ["negotiat"] = "discuss", ["negotiate"] = "discuss",
        ["negotiation"] = "discuss", ["dialogue"] = "discuss", ["deliberation"] = "discuss", ["consultation"] = "discuss",
        ["threaten"] = "threat", ["danger"] = "threat", ["menace"] = "threat",
        ["ally"] = "ally", ["allies"] = "ally", ["allied"] = "ally",
        ["invite"] = "invit", ["invitation"] = "invit",
        ["propose"] = "propos", ["proposal"] = "propos",
        ["membership"] = "member", ["join"] = "member", ["accession"] = "member",
        ["begin"] = "start", ["began"] = "start", ["begun"] = "start", ["launch"] = "start", ["start"] = "start",
        ["draft"] = "draft", ["drafting"] = "draft",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The terms of <paramref name="text"/>[start, end), whether it is negated, and the word positions of the
    /// negations. Words for which <paramref name="skip"/> is true (inside an actor's name) are not terms.
    /// </summary>
    public static (List<string> Terms, bool Negated) Of(string text, int start, int end, Func<int, bool>? skip = null) =>
        Read(text, start, end, skip, null);

    /// <summary>As <see cref="Of"/>, also listing each term's word index and each negation's word index.</summary>
    public static (List<string> Terms, bool Negated) Read(string text, int start, int end, Func<int, bool>? skip, List<(string Term, int Word, bool Negation)>? positions)
    {
        var terms = new List<string>();
        bool negated = false;
        int i = start;
        string? previous = null;
        int wordIndex = 0;
        while (i < end)
        {
            while (i < end && !char.IsLetterOrDigit(text[i])) i++;
            int s = i;
            while (i < end && (char.IsLetterOrDigit(text[i]) || ((text[i] is '\'' or '’' or '-') && i + 1 < end && char.IsLetter(text[i + 1])))) i++;
            if (i == s) break;
            var word = text[s..i].ToLowerInvariant().Replace('’', '\'');
            int index = wordIndex++;
            bool neg = word.EndsWith("n't", StringComparison.Ordinal) || NegationWords.Contains(word)
                       || (word == "hold" && previous == "on") || (word == "longer" && previous == "no");
            if (neg) { negated = true; positions?.Add(("", index, true)); }
            if (word.EndsWith("n't", StringComparison.Ordinal)) { previous = "n't"; continue; }
            if (word.EndsWith("'s", StringComparison.Ordinal)) word = word[..^2];
            previous = word;
            if (word.Length < 2 || Stop.Contains(word) || char.IsDigit(word[0]) || (skip != null && skip(s))) continue;
            var term = Normalise(word);
            terms.Add(term);
            positions?.Add((term, index, false));
        }
        return (terms, negated);
    }

    /// <summary>A word's stem, folded into its concept when it has one.</summary>
    public static string Normalise(string word)
    {
        if (Concepts.TryGetValue(word, out var c)) return c;
        var stem = Stem(word);
        return Concepts.TryGetValue(stem, out c) ? c : stem;
    }

    /// <summary>A light suffix stripper: plurals, -ing, -ed, -ly; enough to meet "drafting"/"draft", "allies"/"ally".</summary>
    public static string Stem(string w)
    {
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal)) return w[..^3] + "y";
        if (w.Length > 4 && w.EndsWith("sses", StringComparison.Ordinal)) return w[..^2];
        if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal) && !w.EndsWith("is", StringComparison.Ordinal)) w = w[..^1];
        if (w.Length > 5 && w.EndsWith("ing", StringComparison.Ordinal)) w = Undouble(w[..^3]);
        else if (w.Length > 4 && w.EndsWith("ed", StringComparison.Ordinal)) w = Undouble(w[..^2]);
        else if (w.Length > 5 && w.EndsWith("ly", StringComparison.Ordinal)) w = w[..^2];
        if (w.Length > 4 && w.EndsWith('e')) w = w[..^1];
        return w;
    }

    private static string Undouble(string w) =>
        w.Length > 3 && w[^1] == w[^2] && w[^1] is not ('l' or 's' or 'z') ? w[..^1] : w;
}
