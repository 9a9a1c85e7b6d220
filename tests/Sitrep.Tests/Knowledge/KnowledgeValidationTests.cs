using Sitrep.Knowledge;

namespace Sitrep.Tests.Knowledge;

/// <summary>Malformed KB files give <c>file:line: reason</c> errors.</summary>
public class KnowledgeValidationTests
{
    private const string Header = "entities:\n";

    private static KnowledgeBaseException Fail(params (string Name, string Text)[] files)
    {
        using var dir = new TempDir();
        foreach (var (name, text) in files) File.WriteAllText(dir.File(name), text);
        return Assert.Throws<KnowledgeBaseException>(() => KnowledgeBase.Load(dir.Path));
    }

    private static KnowledgeBase Load(params (string Name, string Text)[] files)
    {
        using var dir = new TempDir();
        foreach (var (name, text) in files) File.WriteAllText(dir.File(name), text);
        return KnowledgeBase.Load(dir.Path);
    }

    private static void AssertError(KnowledgeBaseException e, string file, int line, string reasonContains)
    {
        Assert.Contains(e.Errors, x => Path.GetFileName(x.File) == file && x.Line == line && x.Reason.Contains(reasonContains, StringComparison.Ordinal));
    }

    private static void AssertFirst(KnowledgeBaseException e, string file, int line, string reasonContains)
    {
        Assert.Equal(file, Path.GetFileName(e.File));
        Assert.Equal(line, e.Line);
        Assert.Contains(reasonContains, e.Reason, StringComparison.Ordinal);
        Assert.EndsWith($"{file}:{line}: {e.Reason}", e.Message.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public void YamlSyntaxError()
    {
        var e = Fail(("a.yaml", Header + "  - id: Q1\n    name: [unclosed\n    type: country\n"));
        Assert.Equal("a.yaml", Path.GetFileName(e.File));
        Assert.InRange(e.Line, 3, 4);
        Assert.StartsWith("YAML syntax error", e.Reason, StringComparison.Ordinal);

        var bad = Fail(("b.yaml", Header + "  - id: Q1\n   name: x\n"));
        Assert.Equal(3, bad.Line);
        Assert.StartsWith("YAML syntax error", bad.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKeyInOneEntryIsASyntaxError()
    {
        var e = Fail(("a.yaml", Header + "  - id: Q1\n    type: country\n    name: A\n    name: B\n"));
        AssertFirst(e, "a.yaml", 5, "Duplicate key");
    }

    [Fact]
    public void UnknownType()
    {
        var e = Fail(("a.yaml", Header + "  - id: Q1\n    type: contry\n    name: A\n"));
        AssertFirst(e, "a.yaml", 3, "unknown type 'contry'");
    }

    [Fact]
    public void MissingIdNameOrType()
    {
        var e = Fail(("a.yaml", Header +
            "  - type: country\n    name: No Id\n" +    // line 2
            "  - id: Q2\n    type: country\n" +          // line 4
            "  - id: Q3\n    name: C\n"));               // line 6
        AssertError(e, "a.yaml", 2, "entity has no 'id'");
        AssertError(e, "a.yaml", 4, "entity 'Q2' has no 'name'");
        AssertError(e, "a.yaml", 6, "entity 'Q3' has no 'type'");
        Assert.Equal(3, e.Errors.Length);
        AssertFirst(e, "a.yaml", 2, "no 'id'");
    }

    [Fact]
    public void BadIds()
    {
        var e = Fail(("a.yaml", Header + "  - id: Q0123\n    type: country\n    name: A\n  - id: baltic sentry\n    type: operation\n    name: B\n"));
        AssertError(e, "a.yaml", 2, "bad id 'Q0123'");
        AssertError(e, "a.yaml", 5, "bad id 'baltic sentry'");
    }

    [Fact]
    public void DuplicateIdAcrossFiles()
    {
        var e = Fail(
            ("a.yaml", Header + "  - id: Q1\n    type: country\n    name: A\n"),
            ("b.yaml", Header + "  - id: Q5\n    type: country\n    name: E\n  - id: Q1\n    type: country\n    name: A again\n"));
        AssertFirst(e, "b.yaml", 5, "duplicate id 'Q1' (first defined at ");
        Assert.Contains("a.yaml:2", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from: 2024-13-01", 5, "bad date '2024-13-01'")]
    [InlineData("from: 2024-02-30", 5, "bad date '2024-02-30'")]
    [InlineData("from: 1 March 2024", 5, "bad date '1 March 2024'")]
    [InlineData("from: 2024-03-01\n    to: 2024-02-01", 6, "date range ends before it starts")]
    [InlineData("from: 2024-03-01\n    to: 2024-03-01", 6, "date range ends before it starts")]
    [InlineData("from: 2024-03-01\n    last: 2024-02-29", 6, "date range ends before it starts")]
    [InlineData("from: 2024-03-01\n    to: 2024-04-01\n    last: 2024-03-31", 7, "either 'to'")]
    public void BadDates(string dates, int line, string reason)
    {
        var e = Fail(("ops.yaml", Header + "  - id: sitrep:op\n    type: operation\n    name: Op\n    " + dates + "\n"));
        AssertFirst(e, "ops.yaml", line, reason);
    }

    [Fact]
    public void BadDateInARole()
    {
        var e = Fail(("p.yaml", Header +
            "  - id: sitrep:p\n    type: person\n    name: P\n    roles:\n" +
            "      - title: Chair\n        from: 2020-01-01\n        to: 2019-01-01\n"));
        AssertFirst(e, "p.yaml", 8, "date range ends before it starts");
    }

    [Fact]
    public void UnknownReferences()
    {
        var e = Fail(("a.yaml", Header +
            "  - id: Q1\n    type: country\n    name: A\n    part_of: Q999\n" +               // part_of line 5
            "    memberships:\n      - { org: sitrep:nowhere, from: 2000-01-01 }\n" +      // line 7
            "  - id: sitrep:p\n    type: person\n    name: P\n" +
            "    roles:\n      - { role: sitrep:role/missing, from: 2000-01-01 }\n"));       // line 12
        AssertError(e, "a.yaml", 5, "part_of: unknown id 'Q999'");
        AssertError(e, "a.yaml", 7, "org: unknown id 'sitrep:nowhere'");
        AssertError(e, "a.yaml", 12, "unknown role 'sitrep:role/missing'");
    }

    [Fact]
    public void ReferenceToTheWrongKindOfEntity()
    {
        var e = Fail(("a.yaml", Header +
            "  - id: sitrep:p\n    type: person\n    name: P\n" +
            "  - id: Q1\n    type: country\n    name: A\n    memberships:\n      - { org: sitrep:p, from: 2000-01-01 }\n"));
        AssertFirst(e, "a.yaml", 9, "org: 'sitrep:p' is a person");
    }

    [Fact]
    public void UnknownFieldCatchesTypos()
    {
        var e = Fail(("a.yaml", Header + "  - id: Q1\n    type: country\n    name: A\n    aliasses: [B]\n"));
        AssertFirst(e, "a.yaml", 5, "unknown field 'aliasses' in entity");
        var top = Fail(("b.yaml", "entity:\n  - id: Q1\n"));
        AssertFirst(top, "b.yaml", 1, "unknown top-level key 'entity'");
    }

    [Fact]
    public void FieldsOnTheWrongType()
    {
        var e = Fail(("a.yaml", Header +
            "  - id: Q1\n    type: country\n    name: A\n    roles:\n      - { title: King }\n" +
            "  - id: Q2\n    type: country\n    name: B\n    domains: [b.example]\n"));
        AssertError(e, "a.yaml", 5, "field 'roles' is only allowed for people");
        AssertError(e, "a.yaml", 10, "field 'domains' is only allowed for outlets");
    }

    [Fact]
    public void AliasCollidingWithAnotherEntity()
    {
        const string files = Header +
            "  - id: Q1\n    type: country\n    name: Georgia\n" +
            "  - id: sitrep:georgia-us\n    type: place\n    name: State of Georgia\n    aliases:\n      - Georgia\n";
        var e = Fail(("a.yaml", files));
        AssertFirst(e, "a.yaml", 9, "alias 'Georgia' of 'sitrep:georgia-us' is also the name of 'Q1'");

        // Marked as knowingly ambiguous, it loads, and both readings are found.
        var kb = Load(("a.yaml", files.Replace("      - Georgia\n", "      - { text: Georgia, ambiguous: true }\n")));
        Assert.Equal(2, kb.Lookup("Georgia").Length);
    }

    [Fact]
    public void AliasesOfTwoEntitiesMustBothBeMarked()
    {
        var e = Fail(("a.yaml", Header +
            "  - id: sitrep:a\n    type: person\n    name: Ann Smith\n    aliases: [{ text: Smith, ambiguous: true }]\n" +
            "  - id: sitrep:b\n    type: person\n    name: Bob Smith\n    aliases: [Smith]\n"));
        Assert.Single(e.Errors);
        AssertFirst(e, "a.yaml", 9, "alias 'Smith' of 'sitrep:b' is also an alias of 'sitrep:a'");
    }

    [Fact]
    public void SameFormTwiceForOneEntity()
    {
        var e = Fail(("a.yaml", Header + "  - id: Q1\n    type: country\n    name: A\n    aliases: [Aa]\n    metonyms: [Aa]\n"));
        AssertFirst(e, "a.yaml", 6, "'Aa' is listed twice for 'Q1' (as alias at ");
    }

    [Fact]
    public void OverlappingHoldersOfOneRole()
    {
        var e = Fail(
            ("roles.yaml", "roles:\n  - id: sitrep:role/chair\n    title: Chair\n"),
            ("people.yaml", Header +
                "  - id: sitrep:a\n    type: person\n    name: A\n    roles: [{ role: sitrep:role/chair, from: 2000-01-01, to: 2010-01-01 }]\n" +
                "  - id: sitrep:b\n    type: person\n    name: B\n    roles: [{ role: sitrep:role/chair, from: 2009-06-01 }]\n"));
        AssertFirst(e, "people.yaml", 9, "'sitrep:b' holds 'sitrep:role/chair'");

        // A concurrent role may have several holders at once.
        using var dir = new TempDir();
        File.WriteAllText(dir.File("roles.yaml"), "roles:\n  - id: sitrep:role/chair\n    title: Chair\n    concurrent: true\n");
        File.WriteAllText(dir.File("people.yaml"), Header +
            "  - id: sitrep:a\n    type: person\n    name: A\n    roles: [{ role: sitrep:role/chair, from: 2000-01-01, to: 2010-01-01 }]\n" +
            "  - id: sitrep:b\n    type: person\n    name: B\n    roles: [{ role: sitrep:role/chair, from: 2009-06-01 }]\n");
        var kb = KnowledgeBase.Load(dir.Path);
        Assert.Equal(2, kb.WhoHeld("Chair", null, new DateOnly(2009, 7, 1)).Length);
    }

    [Fact]
    public void BadValues()
    {
        var e = Fail(("a.yaml", Header +
            "  - id: Q1\n    type: country\n    name: A\n    aliases:\n      - { text: B, confidence: 1.5 }\n      - { text: C, ambiguous: maybe }\n" +
            "  - id: sitrep:o\n    type: outlet\n    name: O\n    domains: [https://o.example/news]\n"));
        AssertError(e, "a.yaml", 6, "bad confidence '1.5'");
        AssertError(e, "a.yaml", 7, "'ambiguous' must be true or false");
        AssertError(e, "a.yaml", 11, "bad domain 'https://o.example/news'");
    }

    [Fact]
    public void AllErrorsAreReportedInFileAndLineOrder()
    {
        var e = Fail(
            ("b.yaml", Header + "  - id: Q2\n    type: thing\n    name: B\n"),
            ("a.yaml", Header + "  - id: Q1\n    type: country\n    name: A\n    from: yesterday\n    aliasses: []\n"));
        Assert.Equal(3, e.Errors.Length);
        Assert.Equal(["a.yaml:5", "a.yaml:6", "b.yaml:3"], e.Errors.Select(x => $"{Path.GetFileName(x.File)}:{x.Line}"));
        Assert.Equal(3, e.Message.Split('\n').Length);
        Assert.All(e.Message.Split('\n'), line => Assert.Matches(@"^.+\.yaml:\d+: .+$", line));
    }

    [Fact]
    public void UserFolderExtendsTheBuiltInKb()
    {
        using var user = new TempDir();
        File.WriteAllText(user.File("mideast.yaml"), """
            entities:
              - id: Q805
                type: country
                name: Yemen
                demonyms: [Yemeni]
              - extend: Q7184
                aliases: [OTAN]
              - extend: Q805
                metonyms: [Sanaa]
            """);
        var kb = KnowledgeBase.LoadBuiltIn(user.Path);
        Assert.Equal("Yemen", kb.Get("Q805").Name);
        Assert.Contains(kb.Get("Q7184").Aliases, a => a.Text == "OTAN");
        Assert.Contains(kb.Lookup("Sanaa"), h => h.Entity.Id == "Q805" && h.Kind == MatchKind.Metonym);
        Assert.Equal(32, kb.MemberCount("Q7184", new DateOnly(2025, 1, 1)));
    }

    [Fact]
    public void UserFolderCannotRedefineABuiltInId()
    {
        using var user = new TempDir();
        File.WriteAllText(user.File("mine.yaml"), "entities:\n  - id: Q159\n    type: country\n    name: Russia\n");
        var e = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBase.LoadBuiltIn(user.Path));
        AssertFirst(e, "mine.yaml", 2, "duplicate id 'Q159'");

        File.WriteAllText(user.File("mine.yaml"), "entities:\n  - extend: Q9999999\n    aliases: [X]\n");
        e = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBase.LoadBuiltIn(user.Path));
        AssertFirst(e, "mine.yaml", 2, "extend: unknown id 'Q9999999'");

        File.WriteAllText(user.File("mine.yaml"), "entities:\n  - extend: Q159\n    name: Rossiya\n");
        e = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBase.LoadBuiltIn(user.Path));
        AssertFirst(e, "mine.yaml", 3, "field 'name' cannot be given in an 'extend' entry");
    }

    [Fact]
    public void EmptyFilesAndFoldersLoad()
    {
        var kb = Load(("empty.yaml", ""), ("comments.yaml", "# nothing yet\n"), ("lists.yaml", "entities: []\nroles:\n"));
        Assert.Empty(kb.Entities);
        Assert.Throws<DirectoryNotFoundException>(() => KnowledgeBase.Load("/nonexistent/sitrep-kb"));
    }

    [Fact]
    public void ExceptionCarriesFileLineAndReason()
    {
        var ex = new KnowledgeBaseException("x.yaml", 7, "bad thing");
        Assert.Equal("x.yaml:7: bad thing", ex.Message);
        Assert.Equal("x.yaml", ex.File);
        Assert.Equal(7, ex.Line);
        Assert.Equal("bad thing", ex.Reason);
    }
}
