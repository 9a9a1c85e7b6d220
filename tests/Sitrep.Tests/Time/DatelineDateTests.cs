using System.Text.Json.Nodes;
using Sitrep.Ingest;
using Sitrep.Pipeline;
using Sitrep.Time;

namespace Sitrep.Tests.Time;

/// <summary>
/// A dateline's date dates the article (that day or the next); with no year it allows that day in every year, and
/// the other constraints pick among them.
/// </summary>
public sealed class DatelineDateTests
{
    private static readonly Lazy<DocumentAnalyzer> Analyzer = new(() => PipelineFactory.Create([]));

    private static JsonNode Published(string text)
    {
        var doc = new SourceDocument("t.txt", "t", text, "utf-8", DocumentFormat.Text, text.Length);
        var a = Analyzer.Value.Analyze(doc).Articles[0];
        return JsonNode.Parse(a.TimeJson!)!["published"]!;
    }

    [Fact]
    public void AFullDatelineDateFixesTheDayOrTheNext()
    {
        var p = Published("Allies weigh Arctic mission\n\nKYIV, 12 March 2025 (AFP) — Ukraine asked its allies for more air defence on Wednesday, officials said.\n\nThe request follows weeks of strikes on the power grid, the ministry said.\n");
        Assert.Equal("2025-03-12", (string?)p["from"]);
        Assert.Equal("2025-03-13", (string?)p["to"]);
        Assert.Contains(p["basis"]!.AsArray(), b => (string?)b!["kind"] == "dateline");
    }

    [Fact]
    public void AYearlessDatelineMeetsTheOtherConstraints()
    {
        // Mark Rutte is Secretary General from 2024-10-01: of every June 3, only those of 2025 and after remain.
        var p = Published("Allies weigh new Russia policy\n\nBRUSSELS, June 3 (Reuters) - NATO Secretary General Mark Rutte said on Tuesday that allies would discuss a new strategy towards Russia.\n\nThe talks follow months of debate among the allies, diplomats said.\n");
        var from = DateOnly.Parse((string)p["from"]!);
        var likeliest = DateOnly.Parse((string)p["likeliest"]!);
        Assert.Equal(new DateOnly(2025, 6, 3), from);
        Assert.True(likeliest.Month == 6 && likeliest.Day is 3 or 4 && likeliest.Year >= 2025, likeliest.ToString());
    }

    [Theory]
    [InlineData("BRUSSELS, June 3 (Reuters) -", 6, 3, null)]
    [InlineData("MOSCOW, Dec. 24, 2024 (AP) —", 12, 24, 2024)]
    [InlineData("LONDON, 5 September 2023 —", 9, 5, 2023)]
    [InlineData("WASHINGTON, Sept. 30 (AP) —", 9, 30, null)]
    [InlineData("PARIS, 1 Mar 2024 —", 3, 1, 2024)]
    [InlineData("OSLO, Jan. 2nd, 2025 (NTB) —", 1, 2, 2025)]
    public void DatelinesAreRead(string dateline, int month, int day, int? year)
    {
        var d = DatelineDate.Read(dateline, 0, dateline.Length);
        Assert.NotNull(d);
        Assert.Equal((month, day, year), (d.Value.Month, d.Value.Day, d.Value.Year));
    }

    [Fact]
    public void EveryMonthNameOfTheTimeLexiconReadsInADateline()
    {
        Assert.Equal(24, TimeLexicon.MonthNames.Count); // twelve names, eleven abbreviations ("may" has none), "sept"
        foreach (var (name, month) in TimeLexicon.MonthNames)
        {
            var written = char.ToUpperInvariant(name[0]) + name[1..];
            foreach (var dateline in new[] { $"KYIV, {written} 9 (AFP) —", $"KYIV, {written}. 9, 2025 —", $"KYIV, 9 {written} 2025 —" })
            {
                var d = DatelineDate.Read(dateline, 0, dateline.Length);
                Assert.True(d != null, dateline);
                Assert.Equal(month, d.Value.Month);
                Assert.Equal(9, d.Value.Day);
            }
        }
    }

    [Fact]
    public void ADatelineWithoutADateGivesNothing() => Assert.Null(DatelineDate.Read("WASHINGTON (Reuters) -", 0, "WASHINGTON (Reuters) -".Length));
}
