using Sitrep.Text;

namespace Sitrep.Stories;

/// <summary>
/// Turns text into the terms the story clusterer and the stance model compare: lower-cased, lightly stemmed content
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

    /// <summary>A light suffix stripper: plural and possessive s, -ies, -ing, -ed (only on longer words).</summary>
    public static string Stem(string w)
    {
        if (w.Length <= 3 || char.IsDigit(w[0])) return w;
        if (w.EndsWith("'s", StringComparison.Ordinal)) w = w[..^2];
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal)) return w[..^3] + "y";
        if (w.Length > 5 && w.EndsWith("ing", StringComparison.Ordinal)) return w[..^3];
        if (w.Length > 4 && w.EndsWith("ed", StringComparison.Ordinal) && !w.EndsWith("eed", StringComparison.Ordinal)) return w[..^2];
        if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal) && !w.EndsWith("is", StringComparison.Ordinal))
            return w.EndsWith("es", StringComparison.Ordinal) && w.Length > 4 && (w[^3] is 's' or 'x' or 'z' || w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal)) ? w[..^2] : w[..^1];
        return w;
    }

    /// <summary>English function words and very common verbs that carry no topic.</summary>
    public static readonly HashSet<string> Stopwords = new(StringComparer.Ordinal)
    {
        "a","about","above","after","again","against","all","also","am","an","and","any","are","aren't","as","at","be","because","been",
        "before","being","below","between","both","but","by","can","could","did","do","does","doing","down","during","each","few","for",
        "from","further","had","has","have","having","he","her","here","hers","herself","him","himself","his","how","i","if","in","into",
        "is","it","its","itself","just","me","more","most","my","myself","no","nor","not","now","of","off","on","once","only","or","other",
        "our","ours","ourselves","out","over","own","same","she","should","so","some","such","than","that","the","their","theirs","them",
        "themselves","then","there","these","they","this","those","through","to","too","under","until","up","very","was","we","were",
        "what","when","where","which","while","who","whom","why","will","with","would","you","your","yours","yourself","yourselves",
        "said","says","say","told","according","one","two","new","like","get","got","since","many","much","may","might","must","us",
        "s","t","n't","'s","'re","'ve","'ll","'d","'m","it's","don't","didn't","doesn't","isn't","wasn't","won't","can't","ca","wo",
        "mr","mrs","ms","yet","still","even","however","although","though","whether","another","around","among","via","upon","per",
        "within","without","across","along","toward","towards","onto","let","made","make","see","seen","go","going","went","come","came",
        "year","years","time","day","days","week","weeks","last","first","people","image","images","photo","photos","video","reports",
    };
}
