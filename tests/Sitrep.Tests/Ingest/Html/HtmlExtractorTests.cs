using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Sitrep.Ingest;
using Sitrep.Ingest.Html;
using Xunit;

namespace Sitrep.Tests.Ingest.Html;

public class HtmlExtractorTests
{
    private static readonly string Prose =
        "The council met on Tuesday, after weeks of talks, to discuss the budget, the harbour and the new school. "
        + "Members said the plan, which had been delayed twice, would now go ahead in the spring, weather permitting.";

    private static string Page(string head, string body) => $"<!doctype html><html lang=\"en-GB\"><head>{head}</head><body>{body}</body></html>";

    [Fact]
    public void MetadataComesFromJsonLdGraphFirst()
    {
        var ld = """
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebPage","name":"Page name","url":"https://example.org/page"},
              {"@type":["NewsArticle"],"headline":"Harbour plan approved","datePublished":"2024-03-05T09:30:00Z","dateModified":"2024-03-06T10:00:00Z",
               "author":[{"@type":"Person","name":"Ana Lima"},{"@type":"Person","name":"Tom Reed"}],
               "publisher":{"@type":"Organization","name":"Harbour Gazette"},"inLanguage":"en"}]}
            </script>
            <meta property="og:title" content="OG title"><meta property="og:site_name" content="Gazette OG">
            <link rel="canonical" href="https://example.org/harbour-plan">
            """;
        var r = HtmlExtractor.Default.Extract(Page(ld, $"<article><h1>Harbour plan approved</h1><p>{Prose}</p><p>{Prose}</p></article>"));
        Assert.True(r.Found, r.NoArticleReason);
        var m = r.Metadata;
        Assert.Equal("Harbour plan approved", m.Title);
        Assert.Equal(["Ana Lima", "Tom Reed"], m.Authors!);
        Assert.Equal("Ana Lima, Tom Reed", m.Author);
        Assert.Equal("2024-03-05T09:30:00Z", m.Published);
        Assert.Equal("2024-03-06T10:00:00Z", m.Modified);
        Assert.Equal("Gazette OG", m.SiteName); // og:site_name is what the outlet calls itself on the page
        Assert.Equal("https://example.org/harbour-plan", m.Url);
        Assert.Equal("en-GB", m.Language);
        Assert.DoesNotContain("Harbour plan approved", r.Text); // the title is metadata, not body
        Assert.StartsWith("The council met on Tuesday", r.Text);
    }

    [Fact]
    public void MetadataFallsBackToOpenGraphMetaAndTime()
    {
        var head = """
            <title>Fallback title | Site</title>
            <meta property="og:title" content="Storm closes the coast road">
            <meta property="og:site_name" content="Coast News"><meta property="og:url" content="https://coast.example/storm">
            <meta name="author" content="By Jo Park"><meta name="description" content="A storm closed the road.">
            <script type="application/ld+json">{ this is not json </script>
            """;
        var body = $"<main><time datetime=\"2023-11-02T07:00:00+01:00\">2 November</time><p>{Prose}</p><p>{Prose}</p></main>";
        var m = HtmlExtractor.Default.Extract(Page(head, body)).Metadata;
        Assert.Equal("Storm closes the coast road", m.Title);
        Assert.Equal("Coast News", m.SiteName);
        Assert.Equal("https://coast.example/storm", m.Url);
        Assert.Equal("Jo Park", m.Author);
        Assert.Equal("2023-11-02T07:00:00+01:00", m.Published);
        Assert.Equal("A storm closed the road.", m.Description);
    }

    [Fact]
    public void HeadingOverOnlySkippedLinksIsDroppedButHeadingOverAPictureStays()
    {
        var body = $"<article><p>{Prose}</p>"
            + "<h3>More on this</h3><ul><li><a href='/a'>Another story about something else entirely</a></li><li><a href='/b'>Yet another story here</a></li></ul>"
            + "<p><strong>Also worth a look</strong></p><p><a href='/c'>A teaser title that is only a link to another page</a></p>"
            + $"<h2>The harbour at dawn</h2><figure><img src='x.jpg'><figcaption><a href='/photo'>Photo agency</a></figcaption></figure><p>{Prose.Replace("council", "mayor")}</p></article>";
        var r = HtmlExtractor.Default.Extract(Page("<title>t</title>", body));
        Assert.True(r.Found, r.NoArticleReason);
        var lines = r.Text.Split('\n');
        Assert.DoesNotContain("More on this", lines);
        Assert.DoesNotContain("Also worth a look", lines);
        Assert.Contains("The harbour at dawn", lines);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void BoilerplateAroundAndInsideTheArticleIsLeftOut()
    {
        var body = "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            + "<div class='sidebar'><h3>Most read</h3><ul><li><a href='/a'>Another story about something else entirely</a></li><li><a href='/b'>Yet another story</a></li></ul></div>"
            + $"<div class='article-body'><p>{Prose}</p><div class='share-buttons'><a href='#'>Share on Facebook</a></div><h2>What comes next</h2><p>{Prose.Replace("council", "mayor")}</p>"
            + "<figure><img src='x.jpg'><figcaption>The harbour at dawn. Photo: J. Doe</figcaption></figure></div>"
            + "<div id='comments'><p>Great article, thanks, really enjoyed it, will share it with friends.</p></div>"
            + "<footer>© 2024 Gazette. All rights reserved.</footer>";
        var r = HtmlExtractor.Default.Extract(Page("<title>t</title>", body));
        Assert.True(r.Found, r.NoArticleReason);
        var lines = r.Text.Split('\n');
        Assert.Equal(3, lines.Length); // paragraph, heading, paragraph: one per line
        Assert.Equal("What comes next", lines[1]);
        foreach (var junk in new[] { "Home", "Most read", "Another story", "Share on Facebook", "Great article", "All rights reserved", "Photo: J. Doe" })
            Assert.DoesNotContain(junk, r.Text);
    }

    [Fact]
    public void CreditedCaptionsAndClosingFollowPromptsAreLeftOut()
    {
        var body = $"<article><p>{Prose}</p><div class='pic'><img src='a.jpg'><p>The new school seen from the harbour. © Agency / Jane Roe</p></div>"
            + $"<p>{Prose.Replace("council", "mayor")}</p><p>Her Instagram-account was set to private, she said on Monday, and her lawyer declined to comment on the plan.</p>"
            + "<p>Get the latest news on your phone: download our app for iOS and Android, and follow us on Twitter.</p></article>";
        var r = HtmlExtractor.Default.Extract(Page("<title>t</title>", body));
        Assert.True(r.Found, r.NoArticleReason);
        Assert.DoesNotContain("Jane Roe", r.Text);
        Assert.DoesNotContain("download our app", r.Text);
        Assert.Contains("Instagram-account", r.Text); // prose that merely mentions a network is kept
        Assert.Contains("mayor met on Tuesday", r.Text);
    }

    [Fact]
    public void EncodingComesFromMetaCharsetThenHeader()
    {
        var html = $"<html><head><meta charset=\"iso-8859-1\"><title>Caf\u00e9</title></head><body><p>D\u00e9j\u00e0 vu at the caf\u00e9, {Prose}</p></body></html>";
        var bytes = Encoding.Latin1.GetBytes(html);
        var r = HtmlExtractor.Default.Extract(bytes);
        Assert.Contains("Déjà vu at the café", r.Text);
        Assert.StartsWith("windows-1252", r.Encoding);

        // The HTTP header wins over the page's own declaration.
        var utf8 = Encoding.UTF8.GetBytes(html);
        Assert.Contains("Déjà vu", HtmlExtractor.Default.Extract(utf8, "text/html; charset=UTF-8").Text);
        Assert.Equal("utf-8", HtmlDecoder.CharsetFromContentType("text/html; charset=\"utf-8\""));
        Assert.Equal("shift_jis", HtmlDecoder.PrescanMetaCharset(Encoding.ASCII.GetBytes("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=shift_jis\">")));
        var sjis = CodePagesEncodingProvider.Instance.GetEncoding("shift_jis")!;
        var jp = sjis.GetBytes($"<html><head><meta charset=shift_jis></head><body><p>東京で会議が開かれた。{Prose}</p></body></html>");
        Assert.Contains("東京で会議が開かれた。", HtmlExtractor.Default.Extract(jp).Text);
    }

    [Fact]
    public void MalformedHtmlStillYieldsTheText()
    {
        var html = $"<html><body><div class=story><p>{Prose}<p>{Prose.ToUpperInvariant()}<div><b><i>unclosed</b> tags <table><td>cell</div></p></body>";
        var r = HtmlExtractor.Default.Extract(html);
        Assert.True(r.Found, r.NoArticleReason);
        Assert.Contains("The council met on Tuesday", r.Text);
        Assert.Contains("THE COUNCIL MET", r.Text);
        foreach (var junk in new[] { "", "<", "<<<>>>", "<html><body><p>", "\0\0\0", "<div>" + new string('<', 1000) })
            Assert.False(HtmlExtractor.Default.Extract(junk).Found);
    }

    [Fact]
    public void PageWithoutArticleSaysSo()
    {
        var body = "<nav><a href='/'>Home</a><a href='/news'>News</a></nav><ul class='menu'><li><a href='/a'>Sport</a></li><li><a href='/b'>Weather</a></li></ul><footer>Contact us</footer>";
        var r = HtmlExtractor.Default.Extract(Page("<title>Index</title><meta property='og:site_name' content='Gazette'>", body));
        Assert.False(r.Found);
        Assert.Equal("", r.Text);
        Assert.StartsWith("no article found", r.NoArticleReason);
        Assert.Equal("Gazette", r.Metadata.SiteName);
    }

    [Fact]
    public void HugePageFinishesQuickly()
    {
        var sb = new StringBuilder("<html><body>");
        for (int i = 0; sb.Length < 5_000_000; i++)
            sb.Append("<div class='row'><p>").Append(Prose).Append(' ').Append(i).Append("</p><a href='/x'>link</a></div>");
        sb.Append("</body></html>");
        var clock = Stopwatch.StartNew();
        var r = HtmlExtractor.Default.Extract(sb.ToString());
        Assert.True(r.Found);
        Assert.True(r.Text.Length > 1_000_000);
        // A guard against super-linear behaviour (a few seconds on an idle machine; minutes if something were quadratic).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public void DeepNestingDoesNotOverflowTheStack()
    {
        var deep = string.Concat(Enumerable.Repeat("<div>", 2_000)) + "<p>" + Prose + "</p>";
        Assert.Contains("The council met", HtmlExtractor.Default.Extract(deep).Text);
    }

    private static string Traf(string file) => File.ReadAllText(Path.Combine(TestPaths.Data, "extraction", "trafilatura", "html", file));

    [Fact]
    public void RealPagesKeepTheArticleAndDropTheRest()
    {
        var reuters = HtmlExtractor.Default.Extract(Traf("reuters.com.parasite.html"));
        Assert.Contains("cementing their roles", reuters.Text);
        Assert.Contains("Despite an unknown cast,", reuters.Text);
        Assert.DoesNotContain("Related Coverage", reuters.Text);
        Assert.DoesNotContain("4 Min Read", reuters.Text);
        Assert.Equal("Jill Serjeant", reuters.Metadata.Author);
        Assert.StartsWith("2020-01-19", reuters.Metadata.Published);

        var kbs = HtmlExtractor.Default.Extract(Traf("world.kbs.co.kr-Temperatures.html"));
        Assert.Contains("Wednesday is forecast to be even colder.", kbs.Text);
        Assert.DoesNotContain("Most Viewed News", kbs.Text);
        Assert.DoesNotContain("Headline News", kbs.Text);

        var blog = HtmlExtractor.Default.Extract(Traf("flowfx.de.tmux.html"));
        Assert.Contains("As usual, StackOverflow", blog.Text);
        Assert.DoesNotContain("Next post", blog.Text);
        Assert.DoesNotContain("All content is licensed", blog.Text);
    }

    [Fact]
    public void ZyteScoringMatchesTheReferenceDefinitions()
    {
        Assert.Equal(["Déjà", "vu", "x_1", "٣٤"], ExtractionScoring.Tokenize("Déjà-vu, x_1 ٣٤!"));
        var same = ExtractionScoring.ShingleMatch("a b c d e", "a b c d e");
        Assert.Equal((1.0, 1.0), (same.Precision, same.Recall));
        var half = ExtractionScoring.ShingleMatch("a b c d e", "a b c d");
        Assert.Equal(1.0, half.Precision);
        Assert.Equal(0.5, half.Recall);
        var none = ExtractionScoring.ShingleMatch("a b c d e", "");
        Assert.Null(none.Precision); // TP + FP = 0: left out of the precision average, as evaluate.py does
        Assert.Equal(0.0, none.Recall);
        var seg = ExtractionScoring.SegmentMatch("one  two\nthree four", ["two three", "five"], ["four", "six"]);
        Assert.Equal(new ExtractionScoring.SegmentCounts(1, 1, 1, 1), seg);
    }

    [Fact]
    public void ZytePageScoresAgainstItsGroundTruth()
    {
        var dir = Path.Combine(TestPaths.Data, "extraction", "zyte");
        const string id = "05844573ca7e1fba714d715bb11ca08c26e25328999c74a1cb3bc8a0e4399f0f";
        using var gz = new GZipStream(File.OpenRead(Path.Combine(dir, "html", id + ".html.gz")), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        var r = HtmlExtractor.Default.Extract(ms.ToArray());
        Assert.Contains("Toyota is displaying a rechargeable", r.Text);
        Assert.Contains("The price wasn’t announced.", r.Text);
        using var gt = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "ground-truth.json")));
        var truth = gt.RootElement.GetProperty(id).GetProperty("articleBody").GetString();
        var c = ExtractionScoring.ShingleMatch(truth, r.Text);
        Assert.True(c.Recall > 0.95 && c.Precision > 0.8, $"p={c.Precision} r={c.Recall}");
    }
}
