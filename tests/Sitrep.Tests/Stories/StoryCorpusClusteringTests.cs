using System.Text.Json;
using Sitrep.Pipeline;
using Sitrep.Stories;

namespace Sitrep.Tests.Stories;

/// <summary>Story clustering on real news of several outlets (ECB+ topics, two events of one kind each) and the
/// story-corpus evaluation's reading of its folder.</summary>
public sealed class StoryCorpusClusteringTests
{
    private static string Ecb => Path.Combine(TestPaths.Data, "stories", "ecbplus");

    /// <summary>The ECB+ articles of the given topics as the clusterer reads a plain-text file (title line, body), in file-name order.</summary>
    private static (StoryDocument[] Docs, int[] Gold) Topics(params string[] topics)
    {
        var docs = new List<StoryDocument>();
        var gold = new List<int>();
        var stories = new Dictionary<string, int>();
        foreach (var line in File.ReadLines(Path.Combine(Ecb, "articles.jsonl")))
        {
            using var j = JsonDocument.Parse(line);
            var o = j.RootElement;
            if (!topics.Contains(o.GetProperty("topic").GetString())) continue;
            var id = o.GetProperty("id").GetString()!;
            var text = File.ReadAllText(Path.Combine(Ecb, "txt", id + ".txt"));
            int cut = text.IndexOf('\n');
            docs.Add(new StoryDocument(id, text[..cut].Trim(), text[(cut + 1)..], null, []));
            var story = o.GetProperty("story").GetString()!;
            gold.Add(stories.TryGetValue(story, out int k) ? k : stories[story] = stories.Count);
        }
        var order = Enumerable.Range(0, docs.Count).OrderBy(i => docs[i].Id, StringComparer.Ordinal).ToArray();
        return (order.Select(i => docs[i]).ToArray(), order.Select(i => gold[i]).ToArray());
    }

    private static PairwiseScore Cluster(StoryDocument[] docs, int[] gold, StoryOptions options)
    {
        var c = new StoryClusterer(options);
        foreach (var d in docs) c.Assign(d);
        c.Consolidate();
        return PairwiseScore.Compute(gold, docs.Select(d => c.StoryOf(d.Id)).ToArray());
    }

    [Fact]
    public void RefinementSplitsTwoEventsOfOneKindThatTheCorpusWideWeightsJoin()
    {
        // Topics 1-12: Tara Reid vs Lindsay Lohan in rehab, Klitschko vs Rahman and vs Thompson, two Indian navy
        // anti-piracy actions... (297 articles, 24 stories).
        var (docs, gold) = Topics("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        var shipped = StoryGrouping.Options with { InactivityDays = null };
        var refined = Cluster(docs, gold, shipped);
        var plain = Cluster(docs, gold, shipped with { RefineThreshold = null });
        Assert.True(refined.Precision > plain.Precision + 0.05, $"precision with refinement {refined.Precision:F4}, without {plain.Precision:F4}");
        Assert.True(refined.F1 > plain.F1, $"F1 with refinement {refined.F1:F4}, without {plain.F1:F4}");
    }

    [Fact]
    public void AtMostMaxOpenStoriesStayOpenAndTheClosedOnesAreKept()
    {
        var (docs, _) = Topics("1", "2", "3");
        var kept = new StoryCorpusEvaluation.MemoryClosedStories();
        var closed = new List<int>();
        var c = new StoryClusterer(new StoryOptions { MaxOpenStories = 2, InactivityDays = null }) { Closed = new Recording(kept, closed) };
        foreach (var d in docs) c.Assign(d);
        Assert.True(c.OpenMembers().Select(m => m.StoryId).Distinct().Count() <= 2);
        Assert.NotEmpty(closed);
        Assert.All(closed, id => Assert.True(c.Stories[id].IsClosed));
    }

    private sealed class Recording(IClosedStories inner, List<int> ids) : IClosedStories
    {
        public void Keep(ClosedStory story) { ids.Add(story.Id); inner.Keep(story); }

        public IEnumerable<ClosedStory> Between(DateOnly from, DateOnly to) => inner.Between(from, to);
    }

    private static ClaimArticle Article(DateOnly? date, DateOnly? from, DateOnly? to) =>
        new("a1", "d1", "a.txt", "Title", 0, "Title\n\nBody text.", null, "document:d1", date, from, to, [], [], []);

    [Fact]
    public void ADateGuessedInsideAWideIntervalIsNoDateForTheClusterer()
    {
        var day = new DateOnly(2016, 12, 19);
        Assert.Null(StoryGrouping.Input(Article(day, new DateOnly(2007, 1, 1), new DateOnly(2026, 12, 7))).Date);
        Assert.Equal(day, StoryGrouping.Input(Article(day, day.AddDays(-3), day.AddDays(2))).Date);
        Assert.Null(StoryGrouping.Input(Article(day, null, day)).Date);
    }

    private static string Corpus(string lines, params string[] texts)
    {
        var dir = Path.Combine(Path.GetTempPath(), "sitrep-corpus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "txt"));
        File.WriteAllText(Path.Combine(dir, "articles.jsonl"), lines);
        foreach (var t in texts) File.WriteAllText(Path.Combine(dir, "txt", t + ".txt"), "Title\n\nBody of " + t + ".");
        return dir;
    }

    [Fact]
    public void ACorpusFolderWithABadLineOrAMissingTextIsAOneLineErrorNamingIt()
    {
        var bad = Corpus("{\"id\": \"a\", \"story\": \"s\"}\nnot json\n", "a");
        var e = Assert.Throws<StoryCorpusException>(() => StoryCorpus.Load(bad));
        Assert.Contains("articles.jsonl:2", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var missing = Corpus("{\"id\": \"a\", \"story\": \"s\"}\n{\"id\": \"b\", \"story\": \"s\"}\n", "a");
        e = Assert.Throws<StoryCorpusException>(() => StoryCorpus.Load(missing));
        Assert.Contains("b.txt", e.Message);
        var repeated = Corpus("{\"id\": \"a\", \"story\": \"s\"}\n{\"id\": \"a\", \"story\": \"t\"}\n", "a");
        Assert.Contains("repeats", Assert.Throws<StoryCorpusException>(() => StoryCorpus.Load(repeated)).Message);
        var ok = Corpus("{\"id\": \"a\", \"story\": \"s\", \"topic\": 1}\n{\"id\": \"b\", \"story\": \"t\"}\n", "a", "b");
        var corpus = StoryCorpus.Load(ok);
        Assert.Equal(["1", "t"], corpus.Articles.Select(a => a.Topic));
        Assert.Equal([0, 1], corpus.GoldStories());
    }

    [Fact]
    public async Task EvalClusteringRunsACorpusThroughThePipelineAndPrintsF1Last()
    {
        // Eight real articles: four on Tara Reid entering rehab, four on Lindsay Lohan leaving it.
        var dir = Path.Combine(Path.GetTempPath(), "sitrep-corpus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "txt"));
        var lines = File.ReadLines(Path.Combine(Ecb, "articles.jsonl")).Where(l => l.Contains("\"topic\": \"1\"", StringComparison.Ordinal))
            .GroupBy(l => l.Contains("\"subtopic\": \"ecbplus\"", StringComparison.Ordinal)).SelectMany(g => g.Take(4)).ToList();
        Assert.Equal(8, lines.Count);
        File.WriteAllLines(Path.Combine(dir, "articles.jsonl"), lines);
        foreach (var l in lines)
        {
            using var j = JsonDocument.Parse(l);
            var id = j.RootElement.GetProperty("id").GetString()!;
            File.Copy(Path.Combine(Ecb, "txt", id + ".txt"), Path.Combine(dir, "txt", id + ".txt"));
        }
        var r = await CliRunner.RunAsync("eval", "clustering", "--data", dir);
        Assert.Equal(0, r.ExitCode);
        var last = r.Out.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("all f1: ", last);
        Assert.Contains("documents: 8", r.Out);
        Assert.Contains("gold stories: 2", r.Out);
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $"sitrep-clustering-{Environment.ProcessId}-*"));
    }
}
