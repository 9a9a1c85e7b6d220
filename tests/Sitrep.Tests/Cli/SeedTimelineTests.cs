using System.Text.Json;

namespace Sitrep.Tests;

/// <summary>
/// The timeline on the seeds: every dated statement is an entry of the timeline in the brief's per-article detail
/// (`sitrep brief --articles`) and per actor,
/// and a name shared by several dated events ("NATO defense ministers meeting") is settled by the article's dates.
/// </summary>
public sealed class SeedTimelineTests : IClassFixture<SeedSegmentationTests.SeedRun>
{
    private readonly SeedSegmentationTests.SeedRun _run;
    public SeedTimelineTests(SeedSegmentationTests.SeedRun run) => _run = run;

    private (string Text, JsonElement Article) Main(string prefix)
    {
        var doc = _run.Model.GetProperty("documents").EnumerateArray().Single(d => Path.GetFileName(d.GetProperty("file").GetString()!).StartsWith(prefix));
        return (doc.GetProperty("text").GetString()!, doc.GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("main").GetBoolean()));
    }

    private string Section(string heading)
    {
        int at = _run.Articles.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(at >= 0, $"the per-article detail has no '{heading}' section");
        int next = _run.Articles.IndexOf("\n#", at + heading.Length + 2, StringComparison.Ordinal);
        return next < 0 ? _run.Articles[at..] : _run.Articles[at..next];
    }

    [Fact]
    public void TheArticlesTimelineListsEveryTimelineEntryInDateOrder()
    {
        var timeline = Section("## Timeline");
        var rows = timeline.Split('\n').Where(l => l.StartsWith("| ") && !l.StartsWith("| When")).ToList();
        int entries = 0;
        foreach (var prefix in new[] { "000", "001", "002", "003", "004" })
        {
            var (text, a) = Main(prefix);
            foreach (var e in a.GetProperty("timeline").EnumerateArray())
            {
                entries++;
                var expression = text[e.GetProperty("start").GetInt32()..e.GetProperty("end").GetInt32()];
                // The brief quotes text escaped for Markdown (file names' "_" included).
                Assert.Contains(rows, r => r.Contains("**" + Sitrep.Text.Markdown.Escape(expression) + "**") && r.Contains(prefix + "\\_"));
            }
        }
        Assert.True(rows.Count > 10 && rows.Count <= entries, $"{rows.Count} rows for {entries} entries");
        // Earliest first: the first date column never goes back.
        var starts = rows.Select(r => r.Split('|')[1].Trim().TrimStart('~')[..4]).ToList();
        Assert.Equal(starts.OrderBy(s => s, StringComparer.Ordinal), starts);
        // 001's "this July" is resolved against its inferred date (before The Hague summit of June 2025).
        Assert.Contains(rows, r => r.StartsWith("| 2025-07 |") && r.Contains("**this July**"));
    }

    [Fact]
    public void ActorsHaveTheirOwnTimelines()
    {
        var byActor = Section("### Timeline by actor");
        Assert.Contains("#### Russia", _run.Articles);
        Assert.Contains("#### NATO", _run.Articles);
        // Crimea is named only in the sentences dated 2008 and 2014 (002) and 2014 (003).
        var crimea = _run.Articles[_run.Articles.IndexOf("#### Crimea", StringComparison.Ordinal)..];
        crimea = crimea[..crimea.IndexOf("\n#", 5, StringComparison.Ordinal)];
        Assert.Contains("**2014**", crimea);
        Assert.DoesNotContain("**this July**", crimea);
        Assert.NotEmpty(byActor);
    }

    [Fact]
    public void ASharedEventNameIsTheEventInTheWeekTheSentenceGives()
    {
        var (text, a) = Main("002");
        var meeting = a.GetProperty("entities").EnumerateArray().Single(e =>
            e.GetProperty("mentions").EnumerateArray().Any(m => text[m[0].GetInt32()..m[1].GetInt32()].Contains("ministers meeting")));
        var name = meeting.GetProperty("name").GetString()!;
        // The sentence says "next week"; the timeline resolves it; the meeting linked must fall in that week.
        var week = a.GetProperty("timeline").EnumerateArray().First(e => text[e.GetProperty("start").GetInt32()..e.GetProperty("end").GetInt32()] == "next week");
        var from = DateOnly.Parse(week.GetProperty("from").GetString()!);
        var to = DateOnly.Parse(week.GetProperty("to").GetString()!);
        var kb = Knowledge.BuiltInKb.Kb;
        var ev = kb.Get(meeting.GetProperty("kb_id").GetString()!);
        Assert.True(ev.Dates.Overlaps(from, to.AddDays(1)), $"{name} {ev.Dates} is not in {from}..{to}");
    }
}
