using System.Text.Json.Nodes;
using Sitrep.Ingest;
using Sitrep.Pipeline;
using Sitrep.Store;

namespace Sitrep.Tests.Time;

/// <summary>
/// The typed view of an article's stored time record reads back what the serializer wrote, and a stored article
/// reads it once.
/// </summary>
public sealed class TimeJsonReadTests
{
    private static readonly Lazy<DocumentAnalyzer> Analyzer = new(() => PipelineFactory.Create([]));

    private const string Text =
        "Allies weigh new Russia policy\n\nBRUSSELS, June 3 (Reuters) - NATO Secretary General Mark Rutte said on Tuesday that allies would meet again next week " +
        "and that the summit in The Hague in 2025 had set the course.\n\nThe talks follow months of debate among the allies, diplomats said.\n";

    private static string TimeJsonOf(string text)
    {
        var doc = new SourceDocument("t.txt", "t", text, "utf-8", DocumentFormat.Text, text.Length);
        return Analyzer.Value.Analyze(doc).Articles[0].TimeJson!;
    }

    private static string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd");

    [Fact]
    public void TheViewHoldsWhatTheJsonSays()
    {
        var json = TimeJsonOf(Text);
        var node = JsonNode.Parse(json)!;
        var view = TimeJson.Read(json);

        var p = node["published"]!;
        Assert.Equal((string?)p["from"], Day(view.Published.From));
        Assert.Equal((string?)p["to"], Day(view.Published.To));
        Assert.Equal((string?)p["likeliest"], Day(view.Published.Likeliest));
        Assert.NotNull(view.Published.Likeliest);
        Assert.Equal((string?)p["source"], view.Published.Source);
        Assert.Equal(p["basis"]!.AsArray().Select(b => ((string?)b!["kind"], (string?)b["reason"], (bool)b["satisfied"]!, (int)b["start"]!)),
                     view.Published.Basis.Select(b => (b.Kind, b.Reason, b.Satisfied, b.Start)));
        Assert.Contains(view.Published.Basis, b => b.Kind == "dateline");

        Assert.Equal(node["times"]!.AsArray().Select(t => ((string?)t!["text"], (int)t["start"]!, (int)t["end"]!, (string?)t["type"], (string?)t["value"])),
                     view.Times.Select(t => (t.Text, t.Start, t.End, t.Type, t.Value)));
        Assert.NotEmpty(view.Times);

        Assert.Equal(node["timeline"]!.AsArray().Select(e => ((string?)e!["from"], (string?)e["to"], (string?)e["value"], (int)e["start"]!, (int)e["sentence_start"]!, (int)e["sentence_end"]!, (bool)e["uncertain"]!)),
                     view.Timeline.Select(e => (Day(e.From), Day(e.To), e.Value, e.Start, e.SentenceStart, e.SentenceEnd, e.Uncertain)));
        Assert.NotEmpty(view.Timeline);
        Assert.Equal(node["flags"]!.AsArray().Count, view.Flags.Count);
    }

    [Fact]
    public void MissingPartsReadAsEmptyAndBadDaysAsNull()
    {
        var view = TimeJson.Read("""{"published":{"from":"2025-13-40","to":"2025-06-04","basis":[{"reason":"r"}]},"timeline":[{"from":"x","value":"2025"}]}""");
        Assert.Null(view.Published.From);
        Assert.Equal(new DateOnly(2025, 6, 4), view.Published.To);
        Assert.Equal(("r", false, -1), (view.Published.Basis[0].Reason, view.Published.Basis[0].Satisfied, view.Published.Basis[0].Start));
        Assert.Empty(view.Times);
        Assert.Empty(view.Flags);
        Assert.Null(view.Timeline[0].From);
        Assert.Equal(-1, view.Timeline[0].SentenceStart);
        Assert.Empty(TimeJson.Read("{}").Published.Basis);
    }

    [Fact]
    public void AStoredArticleReadsItsTimeOnceAndAReplacedRecordAgain()
    {
        var json = TimeJsonOf(Text);
        var a = new StoredArticle("a", 0, true, null, null, null, null, null, 0, Text.Length, 0, 0, []) { TimeJson = json };
        var b = a with { };
        Assert.Equal(a, b);
        var view = a.Time;
        Assert.NotNull(view);
        Assert.Same(view, a.Time);
        Assert.Equal(a, b); // reading the view does not change what the article is

        var c = a with { TimeJson = """{"published":{"from":"2020-01-01","to":"2020-01-31"}}""" };
        Assert.Equal(new DateOnly(2020, 1, 1), c.Time!.Published.From);
        Assert.NotEqual(a, c);
        Assert.Null((a with { TimeJson = null }).Time);
    }
}
