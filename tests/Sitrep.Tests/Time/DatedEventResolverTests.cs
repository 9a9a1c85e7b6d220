using Sitrep.Ingest;
using Sitrep.Pipeline;

namespace Sitrep.Tests.Time;

/// <summary>
/// A name that several dated events share ("NATO defence ministers meeting" names every ministerial in the KB) is
/// settled by the article's date: constructed articles with known publication dates (metadata) must link it to the
/// meeting of the week they speak of.
/// </summary>
public sealed class DatedEventResolverTests
{
    private static readonly Lazy<DocumentAnalyzer> Analyzer = new(() => PipelineFactory.Create([]));

    private static string? LinkedMeeting(string text, string published)
    {
        var doc = new SourceDocument("t.html", "t", text, "utf-8", DocumentFormat.Html, text.Length,
            new PageMetadata("t", null, null, published, null, "en"));
        var analyzed = Analyzer.Value.Analyze(doc);
        return analyzed.Articles[0].Entities.SingleOrDefault(e => e.Name.StartsWith("NATO defence ministers' meeting"))?.KbId;
    }

    [Theory]
    [InlineData("2024-10-11", "sitrep:nato-defence-ministers-2024-10")]
    [InlineData("2025-02-07", "sitrep:nato-defence-ministers-2025-02")]
    [InlineData("2025-05-30", "sitrep:nato-defence-ministers-2025-06")]
    public void NextWeeksMeetingIsTheOneInTheFollowingWeek(string published, string expected)
    {
        var text = "Allies prepare for Russia talks\n\nNATO defence ministers meeting next week will begin to rethink the alliance's policy on Russia, officials said.\n";
        Assert.Equal(expected, LinkedMeeting(text, published));
    }

    [Fact]
    public void LastMonthsMeetingIsTheOneBefore()
    {
        var text = "Allies review Russia policy\n\nAt the NATO defence ministers meeting last month, allies agreed to draw up a new strategy on Russia, officials said.\n";
        Assert.Equal("sitrep:nato-defence-ministers-2024-10", LinkedMeeting(text, "2024-11-20"));
    }
}
