using System.Text.Json;

namespace Sitrep.Tests;

/// <summary>Issue 3's acceptance on the seeds, from the export: every listed actor is found and linked to the KB.</summary>
public sealed class SeedEntityTests : IClassFixture<SeedSegmentationTests.SeedRun>
{
    private readonly JsonElement _model;
    public SeedEntityTests(SeedSegmentationTests.SeedRun run) => _model = run.Model;

    private sealed record Found(string Doc, string Text, string KbId, string Name, string Kind);

    private List<Found> Mentions() =>
        (from d in _model.GetProperty("documents").EnumerateArray()
         let text = d.GetProperty("text").GetString()!
         let doc = Path.GetFileName(d.GetProperty("file").GetString()!)[..3]
         from a in d.GetProperty("articles").EnumerateArray()
         from e in a.GetProperty("entities").EnumerateArray()
         where e.GetProperty("kb_id").ValueKind == JsonValueKind.String
         let kinds = e.GetProperty("mention_kinds").EnumerateArray().Select(k => k.GetString()!).ToList()
         from pair in e.GetProperty("mentions").EnumerateArray().Select((m, i) => (m, i))
         select new Found(doc, text[pair.m[0].GetInt32()..pair.m[1].GetInt32()], e.GetProperty("kb_id").GetString()!, e.GetProperty("name").GetString()!, kinds[pair.i])).ToList();

    [Theory]
    [InlineData("NATO", "NATO")]
    [InlineData("Russia", "Russia")]
    [InlineData("Ukraine", "Ukraine")]
    [InlineData("United States", "U.S.")]
    [InlineData("Donald Trump", "Trump")]
    [InlineData("Vladimir Putin", "Putin")]
    [InlineData("Volodymyr Zelenskyy", "Zelensky")]
    [InlineData("Mark Rutte", "Rutte")]
    [InlineData("Jens Stoltenberg", "Stoltenberg")]
    [InlineData("Greenland", "Greenland")]
    [InlineData("Denmark", "Denmark")]
    [InlineData("China", "China")]
    [InlineData("Hungary", "Hungary")]
    [InlineData("Slovakia", "Slovakia")]
    [InlineData("Poland", "Poland")]
    [InlineData("Germany", "German")]
    [InlineData("Croatia", "Croatia")]
    [InlineData("Brussels", "Brussels")]
    [InlineData("The Hague", "The Hague")]
    [InlineData("Crimea", "Crimea")]
    [InlineData("Black Sea", "Black Sea")]
    [InlineData("Arctic", "Arctic")]
    [InlineData("NATO-Russia Council", "NATO-Russia Council")]
    [InlineData("NATO-Russia Founding Act", "Founding Act")]
    [InlineData("Baltic Sentry", "Baltic Sentry")]
    [InlineData("Eastern Sentry", "Eastern Sentry")]
    [InlineData("Euractiv", "Euractiv")]
    [InlineData("Reuters", "Reuters")]
    public void ActorIsFoundAndLinked(string name, string surface)
    {
        var hits = Mentions().Where(m => m.Name == name).ToList();
        Assert.NotEmpty(hits);
        Assert.Contains(hits, h => h.Text.Contains(surface, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Moscow", "Russia")]
    [InlineData("Kremlin", "Russia")]
    [InlineData("Kyiv", "Ukraine")]
    [InlineData("Washington", "United States")]
    public void MetonymsStandForTheGovernment(string surface, string name) =>
        Assert.Contains(Mentions(), m => m.Name == name && m.Text.Contains(surface) && m.Kind == "metonym");

    [Fact]
    public void WashingtonAsAPlaceStaysAPlace()
    {
        // 002: "During the July NATO summit in Washington" is the city, not the government.
        Assert.Contains(Mentions(), m => m.Doc == "002" && m.Text == "Washington" && m.Name.StartsWith("Washington"));
    }

    [Fact]
    public void TitlesBeforeNamesClaimRoles()
    {
        var roles = (from d in _model.GetProperty("documents").EnumerateArray()
                     let doc = Path.GetFileName(d.GetProperty("file").GetString()!)[..3]
                     from a in d.GetProperty("articles").EnumerateArray()
                     from e in a.GetProperty("entities").EnumerateArray()
                     from r in e.GetProperty("roles").EnumerateArray()
                     select (doc, e.GetProperty("name").GetString(), r.GetProperty("title").GetString())).ToList();
        Assert.Contains(("004", "Mark Rutte", "NATO Secretary General"), roles);
        Assert.Contains(("003", "Jens Stoltenberg", "Secretary-General"), roles);
        Assert.Contains(("003", "Donald Trump", "U.S. President-elect"), roles);
        Assert.Contains(("003", "Vladimir Putin", "Russian President"), roles);
    }
}
