using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.InteropServices;

namespace Sitrep.Text;

/// <summary>
/// Groups tokens into sentences. Works on the tokens of <see cref="Tokenizer"/> and looks at the text only
/// through token offsets and the gaps between tokens; allocates nothing but the output.
/// </summary>
/// <remarks>
/// <para>A sentence ends:</para>
/// <list type="bullet">
/// <item>after ".", "?", "!" (with any closing quotation marks and brackets glued after them, which stay in the
/// sentence: <c>…undivided Europe.”</c>) when the next token starts a sentence: a capital letter, a digit, an
/// opening quotation mark or bracket, a symbol. After "?"/"!" and a closing quote, a capitalised name followed by
/// a speech verb does not start a sentence (<c>“Why?” Rutte asked.</c>);</item>
/// <item>after an ellipsis only when a common sentence starter ("The", "He", "But", …) follows or a closing quote
/// came between (<c>across the alliance … that the</c> stays one sentence);</item>
/// <item>after an abbreviation ("U.S.", "Inc.", "J.") only when a common sentence starter follows (directly or
/// after an opening quote), or when a closing quote glued after it is followed by a capital
/// (<c>in the U.S. The next day</c> splits, <c>U.S. President Donald Trump</c> does not), but not inside a
/// title-case headline ("Talks With U.S. In Doubt"). Titles ("Mr.", "Gen.") and number prefixes ("No.") never end
/// a sentence;</item>
/// <item>not after a list marker: a one- or two-digit number and a period opening a sentence ("2. The second");</item>
/// <item>at a blank line (two or more line breaks);</item>
/// <item>at a single line break, except when the line ends with a continuation mark (, ; ( &amp; / or a hyphen) and the
/// next line starts with a lower-case letter. Text is expected one paragraph per line; headings and bylines
/// without terminal punctuation are thereby always their own sentence.</item>
/// </list>
/// </remarks>
public static class SentenceSplitter
{
    /// <summary>Appends the sentences of text[start..end) to <paramref name="into"/>, given that range's tokens.</summary>
    public static void Split(string text, IReadOnlyList<Token> tokens, List<SentenceSpan> into)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        switch (tokens)
        {
            case List<Token> list:
                Split(text, CollectionsMarshal.AsSpan(list), into);
                return;
            case Token[] array:
                Split(text, array.AsSpan(), into);
                return;
        }
        int n = tokens.Count;
        var rented = ArrayPool<Token>.Shared.Rent(Math.Max(n, 1));
        try
        {
            for (int k = 0; k < n; k++) rented[k] = tokens[k];
            Split(text, rented.AsSpan(0, n), into);
        }
        finally
        {
            ArrayPool<Token>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Appends the sentences made of <paramref name="tokens"/> to <paramref name="into"/>. Token indices in the
    /// result are relative to the span, plus <paramref name="firstTokenIndex"/>.
    /// </summary>
    public static void Split(string text, ReadOnlySpan<Token> tokens, List<SentenceSpan> into, int firstTokenIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(into);
        int n = tokens.Length;
        if (n == 0) return;

        int first = 0;
        int i = 0;
        while (i < n)
        {
            ref readonly Token t = ref tokens[i];
            bool boundary = false;
            var terminal = TerminalOf(text, t);
            // "1. The first point": a short number opening the sentence is a list marker, not a sentence.
            if (terminal == Terminal.Stop && i == first + 1 && tokens[first].Kind == TokenKind.Number &&
                tokens[first].Length <= 2 && tokens[first].End == t.Start)
                terminal = Terminal.None;
            if (terminal != Terminal.None)
            {
                // Closing quotes and brackets (and more terminal marks) glued after the terminal stay with it.
                int k = i + 1;
                bool closerAbsorbed = false;
                while (k < n && IsCloserAfterTerminal(text, tokens, k, out bool isQuote))
                {
                    closerAbsorbed |= isQuote;
                    k++;
                }
                i = k;
                if (k < n)
                {
                    boundary = LineBreaks(text, tokens[k - 1].End, tokens[k].Start) > 0 ||
                               EndsSentence(text, tokens, terminal, t, k, closerAbsorbed, first);
                }
            }
            else
            {
                i++;
            }

            if (!boundary && i < n)
            {
                int breaks = LineBreaks(text, tokens[i - 1].End, tokens[i].Start);
                if (breaks >= 2) boundary = true;
                else if (breaks == 1) boundary = !IsContinuation(text, tokens[i - 1], tokens[i]);
            }

            if (boundary)
            {
                Add(into, tokens, first, i, firstTokenIndex);
                first = i;
            }
        }
        Add(into, tokens, first, n, firstTokenIndex);
    }

    private static void Add(List<SentenceSpan> into, ReadOnlySpan<Token> tokens, int first, int endToken, int offset)
    {
        if (endToken <= first) return;
        into.Add(new SentenceSpan(tokens[first].Start, tokens[endToken - 1].End, first + offset, endToken - first));
    }

    private enum Terminal : byte
    {
        None,
        Stop,
        QuestionOrExclamation,
        Ellipsis,
        Abbreviation,
    }

    private static Terminal TerminalOf(string text, in Token t)
    {
        switch (t.Kind)
        {
            case TokenKind.Punct:
                char c = text[t.Start];
                if (c == '.' || c == '\u3002' || c == '\uFF0E') return Terminal.Stop;
                if (c is '?' or '!' or '\u203D' or '\u061F' or '\uFF1F' or '\uFF01') return Terminal.QuestionOrExclamation;
                return Terminal.None;
            case TokenKind.Ellipsis:
                return Terminal.Ellipsis;
            case TokenKind.Word:
                return t.Length >= 2 && text[t.End - 1] == '.' ? Terminal.Abbreviation : Terminal.None;
            default:
                return Terminal.None;
        }
    }

    private static bool IsCloserAfterTerminal(string text, ReadOnlySpan<Token> tokens, int k, out bool isQuote)
    {
        isQuote = false;
        ref readonly Token t = ref tokens[k];
        int gapStart = tokens[k - 1].End;
        bool glued = t.Start == gapStart;
        if (!glued && LineBreaks(text, gapStart, t.Start) > 0) return false;
        char c = text[t.Start];
        switch (t.Kind)
        {
            case TokenKind.Quote:
                if (IsClosingQuoteChar(c) || (glued && IsStraightQuote(c)))
                {
                    isQuote = true;
                    return true;
                }
                return false;
            case TokenKind.Punct:
                if (c is ')' or ']' or '}') return true;
                return glued && c is '.' or '?' or '!';
            default:
                return false;
        }
    }

    private static bool IsClosingQuoteChar(char c) => c is '\u201D' or '\u2019' or '\u00BB' or '\u203A';

    private static bool IsOpeningQuoteChar(char c) =>
        c is '\u201C' or '\u2018' or '\u201E' or '\u201A' or '\u00AB' or '\u2039' or '\u201F' or '\u201B';

    private static bool IsStraightQuote(char c) => c is '"' or '\'' or '`' or '\uFF02';

    /// <summary>True when the Quote token at k opens a quotation.</summary>
    private static bool IsOpeningQuote(string text, ReadOnlySpan<Token> tokens, int k)
    {
        ref readonly Token t = ref tokens[k];
        if (t.Kind != TokenKind.Quote) return false;
        char c = text[t.Start];
        if (IsOpeningQuoteChar(c)) return true;
        if (!IsStraightQuote(c)) return false;
        bool gluedLeft = k > 0 && tokens[k - 1].End == t.Start;
        bool gluedRight = k + 1 < tokens.Length && tokens[k + 1].Start == t.End;
        return gluedRight && !gluedLeft;
    }

    private static bool EndsSentence(string text, ReadOnlySpan<Token> tokens, Terminal terminal, in Token term, int k, bool closerAbsorbed, int first)
    {
        ref readonly Token next = ref tokens[k];
        char c = text[next.Start];
        switch (terminal)
        {
            case Terminal.Stop:
            case Terminal.QuestionOrExclamation:
                switch (next.Kind)
                {
                    case TokenKind.Word:
                    case TokenKind.Number:
                    case TokenKind.Url:
                        if (char.IsLower(c)) return false;
                        if (char.IsUpper(c))
                            return !(terminal == Terminal.QuestionOrExclamation && closerAbsorbed && SpeechVerbFollows(text, tokens, k));
                        return char.IsLetterOrDigit(c) || c is '$' || char.IsSurrogate(c) || next.Kind == TokenKind.Number;
                    case TokenKind.Quote:
                        return IsOpeningQuote(text, tokens, k);
                    case TokenKind.Punct:
                        return c is '(' or '[' or '{' or '\u00BF' or '\u00A1' or '*' or '\u2022' or '#' or '@';
                    case TokenKind.Symbol:
                        return true;
                    default:
                        return false;
                }
            case Terminal.Ellipsis:
                if (closerAbsorbed) goto case Terminal.Stop;
                return IsStarter(text, next) || (IsOpeningQuote(text, tokens, k) && k + 1 < tokens.Length && IsStarter(text, tokens[k + 1]));
            case Terminal.Abbreviation:
            {
                var kind = Abbreviations.Classify(term.AsSpan(text));
                if (kind is AbbreviationKind.Title or AbbreviationKind.NumberPrefix) return false;
                if (closerAbsorbed && next.Kind is TokenKind.Word or TokenKind.Number && char.IsUpper(c)) return true;
                bool starts = IsStarter(text, next) ||
                              (IsOpeningQuote(text, tokens, k) && k + 1 < tokens.Length && IsStarter(text, tokens[k + 1]));
                // In a title-case headline ("U.S. In Talks With Iran") capitalised function words start nothing.
                return starts && !IsTitleCase(text, tokens, first, k);
            }
            default:
                return false;
        }
    }

    /// <summary>A line break is not a sentence end when the line ends with a continuation mark and the next line
    /// starts in lower case.</summary>
    private static bool IsContinuation(string text, in Token last, in Token next)
    {
        if (next.Kind != TokenKind.Word || !char.IsLower(text[next.Start])) return false;
        char c = text[last.End - 1];
        return last.Kind switch
        {
            TokenKind.Punct => c is ',' or ';' or '(' or '[' or '&' or '/',
            TokenKind.Dash => c is '-' or '\u2010' or '\u2011',
            _ => false,
        };
    }

    /// <summary>Line breaks in text[from..to): \n, \r, \r\n, U+0085, U+2028, \v count one; U+2029 and \f count two.</summary>
    internal static int LineBreaks(string text, int from, int to)
    {
        int count = 0;
        for (int p = from; p < to; p++)
        {
            char c = text[p];
            if (c > '\r' && c < '\u0085') continue;
            switch (c)
            {
                case '\n':
                case '\v':
                case '\u0085':
                case '\u2028':
                    count++;
                    break;
                case '\r':
                    if (p + 1 >= to || text[p + 1] != '\n') count++;
                    break;
                case '\f':
                case '\u2029':
                    count += 2;
                    break;
            }
        }
        return count;
    }

    /// <summary>
    /// True when the words of the current sentence (tokens[first..k), at most the last 24) and the next five tokens on
    /// the same line are at least three quarters capitalised: a title-case headline, not running text.
    /// </summary>
    private static bool IsTitleCase(string text, ReadOnlySpan<Token> tokens, int first, int k)
    {
        int words = 0, capitalised = 0;
        int from = Math.Max(first, k - 24);
        int to = Math.Min(tokens.Length, k + 5);
        for (int m = from; m < to; m++)
        {
            if (m > k && LineBreaks(text, tokens[m - 1].End, tokens[m].Start) > 0) break;
            ref readonly Token t = ref tokens[m];
            if (t.Kind != TokenKind.Word) continue;
            char c = text[t.Start];
            if (!char.IsLetter(c)) continue;
            words++;
            if (char.IsUpper(c)) capitalised++;
        }
        return words >= 4 && capitalised * 4 >= words * 3;
    }

    /// <summary>Capitalised name words, then a speech verb: <c>“Why?” Secretary-General Jens Stoltenberg asked</c>.</summary>
    private static bool SpeechVerbFollows(string text, ReadOnlySpan<Token> tokens, int k)
    {
        int names = 0;
        for (int m = k; m < tokens.Length && m < k + 6; m++)
        {
            ref readonly Token t = ref tokens[m];
            if (t.Kind != TokenKind.Word) return false;
            var span = t.AsSpan(text);
            if (char.IsUpper(span[0]))
            {
                names++;
                continue;
            }
            return names > 0 && SpeechVerbs.Contains(span);
        }
        return false;
    }

    private static bool IsStarter(string text, in Token t) =>
        t.Kind == TokenKind.Word && t.Length <= 12 && char.IsUpper(text[t.Start]) && Starters.Contains(t.AsSpan(text));

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Starters = Set(
        "A An The This That These Those It Its He She They We I You His Her Their Our My Your There Here " +
        "But And Or So Yet Nor However Meanwhile Moreover Furthermore Still Also Although Though While When Whether " +
        "If After Before As At In On For From By With Without During Since Until Despite According Under Over To " +
        "Some Many Most Several Few All Both Each Every Other Others Such No Not None Nothing Now Then Today " +
        "Yesterday Tomorrow Earlier Later Last Next Once What Why How Who Where Which Indeed Instead Thus Therefore " +
        "Nonetheless Nevertheless Otherwise Finally First Second Unlike Like Among Between Asked Speaking " +
        "Initially Ultimately Currently Recently Additionally Similarly Likewise Separately Notably Importantly " +
        "Previously Eventually Elsewhere Overall Together Perhaps Maybe Even Just Only Rather Again Specifically " +
        "Clearly Obviously Apparently Unfortunately Fortunately Interestingly Accordingly Consequently Hence Besides " +
        "Regardless Already Sometimes Often Never Always Yes Well Oh Please Let Those Him Them Us " +
        "Mr. Mrs. Ms.");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> SpeechVerbs = Set(
        "said says asked asks told tells added adds wrote writes replied replies stated states declared declares " +
        "insisted insists noted notes explained explains warned warns cautioned continued responded shouted " +
        "recalled argued argues claimed claims answered posted tweeted remarked quipped whispered exclaimed " +
        "demanded wondered countered");

    private static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Set(string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
}
