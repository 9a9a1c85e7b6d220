using System.Text.Json;

namespace Sitrep.Tests;

public sealed class CorpusEntityTests
{
    [Fact]
    public async Task NamesTheKbDoesNotKnowBecomeCorpusEntitiesMergedByVariants()
    {
        using var dir = new TempDir();
        var text = "Arctic Talks Continue\n" +
                   "NATO allies met in Brussels on Monday to discuss security in the Arctic, officials said.\n" +
                   "Olena Kovalenko, a researcher at the Stockholm International Peace Research Institute, said the talks were overdue.\n" +
                   "Kovalenko added that Denmark would present a plan for Greenland before the summer.\n" +
                   "Mark Rutte did not comment on the plan. Rutte is expected in Copenhagen next week.\n";
        File.WriteAllText(dir.File("a.txt"), text);
        var r = await CliRunner.RunAsync("analyze", dir.File("a.txt"), "--db", dir.File("s.db"), "--out", dir.File("out"), "-q");
        Assert.Equal(0, r.ExitCode);
        var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "model.json"))).RootElement;
        var entities = model.GetProperty("documents")[0].GetProperty("articles")[0].GetProperty("entities").EnumerateArray().ToList();
        var olena = Assert.Single(entities, e => e.GetProperty("name").GetString() == "Olena Kovalenko");
        Assert.Equal("person", olena.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, olena.GetProperty("kb_id").ValueKind);
        Assert.Equal(2, olena.GetProperty("mentions").GetArrayLength()); // "Kovalenko" joins the full name
        var rutte = Assert.Single(entities, e => e.GetProperty("name").GetString() == "Mark Rutte");
        Assert.Equal(2, rutte.GetProperty("mentions").GetArrayLength());
        Assert.Contains(entities, e => e.GetProperty("kb_id").GetString() == "Q223"); // Greenland
    }
}
