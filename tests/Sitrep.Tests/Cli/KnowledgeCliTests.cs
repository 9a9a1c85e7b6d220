namespace Sitrep.Tests;

public sealed class KnowledgeCliTests
{
    [Fact]
    public async Task AMalformedUserKbFileGivesFileLineAndReason()
    {
        using var dir = new TempDir();
        var kb = Directory.CreateDirectory(dir.File("kb")).FullName;
        var file = Path.Combine(kb, "mine.yaml");
        File.WriteAllText(file, "entities:\n  - id: sitrep:my-thing\n    type: spaceship\n    name: Thing\n");
        var r = await CliRunner.RunAsync("ingest", TestPaths.Seeds, "--db", dir.File("s.db"), "--kb", kb, "-q");
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.ErrLines);
        Assert.StartsWith($"sitrep: {file}:3: ", line);
        Assert.Contains("spaceship", line);
        Assert.False(File.Exists(dir.File("s.db")) && new FileInfo(dir.File("s.db")).Length > 0 && (await CliRunner.RunAsync("search", "NATO", "--db", dir.File("s.db"))).ExitCode == 0);
    }

    [Fact]
    public async Task AUserKbAddsActors()
    {
        using var dir = new TempDir();
        var kb = Directory.CreateDirectory(dir.File("kb")).FullName;
        File.WriteAllText(Path.Combine(kb, "mine.yaml"), "entities:\n  - id: sitrep:kellogg-plan\n    type: event\n    name: Kellogg Plan\n    aliases: [the Kellogg Plan]\n");
        var seed = Directory.GetFiles(TestPaths.Seeds).Single(f => Path.GetFileName(f).StartsWith("002"));
        var text = File.ReadAllText(seed).Replace("Then there’s the question", "The Kellogg Plan was discussed too. Then there’s the question");
        File.WriteAllText(dir.File("a.txt"), text);
        var r = await CliRunner.RunAsync("analyze", dir.File("a.txt"), "--db", dir.File("s.db"), "--out", dir.File("out"), "--kb", kb, "-q");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("\"kb_id\": \"sitrep:kellogg-plan\"", File.ReadAllText(Path.Combine(dir.File("out"), "model.json")));
    }
}
