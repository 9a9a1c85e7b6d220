using System.Text.Json;

namespace Sitrep.Tests;

/// <summary>
/// The acceptance on the showcase corpus, asserted from the export (model.json) by offsets:
/// each seed's main article is separated from its labels, bylines, credits, appended teasers and headline lists.
/// </summary>
public sealed class SeedSegmentationTests : IClassFixture<SeedSegmentationTests.SeedRun>
{
    public sealed class SeedRun : IDisposable
    {
        private readonly TempDir _dir = new();
        public JsonElement Model { get; }
        public CliRunner.Result Result { get; }

        public SeedRun()
        {
            Result = CliRunner.RunAsync("analyze", TestPaths.Seeds, "--db", _dir.File("s.db"), "--out", _dir.File("out"), "--quiet").GetAwaiter().GetResult();
            Model = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(_dir.File("out"), "model.json"))).RootElement.Clone();
            Brief = File.ReadAllText(System.IO.Path.Combine(_dir.File("out"), "brief.md"));
            var articles = CliRunner.RunAsync("brief", "--articles", "--db", _dir.File("s.db")).GetAwaiter().GetResult();
            Assert.Equal(0, articles.ExitCode);
            Articles = articles.Out;
        }

        /// <summary>The Markdown brief of the same run.</summary>
        public string Brief { get; }

        /// <summary>`sitrep brief --articles` of the same store: the brief and the per-article detail (timeline, actors, set-aside pieces).</summary>
        public string Articles { get; }

        /// <summary>The store of the run.</summary>
        public string Store => _dir.File("s.db");

        public void Dispose() => _dir.Dispose();
    }

    private readonly SeedRun _run;
    public SeedSegmentationTests(SeedRun run) => _run = run;

    private sealed record P(string Kind, int Start, int End, string Text);

    private (string Text, List<P> Pieces, JsonElement Article) Doc(string prefix)
    {
        var doc = _run.Model.GetProperty("documents").EnumerateArray().Single(d => System.IO.Path.GetFileName(d.GetProperty("file").GetString()!).StartsWith(prefix));
        var text = doc.GetProperty("text").GetString()!;
        // The export's offsets point into the decoded original: the file itself.
        Assert.Equal(File.ReadAllText(doc.GetProperty("file").GetString()!), text);
        var pieces = doc.GetProperty("pieces").EnumerateArray()
            .Select(p => new P(p.GetProperty("kind").GetString()!, p.GetProperty("start").GetInt32(), p.GetProperty("end").GetInt32(), ""))
            .Select(p => p with { Text = text[p.Start..p.End] }).ToList();
        var article = doc.GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("main").GetBoolean());
        return (text, pieces, article);
    }

    private static string Body(string text, JsonElement a) => text[a.GetProperty("text_start").GetInt32()..a.GetProperty("text_end").GetInt32()];

    [Fact]
    public void FiveDocumentsEachWithOneMainArticle()
    {
        Assert.Equal(0, _run.Result.ExitCode);
        var docs = _run.Model.GetProperty("documents").EnumerateArray().ToList();
        Assert.Equal(5, docs.Count);
        foreach (var d in docs)
        {
            var articles = d.GetProperty("articles").EnumerateArray().ToList();
            Assert.Single(articles, a => a.GetProperty("main").GetBoolean());
            Assert.All(articles, a => Assert.True(a.GetProperty("sentences").GetInt32() > 0 && a.GetProperty("tokens").GetInt32() > 300));
        }
    }

    [Fact]
    public void PiecesAreOrderedAndDisjoint()
    {
        foreach (var prefix in new[] { "000", "001", "002", "003", "004" })
        {
            var (text, pieces, _) = Doc(prefix);
            for (int i = 1; i < pieces.Count; i++) Assert.True(pieces[i - 1].End <= pieces[i].Start, $"{prefix}: pieces {i - 1} and {i} overlap");
            // Every non-blank character belongs to some piece.
            var covered = new bool[text.Length];
            foreach (var p in pieces) for (int k = p.Start; k < p.End; k++) covered[k] = true;
            for (int k = 0; k < text.Length; k++) Assert.True(covered[k] || char.IsWhiteSpace(text[k]), $"{prefix}: char {k} '{text[k]}' is in no piece");
        }
    }

    [Fact]
    public void Seed000_LabelTitleAndDatelineAreSeparatedFromTheBody()
    {
        var (text, pieces, article) = Doc("000");
        var label = Assert.Single(pieces, p => p.Kind == "label");
        Assert.Equal("NFL", label.Text);
        var title = Assert.Single(pieces, p => p.Kind == "title");
        Assert.StartsWith("NATO Diplomats Reportedly Drafting Invitation Proposal", title.Text);
        Assert.Equal(title.Text, article.GetProperty("title").GetString());
        Assert.Equal("Brussels, Belgium —", Assert.Single(pieces, p => p.Kind == "dateline").Text);
        var body = Body(text, article);
        Assert.StartsWith("In a surprising diplomatic turn", body);
        Assert.EndsWith("no longer as rigid as it once appeared.", body);
        Assert.DoesNotContain("NFL", body);
        Assert.Equal(4, pieces.Count(p => p.Kind == "subheading"));
        Assert.Contains(pieces, p => p.Kind == "subheading" && p.Text == "Skepticism Inside the Alliance");
    }

    [Fact]
    public void Seed001_BylineAndEuractivCreditAreSeparatedFromTheBody()
    {
        var (text, pieces, article) = Doc("001");
        Assert.Equal("by Aurélie Pugnet", Assert.Single(pieces, p => p.Kind == "byline").Text);
        Assert.Equal("*first published in euractiv.com", Assert.Single(pieces, p => p.Kind == "credit").Text);
        Assert.Equal("Euractiv", article.GetProperty("outlet").GetString());
        Assert.Equal("Aurélie Pugnet", article.GetProperty("byline").GetString());
        var body = Body(text, article);
        Assert.StartsWith("NATO members have long been expected", body);
        Assert.EndsWith("compared to the pre-2022 Ukraine attack.", body);
        Assert.Equal("Mix of stances", Assert.Single(pieces, p => p.Kind == "subheading").Text);
    }

    [Fact]
    public void Seed002_FourAppendedPiecesAndTheirChromeFollowTheBody()
    {
        var (text, pieces, article) = Doc("002");
        var body = Body(text, article);
        Assert.Equal("BRUSSELS —", Assert.Single(pieces, p => p.Kind == "dateline").Text);
        Assert.StartsWith("Defense ministers will discuss", Assert.Single(pieces, p => p.Kind == "dek").Text);
        Assert.StartsWith("NATO defense ministers meeting next week", body);
        Assert.EndsWith("seeing a strategic value in engaging Russia.", body);
        int end = article.GetProperty("text_end").GetInt32();
        var after = pieces.Where(p => p.Start >= end).ToList();
        (string Kind, string Prefix)[] expected =
        [
            ("teaser", "Syria has fallen."),
            ("headline", "Dmitry Trenin: Why Trump needs to call Putin on day one"),
            ("headline", "The ‘Kellogg Plan’ looks totally unacceptable"),
            ("chrome", "○"),
            ("chrome", "6 mins read"),
            ("headline", "Europe shouldn’t be pushed by US influence to confront Russia"),
            ("teaser", "Once the Warsaw Pact closed shop"),
        ];
        Assert.Equal(expected.Select(e => e.Kind), after.Select(p => p.Kind));
        for (int i = 0; i < expected.Length; i++) Assert.StartsWith(expected[i].Prefix, after[i].Text);
        Assert.EndsWith("most European don’t want.", after[^1].Text);
        Assert.DoesNotContain("Syria", body);
        Assert.DoesNotContain("Warsaw", body);
    }

    [Fact]
    public void Seed003_SubheadingsStayInsideOneArticle()
    {
        var (text, pieces, article) = Doc("003");
        var body = Body(text, article);
        Assert.StartsWith("In what could be one of the most consequential", body);
        Assert.EndsWith("the stakes couldn’t be higher.", body);
        Assert.Equal(6, pieces.Count(p => p.Kind == "subheading"));
        Assert.Contains(pieces, p => p.Kind == "subheading" && p.Text == "NATO’s Stand: An Irreversible Path?");
        Assert.All(pieces, p => Assert.Contains(p.Kind, new[] { "article", "subheading" }));
    }

    [Fact]
    public void Seed004_TheListOfSixteenHeadlinesIsSetAside()
    {
        var (text, pieces, article) = Doc("004");
        var body = Body(text, article);
        Assert.EndsWith("in an increasingly contested geopolitical landscape.", body);
        var list = Assert.Single(pieces, p => p.Kind == "headline_list");
        var lines = list.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(16, lines.Length);
        Assert.StartsWith("China Warns US Arms Sales", lines[0]);
        Assert.StartsWith("U.S. to Begin Paying UN Dues", lines[^1]);
        Assert.True(list.Start >= article.GetProperty("text_end").GetInt32());
    }
}
