using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Sitrep.Ingest;
using Sitrep.Ingest.Dedup;
using Sitrep.Ingest.Web;
using Sitrep.Pipeline;
using Sitrep.Store;
using Sitrep.Stories;

namespace Sitrep.Tests.Web;

/// <summary>`sitrep ingest URL|feed|WARC` and `sitrep watch` end to end, against a local server.</summary>
public sealed class WebCliTests
{
    private static readonly string[] Polite = ["--host-delay", "0", "--timeout", "5s", "--quiet", "--allow-private"];

    private static async Task<List<string>> Files(string db)
    {
        await using var store = await SqliteStore.OpenAsync(db, readOnly: true);
        return store.DumpRows().Where(r => r.StartsWith("files|")).ToList();
    }

    /// <summary>A real news page from the extraction benchmark's HTML.</summary>
    private static byte[] RealPage()
    {
        var path = Path.Combine(TestPaths.Data, "extraction", "zyte", "html", "ba07d1e64775f4090e39116c382111f5a2cfe9528dd179673f4e9bfcea370c15.html.gz");
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }

    private static LocalResponse Versioned(byte[] body, string etag, string type = "text/html; charset=utf-8") =>
        new(200, body, type, new Dictionary<string, string> { ["ETag"] = etag });

    private static Func<LocalRequest, LocalResponse> WithEtag(Func<byte[]> body, Func<string> etag, string type = "text/html; charset=utf-8") =>
        req => req.Headers.TryGetValue("If-None-Match", out var t) && t == etag() ? new LocalResponse(304, [], null) : Versioned(body(), etag(), type);

    [Fact]
    public async Task FeedIsExpandedIntoItsPagesAndSecondRunIsNotModified()
    {
        using var server = new LocalHttpServer();
        using var dir = new TempDir();
        var db = dir.File("t.db");
        var feed = WebFixtures.Rss("Valley Herald",
            ("Floods force thousands from homes", server.Url("/floods"), "g1", "Tue, 24 Nov 2026 09:15:00 GMT", "Ana Silva"),
            ("A page from elsewhere", server.Url("/real"), "g2", "Mon, 23 Nov 2026 18:00:00 GMT", "Staff"));
        server.Map("/feed.xml", WithEtag(() => Encoding.UTF8.GetBytes(feed), () => "\"f1\"", "application/rss+xml"));
        server.Map("/floods", WithEtag(() => Encoding.UTF8.GetBytes(WebFixtures.Article("Floods force thousands from homes", "Ana Silva", WebFixtures.FloodStory)), () => "\"a1\""));
        server.Map("/real", WithEtag(RealPage, () => "\"r1\""));

        var r = await CliRunner.RunAsync(["ingest", server.Url("/feed.xml"), "--db", db, .. Polite]);
        Assert.Equal("", r.Err);
        Assert.Equal(0, r.ExitCode);
        var files = await Files(db);
        Assert.Equal(2, files.Count);
        Assert.Contains(files, f => f.Contains("127.0.0.1") && f.Contains("/floods|"));
        Assert.True(File.Exists(db + ".http-cache.json"));

        var again = await CliRunner.RunAsync("ingest", server.Url("/feed.xml"), "--db", db, "--host-delay", "0", "--allow-private");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("1 URL not modified since the last run", again.Out);
        Assert.Equal(1, server.Count("/floods"));
        Assert.Equal(2, server.Count("/feed.xml"));
        Assert.Equal("\"f1\"", server.Requests.Last(q => q.Path == "/feed.xml").Headers["If-None-Match"]);
    }

    [Fact]
    public async Task FailuresAreOneLineEachAndTheRestIsStored()
    {
        using var server = new LocalHttpServer();
        using var dir = new TempDir();
        var db = dir.File("t.db");
        int calls = 0;
        server.Map("/flaky", _ => Interlocked.Increment(ref calls) == 1 ? LocalResponse.Text(500, "oops")
            : LocalResponse.Html(WebFixtures.Article("Port strike", "Tom Reyes", WebFixtures.PortStory)));
        server.Map("/feed.xml", new LocalResponse(200, Encoding.UTF8.GetBytes(WebFixtures.Rss("News",
            ("Port strike", server.Url("/flaky"), "p", "Mon, 23 Nov 2026 18:00:00 GMT", "Tom Reyes"),
            ("Gone", server.Url("/gone"), "g", "Mon, 23 Nov 2026 17:00:00 GMT", "Staff"))), "application/rss+xml"));
        server.Map("/broken.xml", LocalResponse.Text(200, "<rss><channel><title>Cut off", "application/rss+xml"));
        server.Map("/page", LocalResponse.Html(WebFixtures.Article("Floods", "Ana Silva", WebFixtures.FloodStory)));
        server.Map("/loop", new LocalResponse(302, [], null, new Dictionary<string, string> { ["Location"] = "/loop2" }));
        server.Map("/loop2", new LocalResponse(302, [], null, new Dictionary<string, string> { ["Location"] = "/loop" }));

        var r = await CliRunner.RunAsync(["ingest", server.Url("/feed.xml"), server.Url("/broken.xml"), server.Url("/page"), server.Url("/loop"), "--db", db, .. Polite]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(3, r.ErrLines.Length);
        Assert.Contains($"sitrep: {server.Url("/gone")}: HTTP 404 Not Found", r.ErrLines);
        Assert.Contains(r.ErrLines, l => l.StartsWith($"sitrep: {server.Url("/broken.xml")}: not a feed: XML error at line 1"));
        Assert.Contains(r.ErrLines, l => l.StartsWith($"sitrep: {server.Url("/loop")}: redirect loop ("));
        var files = await Files(db);
        Assert.Equal(2, files.Count); // the page given directly, and the item that failed once then succeeded
        Assert.Contains(files, f => f.Contains("/flaky|"));
        Assert.Contains(files, f => f.Contains("/page|"));
    }

    [Fact]
    public async Task WatchIngestsOnlyNewItems()
    {
        using var server = new LocalHttpServer();
        using var dir = new TempDir();
        var db = dir.File("t.db");
        var items = new List<(string, string, string, string, string)>
        {
            ("Floods", server.Url("/floods"), "g1", "Tue, 24 Nov 2026 09:15:00 GMT", "Ana Silva"),
        };
        server.Map("/feed.xml", WithEtag(() => Encoding.UTF8.GetBytes(WebFixtures.Rss("News", [.. items])), () => $"\"v{items.Count}\"", "application/rss+xml"));
        server.Map("/floods", LocalResponse.Html(WebFixtures.Article("Floods force thousands from homes", "Ana Silva", WebFixtures.FloodStory)));
        server.Map("/port", LocalResponse.Html(WebFixtures.Article("Port strike", "Tom Reyes", WebFixtures.PortStory)));
        server.Map("/page.html", LocalResponse.Html(WebFixtures.Article("Not a feed", "Staff", WebFixtures.PortStory)));
        var list = dir.File("feeds.txt");
        File.WriteAllText(list, $"# my feeds\n{server.Url("/feed.xml")}\n\n");

        var r1 = await CliRunner.RunAsync(["watch", list, "--once", "--db", db, .. Polite]);
        Assert.Equal("", r1.Err);
        Assert.Equal(0, r1.ExitCode);
        Assert.Single(await Files(db));

        items.Add(("Port strike", server.Url("/port"), "g2", "Wed, 25 Nov 2026 07:00:00 GMT", "Tom Reyes"));
        var r2 = await CliRunner.RunAsync(["watch", list, "--once", "--db", db, .. Polite]);
        Assert.Equal(0, r2.ExitCode);
        Assert.Equal(2, (await Files(db)).Count);
        Assert.Equal(1, server.Count("/floods"));
        Assert.Equal(1, server.Count("/port"));

        File.WriteAllText(list, server.Url("/page.html") + "\n");
        var r3 = await CliRunner.RunAsync(["watch", list, "--once", "--db", db, .. Polite]);
        Assert.Equal(1, r3.ExitCode);
        Assert.Equal($"sitrep: {server.Url("/page.html")}: not a feed (the response is text/html, not RSS or Atom)", Assert.Single(r3.ErrLines));
    }

    [Fact]
    public async Task WireCopyInALaterRunLinksToTheOriginAndANewDatabaseStartsAfresh()
    {
        using var server = new LocalHttpServer();
        using var dir = new TempDir();
        var db = dir.File("t.db");
        var story = WebFixtures.FloodStory.Select(p => p).ToArray();
        story[0] = "LISBON (AP) — " + story[0];
        server.Map("/wire", WithEtag(() => Encoding.UTF8.GetBytes(WebFixtures.Article("Floods force thousands from homes", "The Associated Press", story)), () => "\"w1\""));
        var local = story.Take(3).Append("The county council said local schools would stay open on Wednesday.").ToArray();
        server.Map("/local", LocalResponse.Html(WebFixtures.Article("Thousands flee as rivers burst banks", "Maria Lopez", local)));

        var r1 = await CliRunner.RunAsync("ingest", server.Url("/wire"), "--db", db, "--host-delay", "0", "--allow-private");
        Assert.Equal(0, r1.ExitCode);
        Assert.Contains("1 article credit a news agency", r1.Out);
        var r2 = await CliRunner.RunAsync("ingest", server.Url("/local"), "--db", db, "--host-delay", "0", "--allow-private");
        Assert.Equal(0, r2.ExitCode);
        Assert.Contains("0 exact and 1 near duplicate article linked to their origin", r2.Out);

        // The database is deleted but the side files stay: the new database must not take a 304 for an answer.
        File.Delete(db);
        var r3 = await CliRunner.RunAsync("ingest", server.Url("/wire"), "--db", db, "--host-delay", "0", "--allow-private");
        Assert.Equal(0, r3.ExitCode);
        Assert.Single(await Files(db));
        Assert.False(server.Requests.Last(q => q.Path == "/wire").Headers.ContainsKey("If-None-Match"));
    }

    [Fact]
    public async Task WarcFileIsIngestedAndATruncatedRecordReported()
    {
        using var dir = new TempDir();
        var db = dir.File("t.db");
        var warc = dir.File("crawl.warc.gz");
        using (var w = new TestWarcWriter(warc))
        {
            w.Response("https://news.example/floods", 200, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(WebFixtures.Article("Floods", "Ana Silva", WebFixtures.FloodStory)));
            w.Response("https://news.example/logo.png", 200, "image/png", [0x89, 0x50, 0x4E, 0x47]);
            w.Response("https://news.example/port", 200, "text/html", Encoding.UTF8.GetBytes(WebFixtures.Article("Port strike", "Tom Reyes", WebFixtures.PortStory)));
            w.TruncatedResponse("https://news.example/cut", Encoding.UTF8.GetBytes(WebFixtures.Article("Cut", "X", WebFixtures.PortStory)));
        }
        var r = await CliRunner.RunAsync("ingest", warc, "--db", db);
        Assert.Equal(1, r.ExitCode);
        var err = Assert.Single(r.ErrLines);
        Assert.StartsWith($"sitrep: {warc}: record 3 (https://news.example/cut) is truncated", err);
        Assert.Contains("1 WARC record skipped", r.Out);
        var files = await Files(db);
        Assert.Equal(2, files.Count);
        Assert.Contains(files, f => f.Contains("crawl.warc.gz#record0|"));
    }

    [Fact]
    public async Task InputOverloadStoresFeedMetadataAndTheStageLinksTheCopy()
    {
        using var dir = new TempDir();
        var db = dir.File("t.db");
        var store = await SqliteStore.OpenAsync(db);
        var wire = WebFixtures.Article("EU agrees gas price cap", "The Associated Press",
            ["BRUSSELS (AP) — European Union energy ministers agreed early Wednesday on an emergency plan to cap the price of natural gas, ending months of wrangling over how to shield households from soaring bills.",
             "The cap, which will apply from February, is set at 180 euros per megawatt hour and will be triggered only if prices stay above that level for three consecutive days, officials said.",
             "Germany and the Netherlands had long resisted a cap, arguing that it could drive suppliers to sell their gas elsewhere and leave Europe short of fuel during the winter.",
             "Gas prices in Europe hit record highs in August after Russia cut supplies through the Nord Stream pipeline, pushing inflation across the bloc to double digits."]);
        var copy = wire.Replace("EU agrees gas price cap", "Ministers strike deal on gas ceiling").Replace("early Wednesday", "on Wednesday")
            .Replace("<p>Gas prices in Europe", "<p>Local suppliers said bills would not change before spring.</p><p>Gas prices in Europe");
        async IAsyncEnumerable<SourceInput> Inputs()
        {
            yield return SourceInput.Fetched("https://wire.example/gas", new FetchedItem(new Uri("https://wire.example/gas"), Encoding.UTF8.GetBytes(wire), "text/html")
            {
                FeedUrl = new Uri("https://wire.example/rss"),
            } with { FeedPublished = new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero), FeedAuthor = "Samuel Petrequin and Lorne Cook" });
            await Task.Yield();
            yield return SourceInput.Fetched("https://local.example/gas", new FetchedItem(new Uri("https://local.example/gas"), Encoding.UTF8.GetBytes(copy), "text/html"));
            yield return SourceInput.Failed(new InputProblem("https://gone.example/x", "HTTP 404 Not Found"));
        }
        var run = new IngestRun(new DocumentAnalyzer());
        var report = await run.RunAsync(Inputs(), store);
        Assert.Equal(3, report.Files);
        Assert.Equal("https://gone.example/x: HTTP 404 Not Found", Assert.Single(report.Problems).ToString());
        Assert.Equal(2, report.Written.Added);
        // the feed's metadata is stored with the document it delivered
        var stored = new List<StoredDocument>();
        await foreach (var d in store.ReadDocumentsAsync()) stored.Add(d);
        var prov = stored.Select(d => ProvenanceJson.Parse(d.ProvenanceJson)).Single(p => p.Url == "https://wire.example/gas");
        Assert.Equal("The Valley Herald", prov.Site);
        Assert.Equal(["Samuel Petrequin", "Lorne Cook"], prov.Authors);
        Assert.Equal("en", prov.Language);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse(prov.Published!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("https://wire.example/rss", prov.FeedUrl);

        // the cross-source stage (as ingest runs it) links the edited copy to the wire story and sees the agency credit
        var update = await new CrossSourceStage().UpdateAsync(store);
        Assert.Equal((0, 1), (update.ExactDuplicates, update.NearDuplicates));
        Assert.True(update.WireCredited >= 1);
        await store.DisposeAsync();
        var export = await CliRunner.RunAsync("export", "--db", db);
        Assert.Equal(0, export.ExitCode);
        var articles = JsonDocument.Parse(export.Out).RootElement.GetProperty("documents").EnumerateArray()
            .SelectMany(d => d.GetProperty("articles").EnumerateArray()).Where(a => a.GetProperty("main").GetBoolean()).ToList();
        var first = articles.Single(a => a.GetProperty("url").GetString() == "https://wire.example/gas");
        var second = articles.Single(a => a.GetProperty("url").GetString() == "https://local.example/gas");
        // one is the near copy of the other (which comes first is the stage's date order), and both have it as origin
        var (origin, copyOf) = first.GetProperty("duplicate_of").ValueKind == JsonValueKind.Null ? (first, second) : (second, first);
        Assert.Equal(JsonValueKind.Null, origin.GetProperty("duplicate_of").ValueKind);
        Assert.Equal(origin.GetProperty("id").GetString(), copyOf.GetProperty("duplicate_of").GetString());
        Assert.Equal(origin.GetProperty("id").GetString(), copyOf.GetProperty("origin").GetString());
        Assert.Equal("near", copyOf.GetProperty("duplicate_kind").GetString());
        Assert.Contains("AP", new[] { first, second }.Select(a => a.GetProperty("wire").GetString()));
    }
}
