using System.Collections.Immutable;
using Sitrep.Attribution;
using Sitrep.Text;

namespace Sitrep.Tests.Attribution;

/// <summary>The PolNeAR reader (brat standoff) and the evaluator's metric definitions.</summary>
public sealed class PolNearTests
{
    private const string Text = "Mr. Smith said that the plan failed. Officials believe it works.";

    private static int At(string s, int nth = 0)
    {
        int i = -1;
        for (int k = 0; k <= nth; k++) i = Text.IndexOf(s, i + 1, StringComparison.Ordinal);
        return i;
    }

    private static string Span(string s) => $"{At(s)} {At(s) + s.Length}";

    private static string[] Ann() =>
    [
        $"T1\tSource {Span("Mr. Smith")}\tMr. Smith",
        $"T2\tCue {Span("said")}\tsaid",
        $"T3\tContent {Span("that the plan")};{At("failed")} {At("failed") + 6}\tthat the plan failed",
        $"T4\tAttribution {Span("said")}\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        $"T5\tSource {Span("Officials")}\tOfficials",
        $"T6\tCue {Span("believe")}\tbelieve",
        $"T7\tContent {Span("it works")}\tit",
        "works",
        $"T8\tAttribution {Span("believe")}\tbelieve",
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
        "#1\tAnnotatorNotes T7\ta note",
        $"T9\tCue {Span("plan")}\tplan",
        "T10\tAttribution-no-source 0 1\tM",
        "E3\tAttribution-no-source:T10 Cue:T9",
    ];

    [Fact]
    public void ParsesSpansFragmentsEventsAndSkipsIncompleteOnes()
    {
        var a = PolNear.Parse("x", Text, Ann());
        Assert.Equal(2, a.Attributions.Length); // E3 has no content
        var first = a.Attributions[0];
        Assert.Equal("Mr. Smith", Text[first.Source[0].Start..first.Source[0].End]);
        Assert.Equal(2, first.Content.Length);
        Assert.Equal("failed", Text[first.Content[1].Start..first.Content[1].End]);
        Assert.Equal("it works", Text[a.Attributions[1].Content[0].Start..a.Attributions[1].Content[0].End]);
    }

    [Fact]
    public void BadOffsetsNameTheFileAndLine()
    {
        var e = Assert.Throws<InvalidDataException>(() => PolNear.Parse("x", Text, ["T1\tSource 5 999\tx"], "a.ann"));
        Assert.StartsWith("a.ann:1:", e.Message);
    }

    [Fact]
    public void ReadsTheDevSplitOncePerArticle()
    {
        var dev = PolNear.ReadSplit(Path.Combine(TestPaths.Data, "attribution", "polnear", "dev"));
        Assert.Equal(84, dev.Count);
        Assert.Equal(dev.Count, dev.Select(a => a.Name).Distinct().Count());
        Assert.True(dev.Sum(a => a.Attributions.Length) > 2000);
        Assert.All(dev.SelectMany(a => a.Attributions), g => Assert.False(g.Content.IsEmpty || g.Cue.IsEmpty));
    }

    private static Quote Q(int statement, string content, string? cue, string? source, int nth = 0)
    {
        int s = At(content, nth);
        var mention = source == null ? (TextSpan?)null : new TextSpan(At(source), At(source) + source.Length);
        var speaker = source == null ? Speaker.Nobody : new Speaker(source, mention!.Value.Start, mention.Value.End, null, SpeakerKind.Named, null, mention, false);
        var c = cue == null ? null : new QuoteCue(cue, At(cue), At(cue) + cue.Length);
        return new Quote(content, s, s + content.Length, false, c, speaker, null, statement, false, [], 1);
    }

    [Fact]
    public void OverlapExactAndPairingAreDefinedAsDocumented()
    {
        var gold = PolNear.Parse("x", Text, Ann());
        var tokens = Tokenizer.Tokenize(Text).ToArray();
        // Statement 0: content overlaps (not exact), source overlaps, cue exact. Statement 1: content exact, no source.
        var quotes = ImmutableArray.Create(Q(0, "the plan failed", "said", "Smith"), Q(1, "it works", "believe", null));
        var c = AttributionEvaluator.Score(gold, tokens, quotes);
        Assert.Equal(new Prf(2, 2, 2), c.ContentOverlap);
        Assert.Equal(new Prf(1, 2, 2), c.ContentExact);   // "the plan failed" ≠ "that the plan failed"
        Assert.Equal(new Prf(2, 2, 2), c.CueExact);
        Assert.Equal(new Prf(1, 1, 2), c.SourceOverlap);
        Assert.Equal(new Prf(0, 1, 2), c.SourceExact);     // "Smith" ≠ "Mr. Smith"
        Assert.Equal(new Prf(1, 1, 2), c.Pairing);         // statement 1 has no source: not a pair
        Assert.Equal(new Prf(1, 2, 2), c.Attribution);     // statement 1 lacks the gold source
    }

    [Fact]
    public void OverlapMatchingIsOneToOne()
    {
        var gold = PolNear.Parse("x", Text, Ann());
        var tokens = Tokenizer.Tokenize(Text).ToArray();
        // One prediction spanning both gold contents matches only one of them.
        var quotes = ImmutableArray.Create(Q(0, "that the plan failed. Officials believe it works", "said", "Mr. Smith"));
        var c = AttributionEvaluator.Score(gold, tokens, quotes);
        Assert.Equal(new Prf(1, 1, 2), c.ContentOverlap);
        Assert.Equal(new Prf(1, 1, 2), c.Pairing);
    }

    [Fact]
    public void PunctuationAloneDoesNotMakeAnOverlap()
    {
        var gold = PolNear.Parse("x", Text, Ann());
        var tokens = Tokenizer.Tokenize(Text).ToArray();
        var quotes = ImmutableArray.Create(Q(0, ". Officials", "said", null));
        var c = AttributionEvaluator.Score(gold, tokens, quotes);
        Assert.Equal(0, c.ContentOverlap.Correct);
    }
}
