using System.Text;
using Sitrep.Output;
using Sitrep.Pipeline;
using Sitrep.Store;

namespace Sitrep.Tests.Output;

/// <summary>
/// A hostile article (script tags, event-handler attributes, javascript: and remote-image links, Markdown that would
/// open tables, headings and lists, emoji wherever a cut may fall) and a hostile file name, run through the real
/// pipeline into a store and out as a brief: the brief encodes as strict UTF-8 (no surrogate half) and shows the
/// hostile text only as text.
/// </summary>
public class BriefSafetyTests
{
    private static readonly string Emoji = string.Concat(Enumerable.Repeat("😀", 120));

    private static string HostileArticle() => $"""
        <script>alert(1)</script> Summit talks <img src=x onerror=alert(1)> in Brussels {Emoji}

        By John <svg onload=alert(1)> Smith

        BRUSSELS, March 3, 2025 (Reuters) — NATO defence ministers met in Brussels on Monday to discuss [click here](javascript:alert(document.cookie)) and ![](http://evil.example/pixel.png) support for Ukraine, officials said. The talks lasted a day {Emoji}.

        "We will keep our promises {Emoji} <script>steal()</script>," Secretary General Mark Rutte told reporters on Tuesday, adding that | pipes | and # hashes and *stars* and _lines_ and `ticks` are only text.

        The ministers agreed on 3 March 2025 to meet again in June. {Emoji} The German minister said the alliance would respond to any attack. Officials said that the next meeting would be held at the NATO headquarters in Brussels in the summer.

        # Not a heading <iframe src=javascript:alert(1)>
        - not a list ![x](https://evil.example/a.png)

        {Emoji}{Emoji}
        """;

    [Fact]
    public async Task HostileTextReachesTheBriefOnlyAsText()
    {
        using var dir = new TempDir();
        var name = "<img src=x onerror=alert(1)>[x](javascript:alert(1))_😀.txt";
        File.WriteAllText(dir.File(name), HostileArticle());
        File.Copy(Directory.GetFiles(TestPaths.Seeds, "000_*.txt").Single(), dir.File("seed.txt"));
        await using var store = await SqliteStore.OpenAsync(dir.File("t.db"));
        var report = await new IngestRun(PipelineFactory.Create([])).RunAsync([dir.Path], store);
        Assert.Empty(report.Problems);
        Assert.Equal(2, report.Written.Added);

        await new Sitrep.Stories.CrossSourceStage().UpdateAsync(store);
        using var bytes = new MemoryStream();
        // Strict UTF-8: a surrogate half cut off an emoji throws EncoderFallbackException here. The brief and its
        // per-article detail (`sitrep brief --articles`) both go through it.
        await using (var w = new StreamWriter(bytes, new UTF8Encoding(false, throwOnInvalidBytes: true)))
        {
            await BriefWriter.WriteAsync(store, w);
            await BriefWriter.WriteArticlesAsync(store.ReadDocumentsAsync(), w);
        }
        var brief = Encoding.UTF8.GetString(bytes.ToArray());
        // The brief proper shows both stories, each under its own heading.
        Assert.Equal(2, brief.Split('\n').Count(l => l.StartsWith("## 1. ", StringComparison.Ordinal) || l.StartsWith("## 2. ", StringComparison.Ordinal)));

        // The hostile text is in the brief (so the checks below can fail)…
        Assert.Contains("&lt;script&gt;alert\\(1\\)&lt;/script&gt;", brief);
        Assert.Contains("&lt;img src=x onerror=alert\\(1\\)&gt;", brief);
        Assert.Contains("javascript:alert", brief);
        // …but never as markup: no tag, no link or image, no raw pipe inside a table cell.
        foreach (var bad in new[] { "<script", "<img", "<svg", "<iframe", "](javascript", "](http", "![", "[click here]", "[x]" })
            Assert.DoesNotContain(bad, brief, StringComparison.OrdinalIgnoreCase);
        foreach (var line in brief.Split('\n'))
        {
            Assert.False(line.StartsWith("# Not a heading", StringComparison.Ordinal), line);
            Assert.False(line.StartsWith("- not a list", StringComparison.Ordinal), line);
            if (line.StartsWith("| ") && line.Contains("pipes"))
                Assert.Contains("\\| pipes \\|", line);
        }
        // The article's own "#" and "-" lines stay text wherever they are quoted.
        Assert.Contains("\\# Not a heading &lt;iframe", brief);
        Assert.Contains("😀", brief);
    }
}
