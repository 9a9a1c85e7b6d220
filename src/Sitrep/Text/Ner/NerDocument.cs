namespace Sitrep.Text.Ner;

/// <summary>A document prepared for the tagger: text, token and sentence spans, and (if known) gold entities.</summary>
internal sealed class NerDocument
{
    public NerDocument(string text, Token[] tokens, SentenceSpan[] sentences, List<Chunk>? gold)
    {
        Text = text;
        Tokens = tokens;
        Sentences = sentences;
        Gold = gold ?? [];
    }

    public string Text { get; }
    public Token[] Tokens { get; }
    public SentenceSpan[] Sentences { get; }
    public List<Chunk> Gold { get; }
}
