using Sitrep.Store;

namespace Sitrep.Tests;

public sealed class IdempotencyTests
{
    private static async Task<List<string>> Rows(string db)
    {
        await using var store = await SqliteStore.OpenAsync(db, readOnly: true);
        return store.DumpRows().ToList();
    }

    [Fact]
    public async Task AnalyzingTheSeedsTwiceLeavesTheSameRows()
    {
        using var dir = new TempDir();
        var db = dir.File("s.db");
        var first = await CliRunner.RunAsync("analyze", TestPaths.Seeds, "--db", db, "--out", dir.File("out"));
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("5 added, 0 replaced, 0 unchanged", first.Out);
        var rows1 = await Rows(db);
        var model1 = File.ReadAllText(Path.Combine(dir.File("out"), "model.json"));

        var second = await CliRunner.RunAsync("analyze", TestPaths.Seeds, "--db", db, "--out", dir.File("out"));
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("0 added, 0 replaced, 5 unchanged", second.Out);
        Assert.Equal(rows1, await Rows(db));
        Assert.Equal(model1, File.ReadAllText(Path.Combine(dir.File("out"), "model.json")));
        Assert.Contains(rows1, r => r.StartsWith("articles|"));
    }

    [Fact]
    public async Task AChangedFileReplacesItsOldVersionCleanly()
    {
        using var dir = new TempDir();
        var db = dir.File("s.db");
        var article = dir.File("story.txt");
        var seed = Directory.GetFiles(TestPaths.Seeds).Order().First();
        File.Copy(seed, article);
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", article, "--db", db, "-q")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("search", "NATO", "--db", db)).ExitCode); // builds the search index
        var before = await Rows(db);
        Assert.Single(before, x => x.StartsWith("article_search|"));

        File.WriteAllText(article, File.ReadAllText(seed).Replace("NFL\n", "World\n"));
        var r = await CliRunner.RunAsync("ingest", article, "--db", db);
        Assert.Contains("0 added, 1 replaced, 0 unchanged", r.Out);
        Assert.DoesNotContain(await Rows(db), x => x.StartsWith("article_search|")); // the old article left the index with it
        Assert.Equal(0, (await CliRunner.RunAsync("search", "NATO", "--db", db)).ExitCode);
        var after = await Rows(db);
        Assert.Single(after, x => x.StartsWith("documents|"));
        Assert.Single(after, x => x.StartsWith("articles|"));
        Assert.Single(after, x => x.StartsWith("article_search|"));
        var oldId = before.Single(x => x.StartsWith("documents|")).Split('|')[1];
        Assert.DoesNotContain(after, x => x.Contains(oldId));
    }

    [Fact]
    public async Task TheSameContentUnderTwoPathsIsStoredOnce()
    {
        using var dir = new TempDir();
        var seed = Directory.GetFiles(TestPaths.Seeds).Order().First();
        File.Copy(seed, dir.File("a.txt"));
        File.Copy(seed, dir.File("b.txt"));
        var db = dir.File("s.db");
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", dir.File("a.txt"), dir.File("b.txt"), "--db", db, "-q")).ExitCode);
        var rows = await Rows(db);
        Assert.Single(rows, x => x.StartsWith("documents|"));
        Assert.Equal(2, rows.Count(x => x.StartsWith("files|")));
    }

    [Fact]
    public async Task SearchFindsStoredArticles()
    {
        using var dir = new TempDir();
        var db = dir.File("s.db");
        await CliRunner.RunAsync("ingest", TestPaths.Seeds, "--db", db, "-q");
        var r = await CliRunner.RunAsync("search", "\"Baltic Sentry\"", "--db", db);
        Assert.Equal(0, r.ExitCode);
        Assert.Single(r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"\[Baltic\]? ?\[?Sentry\]", r.Out); // the hit is highlighted in the snippet
    }
}
