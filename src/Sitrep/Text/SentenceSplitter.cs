namespace Sitrep.Text;

/// <summary>Groups tokens into sentences. STUB: replaced by the real implementation.</summary>
public static class SentenceSplitter
{
    /// <summary>Appends the sentences of text[start..end) to <paramref name="into"/>, given that range's tokens.</summary>
    public static void Split(string text, IReadOnlyList<Token> tokens, List<SentenceSpan> into)
    {
        if (tokens.Count == 0) return;
        into.Add(new SentenceSpan(tokens[0].Start, tokens[^1].End, 0, tokens.Count));
    }
}
