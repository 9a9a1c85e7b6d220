using System.Globalization;
using Sitrep.Stories;

namespace Sitrep.Tests.Stories;

public class ConsolidationTests
{
    [Fact]
    public void AverageLinkJoinsGroupsWhoseMeanCrossSimilarityReachesTheThreshold()
    {
        // Items 0-2 are one tight group, 3-4 another; 5 is near 4 alone (mean link to {3,4} is 0.25 < 0.3).
        var s = new float[36];
        void Set(int a, int b, float v) { s[a * 6 + b] = v; s[b * 6 + a] = v; }
        Set(0, 1, 0.9f); Set(0, 2, 0.8f); Set(1, 2, 0.85f);
        Set(3, 4, 0.7f);
        Set(4, 5, 0.45f); Set(3, 5, 0.05f);
        Set(2, 3, 0.35f); // one strong cross pair is not enough: the mean over {0,1,2}×{3,4} is far below
        var groups = StoryClusterer.AverageLink(s, 6, 0.3);
        Assert.Equal(groups[0], groups[1]);
        Assert.Equal(groups[0], groups[2]);
        Assert.Equal(groups[3], groups[4]);
        Assert.NotEqual(groups[0], groups[3]);
        Assert.NotEqual(groups[4], groups[5]);
        // A single link of 0.45 between 4 and 5 joins them at a lower threshold, and then the mean to 3 decides.
        Array.Clear(s);
        Set(3, 4, 0.7f); Set(4, 5, 0.45f); Set(3, 5, 0.05f);
        var low = StoryClusterer.AverageLink(s, 6, 0.2);
        Assert.Equal(low[3], low[4]);
        Assert.Equal(low[3], low[5]); // mean link of 5 to {3,4} is 0.25 >= 0.2
    }

    private static (StoryDocument[] Docs, int[] Gold) FncSample(int count)
    {
        var data = FncDataset.Load(Path.Combine(TestPaths.Data, "stance", "fnc1"));
        var (docs, gold) = ClusteringEvaluation.FromFnc(data);
        return (docs.Take(count).ToArray(), gold.Take(count).ToArray());
    }

    [Fact]
    public void ConsolidationRevisesStreamingDecisionsOnRealBodies()
    {
        var (docs, gold) = FncSample(400);
        var order = ClusteringSplit.Make(gold, 1).Order;
        var withIt = ClusteringEvaluation.Cluster(docs, gold, order, new StoryOptions { InactivityDays = null });
        var without = ClusteringEvaluation.Cluster(docs, gold, order, new StoryOptions { InactivityDays = null, ConsolidateThreshold = null });
        // Regrouping the open stories by average link beats the decisions taken one article at a time.
        Assert.True(withIt.Score.F1 > without.Score.F1 + 0.005, $"consolidated {withIt.Score.F1:0.000}, streaming {without.Score.F1:0.000}");
        Assert.True(withIt.Score.F1 > 0.85, $"consolidated F1 {withIt.Score.F1:0.000}");
    }

    [Fact]
    public void EveryArticleHasItsStoryAfterConsolidationAndStoriesHoldExactlyTheirArticles()
    {
        var (docs, _) = FncSample(300);
        var c = new StoryClusterer(new StoryOptions { InactivityDays = null });
        foreach (var d in docs) c.Assign(d);
        int moved = c.Consolidate();
        Assert.True(moved >= 0);
        var live = c.Stories.Where(s => s.MergedInto is null).ToList();
        var byStory = docs.GroupBy(d => c.StoryOf(d.Id)).ToDictionary(g => g.Key, g => g.Select(d => d.Id).Order(StringComparer.Ordinal).ToList());
        Assert.DoesNotContain(-1, byStory.Keys);
        foreach (var (id, members) in byStory)
        {
            Assert.Null(c.Stories[id].MergedInto);
            Assert.Equal(members, c.Stories[id].MemberIds.Order(StringComparer.Ordinal));
        }
        Assert.All(live.Where(s => s.MemberIds.Count > 0), s => Assert.True(byStory.ContainsKey(s.Id)));
        Assert.Equal(-1, c.StoryOf("no such article"));
        // A second consolidation over the same stories changes nothing.
        Assert.Equal(0, c.Consolidate());
    }

    [Fact]
    public void SmallCorporaKeepTheStreamingDecisions()
    {
        var (docs, _) = FncSample(40);
        var c = new StoryClusterer(new StoryOptions { InactivityDays = null });
        foreach (var d in docs) c.Assign(d);
        Assert.Equal(-1, c.Consolidate()); // 40 texts cannot weigh words: below ConsolidateMinDocuments
    }

    [Fact]
    public async Task HeldOutTestFolderIsClusteredWholeWithTheShippedSettings()
    {
        using var dir = new TempDir();
        var src = Path.Combine(TestPaths.Data, "stance", "fnc1");
        var data = FncDataset.Load(src);
        var keep = data.Bodies.Take(250).Select(b => b.Id).ToHashSet();
        static string Q(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await File.WriteAllLinesAsync(Path.Combine(dir.Path, "test_bodies.csv"),
            new[] { "Body ID,articleBody" }.Concat(data.Bodies.Where(b => keep.Contains(b.Id)).Select(b => b.Id.ToString(CultureInfo.InvariantCulture) + "," + Q(b.Text))));
        await File.WriteAllLinesAsync(Path.Combine(dir.Path, "test_stances.csv"),
            new[] { "Headline,Body ID,Stance" }.Concat(data.Pairs.Where(p => keep.Contains(p.BodyId)).Select(p => Q(p.Headline) + "," + p.BodyId.ToString(CultureInfo.InvariantCulture) + "," + StanceLabels.Name(p.Stance))));
        var test = FncDataset.Load(dir.Path);
        Assert.True(test.IsTest);
        Assert.Equal(250, test.Bodies.Count);

        var r = await CliRunner.RunAsync("eval", "clustering", "--data", dir.Path, "--seeds", "2");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("held-out test files", lines[0]);
        Assert.Contains("documents: 250", lines);
        Assert.StartsWith("all f1: ", lines[^1]);
        double f1 = double.Parse(lines[^1]["all f1: ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.InRange(f1, 0.5, 1.0);

        var train = await CliRunner.RunAsync("train", "stance", "--data", dir.Path, "--out", Path.Combine(dir.Path, "m.bin"));
        Assert.Equal(1, train.ExitCode);
        Assert.Contains("held-out test files", Assert.Single(train.ErrLines));
    }
}
