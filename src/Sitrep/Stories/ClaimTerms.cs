using System.Collections.Frozen;
using Sitrep.Text.Terms;

namespace Sitrep.Stories;

/// <summary>
/// The content terms of a claim: lower-cased, stemmed, stop words and reporting vocabulary dropped, near
/// synonyms folded into one concept ("talks", "discussions", "negotiating" → discuss), and whether the claim is
/// negated or says something stopped ("not", "no longer", "on hold", "halted").
/// </summary>
public static class ClaimTerms
{
    // The lists are data files (src/Sitrep/Text/Terms): function words plus reporting vocabulary and polarity words;
    // the negations; near synonyms folded into one concept.
    private static FrozenSet<string> Stop => TermLists.ClaimStop;
    private static FrozenSet<string> NegationWords => TermLists.Negations;
    private static FrozenDictionary<string, string> Concepts => TermLists.ClaimConcepts;

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

    /// <summary>The stem of a lower-case word: the pipeline's one stemmer (<see cref="Stemmer"/>).</summary>
    public static string Stem(string w) => Stemmer.Stem(w);
}
