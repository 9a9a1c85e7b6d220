namespace Sitrep.Text.Terms;

/// <summary>
/// The one stemmer of the pipeline (story clustering, stance features, claim terms, paragraph coherence): a light
/// suffix stripper for lower-case English words — possessive 's, plural -s/-es, -ies → -y, -ing, -ed — that leaves
/// words of 3 characters or fewer and words starting with a digit as they are.
/// It is ours rather than the Snowball English (Porter2) stemmer of Lucene.Net.Analysis.Common because it measured
/// better at the shipped clustering settings and twice as fast (docs/benchmarks.md, "Text terms"): Porter2 conflates
/// more forms, which raises story similarities past the tuned thresholds.
/// </summary>
public static class Stemmer
{
    /// <summary>The stem of a lower-case word (the same string when nothing is stripped).</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || char.IsDigit(word[0])) return word;
        Span<char> buf = word.Length <= 128 ? stackalloc char[word.Length] : new char[word.Length];
        word.CopyTo(buf);
        int n = Stem(buf);
        return n == word.Length && buf.SequenceEqual(word) ? word : new string(buf[..n]);
    }

    /// <summary>Stems the lower-case word in <paramref name="w"/> in place (it only shortens); returns the stem's length.</summary>
    public static int Stem(Span<char> w)
    {
        int n = w.Length;
        if (n <= 3 || char.IsDigit(w[0])) return n;
        if (Ends(w, n, "'s")) n -= 2;
        if (n > 4 && Ends(w, n, "ies")) { w[n - 3] = 'y'; return n - 2; }
        if (n > 5 && Ends(w, n, "ing")) return n - 3;
        if (n > 4 && Ends(w, n, "ed") && !Ends(w, n, "eed")) return n - 2;
        if (n > 3 && w[n - 1] == 's' && !Ends(w, n, "ss") && !Ends(w, n, "us") && !Ends(w, n, "is"))
            return Ends(w, n, "es") && n > 4 && (w[n - 3] is 's' or 'x' or 'z' || Ends(w, n, "ches") || Ends(w, n, "shes")) ? n - 2 : n - 1;
        return n;
    }

    private static bool Ends(Span<char> w, int n, string suffix) => w[..n].EndsWith(suffix, StringComparison.Ordinal);
}
