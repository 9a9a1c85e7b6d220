using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Sitrep.Ingest.Web;

namespace Sitrep.Tests.Web;

/// <summary>Hostile responses: compression bombs, charsets that .NET will not decode, and malformed HTTP, each one line for its URL.</summary>
public sealed class WebLimitsTests
{
    private static FetchOptions Options => new()
    {
        Timeout = TimeSpan.FromSeconds(10), MaxAttempts = 1, PerHostInterval = TimeSpan.Zero, AllowPrivate = true,
    };

    private static Dictionary<string, string> Encoded(string coding) => new() { ["Content-Encoding"] = coding };

    private static byte[] Gzip(byte[] data) => Compress(data, s => new GZipStream(s, CompressionLevel.SmallestSize, leaveOpen: true));

    private static byte[] Compress(byte[] data, Func<Stream, Stream> wrap)
    {
        using var ms = new MemoryStream();
        using (var z = wrap(ms)) z.Write(data);
        return ms.ToArray();
    }

    /// <summary>gzip of <paramref name="mb"/> MB of zeros (about 1,000:1).</summary>
    private static byte[] ZeroBomb(int mb)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (int i = 0; i < mb; i++) gz.Write(zeros);
        }
        return ms.ToArray();
    }

    private static readonly Lazy<byte[]> Bomb256 = new(() => ZeroBomb(256));

    [Fact]
    public async Task GzipBombIsCutByTheRatioLimitAtOnce()
    {
        using var server = new LocalHttpServer();
        var bomb = Bomb256.Value;
        Assert.True(bomb.Length < 300_000, $"bomb is {bomb.Length} bytes");
        server.Map("/bomb", new LocalResponse(200, bomb, "text/html", Encoded("gzip")));
        using var fetcher = new HttpFetcher(Options);
        var clock = Stopwatch.StartNew();
        var (response, problem) = await fetcher.FetchAsync(new Uri(server.Url("/bomb")));
        Assert.Null(response);
        Assert.StartsWith("decompressed body exceeds 100:1 of its compressed size (", problem!.Reason);
        Assert.EndsWith("; a compression bomb?)", problem.Reason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task NestedGzipBombIsCutToo()
    {
        using var server = new LocalHttpServer();
        var twice = Gzip(Bomb256.Value);
        server.Map("/bomb2", new LocalResponse(200, twice, "text/html", Encoded("gzip, gzip")));
        server.Map("/layers", new LocalResponse(200, twice, "text/html", Encoded("gzip, gzip, gzip, gzip")));
        using var fetcher = new HttpFetcher(Options);
        var (_, problem) = await fetcher.FetchAsync(new Uri(server.Url("/bomb2")));
        Assert.StartsWith("decompressed body exceeds 100:1 of its compressed size (", problem!.Reason);
        var (_, layers) = await fetcher.FetchAsync(new Uri(server.Url("/layers")));
        Assert.Equal("too many Content-Encoding layers (4; the limit is 3)", layers!.Reason);
    }

    [Fact]
    public async Task DecompressedSizeIsCutAtTheAbsoluteLimit()
    {
        using var server = new LocalHttpServer();
        // Ordinary-looking text compresses about 2:1, so only the absolute limit can stop it.
        var rng = new Random(12);
        var text = new StringBuilder();
        while (text.Length < 3 * 1024 * 1024) text.Append((char)('a' + rng.Next(26))).Append(rng.Next(7) == 0 ? " " : "");
        var gz = Gzip(Encoding.ASCII.GetBytes(text.ToString()));
        server.Map("/big", new LocalResponse(200, gz, "text/plain", Encoded("gzip")));
        using var fetcher = new HttpFetcher(Options with { MaxBytes = 2 * 1024 * 1024 });
        var (_, problem) = await fetcher.FetchAsync(new Uri(server.Url("/big")));
        Assert.Matches(@"^decompressed body exceeds 2 MB \(the limit; [0-9.]+ (MB|KB) compressed\)$", problem!.Reason);

        // With the ratio check off, a bomb still stops at the absolute limit.
        server.Map("/bomb", new LocalResponse(200, Bomb256.Value, "text/html", Encoded("gzip")));
        using var noRatio = new HttpFetcher(Options with { MaxBytes = 8 * 1024 * 1024, MaxCompressionRatio = int.MaxValue });
        var (_, p2) = await noRatio.FetchAsync(new Uri(server.Url("/bomb")));
        Assert.StartsWith("decompressed body exceeds 8 MB (the limit; ", p2!.Reason);
    }

    [Fact]
    public async Task EndlessCompressedStreamThatYieldsNothingIsCutByCompressedSize()
    {
        // A gzip header followed by empty stored blocks: megabytes in, nothing out, so only the wire count can stop it.
        using var ms = new MemoryStream();
        ms.Write([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
        var empty = new byte[] { 0, 0, 0, 0xff, 0xff };
        for (int i = 0; i < 2 * 1024 * 1024 / empty.Length; i++) ms.Write(empty);
        using var server = new LocalHttpServer();
        server.Map("/nothing", new LocalResponse(200, ms.ToArray(), "text/html", Encoded("gzip"), NoLength: true));
        using var fetcher = new HttpFetcher(Options with { MaxBytes = 1024 * 1024 });
        var (_, problem) = await fetcher.FetchAsync(new Uri(server.Url("/nothing")));
        Assert.Equal("response too large (over 1 MB compressed)", problem!.Reason);

        server.Map("/plain", new LocalResponse(200, new byte[1536 * 1024], "text/plain", NoLength: true));
        var (_, plain) = await fetcher.FetchAsync(new Uri(server.Url("/plain")));
        Assert.Equal("response too large (over 1 MB)", plain!.Reason);
    }

    [Fact]
    public async Task OrdinaryCompressedPagesAreDecoded()
    {
        using var server = new LocalHttpServer();
        var page = Encoding.UTF8.GetBytes(WebFixtures.Article("Floods", "Ana Silva", WebFixtures.FloodStory));
        // Very repetitive markup (well over 100:1) stays under the 1 MB floor of the ratio check.
        var repetitive = Encoding.UTF8.GetBytes("<html><body>" + string.Concat(Enumerable.Repeat("<div class=\"row\"><span>0</span></div>", 20000)) + "</body></html>");
        server.Map("/gz", new LocalResponse(200, Gzip(page), "text/html", Encoded("gzip")));
        server.Map("/deflate", new LocalResponse(200, Compress(page, s => new ZLibStream(s, CompressionLevel.Optimal, true)), "text/html", Encoded("deflate")));
        server.Map("/br", new LocalResponse(200, Compress(page, s => new BrotliStream(s, CompressionLevel.Optimal, true)), "text/html", Encoded("br")));
        server.Map("/twice", new LocalResponse(200, Gzip(Compress(page, s => new BrotliStream(s, CompressionLevel.Optimal, true))), "text/html", Encoded("br, gzip")));
        server.Map("/repetitive", new LocalResponse(200, Gzip(repetitive), "text/html", Encoded("gzip")));
        using var fetcher = new HttpFetcher(Options);
        foreach (var path in new[] { "/gz", "/deflate", "/br", "/twice" })
        {
            var (response, problem) = await fetcher.FetchAsync(new Uri(server.Url(path)));
            Assert.Null(problem);
            Assert.Equal(page, response!.Body);
        }
        var (rep, none) = await fetcher.FetchAsync(new Uri(server.Url("/repetitive")));
        Assert.Null(none);
        Assert.Equal(repetitive.Length, rep!.Body.Length);
        Assert.Equal("gzip, deflate, br", server.Requests.First().Headers["Accept-Encoding"]);
    }

    [Fact]
    public async Task CorruptOrUnknownEncodingIsOneLine()
    {
        using var server = new LocalHttpServer();
        server.Map("/corrupt", new LocalResponse(200, "<html>not gzip at all</html>"u8.ToArray(), "text/html", Encoded("gzip")));
        var truncated = Gzip(Encoding.UTF8.GetBytes(WebFixtures.Article("Floods", "Ana Silva", WebFixtures.FloodStory)));
        server.Map("/cut", new LocalResponse(200, truncated[..(truncated.Length / 2)], "text/html", Encoded("gzip")));
        server.Map("/compress", new LocalResponse(200, "x"u8.ToArray(), "text/html", Encoded("compress")));
        using var fetcher = new HttpFetcher(Options);
        var (_, corrupt) = await fetcher.FetchAsync(new Uri(server.Url("/corrupt")));
        Assert.StartsWith("cannot decompress the response: ", corrupt!.Reason);
        var (cut, cutProblem) = await fetcher.FetchAsync(new Uri(server.Url("/cut")));
        // A gzip stream cut in the middle either fails to decompress or yields a prefix; it must never throw.
        Assert.True(cutProblem != null || cut!.Body.Length > 0);
        var (_, unknown) = await fetcher.FetchAsync(new Uri(server.Url("/compress")));
        Assert.Equal("unsupported Content-Encoding \"compress\"", unknown!.Reason);
        foreach (var p in new[] { corrupt, unknown }) Assert.DoesNotContain('\n', p!.Reason);
    }

    // ---- charsets ----

    [Theory]
    [InlineData("utf-7", false)]
    [InlineData("UTF-7", false)]
    [InlineData("unicode-1-1-utf-7", false)]
    [InlineData("x-unknown", false)]
    [InlineData("garbage;;==", false)]
    [InlineData("iso-2022-kr", false)]
    [InlineData("", false)]
    [InlineData("koi8-r", true)]
    [InlineData("windows-1251", true)]
    [InlineData("shift_jis", true)]
    [InlineData("ISO-8859-2", true)]
    [InlineData("gbk", true)]
    public void CharsetLookupNeverThrows(string label, bool known) => Assert.Equal(known, Charsets.Lookup(label) != null);

    [Fact]
    public void UnsupportedCharsetFallsBackWithAWarning()
    {
        var html = Encoding.UTF8.GetBytes(WebFixtures.Article("Floods", "Ana Silva", WebFixtures.FloodStory));
        foreach (var (charset, expect) in new[]
                 {
                     ("utf-7", "utf-8 (declared charset utf-7 is not supported)"),
                     ("x-unknown", "utf-8 (declared charset x-unknown is not supported)"),
                     ("<script>alert(1)</script>", "utf-8 (declared charset scriptalert1script is not supported)"),
                     ("\"\u0001\"", "utf-8 (declared charset (unreadable) is not supported)"),
                 })
        {
            var input = SourceInput.Fetched("https://news.example/x", new FetchedItem(new Uri("https://news.example/x"), html, "text/html") { Charset = charset });
            var (doc, problem) = input.Decode();
            Assert.Null(problem);
            Assert.Equal(expect, doc!.Encoding);
            Assert.Contains("Heavy rain swept across the northern provinces", doc.Text);
        }
        // Not valid UTF-8: read as Windows-1252.
        var latin = Encoding.Latin1.GetBytes("<html><body><p>Caf\u00e9 owners in S\u00e3o Paulo said the rain had kept customers away for a week.</p></body></html>");
        var (d2, _) = SourceInput.Fetched("u", new FetchedItem(new Uri("https://news.example/y"), latin, "text/html") { Charset = "utf-7" }).Decode();
        Assert.Equal("windows-1252 (declared charset utf-7 is not supported)", d2!.Encoding);
        Assert.Contains("Caf\u00e9 owners in S\u00e3o Paulo", d2.Text);
    }

    [Fact]
    public async Task CliIngestsEveryPageWhateverItsCharset()
    {
        using var server = new LocalHttpServer();
        using var dir = new TempDir();
        var article = WebFixtures.Article("Floods force thousands from homes", "Ana Silva", WebFixtures.FloodStory);
        server.Map("/utf7", new LocalResponse(200, Encoding.UTF8.GetBytes(article), "text/html; charset=utf-7"));
        server.Map("/unknown", new LocalResponse(200, Encoding.UTF8.GetBytes(article.Replace("Heavy rain", "Torrential rain")), "text/html; charset=x-unknown"));
        server.Map("/garbage", new LocalResponse(200, Encoding.UTF8.GetBytes(article.Replace("Heavy rain", "Steady rain")), "text/html; charset=\"%%%\""));
        var koi8 = Encoding.GetEncoding("koi8-r");
        var russian = "<html><body><article><h1>Наводнение</h1><p>Сильные дожди прошли по северным провинциям во вторник, и тысячи жителей покинули свои дома.</p>" +
                      "<p>Региональное агентство по чрезвычайным ситуациям сообщило, что 4200 человек переселены во временные убежища.</p></article></body></html>";
        server.Map("/koi8", new LocalResponse(200, koi8.GetBytes(russian), "text/html; charset=koi8-r"));
        var db = dir.File("t.db");
        var r = await CliRunner.RunAsync(["ingest", server.Url("/utf7"), server.Url("/unknown"), server.Url("/garbage"), server.Url("/koi8"),
            "--db", db, "--host-delay", "0", "--quiet", "--allow-private"]);
        Assert.Equal("", r.Err);
        Assert.Equal(0, r.ExitCode);
        await using var store = await Sitrep.Store.SqliteStore.OpenAsync(db, readOnly: true);
        var rows = store.DumpRows();
        Assert.Equal(4, rows.Count(x => x.StartsWith("files|")));
        Assert.Contains(rows, x => x.Contains("declared charset utf-7 is not supported"));
        Assert.Contains(rows, x => x.Contains("Сильные дожди"));
    }

    [Fact]
    public async Task WarcRecordWithUtf7IsStoredWithAWarning()
    {
        using var dir = new TempDir();
        var warc = dir.File("crawl.warc.gz");
        using (var w = new TestWarcWriter(warc))
        {
            w.Response("https://news.example/utf7", 200, "text/html; charset=utf-7", Encoding.UTF8.GetBytes(WebFixtures.Article("Floods", "Ana Silva", WebFixtures.FloodStory)));
            w.Response("https://news.example/port", 200, "text/html", Encoding.UTF8.GetBytes(WebFixtures.Article("Port strike", "Tom Reyes", WebFixtures.PortStory)));
        }
        var db = dir.File("t.db");
        var r = await CliRunner.RunAsync("ingest", warc, "--db", db, "--quiet");
        Assert.Equal("", r.Err);
        Assert.Equal(0, r.ExitCode);
        await using var store = await Sitrep.Store.SqliteStore.OpenAsync(db, readOnly: true);
        Assert.Equal(2, store.DumpRows().Count(x => x.StartsWith("files|")));
    }

    [Fact]
    public async Task FeedDeclaringUtf7IsOneLineAndTheRunGoesOn()
    {
        using var server = new LocalHttpServer();
        using var dir = new TempDir();
        var feed = WebFixtures.Rss("News", ("Floods", server.Url("/floods"), "g1", "Tue, 24 Nov 2026 09:15:00 GMT", "Ana Silva"))
            .Replace("encoding=\"UTF-8\"", "encoding=\"utf-7\"");
        server.Map("/feed7.xml", new LocalResponse(200, Encoding.UTF8.GetBytes(feed), "application/rss+xml; charset=utf-7"));
        server.Map("/floods", LocalResponse.Html(WebFixtures.Article("Floods force thousands from homes", "Ana Silva", WebFixtures.FloodStory)));
        server.Map("/port", LocalResponse.Html(WebFixtures.Article("Port strike", "Tom Reyes", WebFixtures.PortStory)));
        var db = dir.File("t.db");
        var r = await CliRunner.RunAsync(["ingest", server.Url("/feed7.xml"), server.Url("/port"), "--db", db, "--host-delay", "0", "--quiet", "--allow-private"]);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.All(r.ErrLines, l => Assert.StartsWith($"sitrep: {server.Url("/feed7.xml")}: ", l));
        Assert.True(r.ErrLines.Length <= 1);
        Assert.Equal(1, server.Count("/port"));
        await using var store = await Sitrep.Store.SqliteStore.OpenAsync(db, readOnly: true);
        Assert.Contains(store.DumpRows(), x => x.StartsWith("files|") && x.Contains("/port|"));
    }

    // ---- malformed HTTP ----

    [Fact]
    public async Task MalformedResponsesAreOneLineEach()
    {
        using var server = new LocalHttpServer();
        server.Map("/bad-location", new LocalResponse(302, [], null, new Dictionary<string, string> { ["Location"] = "http://[::1" }));
        server.Map("/bad-length", new LocalResponse(200, "<html><body><p>x</p></body></html>"u8.ToArray(), "text/html", new Dictionary<string, string> { ["X-Note"] = "y" }, ClaimedLength: 5000));
        server.Map("/ok", LocalResponse.Html(WebFixtures.Article("Floods", "Ana Silva", WebFixtures.FloodStory)));
        using var fetcher = new HttpFetcher(Options);

        var (_, location) = await fetcher.FetchAsync(new Uri(server.Url("/bad-location")));
        Assert.Equal("HTTP 302 redirect to an invalid Location (http://[::1)", location!.Reason);

        var (_, cut) = await fetcher.FetchAsync(new Uri(server.Url("/bad-length")));
        Assert.True(cut!.Reason.StartsWith("connection failed: "), cut.Reason);

        foreach (var p in new[] { location, cut }) Assert.DoesNotContain('\n', p.Reason);
        var (ok, none) = await fetcher.FetchAsync(new Uri(server.Url("/ok")));
        Assert.Null(none);
        Assert.Equal(200, ok!.Status);
    }

    [Fact]
    public async Task ARawGarbageServerIsOneLine()
    {
        // A "server" that answers with something that is not HTTP at all.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            for (int i = 0; i < 3; i++)
            {
                using var c = await listener.AcceptTcpClientAsync();
                var s = c.GetStream();
                var buf = new byte[4096];
                _ = await s.ReadAsync(buf);
                await s.WriteAsync(i switch
                {
                    0 => "SSH-2.0-OpenSSH_9.6\r\n\r\n"u8.ToArray(),
                    1 => "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nBad Header Without Colon\u001b[31m\r\n\r\nabc"u8.ToArray(),
                    _ => "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), // a plain HTTP answer to a TLS hello
                });
            }
        });
        try
        {
            // Several attempts allowed: a protocol error must still be reported at once, not retried.
            using var fetcher = new HttpFetcher(Options with { MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(5) });
            var clock = Stopwatch.StartNew();
            var (_, p1) = await fetcher.FetchAsync(new Uri($"http://127.0.0.1:{port}/a"));
            Assert.Equal("invalid HTTP response: Received an invalid status line: 'SSH-2.0-OpenSSH_9.6'.", p1!.Reason);
            var (r2, p2) = await fetcher.FetchAsync(new Uri($"http://127.0.0.1:{port}/b"));
            Assert.Null(r2);
            Assert.StartsWith("invalid HTTP response: Received an invalid header line: 'Bad Header Without Colon?[31m", p2!.Reason); // the escape is not passed on
            var (_, tls) = await fetcher.FetchAsync(new Uri($"https://127.0.0.1:{port}/c"));
            Assert.True(tls!.Reason.StartsWith("TLS handshake failed: "), tls.Reason);
            Assert.DoesNotContain('\n', tls.Reason);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed.TotalSeconds:F1} s (retried?)");
        }
        finally
        {
            listener.Stop();
            await Task.WhenAny(serve, Task.Delay(2000));
        }
    }
}
