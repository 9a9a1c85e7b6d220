using System.Runtime.CompilerServices;
using Sitrep.Text;

namespace Sitrep.Attribution;

/// <summary>Coarse token classes used as features and by the rules.</summary>
internal enum Shape : byte
{
    Lower,
    Capitalised,
    AllCaps,
    Number,
    Comma,
    Terminal,
    Colon,
    OpenQuote,
    CloseQuote,
    Dash,
    OpenBracket,
    CloseBracket,
    OtherPunct,
    Url,
    Ellipsis,
}

/// <summary>
/// The per-call view of one article body that the attribution stage works on: its tokens with hashed, normalised
/// word forms and shapes, the sentence and paragraph of each token, and the quotations (paired quotation marks).
/// Built once per <see cref="AttributionExtractor.Extract"/> call; never shared.
/// </summary>
internal sealed class AttributionDocument
{
    public readonly string Text;
    public readonly Token[] Tokens;
    public readonly SentenceSpan[] Sentences;
    public readonly int Count;

    /// <summary>Sentence index of each token (-1 for a token in no sentence).</summary>
    public readonly int[] SentenceOf;

    /// <summary>Paragraph number of each token: a new paragraph starts at each line break or body range.</summary>
    public readonly int[] Paragraph;

    /// <summary>Hash of the lower-cased, normalised form (curly quotes and apostrophes straightened, digits as 0).</summary>
    public readonly ulong[] Word;

    /// <summary>Hash of a crude stem of the lower-cased form ("said"→"sai", "saying"→"say", "warns"→"warn").</summary>
    public readonly ulong[] Stem;

    public readonly Shape[] Shapes;

    /// <summary>Quotations in text order (double and single).</summary>
    public readonly QuoteSpan[] Quotes;

    /// <summary>Index in <see cref="Quotes"/> of the outermost double quotation containing the token (marks included), or -1.</summary>
    public readonly int[] QuoteOf;

    public AttributionDocument(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences, IReadOnlyList<(int Start, int End)>? bodyRanges)
    {
        Text = text;
        Count = tokens.Count;
        Tokens = new Token[Count];
        for (int i = 0; i < Count; i++) Tokens[i] = tokens[i];
        Sentences = new SentenceSpan[sentences.Count];
        for (int i = 0; i < Sentences.Length; i++) Sentences[i] = sentences[i];

        SentenceOf = new int[Count];
        Array.Fill(SentenceOf, -1);
        for (int s = 0; s < Sentences.Length; s++)
        {
            var sp = Sentences[s];
            int end = Math.Min(Count, sp.FirstToken + sp.TokenCount);
            for (int i = Math.Max(0, sp.FirstToken); i < end; i++) SentenceOf[i] = s;
        }

        Paragraph = new int[Count];
        int para = 0, range = 0;
        for (int i = 0; i < Count; i++)
        {
            if (i > 0)
            {
                bool newRange = false;
                if (bodyRanges != null)
                {
                    while (range < bodyRanges.Count && Tokens[i].Start >= bodyRanges[range].End) { range++; newRange = true; }
                }
                if (newRange || SentenceSplitter.LineBreaks(text, Tokens[i - 1].End, Tokens[i].Start) > 0) para++;
            }
            Paragraph[i] = para;
        }

        Word = new ulong[Count];
        Stem = new ulong[Count];
        Shapes = new Shape[Count];
        for (int i = 0; i < Count; i++)
        {
            var span = Tokens[i].AsSpan(text);
            Word[i] = HashLower(span, out ulong stem);
            Stem[i] = stem;
            Shapes[i] = ShapeOf(Tokens[i], span);
        }

        Quotes = QuoteFinder.Find(this);
        QuoteOf = new int[Count];
        Array.Fill(QuoteOf, -1);
        for (int q = 0; q < Quotes.Length; q++)
        {
            var qs = Quotes[q];
            if (qs.Single) continue;
            for (int i = qs.Open; i < qs.EndToken; i++)
                if (QuoteOf[i] < 0) QuoteOf[i] = q;
        }
    }

    public bool IsWordLike(int i) => Tokens[i].Kind is TokenKind.Word or TokenKind.Number;

    /// <summary>True for a token strictly inside a double quotation (not one of its marks).</summary>
    public bool InQuote(int i)
    {
        int q = QuoteOf[i];
        return q >= 0 && i >= Quotes[q].First && i < Quotes[q].EndInner;
    }

    public ReadOnlySpan<char> Span(int i) => Tokens[i].AsSpan(Text);

    public bool Is(int i, string word) => (uint)i < (uint)Count && Span(i).Equals(word, StringComparison.OrdinalIgnoreCase);

    public char First(int i) => Text[Tokens[i].Start];

    public bool Capitalised(int i) => Tokens[i].Kind == TokenKind.Word && char.IsUpper(Text[Tokens[i].Start]);

    /// <summary>Line breaks between token i-1 and token i.</summary>
    public bool BreakBefore(int i) => i > 0 && i < Count && Paragraph[i] != Paragraph[i - 1];

    public string GetText(int first, int end) => first >= end ? "" : Text[Tokens[first].Start..Tokens[end - 1].End];

    // ------------------------------------------------------------------ hashing

    public const ulong Seed = 14695981039346656037UL;

    /// <summary>Index of the first token that ends after <paramref name="offset"/>.</summary>
    public static int LowerBound(Token[] tokens, int offset)
    {
        int lo = 0, hi = tokens.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (tokens[mid].End <= offset) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong h, ulong v)
    {
        h ^= v + 0x9E3779B97F4A7C15UL + (h << 6) + (h >> 2);
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 29;
        return h;
    }

    /// <summary>FNV-1a over the normalised lower-case form; also returns the hash of a crude stem.</summary>
    public static ulong HashLower(ReadOnlySpan<char> s, out ulong stem)
    {
        int len = s.Length;
        int stemLen = StemLength(s);
        ulong h = Seed;
        stem = Seed;
        for (int k = 0; k < len; k++)
        {
            char c = Normalise(s[k]);
            h = (h ^ c) * 1099511628211UL;
            if (k == stemLen - 1) stem = h;
        }
        if (stemLen >= len) stem = h;
        stem ^= 0x5bd1e995UL;
        return h;
    }

    public static ulong HashLower(ReadOnlySpan<char> s) => HashLower(s, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char Normalise(char c)
    {
        if (c < 128)
        {
            if (c >= 'A' && c <= 'Z') return (char)(c + 32);
            if (c >= '0' && c <= '9') return '0';
            if (c == '`') return '\'';
            return c;
        }
        return c switch
        {
            '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u00B4' or '\u2039' or '\u203A' => '\'',
            '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u00AB' or '\u00BB' => '"',
            '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' => '-',
            _ => char.ToLowerInvariant(c),
        };
    }

    /// <summary>Length of a crude stem: -ing, -ed, -es, -s and -ly are stripped from words of five letters or more.</summary>
    private static int StemLength(ReadOnlySpan<char> s)
    {
        int n = s.Length;
        if (n < 5) return n;
        if (EndsWith(s, "ing")) return n - 3;
        if (EndsWith(s, "ied")) return n - 3;
        if (EndsWith(s, "ed")) return n - 2;
        if (EndsWith(s, "ly")) return n - 2;
        if (EndsWith(s, "es")) return n - 2;
        if (EndsWith(s, "s") && !EndsWith(s, "ss")) return n - 1;
        return n;
    }

    private static bool EndsWith(ReadOnlySpan<char> s, string suffix)
    {
        if (s.Length < suffix.Length) return false;
        for (int k = 0; k < suffix.Length; k++)
            if (char.ToLowerInvariant(s[s.Length - suffix.Length + k]) != suffix[k]) return false;
        return true;
    }

    private static Shape ShapeOf(in Token t, ReadOnlySpan<char> s)
    {
        switch (t.Kind)
        {
            case TokenKind.Number: return Shape.Number;
            case TokenKind.Url: return Shape.Url;
            case TokenKind.Ellipsis: return Shape.Ellipsis;
            case TokenKind.Dash: return Shape.Dash;
            case TokenKind.Quote:
                return s[0] is '\u201D' or '\u2019' or '\u00BB' or '\u203A' ? Shape.CloseQuote : Shape.OpenQuote;
            case TokenKind.Punct:
                return s[0] switch
                {
                    ',' => Shape.Comma,
                    '.' or '?' or '!' => Shape.Terminal,
                    ':' or ';' => Shape.Colon,
                    '(' or '[' or '{' => Shape.OpenBracket,
                    ')' or ']' or '}' => Shape.CloseBracket,
                    _ => Shape.OtherPunct,
                };
            case TokenKind.Word:
                if (!char.IsUpper(s[0])) return Shape.Lower;
                int upper = 0, letters = 0;
                foreach (char c in s)
                {
                    if (!char.IsLetter(c)) continue;
                    letters++;
                    if (char.IsUpper(c)) upper++;
                }
                return letters >= 2 && upper == letters ? Shape.AllCaps : Shape.Capitalised;
            default:
                return Shape.OtherPunct;
        }
    }
}
