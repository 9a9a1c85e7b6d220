using System.Collections.Frozen;
using Sitrep.Text;
using Sitrep.Text.Terms;

namespace Sitrep.Stories;

/// <summary>
/// Turns text into the terms the story clusterer and the stance model compare: lower-cased, stemmed content
/// words (stop words, punctuation and one-letter words dropped), and proper-noun terms (capitalised words that do
/// not merely start a sentence, and all-capital acronyms).
/// </summary>
public static class TextTerms
{
    /// <summary>Appends the content-word terms of the text, in order.</summary>
    public static void ContentWords(string text, List<string> into)
    {
        var tokens = Tokenizer.Tokenize(text);
        foreach (var t in tokens)
        {
            if (t.Kind != TokenKind.Word && t.Kind != TokenKind.Number) continue;
            var span = t.AsSpan(text);
            if (span.Length < 2 && t.Kind == TokenKind.Word) continue;
            string w = Normalize(span);
            if (w.Length == 0 || Stopwords.Contains(w)) continue;
            into.Add(Stem(w));
        }
    }

    /// <summary>
    /// Appends pairs of consecutive content-word terms ("nuclear_deal"; stop words between them are skipped, any
    /// punctuation breaks the chain).
    /// </summary>
    public static void ContentWordPairs(string text, List<string> into)
    {
        var tokens = Tokenizer.Tokenize(text);
        string? previous = null;
        foreach (var t in tokens)
        {
            if (t.Kind != TokenKind.Word && t.Kind != TokenKind.Number) { previous = null; continue; }
            var span = t.AsSpan(text);
            if (span.Length < 2 && t.Kind == TokenKind.Word) continue;
            string w = Normalize(span);
            if (w.Length == 0 || Stopwords.Contains(w)) continue;
            w = Stem(w);
            if (previous is not null) into.Add(previous + "_" + w);
            previous = w;
        }
    }

    public static List<string> ContentWords(string text)
    {
        var list = new List<string>();
        ContentWords(text, list);
        return list;
    }

    /// <summary>
    /// Appends proper-noun terms: capitalised words that do not start a sentence or a line (or are all capitals,
    /// two letters or more), lower-cased and prefixed with "@"; two adjacent such words also give their pair.
    /// </summary>
    public static void ProperNouns(string text, List<string> into)
    {
        var tokens = Tokenizer.Tokenize(text);
        string? previous = null;
        for (int i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind != TokenKind.Word) { previous = null; continue; }
            var span = t.AsSpan(text);
            if (span.Length < 2 || !char.IsUpper(span[0])) { previous = null; continue; }
            bool allCaps = true;
            foreach (char c in span) if (char.IsLetter(c) && !char.IsUpper(c)) { allCaps = false; break; }
            bool sentenceStart = i == 0 || tokens[i - 1].Kind is TokenKind.Quote or TokenKind.Dash || IsSentenceEnd(text, tokens[i - 1]) || LineBreakBetween(text, tokens[i - 1].End, t.Start);
            string w = Normalize(span);
            if (Stopwords.Contains(w) || (sentenceStart && !allCaps && previous is null && NextIsLower(text, tokens, i)))
            {
                previous = null;
                continue;
            }
            string term = "@" + w;
            into.Add(term);
            if (previous is not null) into.Add(previous + "_" + w);
            previous = term;
        }
    }

    // A sentence-initial capital counts only when the next word is capitalised too ("Kim Jong-un said") — a cheap
    // guard against ordinary words that start sentences.
    private static bool NextIsLower(string text, List<Token> tokens, int i) =>
        i + 1 >= tokens.Count || tokens[i + 1].Kind != TokenKind.Word || !char.IsUpper(text[tokens[i + 1].Start]);

    private static bool IsSentenceEnd(string text, Token t) =>
        t.Kind == TokenKind.Punct && t.Length >= 1 && text[t.Start] is '.' or '!' or '?' or ':' or ';' || t.Kind == TokenKind.Ellipsis;

    private static bool LineBreakBetween(string text, int from, int to)
    {
        for (int k = from; k < to; k++) if (text[k] is '\n' or '\r') return true;
        return false;
    }

    /// <summary>Lower-cases and folds curly apostrophes; keeps letters, digits, hyphens.</summary>
    public static string Normalize(ReadOnlySpan<char> span)
    {
        Span<char> buf = span.Length <= 128 ? stackalloc char[span.Length] : new char[span.Length];
        int n = 0;
        foreach (char c in span)
        {
            if (char.IsLetterOrDigit(c)) buf[n++] = char.ToLowerInvariant(c);
            else if (c is '-' or '\'' or '’' && n > 0) buf[n++] = c == '-' ? '-' : '\'';
        }
        while (n > 0 && buf[n - 1] is '-' or '\'') n--;
        return new string(buf[..n]);
    }

    /// <summary>The stem of a lower-case word: the pipeline's one stemmer (<see cref="Stemmer"/>).</summary>
    public static string Stem(string w) => Stemmer.Stem(w);

    /// <summary>What content terms leave out: English function words and topic-less news words (<see cref="TermLists.ContentStop"/>).</summary>
    public static FrozenSet<string> Stopwords => TermLists.ContentStop;
}
