using System.Text.Json;

namespace Sitrep.Tests;

/// <summary>The acceptance on the seeds, read from the export's <c>stories</c> and from `sitrep claims`.</summary>
public sealed class SeedClaimsTests : IClassFixture<SeedSegmentationTests.SeedRun>
{
    private readonly SeedSegmentationTests.SeedRun _run;
    public SeedClaimsTests(SeedSegmentationTests.SeedRun run) => _run = run;

    private IEnumerable<JsonElement> Stories => _run.Model.GetProperty("stories").EnumerateArray();
    private IEnumerable<JsonElement> Claims => Stories.SelectMany(s => s.GetProperty("claims").EnumerateArray());

    private string ArticleOf(string prefix) => _run.Model.GetProperty("documents").EnumerateArray()
        .Single(d => Path.GetFileName(d.GetProperty("file").GetString()!).StartsWith(prefix))
        .GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("main").GetBoolean()).GetProperty("id").GetString()!;

    private string Text(string articleId) => _run.Model.GetProperty("documents").EnumerateArray()
        .Single(d => d.GetProperty("articles").EnumerateArray().Any(a => a.GetProperty("id").GetString() == articleId)).GetProperty("text").GetString()!;

    private string StoryOf(string articleId) => Stories.Single(s => s.GetProperty("articles").EnumerateArray().Any(a => a.GetString() == articleId)).GetProperty("id").GetString()!;

    [Fact]
    public void NatosRussiaStrategyIsOneStoryAndTheArcticThreadLinks000And004()
    {
        // Every article is in exactly one story.
        var all = Stories.SelectMany(s => s.GetProperty("articles").EnumerateArray().Select(a => a.GetString()!)).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(5, all.Count);
        Assert.Equal(StoryOf(ArticleOf("001")), StoryOf(ArticleOf("002")));
        // 000 and 004 (Greenland and Arctic security): one story, or stories joined by a thread on those actors.
        var s000 = StoryOf(ArticleOf("000"));
        var s004 = StoryOf(ArticleOf("004"));
        if (s000 != s004)
        {
            var thread = Assert.Single(_run.Model.GetProperty("threads").EnumerateArray(), t =>
                t.GetProperty("stories").EnumerateArray().Select(x => x.GetString()).ToHashSet().IsSupersetOf([s000, s004]));
            Assert.Contains(thread.GetProperty("actors").EnumerateArray(), a => a.GetProperty("name").GetString() is "Arctic" or "Greenland");
        }
        else Assert.NotEqual(s000, StoryOf(ArticleOf("001")));
        // Each story carries its span and actors.
        foreach (var s in Stories)
        {
            Assert.False(string.IsNullOrEmpty(s.GetProperty("title").GetString()));
            Assert.NotEqual(JsonValueKind.Null, s.GetProperty("span").GetProperty("from").ValueKind);
            Assert.NotEmpty(s.GetProperty("actors").EnumerateArray());
        }
    }

    [Fact]
    public void TheArcticThreadIsNamedByItsSubjectAndLeavesOutTheRussiaStrategyStory()
    {
        // 001/002 (NATO's Russia strategy) never mention the Arctic or Greenland; what they share with 000 is a Brussels
        // dateline and passing history (Cold War, Soviet Union), which is no subject of a thread.
        var s000 = StoryOf(ArticleOf("000"));
        var s004 = StoryOf(ArticleOf("004"));
        var s001 = StoryOf(ArticleOf("001"));
        Assert.NotEqual(s000, s001);
        var threads = _run.Model.GetProperty("threads").EnumerateArray().ToList();
        Assert.DoesNotContain(threads, t => t.GetProperty("stories").EnumerateArray().Any(x => x.GetString() == s001)
            && t.GetProperty("stories").EnumerateArray().Any(x => x.GetString() == s000 || x.GetString() == s004));
        if (s000 == s004) return;
        var thread = Assert.Single(threads, t => t.GetProperty("stories").EnumerateArray().Any(x => x.GetString() == s000));
        var title = thread.GetProperty("title").GetString()!;
        Assert.Contains("Arctic", title);
        Assert.Contains("Greenland", title);
        Assert.DoesNotContain("Brussels", title);
        Assert.Contains($"**{title}**", _run.Brief);
    }

    [Fact]
    public void RussiaAsTheMostSignificantThreatIsCorroboratedByTwoIndependentOutlets()
    {
        var claim = Assert.Single(Claims, c => c.GetProperty("text").GetString()!.Contains("most significant and direct threat"));
        Assert.Equal("corroborated", claim.GetProperty("status").GetString());
        var support = claim.GetProperty("support").EnumerateArray().ToList();
        Assert.Contains(support, m => m.GetProperty("article").GetString() == ArticleOf("001"));
        Assert.Contains(support, m => m.GetProperty("article").GetString() == ArticleOf("002"));
        Assert.True(claim.GetProperty("origins").GetInt32() >= 2);
        // Every support points at its characters.
        foreach (var m in support)
        {
            var text = Text(m.GetProperty("article").GetString()!);
            Assert.Contains("significant and direct threat", text[m.GetProperty("start").GetInt32()..m.GetProperty("end").GetInt32()]);
        }
    }

    [Fact]
    public void TheInvitationClaimRestsOnAnonymousSourcesWithTheOnHoldReportAgainstIt()
    {
        var a000 = ArticleOf("000");
        var claim = Assert.Single(Claims, c => c.GetProperty("support").EnumerateArray().Any(m => m.GetProperty("headline").GetBoolean() && m.GetProperty("article").GetString() == a000));
        Assert.Contains("Invitation Proposal", claim.GetProperty("text").GetString());
        Assert.Equal("anonymous_only", claim.GetProperty("status").GetString());
        Assert.All(claim.GetProperty("support").EnumerateArray(), m => Assert.Equal(a000, m.GetProperty("article").GetString()));
        Assert.Contains(claim.GetProperty("support").EnumerateArray(), m => m.GetProperty("speaker").GetString() == "several NATO officials");
        var a001 = ArticleOf("001");
        var against = Assert.Single(claim.GetProperty("contradict").EnumerateArray(), x => x.GetProperty("article").GetString() == a001);
        var text = Text(a001);
        Assert.Contains("on hold", text[against.GetProperty("sentence_start").GetInt32()..against.GetProperty("sentence_end").GetInt32()]);
        Assert.False(string.IsNullOrEmpty(against.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task ClaimsCommandFiltersByStatus()
    {
        using var dir = new TempDir();
        var db = dir.File("s.db");
        var r = await CliRunner.RunAsync("analyze", TestPaths.Seeds, "--db", db, "--out", dir.File("out"), "--quiet");
        Assert.Equal(0, r.ExitCode);
        var anon = await CliRunner.RunAsync("claims", "--status", "anonymous_only", "--db", db);
        Assert.Equal(0, anon.ExitCode);
        Assert.Contains("Invitation Proposal", anon.Out);
        Assert.DoesNotContain("corroborated ", anon.Out);
        var corroborated = await CliRunner.RunAsync("claims", "--status", "corroborated", "--db", db);
        Assert.Contains("most significant and direct threat", corroborated.Out);
        var stories = await CliRunner.RunAsync("stories", "--db", db);
        Assert.Equal(0, stories.ExitCode);
        Assert.Contains("5 articles", stories.Out.Split('\n').Last(l => l.Length > 0));
        Assert.Contains(stories.Out.Split("\ns"), b => b.Contains("001_281b14e4b416c32c.txt") && b.Contains("002_b741357f2627d53a.txt"));
        var bad = await CliRunner.RunAsync("claims", "--status", "rumoured", "--db", db);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--status", bad.Err);
    }
}
