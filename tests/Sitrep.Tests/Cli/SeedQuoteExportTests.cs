using System.Text.Json;

namespace Sitrep.Tests;

/// <summary>The attribution stage as the export shows it: quotes with speakers, kinds and outlet credits.</summary>
public sealed class SeedQuoteExportTests : IClassFixture<SeedSegmentationTests.SeedRun>
{
    private readonly JsonElement _model;
    public SeedQuoteExportTests(SeedSegmentationTests.SeedRun run) => _model = run.Model;

    private List<(string Speaker, string Kind, string Text, string? Outlet)> Quotes(string prefix) =>
        _model.GetProperty("documents").EnumerateArray()
            .Single(d => Path.GetFileName(d.GetProperty("file").GetString()!).StartsWith(prefix))
            .GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("main").GetBoolean())
            .GetProperty("quotes").EnumerateArray()
            .Select(q => (q.GetProperty("speaker").GetProperty("text").GetString() ?? "", q.GetProperty("speaker").GetProperty("kind").GetString()!,
                          q.GetProperty("text").GetString()!, q.GetProperty("outlet_credit").GetString())).ToList();

    [Fact]
    public void AnonymousQuotesIn000AreDescribed()
    {
        var q = Quotes("000");
        Assert.Contains(q, x => x.Speaker == "one diplomat" && x.Kind == "described" && x.Text.Contains("constantly adapt"));
        Assert.Contains(q, x => x.Speaker == "a former NATO policy adviser" && x.Kind == "described");
        Assert.Contains(q, x => x.Speaker == "one Baltic official" && x.Kind == "described" && x.Text.Contains("rewrite history"));
    }

    [Fact]
    public void SourcesIn001AreUnnamedAndCreditedToEuractiv()
    {
        var q = Quotes("001");
        Assert.Contains(q, x => x.Speaker == "a source" && x.Kind == "unnamed" && x.Outlet == "Euractiv");
        Assert.Equal(2, q.Count(x => x.Speaker == "a senior US official" && x.Kind == "described"));
    }

    [Fact]
    public void ReportedSpeechIn004IsFound()
    {
        var q = Quotes("004");
        Assert.Contains(q, x => x.Speaker.Contains("Mark Rutte") && x.Kind == "named");
        Assert.Contains(q, x => x.Speaker == "European diplomats" && x.Kind == "described" && x.Outlet == "Reuters");
    }
}
