using Sitrep.Stories;

namespace Sitrep.Tests.Stories;

public class CsvReaderTests
{
    [Fact]
    public void ReadsQuotedMultilineFieldsAndDoubledQuotes()
    {
        var text = "a,b,c\r\n1,\"x, \"\"quoted\"\"\r\nsecond line\",\r\n\"\",2,3\n4,5,6";
        var rows = CsvReader.Read(new StringReader(text)).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.Equal(["1", "x, \"quoted\"\r\nsecond line", ""], rows[1]);
        Assert.Equal(["", "2", "3"], rows[2]);
        Assert.Equal(["4", "5", "6"], rows[3]);
    }

    [Theory]
    [InlineData("a,\"b\nc", "unterminated")]
    [InlineData("a,b\"c\n", "quote inside")]
    [InlineData("\"a\"b,c\n", "after the closing quote")]
    public void MalformedInputNamesTheProblem(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => CsvReader.Read(new StringReader(text)).ToArray());
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void LoadsTheRealFnc1Files()
    {
        var data = FncDataset.Load(Path.Combine(TestPaths.Data, "stance", "fnc1"));
        Assert.Equal(1683, data.Bodies.Count);
        Assert.Equal(49972, data.Pairs.Count);
        Assert.Equal(840, data.Pairs.Count(p => p.Stance == StanceLabel.Disagree));
        Assert.Contains('\n', data.Bodies[0].Text); // multi-line bodies survive
        var gold = data.GoldStories();
        Assert.Equal(191, gold.Distinct().Count());
        Assert.All(data.HasRelatedPair(), Assert.True);
    }

    [Fact]
    public void MissingFolderIsOneClearLine()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<FncDataException>(() => FncDataset.Load(dir.Path));
        Assert.Contains("train_bodies.csv: no such file", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}

public class PairwiseScoreTests
{
    [Fact]
    public void KnownPrecisionAndRecall()
    {
        // Gold {a,b,c} {d,e}: 4 pairs. Predicted {a,b} {c,d,e}: 4 pairs, of which ab and de are right.
        var s = PairwiseScore.Compute([0, 0, 0, 1, 1], [7, 7, 9, 9, 9]);
        Assert.Equal(2, s.TruePairs);
        Assert.Equal(0.5, s.Precision, 9);
        Assert.Equal(0.5, s.Recall, 9);
        // Everything in one cluster: recall 1, precision 4/10.
        var one = PairwiseScore.Compute([0, 0, 0, 1, 1], [1, 1, 1, 1, 1]);
        Assert.Equal(1.0, one.Recall, 9);
        Assert.Equal(0.4, one.Precision, 9);
        Assert.Equal(2 * 0.4 / 1.4, one.F1, 9);
        // Singletons: nothing predicted together.
        Assert.Equal(0.0, PairwiseScore.Compute([0, 0, 1], [0, 1, 2]).Recall, 9);
    }
}

public class StoryClustererTests
{
    private const string Quake1 = "A magnitude 7.1 earthquake struck off the coast of Hokkaido on Tuesday, Japan's Meteorological Agency said. "
        + "Tsunami warnings were issued for the Hokkaido coast and residents of Kushiro were told to move to higher ground. No deaths were reported.";
    private const string Quake2 = "Japan's Meteorological Agency said a strong earthquake of magnitude 7.1 hit off Hokkaido on Tuesday. "
        + "Residents of Kushiro and other towns on the Hokkaido coast fled to higher ground after tsunami warnings; no deaths have been reported.";
    private const string Budget = "The European Parliament approved the Union's budget for next year after negotiators agreed on farm subsidies "
        + "and research spending. Ministers in Brussels welcomed the vote on the budget.";

    [Fact]
    public void NearIdenticalArticlesShareAStoryAndAnotherTopicStartsItsOwn()
    {
        var c = new StoryClusterer(new StoryOptions());
        var a = c.Assign(new StoryDocument("1", "Earthquake hits Hokkaido", Quake1, new DateOnly(2026, 11, 3), []));
        var b = c.Assign(new StoryDocument("2", "Strong quake off Hokkaido", Quake2, new DateOnly(2026, 11, 3), []));
        var d = c.Assign(new StoryDocument("3", "Parliament approves EU budget", Budget, new DateOnly(2026, 11, 4), []));
        Assert.True(a.IsNew);
        Assert.False(b.IsNew);
        Assert.Equal(a.StoryId, b.StoryId);
        Assert.True(d.IsNew);
        Assert.NotEqual(a.StoryId, d.StoryId);
        Assert.Equal(["1", "2"], c.Stories[a.StoryId].MemberIds);
    }

    [Fact]
    public void StoriesCloseAfterTheInactivityWindow()
    {
        var c = new StoryClusterer(new StoryOptions { InactivityDays = 3 });
        var a = c.Assign(new StoryDocument("1", "Earthquake hits Hokkaido", Quake1, new DateOnly(2026, 11, 3), []));
        c.Assign(new StoryDocument("x", "Parliament approves EU budget", Budget, new DateOnly(2026, 11, 10), []));
        var b = c.Assign(new StoryDocument("2", "Strong quake off Hokkaido", Quake2, new DateOnly(2026, 11, 10), []));
        Assert.True(c.Stories[a.StoryId].IsClosed);
        Assert.True(b.IsNew);
        // Without dates nothing closes.
        var n = new StoryClusterer(new StoryOptions { InactivityDays = 3 });
        var a2 = n.Assign(new StoryDocument("1", "", Quake1, null, []));
        Assert.Equal(a2.StoryId, n.Assign(new StoryDocument("2", "", Quake2, null, [])).StoryId);
    }
}

public class StoryMergeTests
{
    private const string Quake1 = "A magnitude 7.1 earthquake struck off the coast of Hokkaido on Tuesday, Japan's Meteorological Agency said. "
        + "Tsunami warnings were issued for the Hokkaido coast and residents of Kushiro were told to move to higher ground. No deaths were reported.";
    private const string Quake2 = "Japan's Meteorological Agency said a strong earthquake of magnitude 7.1 hit off Hokkaido on Tuesday. "
        + "Residents of Kushiro and other towns on the Hokkaido coast fled to higher ground after tsunami warnings; no deaths have been reported.";
    private const string Budget = "The European Parliament approved the Union's budget for next year after negotiators agreed on farm subsidies "
        + "and research spending. Ministers in Brussels welcomed the vote on the budget.";

    // A join threshold nothing reaches: every article starts a story, and only merges can bring stories together.
    private static StoryOptions Strict(double? merge) => new() { Threshold = 2.0, MergeThreshold = merge, SizeDiscount = 0, InactivityDays = null };

    [Fact]
    public void SimilarStoriesMergeIntoTheOlderIdAndReportIt()
    {
        var c = new StoryClusterer(Strict(0.2));
        var a = c.Assign(new StoryDocument("1", "", Quake1, null, []));
        var x = c.Assign(new StoryDocument("x", "", Budget, null, []));
        var b = c.Assign(new StoryDocument("2", "", Quake2, null, []));
        Assert.True(a.IsNew);
        Assert.True(x.IsNew);
        Assert.Equal(a.StoryId, b.StoryId); // started story 2, merged into the older story 0 at once
        Assert.False(b.IsNew);
        Assert.Equal([2], b.Merged);
        Assert.Equal(a.StoryId, c.Stories[2].MergedInto);
        Assert.True(c.Stories[2].IsClosed);
        Assert.Equal(a.StoryId, c.Resolve(2));
        Assert.Equal(["1", "2"], c.Stories[a.StoryId].MemberIds);
        Assert.Null(c.Stories[x.StoryId].MergedInto);
        Assert.Equal(["x"], c.Stories[x.StoryId].MemberIds);
    }

    [Fact]
    public void WithoutAMergeThresholdDecisionsAreNeverRevised()
    {
        var c = new StoryClusterer(Strict(null));
        c.Assign(new StoryDocument("1", "", Quake1, null, []));
        var b = c.Assign(new StoryDocument("2", "", Quake2, null, []));
        Assert.True(b.IsNew);
        Assert.Empty(b.Merged);
        Assert.All(c.Stories, s => Assert.Null(s.MergedInto));
        Assert.Equal(2, c.Stories.Count);
    }

    [Fact]
    public void SplitIsTheOneThePythonPeerDerives()
    {
        // Values printed by bench/peers/sklearn/cluster.py split(gold, 7) for the same gold labels.
        var split = ClusteringSplit.Make([0, 0, 1, 2, 2, 2, 3, 4, 4, 5], 7);
        Assert.Equal([0, 1, 5], split.DevStories.Order());
        Assert.Equal([1, 2, 4, 0, 3, 9, 8, 6, 7, 5], split.Order);
        // Stories are ordered by their first document, so relabelling them changes nothing but the labels.
        var relabelled = ClusteringSplit.Make([5, 5, 9, 1, 1, 1, 3, 0, 0, 2], 7);
        Assert.Equal([2, 5, 9], relabelled.DevStories.Order());
        Assert.Equal(split.Order, relabelled.Order);
        Assert.Equal([1, 2, 0, 9], split.DevOrder([0, 0, 1, 2, 2, 2, 3, 4, 4, 5]));
    }

    [Fact]
    public async Task EvalClusteringRejectsBadSettingsInOneLine()
    {
        var data = Path.Combine(TestPaths.Data, "stance", "fnc1");
        var bad = await CliRunner.RunAsync("eval", "clustering", "--data", data, "--variants", "avg=x");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("sitrep: --variants: variant 'avg=x': 'x' is not a number", Assert.Single(bad.ErrLines));
        var missing = await CliRunner.RunAsync("eval", "clustering", "--data", data, "--background-corpus", Path.Combine(data, "no-such-folder"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no-such-folder: no such file or folder", Assert.Single(missing.ErrLines));
    }

    [Fact]
    public void BadVariantIsAFormatError()
    {
        Assert.Throws<FormatException>(() => ClusteringVariant.Parse("avg=x"));
        Assert.Throws<FormatException>(() => ClusteringVariant.Parse("colour=1"));
        var v = Assert.Single(ClusteringVariant.Parse("avg=0.6 member=0.4 merge=0 size=0.02 lead=3"));
        var o = v.Make(new StoryOptions(), 0.3);
        Assert.Equal(0.3, o.ConsolidateThreshold); // the tuned threshold is the consolidation threshold
        Assert.Equal(new StoryOptions().Threshold, o.Threshold);
        Assert.Equal(o.Threshold, o.MergeThreshold);
        Assert.Equal(3.0, o.LeadWeight);
        var streaming = Assert.Single(ClusteringVariant.Parse("merge=0 join=0.5 cons=off")).Make(new StoryOptions(), 0.3);
        Assert.Null(streaming.ConsolidateThreshold); // without consolidation the tuned threshold is the join threshold
        Assert.Equal(0.3, streaming.Threshold);
        Assert.Equal(0.3, streaming.MergeThreshold);
        Assert.Equal(0.5, Assert.Single(ClusteringVariant.Parse("join=0.5")).Make(new StoryOptions(), 0.3).Threshold);
        Assert.Null(Assert.Single(ClusteringVariant.Parse("merge=off")).Make(new StoryOptions(), 0.3).MergeThreshold);
        Assert.Throws<FormatException>(() => ClusteringVariant.Parse("cons=maybe"));
    }
}

public class StanceModelTests
{
    private static readonly Lazy<StanceModel> Model = new(() => StanceModel.Load(Path.Combine(TestPaths.RepoRoot, "models", "stance", "stance.bin")));

    [Fact]
    public void UnrelatedClaimIsUnrelated()
    {
        var data = FncDataset.Load(Path.Combine(TestPaths.Data, "stance", "fnc1"));
        var body = data.Body(0).Text; // a meteorite in Managua
        var (label, p) = Model.Value.Predict("Apple shows a new iPhone with a larger screen and a faster chip", body);
        Assert.Equal(StanceLabel.Unrelated, label);
        Assert.Equal(4, p.Length);
        Assert.Equal(1.0, p.Sum(), 3);
    }

    [Fact]
    public void HeadlinesWithTheirOwnBodiesAreMostlyRelated()
    {
        var data = FncDataset.Load(Path.Combine(TestPaths.Data, "stance", "fnc1"));
        var split = FncSplit.ByBody(data);
        var pairs = data.Pairs.Where(p => p.Stance != StanceLabel.Unrelated && split.ValidationBodies.Contains(p.BodyId)).Take(20).ToArray();
        int related = pairs.Count(p => Model.Value.Predict(p.Headline, data.Body(p.BodyId).Text).Label != StanceLabel.Unrelated);
        Assert.True(related >= 17, $"{related} of 20 related validation pairs predicted related");
    }

    [Fact]
    public void NotAModelIsOneClearError()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "x.bin");
        File.WriteAllText(path, "hello");
        var e = Assert.Throws<InvalidDataException>(() => StanceModel.Load(path));
        Assert.StartsWith(path, e.Message);
    }
}
