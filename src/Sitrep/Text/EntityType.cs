namespace Sitrep;

/// <summary>
/// What kind of thing an entity is: one type for the whole pipeline. The first four are the CoNLL-2003 classes the
/// NER model tags (their numbers are stored in trained models: do not reorder); the rest are the finer kinds the
/// knowledge base gives its entities (spelled in lower case in the KB files). A KB person, organisation or place uses
/// the NER member of that name. In the root namespace so that every stage sees the same type without an import.
/// </summary>
public enum EntityType : byte
{
    // Tagged by NER, in CoNLL order (PER, ORG, LOC, MISC).
    Person = 0,
    Organisation = 1,
    Place = 2,
    Misc = 3,

    // Kinds only the knowledge base assigns.
    Country,
    Body,
    Treaty,
    Operation,
    Summit,
    Event,
    Outlet,
}

/// <summary>The members of <see cref="EntityType"/> each side uses.</summary>
public static class EntityTypeSets
{
    /// <summary>The four types the NER model tags, in CoNLL order (a type's number is its index here).</summary>
    public static readonly IReadOnlyList<EntityType> Ner = [EntityType.Person, EntityType.Organisation, EntityType.Place, EntityType.Misc];

    /// <summary>The kinds a knowledge-base entity may have (every type but <see cref="EntityType.Misc"/>).</summary>
    public static readonly IReadOnlyList<EntityType> Knowledge = [.. Enum.GetValues<EntityType>().Where(t => t != EntityType.Misc)];

    /// <summary>True for the four types NER tags.</summary>
    public static bool IsNer(this EntityType type) => type <= EntityType.Misc;
}
