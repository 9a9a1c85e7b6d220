using Sitrep.Text;

namespace Sitrep.Tests.Knowledge;

/// <summary>
/// A small stand-in for the project tokenizer, following its rules closely enough for matcher tests:
/// white space separates; leading and trailing punctuation and quotes are split off; possessives split
/// Penn-Treebank style ("Russia’s" → "Russia" + "’s"); abbreviations with inner periods ("U.S.", "D.C.") keep
/// their final period; hyphens and en dashes stay inside words ("NATO-Russia"); an em dash is its own token.
/// </summary>
internal static class TestTokens
{
    private const string Leading = "\"'“‘([{*«";
    private const string Trailing = "\"'”’)]}.,;:!?»…";

    public static List<Token> Tokenize(string text)
    {
        var list = new List<Token>();
        Tokenize(text, 0, text.Length, list);
        return list;
    }

    public static void Tokenize(string text, int start, int end, List<Token> into)
    {
        int i = start;
        while (i < end)
        {
            while (i < end && char.IsWhiteSpace(text[i])) i++;
            int s = i;
            while (i < end && !char.IsWhiteSpace(text[i])) i++;
            if (i > s) Chunk(text, s, i, into);
        }
    }

    private static void Chunk(string text, int s, int e, List<Token> into)
    {
        // Em dashes split the chunk.
        int dash = text.IndexOf('—', s, e - s);
        if (dash >= 0)
        {
            if (dash > s) Chunk(text, s, dash, into);
            into.Add(new Token(dash, dash + 1, TokenKind.Dash));
            if (dash + 1 < e) Chunk(text, dash + 1, e, into);
            return;
        }
        var tail = new List<Token>();
        while (s < e && Leading.Contains(text[s]))
        {
            into.Add(new Token(s, s + 1, Kind(text[s])));
            s++;
        }
        while (e > s && Trailing.Contains(text[e - 1]))
        {
            if (text[e - 1] == '.' && IsAbbreviation(text, s, e)) break;
            if (text[e - 1] is '’' or '\'' && e - 1 > s && text[e - 2] == 's' && e - 1 - s > 1)
            {
                tail.Insert(0, new Token(e - 1, e, TokenKind.Punct)); // plural possessive: Allies’
                e--;
                break;
            }
            tail.Insert(0, new Token(e - 1, e, Kind(text[e - 1])));
            e--;
        }
        if (e - s > 2 && text[e - 1] is 's' or 'S' && text[e - 2] is '’' or '\'')
        {
            tail.Insert(0, new Token(e - 2, e, TokenKind.Punct));
            e -= 2;
        }
        if (e > s) into.Add(new Token(s, e, char.IsDigit(text[s]) ? TokenKind.Number : TokenKind.Word));
        into.AddRange(tail);
    }

    private static bool IsAbbreviation(string text, int s, int e)
    {
        // Letter-period pairs: U.S. / D.C. / U.S.S.R.
        var span = text.AsSpan(s, e - s);
        if (span.Length < 4 || span.Length % 2 != 0) return false;
        for (int k = 0; k < span.Length; k += 2)
            if (!char.IsLetter(span[k]) || span[k + 1] != '.') return false;
        return true;
    }

    private static TokenKind Kind(char c) => c switch
    {
        '"' or '\'' or '“' or '”' or '‘' or '’' or '«' or '»' => TokenKind.Quote,
        _ => TokenKind.Punct,
    };

    /// <summary>The text of each token, for assertions.</summary>
    public static string[] Texts(string text, IReadOnlyList<Token> tokens) => [.. tokens.Select(t => text[t.Start..t.End])];
}
