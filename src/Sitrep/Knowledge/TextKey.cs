using System.Text;

namespace Sitrep.Knowledge;

/// <summary>
/// Normalisation shared by the KB lookups and the alias matcher: curly and straight apostrophes are one character,
/// every hyphen and dash variant is '-', and keys are compared case-folded (invariant lower case).
/// </summary>
public static class TextKey
{
    /// <summary>Maps apostrophe variants to '\'' and hyphen/dash variants to '-'; other characters are unchanged.</summary>
    public static char NormaliseChar(char c) => c switch
    {
        '\u2019' or '\u2018' or '\u201B' or '\u02BC' or '\u2032' or '\u00B4' or '`' or '\uFF07' => '\'',
        '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' or '\uFE63' or '\uFF0D' => '-',
        _ => c,
    };

    /// <summary>True for '-' after normalisation (any hyphen or dash).</summary>
    public static bool IsHyphen(char c) => NormaliseChar(c) == '-';

    /// <summary>Normalised, case-folded form of one token's text, written to <paramref name="into"/>; returns its length.</summary>
    public static int FoldToken(ReadOnlySpan<char> token, Span<char> into)
    {
        for (int i = 0; i < token.Length; i++) into[i] = char.ToLowerInvariant(NormaliseChar(token[i]));
        return token.Length;
    }

    /// <summary>Normalised, case-folded form of one token's text.</summary>
    public static string FoldToken(ReadOnlySpan<char> token)
    {
        return string.Create(token.Length, token.ToString(), static (span, s) => FoldToken(s, span));
    }

    /// <summary>Normalised (not folded) text of one token.</summary>
    public static string NormaliseToken(ReadOnlySpan<char> token)
    {
        return string.Create(token.Length, token.ToString(), static (span, s) =>
        {
            for (int i = 0; i < s.Length; i++) span[i] = NormaliseChar(s[i]);
        });
    }

    /// <summary>
    /// Key for whole phrases: normalised, case-folded, runs of white space collapsed to one space, trimmed.
    /// "The  Kremlin" and "the kremlin" have the same key; so do "NATO–Russia" and "NATO-Russia".
    /// </summary>
    public static string FoldPhrase(string text) => Phrase(text, fold: true);

    /// <summary>Like <see cref="FoldPhrase"/> but keeping case: "NATO" and "Nato" differ.</summary>
    public static string NormalisePhrase(string text) => Phrase(text, fold: false);

    private static string Phrase(string text, bool fold)
    {
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (char raw in text)
        {
            if (char.IsWhiteSpace(raw))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space) sb.Append(' ');
            space = false;
            char c = NormaliseChar(raw);
            sb.Append(fold ? char.ToLowerInvariant(c) : c);
        }
        return sb.ToString();
    }
}
