using System.Text;
using Sitrep.Ingest;

namespace Sitrep.Tests;

/// <summary>The segmentation rules on text they were not written for: the FNC-1 news bodies.</summary>
public sealed class SegmenterGeneralTests
{
    internal static IEnumerable<(string Id, string Body)> FncBodies()
    {
        var t = File.ReadAllText(Path.Combine(TestPaths.Data, "stance", "fnc1", "train_bodies.csv"));
        int i = t.IndexOf('\n') + 1;
        var sb = new StringBuilder();
        while (i < t.Length)
        {
            int comma = t.IndexOf(',', i);
            var id = t[i..comma];
            i = comma + 1;
            sb.Clear();
            if (t[i] == '"')
            {
                i++;
                while (i < t.Length)
                {
                    if (t[i] == '"') { if (i + 1 < t.Length && t[i + 1] == '"') { sb.Append('"'); i += 2; continue; } i++; break; }
                    sb.Append(t[i++]);
                }
            }
            else while (i < t.Length && t[i] != '\n') sb.Append(t[i++]);
            while (i < t.Length && (t[i] == '\r' || t[i] == '\n')) i++;
            yield return (id, sb.ToString());
        }
    }

    [Fact]
    public void NewsBodiesAreKeptAsArticles()
    {
        long total = 0, body = 0;
        int docs = 0, oneArticle = 0;
        foreach (var (_, text) in FncBodies())
        {
            docs++;
            var seg = Segmenter.Segment(text);
            if (seg.Articles.Count == 1) oneArticle++;
            foreach (var p in seg.Pieces)
            {
                total += p.End - p.Start;
                if (p.Kind is PieceKind.Article or PieceKind.Subheading or PieceKind.Dateline) body += p.End - p.Start;
            }
        }
        Assert.Equal(1683, docs);
        // These bodies are scraped too: captions, polls and related-link boxes are rightly set aside.
        Assert.True((double)body / total > 0.92, $"only {(double)body / total:P1} of the characters kept as article text");
        Assert.True(oneArticle >= 0.98 * docs, $"{docs - oneArticle} bodies split into several articles");
    }

    [Fact]
    public void TwoStoriesInOneFileBecomeTwoArticles()
    {
        var bodies = FncBodies().ToDictionary(b => b.Id, b => b.Body.Trim());
        var text = "Abandoned Dog Found Tied To Railings\n\n" + bodies["1214"] + "\n\nSecond Story Headline For The Other Event\n\n" + bodies["518"] + "\n";
        var seg = Segmenter.Segment(text);
        Assert.Equal(2, seg.Articles.Count);
        Assert.Equal("Abandoned Dog Found Tied To Railings", seg.Articles[0].Title);
        Assert.Equal("Second Story Headline For The Other Event", seg.Articles[1].Title);
        Assert.Contains("Kai", text[seg.Articles[0].TextStart..seg.Articles[0].TextEnd]);
        Assert.DoesNotContain("Dera", text[seg.Articles[0].TextStart..seg.Articles[0].TextEnd]);
        Assert.Contains("Dera", text[seg.Articles[1].TextStart..seg.Articles[1].TextEnd]);
    }

    [Theory]
    [InlineData("by Jane Doe and John Smith", "Jane Doe and John Smith")]
    [InlineData("By Aurélie Pugnet | Euractiv", "Aurélie Pugnet")]
    public void Bylines(string line, string names)
    {
        var text = line + "\n" + string.Join("\n", Enumerable.Repeat("NATO allies met in Brussels on Monday to discuss the Arctic and Russia policy.", 4)) + "\n";
        Assert.Equal(names, Assert.Single(Segmenter.Segment(text).Articles).Byline);
    }

    [Theory]
    [InlineData("*first published in euractiv.com", "Euractiv")]
    [InlineData("This article was originally published by Reuters.", "Reuters")]
    [InlineData("Source: politico.eu", "Politico")]
    public void CreditsNameTheOutlet(string credit, string outlet) => Assert.Equal(outlet, Segmenter.CreditOutlet(credit));
}
