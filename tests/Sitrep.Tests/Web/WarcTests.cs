using System.IO.Compression;
using System.Text;
using Sitrep.Ingest.Warc;
using Sitrep.Ingest.Web;

namespace Sitrep.Tests.Web;

public sealed class WarcTests
{
    private static byte[] Page(string title, string[] paragraphs) => Encoding.UTF8.GetBytes(WebFixtures.Article(title, "Ana Silva", paragraphs));

    private static async Task<List<SourceInput>> ReadAll(WarcSource source, string path)
    {
        var list = new List<SourceInput>();
        await foreach (var i in source.ReadAsync(path)) list.Add(i);
        return list;
    }

    [Theory]
    [InlineData("crawl.warc.gz")]
    [InlineData("crawl.warc")]
    public async Task HtmlResponsesAreTakenOtherRecordsSkipped(string name)
    {
        using var dir = new TempDir();
        var path = dir.File(name);
        using (var w = new TestWarcWriter(path))
        {
            w.Record("warcinfo", null, "application/warc-fields", "software: test\r\n"u8.ToArray());
            w.Record("request", "https://news.example/floods", "application/http; msgtype=request", "GET /floods HTTP/1.1\r\nHost: news.example\r\n\r\n"u8.ToArray());
            w.Response("https://news.example/floods", 200, "text/html; charset=utf-8", Page("Floods force thousands from homes", WebFixtures.FloodStory));
            w.Response("https://news.example/logo.png", 200, "image/png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
            w.Response("https://news.example/missing", 404, "text/html", "<html><body>Not found</body></html>"u8.ToArray());
            // Chunked and gzip-encoded, in ISO-8859-2 (a charset the plain decoder would get wrong).
            var latin2 = Encoding.GetEncoding("iso-8859-2");
            var html = WebFixtures.Article("Strajk w porcie", "Ewa Nowak", ["Dokerzy w największym porcie kraju przerwali pracę w poniedziałek po zerwaniu rozmów o płacach.", "Związek zapowiedział, że strajk potrwa 48 godzin."]);
            using var gz = new MemoryStream();
            using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(latin2.GetBytes(html));
            var compressed = gz.ToArray();
            var chunked = new MemoryStream();
            foreach (var part in compressed.Chunk(100))
            {
                chunked.Write(Encoding.ASCII.GetBytes($"{part.Length:x}\r\n"));
                chunked.Write(part);
                chunked.Write("\r\n"u8);
            }
            chunked.Write("0\r\n\r\n"u8);
            w.Response("https://news.example/port-pl", 200, "text/html; charset=ISO-8859-2", chunked.ToArray(), "Transfer-Encoding: chunked", "Content-Encoding: gzip");
        }
        var source = new WarcSource();
        var inputs = await ReadAll(source, path);
        Assert.Equal(2, inputs.Count);
        Assert.Equal(6, source.Records);
        Assert.Equal(4, source.Skipped);
        var first = inputs[0];
        Assert.Equal($"{path}#record2", first.Path);
        Assert.Equal("https://news.example/floods", first.Item!.Url.AbsoluteUri);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 14, 5, 9, TimeSpan.Zero), first.Item.WarcDate);
        var (doc, problem) = first.Decode();
        Assert.Null(problem);
        Assert.Contains("Heavy rain swept across the northern provinces", doc!.Text);
        var (pl, _) = inputs[1].Decode();
        Assert.Contains("Dokerzy w największym porcie kraju przerwali pracę", pl!.Text);
    }

    [Fact]
    public async Task TruncatedFinalRecordIsAProblemAfterTheGoodOnes()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "cut.warc.gz", "cut.warc" })
        {
            var path = dir.File(name);
            using (var w = new TestWarcWriter(path))
            {
                w.Response("https://news.example/floods", 200, "text/html", Page("Floods", WebFixtures.FloodStory));
                w.TruncatedResponse("https://news.example/port", Page("Port strike", WebFixtures.PortStory));
            }
            var inputs = await ReadAll(new WarcSource(), path);
            Assert.Equal(2, inputs.Count);
            Assert.NotNull(inputs[0].Item);
            var p = inputs[1].Problem!;
            Assert.Equal(path, p.Path);
            Assert.Contains("record 1", p.Reason);
            Assert.Contains("truncated", p.Reason);
        }
    }

    [Fact]
    public async Task NotAWarcFile()
    {
        using var dir = new TempDir();
        var path = dir.File("fake.warc");
        File.WriteAllText(path, "<html><body>hello</body></html>\n");
        var inputs = await ReadAll(new WarcSource(), path);
        var p = Assert.Single(inputs).Problem!;
        Assert.Contains("not a WARC file", p.Reason);
    }
}
