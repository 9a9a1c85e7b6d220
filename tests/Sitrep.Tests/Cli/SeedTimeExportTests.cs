using System.Text.Json;

namespace Sitrep.Tests;

/// <summary>The time stage as the export shows it: every seed dated with reasons; 003's stale title flagged.</summary>
public sealed class SeedTimeExportTests : IClassFixture<SeedSegmentationTests.SeedRun>
{
    private readonly JsonElement _model;
    public SeedTimeExportTests(SeedSegmentationTests.SeedRun run) => _model = run.Model;

    private JsonElement Main(string prefix) => _model.GetProperty("documents").EnumerateArray()
        .Single(d => Path.GetFileName(d.GetProperty("file").GetString()!).StartsWith(prefix))
        .GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("main").GetBoolean());

    [Theory]
    [InlineData("001", "2025-02-24")] // four months before the Hague summit, after Trump took office
    [InlineData("003", "2024-12-15")] // President-elect Trump
    [InlineData("004", "2025-10-01")] // Eastern Sentry exists (launched 2025-09-12)
    public void EachSeedIsDatedWithReasonsAndTheIntervalHoldsAPlausibleDate(string prefix, string plausible)
    {
        var p = Main(prefix).GetProperty("published");
        var day = DateOnly.Parse(plausible);
        Assert.True(DateOnly.Parse(p.GetProperty("from").GetString()!) <= day);
        Assert.True(DateOnly.Parse(p.GetProperty("to").GetString()!) >= day);
        Assert.NotEmpty(p.GetProperty("basis").EnumerateArray());
    }

    [Fact]
    public void TheStaleSecretaryGeneralTitleIsFlagged()
    {
        var doc = _model.GetProperty("documents").EnumerateArray().Single(d => Path.GetFileName(d.GetProperty("file").GetString()!).StartsWith("003"));
        var text = doc.GetProperty("text").GetString()!;
        var flag = Assert.Single(Main("003").GetProperty("flags").EnumerateArray(), f => f.GetProperty("kind").GetString() == "role-not-held");
        Assert.Contains("Stoltenberg", text[flag.GetProperty("start").GetInt32()..flag.GetProperty("end").GetInt32()]);
        Assert.Equal(text[flag.GetProperty("start").GetInt32()..flag.GetProperty("end").GetInt32()], flag.GetProperty("text").GetString());
    }

    [Fact]
    public void RelativeExpressionsAreResolved()
    {
        var times = Main("001").GetProperty("times").EnumerateArray().Select(t => t.GetProperty("value").GetString()).ToList();
        Assert.Contains(Main("001").GetProperty("times").EnumerateArray(), t => t.GetProperty("text").GetString() == "this July" && t.GetProperty("value").GetString() == "2025-07");
        Assert.Contains("2024", times);     // "Last year"
        Assert.Contains("2025-07", times);  // "this July"
        Assert.Contains("2025-01", times);  // "in January"
    }
}
