using Sitrep.Knowledge;

namespace Sitrep.Tests.Knowledge;

/// <summary>The repository's built-in KB and a matcher over it, loaded once for all tests.</summary>
internal static class BuiltInKb
{
    private static readonly Lazy<KnowledgeBase> _kb = new(() => KnowledgeBase.Load(Folder));
    private static readonly Lazy<AliasMatcher> _matcher = new(() => new AliasMatcher(_kb.Value, TestTokens.Tokenize));

    public static string Folder => Path.Combine(TestPaths.RepoRoot, KnowledgeBase.BuiltInFolderName);
    public static KnowledgeBase Kb => _kb.Value;
    public static AliasMatcher Matcher => _matcher.Value;

    // Ids used across the tests.
    public const string Nato = "Q7184", Russia = "Q159", Ukraine = "Q212", Us = "Q30", China = "Q148", Denmark = "Q35",
        Greenland = "Q223", Germany = "Q183", Hungary = "Q28", Slovakia = "Q214", Poland = "Q36", Croatia = "Q224",
        Finland = "Q33", Sweden = "Q34", Eu = "Q458";
    public const string Trump = "Q22686", Putin = "Q7747", Zelensky = "Q3874799", Biden = "Q6279",
        Rutte = "sitrep:mark-rutte", Stoltenberg = "sitrep:jens-stoltenberg";
    public const string NatoSecretaryGeneral = "sitrep:role/nato-secretary-general", UsPresident = "sitrep:role/us-president",
        UsPresidentElect = "sitrep:role/us-president-elect";
}
