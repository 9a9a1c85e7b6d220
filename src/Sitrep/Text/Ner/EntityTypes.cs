namespace Sitrep.Text.Ner;

/// <summary>The four CoNLL-2003 entity types.</summary>
public enum EntityType : byte
{
    Per = 0,
    Org = 1,
    Loc = 2,
    Misc = 3,
}

/// <summary>A set of entity types, e.g. what a gazetteer knows an n-gram to be.</summary>
[Flags]
public enum EntityTypes : byte
{
    None = 0,
    Per = 1 << EntityType.Per,
    Org = 1 << EntityType.Org,
    Loc = 1 << EntityType.Loc,
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

    /// <summary>CoNLL name of a type: PER, ORG, LOC, MISC.</summary>
    public static string ToConll(this EntityType type) => Names[(int)type];

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
