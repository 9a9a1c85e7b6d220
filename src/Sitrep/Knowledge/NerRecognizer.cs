using Sitrep.Text;
using Sitrep.Text.Ner;

namespace Sitrep.Knowledge;

/// <summary>The trained CoNLL perceptron (<see cref="NerModel"/>) as the linker's recogniser.</summary>
public sealed class NerRecognizer(NerModel model) : IEntityRecognizer
{
    public void Recognize(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences, List<RecognizedName> into) =>
        Recognize(text, tokens, sentences, into, CancellationToken.None);

    public void Recognize(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences, List<RecognizedName> into, CancellationToken ct)
    {
        foreach (var span in model.Tag(text, tokens, sentences, ct))
        {
            string type = span.Type switch
            {
                EntityType.Person => "person",
                EntityType.Organisation => "organisation",
                EntityType.Place => "place",
                _ => "misc",
            };
            into.Add(new RecognizedName(span.Start, span.End, type, span.Score));
        }
    }
}
