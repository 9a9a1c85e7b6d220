using System.Diagnostics;
using System.Text;
using Sitrep.Ingest.Web;

namespace Sitrep.Tests.Web;

/// <summary>The fetcher against a local server: retries, back-off, timeouts, redirects, conditional GET, politeness.</summary>
public sealed class HttpFetcherTests
{
    private static FetchOptions Fast => new()
    {
        Timeout = TimeSpan.FromSeconds(5), MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromSeconds(2), PerHostInterval = TimeSpan.Zero,
        AllowPrivate = true, // the test server is on 127.0.0.1
    };

    [Fact]
    public async Task NotFoundIsOneLineProblemAndNotRetried()
    {
        using var server = new LocalHttpServer();
        using var fetcher = new HttpFetcher(Fast);
        var url = server.Url("/gone");
        var (response, problem) = await fetcher.FetchAsync(new Uri(url));
        Assert.Null(response);
        Assert.Equal(url, problem!.Path);
        Assert.Equal("HTTP 404 Not Found", problem.Reason);
        Assert.Equal(1, server.Count("/gone"));
    }

    [Fact]
    public async Task ServerErrorThenSuccessIsRetriedWithBackoff()
    {
        using var server = new LocalHttpServer();
        int calls = 0;
        server.Map("/flaky", _ => Interlocked.Increment(ref calls) <= 2 ? LocalResponse.Text(500, "oops") : LocalResponse.Html(WebFixtures.Article("Floods", "Ana Silva", WebFixtures.FloodStory)));
        using var fetcher = new HttpFetcher(Fast);
        var (response, problem) = await fetcher.FetchAsync(new Uri(server.Url("/flaky")));
        Assert.Null(problem);
        Assert.Equal(200, response!.Status);
        Assert.Contains("Heavy rain", Encoding.UTF8.GetString(response.Body));
        Assert.Equal(3, server.Count("/flaky"));
        Assert.Equal(TimeSpan.FromMilliseconds(40), fetcher.Backoff(2));
    }

    [Fact]
    public async Task PersistentServerErrorGivesUpAfterMaxAttempts()
    {
        using var server = new LocalHttpServer();
        server.Map("/down", LocalResponse.Text(503, "busy"));
        using var fetcher = new HttpFetcher(Fast);
        var (_, problem) = await fetcher.FetchAsync(new Uri(server.Url("/down")));
        Assert.Equal("HTTP 503 Service Unavailable (after 3 attempts)", problem!.Reason);
        Assert.Equal(3, server.Count("/down"));
    }

    [Fact]
    public async Task TooManyRequestsHonoursRetryAfter()
    {
        using var server = new LocalHttpServer();
        int calls = 0;
        server.Map("/limited", _ => Interlocked.Increment(ref calls) == 1
            ? new LocalResponse(429, [], null, new Dictionary<string, string> { ["Retry-After"] = "1" })
            : LocalResponse.Html("<html><body><p>ok</p></body></html>"));
        using var fetcher = new HttpFetcher(Fast);
        var clock = Stopwatch.StartNew();
        var (response, problem) = await fetcher.FetchAsync(new Uri(server.Url("/limited")));
        Assert.Null(problem);
        Assert.Equal(200, response!.Status);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited only {clock.Elapsed.TotalMilliseconds} ms");

        server.Map("/later", new LocalResponse(429, [], null, new Dictionary<string, string> { ["Retry-After"] = "3600" }));
        var (_, refused) = await fetcher.FetchAsync(new Uri(server.Url("/later")));
        Assert.Contains("Retry-After 3600 s is longer than the 2 s limit", refused!.Reason);
        Assert.Equal(1, server.Count("/later"));
    }

    [Fact]
    public async Task TimeoutIsRetriedThenReported()
    {
        using var server = new LocalHttpServer();
        server.Map("/slow", new LocalResponse(200, "late"u8.ToArray(), Delay: TimeSpan.FromSeconds(3)));
        using var fetcher = new HttpFetcher(Fast with { Timeout = TimeSpan.FromMilliseconds(150), MaxAttempts = 2 });
        var clock = Stopwatch.StartNew();
        var (_, problem) = await fetcher.FetchAsync(new Uri(server.Url("/slow")));
        Assert.Equal("timed out after 0.15 s (after 2 attempts)", problem!.Reason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ConnectionRefusedIsAProblem()
    {
        int port;
        using (var probe = new LocalHttpServer()) port = probe.Port;
        using var fetcher = new HttpFetcher(Fast with { MaxAttempts = 1 });
        var (_, problem) = await fetcher.FetchAsync(new Uri($"http://127.0.0.1:{port}/x"));
        Assert.StartsWith("connection failed: ", problem!.Reason);
    }

    [Fact]
    public async Task UnknownHostIsADnsProblemNotRetried()
    {
        // A stub resolver that knows no name (as for .invalid, RFC 6761): no DNS query leaves the machine.
        var net = new StubNetwork(_ => []);
        using var fetcher = new HttpFetcher(Fast with { AllowPrivate = false }, network: net);
        var (_, problem) = await fetcher.FetchAsync(new Uri("http://sitrep-test.invalid/news"));
        Assert.Equal("http://sitrep-test.invalid/news", problem!.Path);
        Assert.Equal("DNS lookup failed for sitrep-test.invalid", problem.Reason);
        Assert.Equal(["sitrep-test.invalid"], net.Lookups);
        Assert.Empty(net.Connects);
    }

    [Fact]
    public async Task RedirectsAreFollowedAndLoopsStopped()
    {
        using var server = new LocalHttpServer();
        server.Map("/old", new LocalResponse(301, [], null, new Dictionary<string, string> { ["Location"] = "/moved" }));
        server.Map("/moved", new LocalResponse(302, [], null, new Dictionary<string, string> { ["Location"] = server.Url("/final") }));
        server.Map("/final", LocalResponse.Html("<html><body><p>here</p></body></html>"));
        server.Map("/a", new LocalResponse(302, [], null, new Dictionary<string, string> { ["Location"] = "/b" }));
        server.Map("/b", new LocalResponse(302, [], null, new Dictionary<string, string> { ["Location"] = "/a" }));
        using var fetcher = new HttpFetcher(Fast);

        var (response, _) = await fetcher.FetchAsync(new Uri(server.Url("/old")));
        Assert.Equal(server.Url("/final"), response!.Url.AbsoluteUri);
        Assert.Equal(server.Url("/old"), response.RequestedUrl.AbsoluteUri);

        server.Map("/tofail", new LocalResponse(301, [], null, new Dictionary<string, string> { ["Location"] = "/nothing-here" }));
        var (_, failed) = await fetcher.FetchAsync(new Uri(server.Url("/tofail")));
        Assert.Equal(server.Url("/tofail"), failed!.Path);
        Assert.Equal($"HTTP 404 Not Found (at {server.Url("/nothing-here")}, after redirects)", failed.Reason);

        var (_, loop) = await fetcher.FetchAsync(new Uri(server.Url("/a")));
        Assert.StartsWith("redirect loop (", loop!.Reason);
        Assert.Equal(server.Url("/a"), loop.Path);
    }

    [Fact]
    public async Task ConditionalGetReturnsNotModifiedOnSecondFetch()
    {
        using var server = new LocalHttpServer();
        server.Map("/page", req => req.Headers.TryGetValue("If-None-Match", out var tag) && tag == "\"v1\""
            ? new LocalResponse(304, [], null)
            : new LocalResponse(200, "<html><body><p>text</p></body></html>"u8.ToArray(), "text/html",
                new Dictionary<string, string> { ["ETag"] = "\"v1\"", ["Last-Modified"] = "Fri, 20 Nov 2026 08:00:00 GMT" }));
        var cache = new JsonHttpCache();
        using var fetcher = new HttpFetcher(Fast, cache);
        var (first, _) = await fetcher.FetchAsync(new Uri(server.Url("/page")));
        Assert.Equal(200, first!.Status);
        var (second, _) = await fetcher.FetchAsync(new Uri(server.Url("/page")));
        Assert.True(second!.NotModified);
        var sent = server.Requests.Last();
        Assert.Equal("\"v1\"", sent.Headers["If-None-Match"]);
        Assert.Equal("Fri, 20 Nov 2026 08:00:00 GMT", sent.Headers["If-Modified-Since"]);
        Assert.StartsWith("Sitrep/", sent.Headers["User-Agent"]);
        Assert.Contains("news research", sent.Headers["User-Agent"]);

        using var dir = new TempDir();
        await cache.SaveAsync(dir.File("c.json"));
        var loaded = await JsonHttpCache.LoadAsync(dir.File("c.json"));
        Assert.Equal("\"v1\"", loaded.Get(new Uri(server.Url("/page")))!.ETag);
    }

    [Fact]
    public async Task RequestsToOneHostAreSpacedOut()
    {
        using var server = new LocalHttpServer();
        server.Map("/p", LocalResponse.Html("<html><body><p>x</p></body></html>"));
        using var fetcher = new HttpFetcher(Fast with { PerHostInterval = TimeSpan.FromMilliseconds(150) });
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fetcher.FetchAsync(new Uri(server.Url("/p")))));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(440), $"4 requests took {clock.Elapsed.TotalMilliseconds} ms");
    }
}
