using System.Text.Json;

namespace Sitrep.Tests.Stories;

/// <summary>
/// Two outlets run the same AP story with small edits: the export links the later copy to the first (duplicate_of,
/// origin), keeps each page's url, site, authors and language, and a claim both carry counts one origin.
/// </summary>
public sealed class CopyLinkTests
{
    private const string Body = """
        <p>BRUSSELS (AP) — NATO allies agreed on Thursday to draw up a new strategy toward Russia after months of talks, diplomats said.</p>
        <p>"Russia remains the most significant and direct threat to allied security," NATO Secretary General Mark Rutte told reporters after the meeting of defence ministers in Brussels.</p>
        <p>The new strategy is expected to be ready before the next summit of alliance leaders, officials said, and will replace parts of the 1997 Founding Act.</p>
        <p>Several allies on the eastern flank pushed for a tougher line, while others warned against closing every channel to Moscow.</p>
        <p>The ministers also discussed air defence for Ukraine and the protection of undersea cables in the Baltic Sea.</p>
        """;

    private static string Page(string site, string url, string author, string published, string body) => $"""
        <!doctype html><html lang="en"><head><title>NATO to draft new Russia strategy | {site}</title>
        <meta property="og:site_name" content="{site}"><link rel="canonical" href="{url}">
        <meta name="author" content="{author}"><meta property="article:published_time" content="{published}"></head>
        <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
        <article><h1>NATO to draft new Russia strategy</h1>{body}</article>
        <footer>© {site}</footer></body></html>
        """;

    [Fact]
    public async Task AWireCopyLinksToTheFirstAndCountsOnce()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("in"));
        File.WriteAllText(dir.File("in/a.html"), Page("Daily Planet", "https://dailyplanet.example/world/nato-russia", "Lois Lane", "2025-03-06T10:00:00Z", Body));
        var edited = Body.Replace("after months of talks", "after months of difficult talks")
                         .Replace("<p>The ministers also discussed air defence for Ukraine and the protection of undersea cables in the Baltic Sea.</p>", "<p>Local reaction was muted.</p>");
        File.WriteAllText(dir.File("in/b.html"), Page("Gotham Gazette", "https://gotham.example/news/nato", "Jimmy Olsen and Perry White", "2025-03-06T14:00:00Z", edited));
        var r = await CliRunner.RunAsync("analyze", dir.File("in"), "--db", dir.File("s.db"), "--out", dir.File("out"), "--quiet");
        Assert.Equal(0, r.ExitCode);
        var model = JsonDocument.Parse(File.ReadAllText(dir.File("out/model.json"))).RootElement;
        var articles = model.GetProperty("documents").EnumerateArray().Select(d => (File: Path.GetFileName(d.GetProperty("file").GetString()!),
            Article: d.GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("main").GetBoolean()))).ToDictionary(x => x.File, x => x.Article);
        var a = articles["a.html"];
        var b = articles["b.html"];
        Assert.Equal("https://dailyplanet.example/world/nato-russia", a.GetProperty("url").GetString());
        Assert.Equal("Gotham Gazette", b.GetProperty("site").GetString());
        Assert.Equal(["Jimmy Olsen", "Perry White"], b.GetProperty("authors").EnumerateArray().Select(x => x.GetString()!).ToArray());
        Assert.Equal("en", a.GetProperty("language").GetString());
        // a was published first: b repeats it, and both have a as origin.
        Assert.Equal(JsonValueKind.Null, a.GetProperty("duplicate_of").ValueKind);
        Assert.Equal(a.GetProperty("id").GetString(), b.GetProperty("duplicate_of").GetString());
        Assert.Equal(a.GetProperty("id").GetString(), b.GetProperty("origin").GetString());
        Assert.Equal("AP", a.GetProperty("wire").GetString());
        // The quote both carry is one origin, not two: single-source, not corroborated.
        var claim = model.GetProperty("stories").EnumerateArray().SelectMany(s => s.GetProperty("claims").EnumerateArray())
            .Single(c => c.GetProperty("text").GetString()!.Contains("most significant and direct threat"));
        Assert.Equal(2, claim.GetProperty("support").GetArrayLength());
        Assert.Equal(1, claim.GetProperty("origins").GetInt32());
        Assert.NotEqual("corroborated", claim.GetProperty("status").GetString());
    }
}
