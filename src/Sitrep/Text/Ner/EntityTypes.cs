namespace Sitrep.Text.Ner;

/// <summary>A set of the NER entity types (<see cref="EntityTypeSets.Ner"/>), e.g. what a gazetteer knows an n-gram to be.</summary>
[Flags]
public enum EntityTypes : byte
{
    None = 0,
    Per = 1 << EntityType.Person,
    Org = 1 << EntityType.Organisation,
    Loc = 1 << EntityType.Place,
    Misc = 1 << EntityType.Misc,
}

/// <summary>
/// A recognised entity: char span [Start, End) into the document text, its token range, its type and a
/// confidence in [0, 1] (mean per-token tag probability under the model's calibrated softmax).
/// </summary>
public readonly record struct EntitySpan(int Start, int End, EntityType Type, float Score, int FirstToken, int TokenCount)
{
    public int Length => End - Start;
}

public static class EntityTypeNames
{
    private static readonly string[] Names = ["PER", "ORG", "LOC", "MISC"];

    /// <summary>CoNLL name of an NER type: PER, ORG, LOC, MISC.</summary>
    public static string ToConll(this EntityType type) =>
        type.IsNer() ? Names[(int)type] : throw new ArgumentOutOfRangeException(nameof(type), type, "not a type the NER model tags");

    /// <summary>Parses PER/ORG/LOC/MISC (case-insensitive).</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out EntityType type)
    {
        for (int i = 0; i < Names.Length; i++)
        {
            if (name.Equals(Names[i], StringComparison.OrdinalIgnoreCase)) { type = (EntityType)i; return true; }
        }
        type = default;
        return false;
    }
}
