namespace Sitrep.Text.Ner;

/// <summary>
/// A list of known names: maps a token n-gram to the entity types it is known as. Implemented by the
/// knowledge base; the NER model turns matches into features (B-/I- position of the token in the match × type)
/// when a gazetteer is given both at training and at tagging time.
/// </summary>
public interface INerGazetteer
{
    /// <summary>Longest n-gram (in tokens) worth looking up.</summary>
    int MaxTokens { get; }

    /// <summary>
    /// Types known for the n-gram formed by <paramref name="tokens"/> (contiguous, from one sentence) of
    /// <paramref name="text"/>. Must not allocate per call in a hot path and must be thread-safe.
    /// </summary>
    EntityTypes Lookup(string text, ReadOnlySpan<Token> tokens);
}
