namespace Sitrep.Text;

/// <summary>What a token is made of. Kept to a byte so token lists stay compact.</summary>
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
}

/// <summary>A sentence as a span [Start, End) of UTF-16 offsets into the document text, with its token range.</summary>
public readonly record struct SentenceSpan(int Start, int End, int FirstToken, int TokenCount);
