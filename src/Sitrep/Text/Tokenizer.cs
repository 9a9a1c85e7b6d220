using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Sitrep.Text;

/// <summary>
/// Splits text into tokens whose offsets are UTF-16 indices into the original string. The text is never copied
/// or normalised; no strings are allocated per token and no regular expressions are used.
/// </summary>
/// <remarks>
/// <para>Separators (never part of a token) are <see cref="IsSeparator"/> characters: white space, control
/// characters and the invisible U+200B, U+2060, U+FEFF. Every other character belongs to exactly one token.</para>
/// <para>Scheme, close to the Penn Treebank's:</para>
/// <list type="bullet">
/// <item>Words run over letters, digits and combining marks. An inner hyphen (- ‐ ‑) between word characters keeps
/// the word whole ("NATO-Russia", "GLP-1", "U.S.-India"); so do "/" ("and/or", "24/7") and "&amp;" between
/// capitals ("AT&amp;T"). A suspended hyphen is kept on its word before and/or/to/nor ("pre- and post-war").</item>
/// <item>En and em dashes are separate <see cref="TokenKind.Dash"/> tokens ("post", "–", "Cold"), except an en dash
/// between two digit groups, which is part of the number ("2022–2024").</item>
/// <item>Abbreviations keep their period: letter-period sequences ("U.S.", "E.U.", "a.m.", "Ph.D."), a single
/// capital with a period (an initial: "J."), and the curated stems of <see cref="Abbreviations"/> ("Gen.",
/// "Sept.", "Inc."; number prefixes such as "No." only before a digit), also after a hyphen before a capital
/// ("R-Tex.", "D-N.Y."). Any other period is its own token.</item>
/// <item>Apostrophes (' ’, and the often mis-typed ‘ ´ `) inside a word: the clitics ’s ’re ’ve ’ll ’d ’m and
/// n’t are split off as their own Word tokens ("Russia’s" → "Russia" "’s", "don’t" → "do" "n’t",
/// "can’t" → "ca" "n’t"); other inner apostrophes stay in the word ("O’Brien"). A trailing apostrophe after
/// an "s" is a possessive Word ("allies’") unless a single quotation opened earlier on the same line is still
/// open, in which case it closes it; any other apostrophe that is not inside a word is a
/// <see cref="TokenKind.Quote"/> ("‘Kellogg Plan’"). Leading elisions stay whole ("’90s", "’em").</item>
/// <item>Numbers: digits with "," thousands groups, "." decimals, ":" times, "-"/"–" ranges and dates, "/" fractions,
/// an optional leading currency symbol or sign and a trailing "%" ("$6", "1,683", "3.5%", "1996-08-30",
/// "-5%"). Letters glued after the digits stay on the token ("1990s", "6bn"); the token is a Number if at most four
/// letters follow the last digit and none precede it, else a Word ("5-year-old").</item>
/// <item>URLs ("http(s)://…", "www.…"), bare domains whose last label is a known top-level domain
/// ("euractiv.com", "TrumpRx.gov"; two-letter country codes only in lower case) and e-mail addresses are one
/// <see cref="TokenKind.Url"/> token; trailing sentence punctuation is left out.</item>
/// <item>"…" and runs of three or more dots are <see cref="TokenKind.Ellipsis"/>; "--" and longer hyphen runs are
/// dashes; runs of "?"/"!" are one Punct token.</item>
/// </list>
/// </remarks>
public static class Tokenizer
{
    /// <summary>Tokenizes the whole text into a new list.</summary>
    public static List<Token> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<Token>(text.Length / 5 + 4);
        Tokenize(text, 0, text.Length, list);
        return list;
    }

    /// <summary>Appends the tokens of text[start..end) to <paramref name="into"/>, offsets into <paramref name="text"/>.</summary>
    public static void Tokenize(string text, int start, int end, List<Token> into)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(into);
        if ((uint)start > (uint)text.Length) throw new ArgumentOutOfRangeException(nameof(start));
        if (end < start || end > text.Length) throw new ArgumentOutOfRangeException(nameof(end));
        var scanner = new Scanner(text, start, end, into);
        scanner.Run();
    }

    /// <summary>
    /// True for characters that separate tokens and belong to none: white space, control characters, and invisible
    /// format characters: U+200B zero-width space, U+2060–U+2069 word joiner, invisible operators and bidi isolates,
    /// U+200E/U+200F and U+202A–U+202E bidi marks and embeddings, U+180E, U+FEFF byte-order mark. (Zero-width
    /// joiners and soft hyphens are not separators: they stay inside words and emoji.)
    /// </summary>
    public static bool IsSeparator(char c)
    {
        if (c <= ' ') return true;
        if (c < 0x7F) return false;
        return IsSeparatorSlow(c);
    }

    private static bool IsSeparatorSlow(char c) =>
        c <= 0x9F || char.IsWhiteSpace(c) || c is '\u200B' or '\u200E' or '\u200F' or '\uFEFF' or '\u180E' ||
        c is >= '\u202A' and <= '\u202E' || c is >= '\u2060' and <= '\u2069';

    // ---- character tests ------------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsAsciiLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsAsciiDigit(char c) => (uint)(c - '0') <= 9;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsAsciiLetterOrDigit(char c) => IsAsciiLetter(c) || IsAsciiDigit(c);

    internal static bool IsApostrophe(char c) => c is '\'' or '\u2019' or '\u2018' or '\u00B4' or '`';

    internal static bool IsDigit(char c) => c < 0x80 ? IsAsciiDigit(c) : char.IsDigit(c);

    private static bool IsMark(UnicodeCategory cat) =>
        cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    /// <summary>Length (0, 1 or 2) of the word character (letter, digit, mark, ZWJ/ZWNJ, soft hyphen) at <paramref name="i"/>.</summary>
    private static int WordCharWidth(string text, int i, int end)
    {
        char c = text[i];
        if (c < 0x80) return IsAsciiLetterOrDigit(c) ? 1 : 0;
        if (char.IsHighSurrogate(c))
        {
            if (i + 1 < end && char.IsLowSurrogate(text[i + 1]))
            {
                var r = new Rune(c, text[i + 1]);
                return Rune.IsLetterOrDigit(r) || IsMark(Rune.GetUnicodeCategory(r)) ? 2 : 0;
            }
            return 0;
        }
        if (char.IsLetterOrDigit(c)) return 1;
        if (c is '\u200C' or '\u200D' or '\u00AD') return 1;
        return IsMark(CharUnicodeInfo.GetUnicodeCategory(c)) ? 1 : 0;
    }

    // ---- top-level-domain list for bare domains ---------------------------------------------------------------

    private static readonly string[] GenericTlds =
    [
        "com", "org", "net", "gov", "edu", "mil", "int", "info", "biz", "news", "app", "dev", "online", "site",
        "media", "press", "tech", "world", "global", "today", "live", "blog", "pro", "xyz", "eus", "asia",
    ];

    private static readonly string[] CountryTlds =
    [
        "uk", "us", "eu", "ru", "ua", "de", "fr", "it", "es", "pl", "be", "nl", "ch", "at", "se", "no", "fi", "dk",
        "ee", "lv", "lt", "cz", "sk", "hu", "ro", "bg", "gr", "tr", "il", "in", "cn", "jp", "kr", "au", "nz", "ca",
        "br", "mx", "ar", "za", "io", "co", "tv", "me", "ly", "ai", "gl", "is", "ie", "pt", "by", "kz", "ge", "am",
        "az", "md", "rs", "hr", "si", "ba", "al", "mk", "cy", "lu", "mt", "ir", "sa", "ae", "qa", "eg", "ng", "ke",
        "pk", "sg", "hk", "tw", "ph", "id", "my", "th", "vn", "fm", "ly", "su",
    ];

    private static bool IsKnownTld(ReadOnlySpan<char> label)
    {
        if (label.Length == 2)
        {
            foreach (var t in CountryTlds)
                if (label.SequenceEqual(t)) return true;
            return false;
        }
        if (label.Length < 3 || label.Length > 6) return false;
        foreach (var t in GenericTlds)
            if (label.Equals(t, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    // ---- the scanner -----------------------------------------------------------------------------------------

    private ref struct Scanner
    {
        private readonly string _text;
        private readonly int _start;
        private readonly int _end;
        private readonly List<Token> _into;

        /// <summary>A single quotation mark was opened on the current line and not yet closed.</summary>
        private bool _openSingle;

        public Scanner(string text, int start, int end, List<Token> into)
        {
            _text = text;
            _start = start;
            _end = end;
            _into = into;
            _openSingle = false;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly void Emit(int s, int e, TokenKind kind) => _into.Add(new Token(s, e, kind));

        private readonly char At(int i) => i < _end ? _text[i] : '\0';

        public void Run()
        {
            string text = _text;
            int end = _end;
            int i = _start;
            while (i < end)
            {
                char c = text[i];
                if (c < 0x80)
                {
                    if (c <= ' ')
                    {
                        if (c is '\n' or '\r') _openSingle = false;
                        i++;
                    }
                    else if (IsAsciiLetterOrDigit(c))
                    {
                        i = ScanWord(i, i);
                    }
                    else if (c == 0x7F)
                    {
                        i++;
                    }
                    else
                    {
                        i = ScanAsciiOther(i, c);
                    }
                }
                else
                {
                    i = ScanNonAscii(i, c);
                }
            }
        }

        /// <summary>True when the character before <paramref name="i"/> does not glue a sign or dot to what precedes.</summary>
        private readonly bool AtBoundaryBefore(int i)
        {
            if (i == 0) return true;
            char p = _text[i - 1];
            return IsSeparator(p) || p is '(' or '[' or '{' or '"' or '\'' or '\u201C' or '\u2018' or '/';
        }

        private int ScanAsciiOther(int i, char c)
        {
            switch (c)
            {
                case '"':
                    Emit(i, i + 1, TokenKind.Quote);
                    return i + 1;
                case '\'':
                case '`':
                    if (At(i + 1) == c)
                    {
                        // '' and `` stand for double quotation marks in some wire copy.
                        Emit(i, i + 2, TokenKind.Quote);
                        return i + 2;
                    }
                    return ScanLeadingApostrophe(i);
                case '-':
                {
                    char n = At(i + 1);
                    if (n == '-')
                    {
                        int j = i + 2;
                        while (j < _end && _text[j] == '-') j++;
                        Emit(i, j, TokenKind.Dash);
                        return j;
                    }
                    if (IsAsciiDigit(n) && AtBoundaryBefore(i)) return ScanWord(i, i + 1);
                    Emit(i, i + 1, TokenKind.Dash);
                    return i + 1;
                }
                case '+':
                    if (IsAsciiDigit(At(i + 1)) && AtBoundaryBefore(i)) return ScanWord(i, i + 1);
                    Emit(i, i + 1, TokenKind.Symbol);
                    return i + 1;
                case '.':
                {
                    int j = i + 1;
                    while (j < _end && _text[j] == '.') j++;
                    if (j - i >= 3)
                    {
                        Emit(i, j, TokenKind.Ellipsis);
                        return j;
                    }
                    if (j - i == 1 && IsAsciiDigit(At(i + 1)) && AtBoundaryBefore(i)) return ScanWord(i, i + 1);
                    Emit(i, j, TokenKind.Punct);
                    return j;
                }
                case '?':
                case '!':
                {
                    int j = i + 1;
                    while (j < _end && _text[j] is '?' or '!') j++;
                    Emit(i, j, TokenKind.Punct);
                    return j;
                }
                case '$':
                    if (IsAsciiDigit(At(i + 1))) return ScanWord(i, i + 1);
                    Emit(i, i + 1, TokenKind.Symbol);
                    return i + 1;
                case '#':
                case '@':
                    if (i + 1 < _end && IsAsciiLetter(_text[i + 1]) && AtBoundaryBefore(i)) return ScanWord(i, i + 1);
                    Emit(i, i + 1, TokenKind.Punct);
                    return i + 1;
                case '<' or '=' or '>' or '^' or '|' or '~':
                    Emit(i, i + 1, TokenKind.Symbol);
                    return i + 1;
                default:
                    Emit(i, i + 1, TokenKind.Punct);
                    return i + 1;
            }
        }

        private int ScanNonAscii(int i, char c)
        {
            switch (c)
            {
                case '\u2019': // ’
                case '\u2018': // ‘
                case '\u201B': // ‛
                case '\u00B4': // ´
                    return ScanLeadingApostrophe(i);
                case '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u00AB' or '\u00BB' or '\u2039' or '\u203A'
                    or '\u201A' or '\uFF02' or '\u300C' or '\u300D' or '\u300E' or '\u300F':
                    Emit(i, i + 1, TokenKind.Quote);
                    return i + 1;
                case '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2E3A' or '\u2E3B' or '\u2010' or '\u2011':
                {
                    int j = i + 1;
                    while (j < _end && _text[j] == c) j++;
                    Emit(i, j, TokenKind.Dash);
                    return j;
                }
                case '\u2212': // minus sign
                    if (IsAsciiDigit(At(i + 1)) && AtBoundaryBefore(i)) return ScanWord(i, i + 1);
                    Emit(i, i + 1, TokenKind.Symbol);
                    return i + 1;
                case '\u2026': // …
                {
                    int j = i + 1;
                    while (j < _end && _text[j] == '\u2026') j++;
                    Emit(i, j, TokenKind.Ellipsis);
                    return j;
                }
            }

            if (IsSeparatorSlow(c))
            {
                if (c is '\u2028' or '\u2029' or '\u0085') _openSingle = false;
                return i + 1;
            }

            if (WordCharWidth(_text, i, _end) > 0) return ScanWord(i, i);

            if (char.IsSurrogate(c)) return ScanSymbol(i);

            var cat = CharUnicodeInfo.GetUnicodeCategory(c);
            switch (cat)
            {
                case UnicodeCategory.CurrencySymbol:
                    if (IsAsciiDigit(At(i + 1))) return ScanWord(i, i + 1);
                    return ScanSymbol(i);
                case UnicodeCategory.InitialQuotePunctuation:
                case UnicodeCategory.FinalQuotePunctuation:
                    Emit(i, i + 1, TokenKind.Quote);
                    return i + 1;
                case UnicodeCategory.DashPunctuation:
                    Emit(i, i + 1, TokenKind.Dash);
                    return i + 1;
                case UnicodeCategory.OpenPunctuation:
                case UnicodeCategory.ClosePunctuation:
                case UnicodeCategory.ConnectorPunctuation:
                case UnicodeCategory.OtherPunctuation:
                    Emit(i, i + 1, TokenKind.Punct);
                    return i + 1;
                default:
                    return ScanSymbol(i);
            }
        }

        /// <summary>A symbol with what belongs to it: a surrogate pair, a flag's second regional indicator,
        /// variation selectors, keycap, skin tone modifiers and zero-width-joiner sequences.</summary>
        private int ScanSymbol(int i)
        {
            string text = _text;
            int end = _end;
            int j = i + SymbolWidth(i);
            if (j - i == 2 && IsRegionalIndicator(i) && IsRegionalIndicator(j)) j += 2;
            while (j < end)
            {
                char c = text[j];
                if (c is '\uFE0F' or '\uFE0E' or '\u20E3')
                {
                    j++;
                    continue;
                }
                if (c == '\uD83C' && j + 1 < end && text[j + 1] is >= '\uDFFB' and <= '\uDFFF')
                {
                    j += 2;
                    continue;
                }
                if (c == '\u200D' && j + 1 < end && !IsSeparator(text[j + 1]) && WordCharWidth(text, j + 1, end) == 0)
                {
                    j += 1 + SymbolWidth(j + 1);
                    continue;
                }
                break;
            }
            Emit(i, j, TokenKind.Symbol);
            return j;
        }

        private readonly int SymbolWidth(int i) =>
            char.IsHighSurrogate(_text[i]) && i + 1 < _end && char.IsLowSurrogate(_text[i + 1]) ? 2 : 1;

        private readonly bool IsRegionalIndicator(int i) =>
            i + 1 < _end && _text[i] == '\uD83C' && _text[i + 1] is >= '\uDDE6' and <= '\uDDFF';

        /// <summary>An apostrophe-like character where no word is being scanned.</summary>
        private int ScanLeadingApostrophe(int i)
        {
            string text = _text;
            int end = _end;
            int j = i + 1;
            while (j < end && IsLetterAt(j)) j++;
            int rlen = j - i - 1;
            bool wordAfter = j < end && WordCharWidth(text, j, end) > 0;

            // Glued to a previous token that is not a word being scanned (a URL, an abbreviation): clitic.
            if (i > 0 && rlen > 0 && !wordAfter)
            {
                char p = text[i - 1];
                if ((IsAsciiLetterOrDigit(p) || p == '.' || char.IsLetterOrDigit(p)) && IsClitic(i + 1, rlen, p))
                {
                    Emit(i, j, TokenKind.Word);
                    return j;
                }
            }

            // ’90s, '90
            if (i + 2 < end && IsAsciiDigit(text[i + 1]) && IsAsciiDigit(text[i + 2]))
            {
                int k = i + 3;
                if (k < end && text[k] == 's') k++;
                if (k >= end || WordCharWidth(text, k, end) == 0)
                {
                    Emit(i, k, TokenKind.Number);
                    return k;
                }
            }

            // ’em, ’til, ’tis, ’twas, ’n’
            if (rlen > 0 && !wordAfter)
            {
                var r = text.AsSpan(i + 1, rlen);
                if (r.Equals("em", StringComparison.OrdinalIgnoreCase) || r.Equals("til", StringComparison.OrdinalIgnoreCase) ||
                    r.Equals("tis", StringComparison.OrdinalIgnoreCase) || r.Equals("twas", StringComparison.OrdinalIgnoreCase))
                {
                    Emit(i, j, TokenKind.Word);
                    return j;
                }
            }
            if (rlen == 1 && (text[i + 1] | 0x20) == 'n' && j < end && IsApostrophe(text[j]) &&
                (j + 1 >= end || WordCharWidth(text, j + 1, end) == 0))
            {
                Emit(i, j + 1, TokenKind.Word);
                return j + 1;
            }

            // A quotation mark: opening when something follows directly, closing otherwise.
            bool opening = i + 1 < end && !IsSeparator(text[i + 1]) &&
                           (WordCharWidth(text, i + 1, end) > 0 || text[i + 1] is '"' or '\u201C' or '(' or '[' or '$');
            _openSingle = opening;
            Emit(i, i + 1, TokenKind.Quote);
            return i + 1;
        }

        private readonly bool IsLetterAt(int j)
        {
            char c = _text[j];
            return c < 0x80 ? IsAsciiLetter(c) : char.IsLetter(c);
        }

        /// <summary>The letters after an apostrophe form a clitic: s re ve ll d m (any case), or t after n.</summary>
        private readonly bool IsClitic(int s, int len, char before)
        {
            char a = (char)(_text[s] | 0x20);
            switch (len)
            {
                case 1:
                    return a is 's' or 'd' or 'm' || (a == 't' && (before | 0x20) == 'n');
                case 2:
                    char b = (char)(_text[s + 1] | 0x20);
                    return (a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l');
                default:
                    return false;
            }
        }

        /// <summary>
        /// Scans a word or number that begins at <paramref name="tokenStart"/>; its body (after an optional
        /// currency/sign/dot/#/@ prefix) begins at <paramref name="bodyStart"/>. Emits one token, or two when a
        /// clitic is split off, and returns the index after them.
        /// </summary>
        private int ScanWord(int tokenStart, int bodyStart)
        {
            string text = _text;
            int end = _end;

            int i = bodyStart;
            // An abbreviation can open the word ("U.S.") or follow a hyphen before a capital ("R-Tex.", "D-N.Y.").
            bool abbreviationMayFollow = tokenStart == bodyStart;
            while (true)
            {
                // One run of word characters.
                int segStart = i;
                bool allDigits = true, allLetters = true;
                while (i < end)
                {
                    char c = text[i];
                    if (c < 0x80)
                    {
                        if (IsAsciiDigit(c)) allLetters = false;
                        else if (IsAsciiLetter(c)) allDigits = false;
                        else break;
                        i++;
                    }
                    else
                    {
                        int w = WordCharWidth(text, i, end);
                        if (w == 0) break;
                        if (w == 1 && char.IsDigit(c)) allLetters = false;
                        else allDigits = false;
                        i += w;
                    }
                }
                if (i == segStart) allDigits = allLetters = false;

                // What joins this run to the next, if anything.
                if (i >= end) break;
                char d = text[i];

                // A URL, domain or e-mail address starts like a word; only a first run that ends in . @ : - _ can be one.
                if (segStart == bodyStart && tokenStart == bodyStart && d is '.' or '@' or ':' or '-' or '_' &&
                    text[bodyStart] < 0x80)
                {
                    int u = TryUrl(bodyStart);
                    if (u > 0)
                    {
                        Emit(tokenStart, u, TokenKind.Url);
                        return u;
                    }
                }
                bool joined = false;
                switch (d)
                {
                    case '.':
                        if (allDigits && IsDigit(At(i + 1)))
                        {
                            i++;
                            joined = true;
                        }
                        else if (abbreviationMayFollow && allLetters)
                        {
                            int a = TryAbbreviation(segStart, i);
                            if (a > 0)
                            {
                                i = a;
                                int after = AfterAbbreviation(tokenStart, i);
                                if (after < 0) return -after; // clitic emitted
                                if (after > i)
                                {
                                    i = after;
                                    joined = true;
                                }
                            }
                        }
                        break;
                    case ',':
                        if (allDigits && ThreeDigitGroupAt(i + 1))
                        {
                            i++;
                            joined = true;
                        }
                        break;
                    case ':':
                        if (allDigits && IsAsciiDigit(At(i + 1)))
                        {
                            i++;
                            joined = true;
                        }
                        break;
                    case '-' or '\u2010' or '\u2011':
                        if (i + 1 < end && WordCharWidth(text, i + 1, end) > 0)
                        {
                            i++;
                            abbreviationMayFollow = char.IsUpper(text[i]);
                            continue;
                        }
                        if (i > segStart && IsSuspendedHyphen(i))
                        {
                            i++;
                        }
                        break;
                    case '\u2013':
                        if (allDigits && IsDigit(At(i + 1)))
                        {
                            i++;
                            joined = true;
                        }
                        break;
                    case '/':
                        if (i > segStart && i + 1 < end && WordCharWidth(text, i + 1, end) > 0)
                        {
                            i++;
                            joined = true;
                        }
                        break;
                    case '&':
                        if (i > segStart && char.IsUpper(text[i - 1]) && i + 1 < end && char.IsUpper(text[i + 1]))
                        {
                            i++;
                            joined = true;
                        }
                        break;
                    case '%' or '\u2030':
                        if (allDigits) i++;
                        break;
                    case '\'' or '\u2019' or '\u2018' or '\u00B4' or '`':
                    {
                        // i > tokenStart always: a word starts with a word character and every join needs one after it.
                        int r = Apostrophe(tokenStart, bodyStart, i);
                        if (r < 0) return -r;
                        i = r;
                        joined = true;
                        break;
                    }
                }
                if (!joined) break;
                abbreviationMayFollow = false;
            }

            Emit(tokenStart, i, ClassifyWord(bodyStart, i));
            return i;
        }

        /// <summary>Word or Number for text[bodyStart..end).</summary>
        private readonly TokenKind ClassifyWord(int bodyStart, int end)
        {
            string text = _text;
            if (bodyStart >= end || !IsDigit(text[bodyStart])) return TokenKind.Word;
            int letters = 0;
            for (int k = bodyStart; k < end; k++)
            {
                char c = text[k];
                if (IsDigit(c))
                {
                    if (letters > 0) return TokenKind.Word;
                }
                else if (c < 0x80 ? IsAsciiLetter(c) : char.IsLetter(c))
                {
                    letters++;
                }
            }
            return letters <= 4 ? TokenKind.Number : TokenKind.Word;
        }

        private readonly bool ThreeDigitGroupAt(int j) =>
            j + 2 < _end && IsAsciiDigit(_text[j]) && IsAsciiDigit(_text[j + 1]) && IsAsciiDigit(_text[j + 2]) &&
            (j + 3 >= _end || !IsAsciiDigit(_text[j + 3]));

        /// <summary>"pre- and post-war": a hyphen, one space, then and/or/to/nor and a space.</summary>
        private readonly bool IsSuspendedHyphen(int h)
        {
            if (At(h + 1) != ' ') return false;
            int s = h + 2;
            int e = s;
            while (e < _end && IsAsciiLetter(_text[e])) e++;
            if (e >= _end || _text[e] != ' ') return false;
            var w = _text.AsSpan(s, e - s);
            return w is "and" or "or" or "to" or "nor";
        }

        /// <summary>
        /// text[dot] is '.' after a first run of letters text[segStart..dot). Returns the index after the
        /// abbreviation (its final period included) or -1 when the period is not part of the word.
        /// </summary>
        private readonly int TryAbbreviation(int segStart, int dot)
        {
            string text = _text;
            int end = _end;
            if (At(dot + 1) == '.') return -1; // "etc..." is a word and an ellipsis
            int segLen = dot - segStart;

            // Letter-period sequences: U.S., E.U., a.m., e.g., Ph.D.
            if (segLen == 1 || (segLen == 2 && char.IsUpper(text[segStart]) && char.IsLower(text[segStart + 1])))
            {
                int j = dot + 1;
                int segs = 1;
                while (j + 1 < end && IsLetterAt(j) && text[j + 1] == '.' && At(j + 2) != '.')
                {
                    j += 2;
                    segs++;
                }
                if (segs >= 2) return j;
                // "U.S" without its last period.
                if (segLen == 1 && char.IsUpper(text[segStart]) && j < end && char.IsUpper(text[j]) &&
                    (j + 1 >= end || WordCharWidth(text, j + 1, end) == 0) && At(j + 1) != '.')
                    return j + 1;
            }

            // An initial.
            if (segLen == 1 && char.IsUpper(text[segStart])) return dot + 1;

            var kind = Abbreviations.LookupStem(text.AsSpan(segStart, segLen));
            if (kind == AbbreviationKind.None) return -1;
            if (kind == AbbreviationKind.NumberPrefix)
            {
                int j = dot + 1;
                while (j < end && text[j] is ' ' or '\u00A0') j++;
                if (j >= end || !IsAsciiDigit(text[j])) return -1;
            }
            return dot + 1;
        }

        /// <summary>
        /// After an abbreviation ending at <paramref name="i"/>: returns i when the word ends there, a larger index
        /// when a hyphen joins a following word ("U.S.-India"), or minus the end when a clitic was split off.
        /// </summary>
        private int AfterAbbreviation(int tokenStart, int i)
        {
            if (i >= _end) return i;
            char c = _text[i];
            if (c is '-' or '\u2010' or '\u2011' && i + 1 < _end && WordCharWidth(_text, i + 1, _end) > 0) return i + 1;
            if (IsApostrophe(c))
            {
                int j = i + 1;
                while (j < _end && IsLetterAt(j)) j++;
                if (j > i + 1 && (j >= _end || WordCharWidth(_text, j, _end) == 0) && IsClitic(i + 1, j - i - 1, '.'))
                {
                    Emit(tokenStart, i, TokenKind.Word);
                    Emit(i, j, TokenKind.Word);
                    return -j;
                }
            }
            return i;
        }

        /// <summary>
        /// An apostrophe at <paramref name="p"/> right after word characters. Returns the index to continue the word
        /// from (the apostrophe is inside the word, as in O’Brien), or minus the index after the tokens it emitted.
        /// </summary>
        private int Apostrophe(int tokenStart, int bodyStart, int p)
        {
            string text = _text;
            int end = _end;
            int j = p + 1;
            while (j < end && IsLetterAt(j)) j++;
            int rlen = j - p - 1;
            char before = text[p - 1];

            if (rlen == 0)
            {
                // Trailing apostrophe: possessive after s, else a closing quotation mark.
                Emit(tokenStart, p, ClassifyWord(bodyStart, p));
                if (text[p] == '\'' && At(p + 1) == '\'')
                {
                    Emit(p, p + 2, TokenKind.Quote); // '' as a closing double quotation mark
                    return -(p + 2);
                }
                bool glued = p + 1 < end && WordCharWidth(text, p + 1, end) > 0;
                if ((before | 0x20) == 's' && !_openSingle && !glued)
                {
                    Emit(p, p + 1, TokenKind.Word);
                }
                else
                {
                    Emit(p, p + 1, TokenKind.Quote);
                    _openSingle = false;
                }
                return -(p + 1);
            }

            bool wordAfter = j < end && WordCharWidth(text, j, end) > 0;
            if (!wordAfter && IsClitic(p + 1, rlen, before))
            {
                int split = rlen == 1 && (text[p + 1] | 0x20) == 't' ? p - 1 : p; // n't takes its n
                if (split > tokenStart) Emit(tokenStart, split, ClassifyWord(bodyStart, split));
                Emit(split, j, TokenKind.Word);
                return -j;
            }
            return j; // O’Brien: keep scanning the same word
        }

        /// <summary>Length-checked index after a URL, domain or e-mail starting at <paramref name="s"/>, or -1.</summary>
        private readonly int TryUrl(int s)
        {
            string text = _text;
            int end = _end;
            int j = s;
            int dots = 0;
            while (j < end)
            {
                char c = text[j];
                if (IsAsciiLetterOrDigit(c) || c is '-' or '_') j++;
                else if (c == '.')
                {
                    dots++;
                    j++;
                }
                else break;
            }
            if (j < end)
            {
                char c = text[j];
                if (c == ':' && dots == 0 && j + 3 < end && text[j + 1] == '/' && text[j + 2] == '/')
                {
                    var scheme = text.AsSpan(s, j - s);
                    if (scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ||
                        scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ||
                        scheme.Equals("ftp", StringComparison.OrdinalIgnoreCase))
                    {
                        int t = UrlTail(j + 3);
                        return t > j + 3 ? t : -1;
                    }
                    return -1;
                }
                if (c == '@' && j > s && text[j - 1] != '.')
                {
                    int e = DomainEnd(j + 1, requireKnownTld: false);
                    return e;
                }
            }
            if (dots == 0) return -1;
            bool www = j - s > 4 && text.AsSpan(s, 4).Equals("www.", StringComparison.OrdinalIgnoreCase);
            int d = DomainEnd(s, requireKnownTld: !www);
            if (d < 0) return -1;
            if (d < end && text[d] is '/' or ':' && d + 1 < end && !IsSeparator(text[d + 1])) return UrlTail(d);
            return d;
        }

        /// <summary>Index after a domain of two or more labels starting at <paramref name="s"/>, or -1.</summary>
        private readonly int DomainEnd(int s, bool requireKnownTld)
        {
            string text = _text;
            int end = _end;
            int labels = 0;
            int j = s;
            int domainEnd = -1;
            while (true)
            {
                int ls = j;
                while (j < end && (IsAsciiLetterOrDigit(text[j]) || text[j] == '-')) j++;
                if (j == ls || text[ls] == '-' || text[j - 1] == '-') break;
                labels++;
                if (labels >= 2)
                {
                    var tld = text.AsSpan(ls, j - ls);
                    bool ok = requireKnownTld ? IsKnownTld(tld) : tld.Length >= 2 && IsAllAsciiLetters(tld);
                    domainEnd = ok ? j : -1;
                }
                if (j + 1 < end && text[j] == '.' && IsAsciiLetterOrDigit(text[j + 1]))
                {
                    j++;
                    continue;
                }
                break;
            }
            // A label glued to letters beyond ASCII ("euractiv.comé") is not a domain.
            if (domainEnd > 0 && domainEnd < end && WordCharWidth(text, domainEnd, end) > 0) return -1;
            return domainEnd;
        }

        private static bool IsAllAsciiLetters(ReadOnlySpan<char> s)
        {
            foreach (char c in s)
                if (!IsAsciiLetter(c)) return false;
            return true;
        }

        /// <summary>The rest of a URL from <paramref name="j"/>: up to white space or a quotation mark, without
        /// trailing sentence punctuation or an unbalanced closing bracket.</summary>
        private readonly int UrlTail(int j)
        {
            string text = _text;
            int end = _end;
            int k = j;
            while (k < end)
            {
                char c = text[k];
                if (IsSeparator(c) || c is '"' or '<' or '>' or '\u201C' or '\u201D' or '\u2018' or '\u2019' or '\u00AB' or '\u00BB') break;
                k++;
            }
            while (k > j)
            {
                char c = text[k - 1];
                if (c is '.' or ',' or ';' or ':' or '!' or '?' or '\'' or '*') k--;
                else if (c is ')' or ']' or '}')
                {
                    char open = c == ')' ? '(' : c == ']' ? '[' : '{';
                    int balance = 0;
                    for (int m = j; m < k; m++)
                    {
                        if (text[m] == open) balance++;
                        else if (text[m] == c) balance--;
                    }
                    if (balance < 0) k--;
                    else break;
                }
                else break;
            }
            return k;
        }
    }
}
