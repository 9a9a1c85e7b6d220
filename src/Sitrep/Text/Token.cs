namespace Sitrep.Text;

/// <summary>What a token is made of. Kept to a byte so token lists stay compact.</summary>
/// <remarks>
/// Token scheme (see <see cref="Tokenizer"/> for the full rules):
/// <list type="bullet">
/// <item><see cref="Word"/>: letters/digits/marks, hyphenated compounds ("NATO-Russia"), abbreviations and
/// initials with their period ("U.S.", "Gen.", "J."), and Penn-Treebank-style clitics split off a word
/// ("’s", "n’t", "’re", "’ve", "’ll", "’d", "’m", and a bare possessive "’" after a plural in s).</item>
/// <item><see cref="Number"/>: digits with separators, decimals, ranges, dates, percent, a currency or sign prefix
/// and a short unit suffix ("1,683", "3.5%", "$6", "2022–2024", "1996-08-30", "1990s", "’90s").</item>
/// <item><see cref="Punct"/>: other punctuation, one character each, except runs of "?"/"!" and ".." kept whole.</item>
/// <item><see cref="Quote"/>: “ ” ‘ ’ " ' « » „ ‚ ‹ › ` used as quotation marks, and '' or `` standing for a
/// double quotation mark.</item>
/// <item><see cref="Dash"/>: — – ― ‒ "--" and a free-standing hyphen.</item>
/// <item><see cref="Ellipsis"/>: "…" or three or more dots.</item>
/// <item><see cref="Symbol"/>: currency and math symbols, ○, emoji (with their modifiers), anything else.</item>
/// <item><see cref="Url"/>: URLs, bare domains with a known top-level domain ("euractiv.com"), e-mail addresses.</item>
/// </list>
/// </remarks>
public enum TokenKind : byte
{
    Word,
    Number,
    Punct,
    Quote,
    Dash,
    Ellipsis,
    Symbol,
    Url,
}

/// <summary>A token as a span [Start, End) of UTF-16 offsets into the document text.</summary>
public readonly record struct Token(int Start, int End, TokenKind Kind)
{
    public int Length => End - Start;

    /// <summary>The token's characters, without copying.</summary>
    public ReadOnlySpan<char> AsSpan(string text) => text.AsSpan(Start, End - Start);

    /// <summary>The token's characters as a new string (allocates; prefer <see cref="AsSpan"/> in hot paths).</summary>
    public string GetText(string text) => text.Substring(Start, End - Start);
}

/// <summary>A sentence as a span [Start, End) of UTF-16 offsets into the document text, with its token range.</summary>
public readonly record struct SentenceSpan(int Start, int End, int FirstToken, int TokenCount)
{
    public int Length => End - Start;

    /// <summary>Index one past the sentence's last token.</summary>
    public int EndToken => FirstToken + TokenCount;

    /// <summary>The sentence's characters, without copying.</summary>
    public ReadOnlySpan<char> AsSpan(string text) => text.AsSpan(Start, End - Start);

    /// <summary>The sentence's characters as a new string.</summary>
    public string GetText(string text) => text.Substring(Start, End - Start);
}
