namespace Sitrep.Text;

/// <summary>Splits text into tokens with offsets. STUB: replaced by the real implementation.</summary>
public static class Tokenizer
{
    /// <summary>Appends the tokens of text[start..end) to <paramref name="into"/>, offsets into <paramref name="text"/>.</summary>
    public static void Tokenize(string text, int start, int end, List<Token> into)
    {
        int i = start;
        while (i < end)
        {
            while (i < end && char.IsWhiteSpace(text[i])) i++;
            int s = i;
            while (i < end && !char.IsWhiteSpace(text[i])) i++;
            if (i > s) into.Add(new Token(s, i, TokenKind.Word));
        }
    }
}
