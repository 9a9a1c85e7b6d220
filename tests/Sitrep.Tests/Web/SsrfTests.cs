using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sitrep.Ingest.Web;

namespace Sitrep.Tests.Web;

/// <summary>
/// A stub network: names resolve from a table (a function, for rebinding), and a connection is never made to the address
/// asked for. An address listed in <see cref="RouteToLocal"/> is served by the local test server on 127.0.0.1; any other
/// connection attempt is recorded and fails, so no test can send traffic to a non-loopback address even when the check
/// under test is broken.
/// </summary>
internal sealed class StubNetwork(Func<string, IPAddress[]> resolve) : INetwork
{
    public ConcurrentQueue<string> Lookups { get; } = new();
    public ConcurrentQueue<IPEndPoint> Connects { get; } = new();
    public Dictionary<IPAddress, int> RouteToLocal { get; } = new();

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        Lookups.Enqueue(host);
        var found = resolve(host);
        return found.Length > 0 ? Task.FromResult(found) : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }

    public Task<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken ct)
    {
        Connects.Enqueue(endpoint);
        if (RouteToLocal.TryGetValue(endpoint.Address, out var port))
            return SystemNetwork.Instance.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
        return Task.FromException<Stream>(new SocketException((int)SocketError.ConnectionRefused));
    }
}

/// <summary>URL ingest refuses loopback, private, link-local, CGNAT, multicast, reserved and metadata destinations.</summary>
public sealed class SsrfTests
{
    // A public address that stands in for a real site; connections to it are routed to the local server by StubNetwork.
    private static readonly IPAddress Public = IPAddress.Parse("93.184.216.34");

    private static FetchOptions Options => new()
    {
        Timeout = TimeSpan.FromSeconds(5), MaxAttempts = 1, PerHostInterval = TimeSpan.Zero,
    };

    private const string Hint = " (use --allow-private for trusted intranets)";

    [Theory]
    [InlineData("127.0.0.1", "a loopback address")]
    [InlineData("127.255.0.9", "a loopback address")]
    [InlineData("::1", "a loopback address")]
    [InlineData("10.0.0.5", "a private address")]
    [InlineData("172.16.0.1", "a private address")]
    [InlineData("172.31.255.254", "a private address")]
    [InlineData("192.168.1.1", "a private address")]
    [InlineData("fc00::1", "a private address")]
    [InlineData("fd12:3456::1", "a private address")]
    [InlineData("169.254.1.1", "a link-local address")]
    [InlineData("fe80::1%2", "a link-local address")]
    [InlineData("100.64.0.1", "a shared (CGNAT) address")]
    [InlineData("100.127.255.254", "a shared (CGNAT) address")]
    [InlineData("224.0.0.1", "a multicast address")]
    [InlineData("239.255.255.250", "a multicast address")]
    [InlineData("ff02::1", "a multicast address")]
    [InlineData("0.0.0.0", "the unspecified address")]
    [InlineData("::", "the unspecified address")]
    [InlineData("0.1.2.3", "a 'this network' address")]
    [InlineData("255.255.255.255", "the broadcast address")]
    [InlineData("240.0.0.1", "a reserved address")]
    [InlineData("198.18.0.1", "a reserved address")]
    [InlineData("192.0.2.10", "a documentation address")]
    [InlineData("2001:db8::1", "a documentation address")]
    [InlineData("100::1", "a reserved address")]
    [InlineData("2001::1", "a reserved address")]               // Teredo
    [InlineData("169.254.169.254", "a cloud metadata address")]
    [InlineData("fd00:ec2::254", "a cloud metadata address")]
    [InlineData("::ffff:127.0.0.1", "a loopback address")]      // IPv4-mapped
    [InlineData("::ffff:a9fe:a9fe", "a cloud metadata address")]
    [InlineData("::127.0.0.1", "a loopback address")]           // IPv4-compatible (deprecated)
    [InlineData("::8.8.8.8", "a reserved address")]
    [InlineData("::ffff:0:10.0.0.1", "a private address")]      // IPv4-translated (SIIT)
    [InlineData("64:ff9b::10.0.0.5", "a private address")]      // NAT64 of a private address
    [InlineData("64:ff9b::127.0.0.1", "a loopback address")]
    [InlineData("64:ff9b:1::1", "a private address")]           // local-use NAT64
    [InlineData("2002:a00:5::1", "a private address")]          // 6to4 of 10.0.0.5
    [InlineData("2002:7f00:1::", "a loopback address")]         // 6to4 of 127.0.0.1
    [InlineData("2002:a9fe:a9fe::", "a cloud metadata address")]
    public void RefusedAddressesAreNamed(string address, string kind) =>
        Assert.Equal(kind, AddressPolicy.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]      // just past 172.16/12
    [InlineData("100.128.0.1")]     // just past 100.64/10
    [InlineData("11.0.0.1")]
    [InlineData("223.255.255.254")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("64:ff9b::8.8.8.8")] // NAT64 of a public address
    [InlineData("2002:808:808::1")]  // 6to4 of 8.8.8.8
    public void PublicAddressesAreAllowed(string address) => Assert.Null(AddressPolicy.Classify(IPAddress.Parse(address)));

    /// <summary>Every spelling of a refused host is refused before any lookup or connection.</summary>
    [Theory]
    [InlineData("http://127.0.0.1/", "127.0.0.1 is a loopback address")]
    [InlineData("http://2130706433/", "127.0.0.1 is a loopback address")]
    [InlineData("http://0x7f000001/", "127.0.0.1 is a loopback address")]
    [InlineData("http://0x7f.0.0.1/", "127.0.0.1 is a loopback address")]
    [InlineData("http://0177.0.0.1/", "127.0.0.1 is a loopback address")]
    [InlineData("http://017700000001/", "127.0.0.1 is a loopback address")]
    [InlineData("http://127.1/", "127.0.0.1 is a loopback address")]
    [InlineData("http://[::1]:8080/", "::1 is a loopback address")]
    [InlineData("http://[0:0:0:0:0:0:0:1]/", "::1 is a loopback address")]
    [InlineData("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is a loopback address")]
    [InlineData("http://[::ffff:7f00:1]/", "::ffff:127.0.0.1 is a loopback address")]
    [InlineData("http://[64:ff9b::a00:5]/", "64:ff9b::a00:5 is a private address")]
    [InlineData("http://[2002:c0a8:101::1]/", "2002:c0a8:101::1 is a private address")]
    [InlineData("http://localhost:9200/", "localhost is a loopback name")]
    [InlineData("http://LOCALHOST./", "localhost. is a loopback name")]
    [InlineData("http://api.localhost/", "api.localhost is a loopback name")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address")]
    [InlineData("http://0xa9fea9fe/", "169.254.169.254 is a cloud metadata address")]
    [InlineData("http://2852039166/", "169.254.169.254 is a cloud metadata address")]
    [InlineData("http://[fd00:ec2::254]/", "fd00:ec2::254 is a cloud metadata address")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal is a cloud metadata name")]
    [InlineData("http://10.0.0.1/", "10.0.0.1 is a private address")]
    [InlineData("http://012.0.0.1/", "10.0.0.1 is a private address")]
    [InlineData("http://0xc0a80001/", "192.168.0.1 is a private address")]
    [InlineData("http://0/", "0.0.0.0 is the unspecified address")]
    [InlineData("https://[fe80::1]/", "fe80::1 is a link-local address")]
    public async Task EverySpellingIsRefusedBeforeAnyTraffic(string url, string why)
    {
        var net = new StubNetwork(_ => [Public]);
        using var fetcher = new HttpFetcher(Options, network: net);
        var (response, problem) = await fetcher.FetchAsync(new Uri(url));
        Assert.Null(response);
        Assert.Equal(url, problem!.Path);
        Assert.Equal($"refused: {why}{Hint}", problem.Reason);
        Assert.Empty(net.Lookups);
        Assert.Empty(net.Connects);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public int Calls;
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html><body><p>x</p></body></html>") });
        }
    }

    [Fact]
    public async Task TheUrlsHostIsCheckedEvenWithACustomTransport()
    {
        // A caller-supplied handler has no connect callback; the URL's own host is still checked before any request.
        var handler = new RecordingHandler();
        using var fetcher = new HttpFetcher(Options, handler: handler);
        var (_, p1) = await fetcher.FetchAsync(new Uri("http://0xa9fea9fe/latest/"));
        Assert.Equal($"refused: 169.254.169.254 is a cloud metadata address{Hint}", p1!.Reason);
        var (_, p2) = await fetcher.FetchAsync(new Uri("http://metadata.google.internal/"));
        Assert.Equal($"refused: metadata.google.internal is a cloud metadata name{Hint}", p2!.Reason);
        Assert.Equal(0, handler.Calls);
        var (ok, _) = await fetcher.FetchAsync(new Uri("http://news.example/"));
        Assert.Equal(200, ok!.Status);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task ANameResolvingToAPrivateAddressIsRefusedWithoutConnecting()
    {
        var net = new StubNetwork(h => h == "evil.example" ? [IPAddress.Parse("10.0.0.5")] : []);
        using var fetcher = new HttpFetcher(Options, network: net);
        var (_, problem) = await fetcher.FetchAsync(new Uri("http://evil.example/admin"));
        Assert.Equal($"refused: evil.example resolves to 10.0.0.5, a private address{Hint}", problem!.Reason);
        Assert.Equal(["evil.example"], net.Lookups);
        Assert.Empty(net.Connects);

        // Every address of the name is checked: a name with only refused ones is refused, naming the first.
        var many = new StubNetwork(_ => [IPAddress.Parse("169.254.169.254"), IPAddress.Parse("::1"), IPAddress.Parse("::ffff:192.168.0.1")]);
        using var fetcher2 = new HttpFetcher(Options, network: many);
        var (_, p2) = await fetcher2.FetchAsync(new Uri("http://meta.example/"));
        Assert.Equal($"refused: meta.example resolves to 169.254.169.254, a cloud metadata address{Hint}", p2!.Reason);
        Assert.Empty(many.Connects);
    }

    [Fact]
    public async Task OnlyAnAllowedAddressOfANameIsConnectedTo()
    {
        using var server = new LocalHttpServer();
        server.Map("/news", LocalResponse.Html(WebFixtures.Article("Floods", "Ana Silva", WebFixtures.FloodStory)));
        var net = new StubNetwork(_ => [IPAddress.Parse("127.0.0.1"), IPAddress.Parse("10.1.1.1"), Public]);
        net.RouteToLocal[Public] = server.Port;
        using var fetcher = new HttpFetcher(Options, network: net);
        var (response, problem) = await fetcher.FetchAsync(new Uri($"http://mixed.example:{server.Port}/news"));
        Assert.Null(problem);
        Assert.Contains("Heavy rain", Encoding.UTF8.GetString(response!.Body));
        Assert.Equal([new IPEndPoint(Public, server.Port)], net.Connects);
    }

    [Fact]
    public async Task RedirectsToPrivateAddressesAreRefused()
    {
        using var server = new LocalHttpServer();
        var net = new StubNetwork(h => h switch
        {
            "news.example" => [Public],
            "intranet.example" => [IPAddress.Parse("192.168.10.20")],
            _ => [],
        });
        net.RouteToLocal[Public] = server.Port;
        server.Map("/to-literal", new LocalResponse(302, [], null, new Dictionary<string, string> { ["Location"] = "http://0xa9fea9fe/latest/meta-data/" }));
        server.Map("/to-name", new LocalResponse(301, [], null, new Dictionary<string, string> { ["Location"] = "http://intranet.example/wiki" }));
        server.Map("/to-mapped", new LocalResponse(307, [], null, new Dictionary<string, string> { ["Location"] = "http://[::ffff:10.0.0.1]/" }));
        using var fetcher = new HttpFetcher(Options, network: net);

        var root = $"http://news.example:{server.Port}";
        var (_, p1) = await fetcher.FetchAsync(new Uri(root + "/to-literal"));
        Assert.Equal($"refused: 169.254.169.254 is a cloud metadata address{Hint} (at http://169.254.169.254/latest/meta-data/, after redirects)", p1!.Reason);
        var (_, p2) = await fetcher.FetchAsync(new Uri(root + "/to-name"));
        Assert.Equal($"refused: intranet.example resolves to 192.168.10.20, a private address{Hint} (at http://intranet.example/wiki, after redirects)", p2!.Reason);
        var (_, p3) = await fetcher.FetchAsync(new Uri(root + "/to-mapped"));
        Assert.StartsWith("refused: ::ffff:10.0.0.1 is a private address", p3!.Reason);
        Assert.All(net.Connects, c => Assert.Equal(Public, c.Address));
        Assert.Equal(3, net.Connects.Count);
    }

    [Fact]
    public async Task DnsRebindingIsCaughtOnTheNextConnection()
    {
        using var server = new LocalHttpServer();
        server.Map("/a", LocalResponse.Html("<html><body><p>first answer</p></body></html>"));
        server.Map("/b", LocalResponse.Html("<html><body><p>second answer</p></body></html>"));
        int lookups = 0;
        // The first lookup gives a public address, every later one the loopback address (a TTL-0 rebinding attack).
        var net = new StubNetwork(_ => Interlocked.Increment(ref lookups) == 1 ? [Public] : [IPAddress.Loopback]);
        net.RouteToLocal[Public] = server.Port;
        using var fetcher = new HttpFetcher(Options, network: net);
        var root = $"http://rebind.example:{server.Port}";
        var (first, p1) = await fetcher.FetchAsync(new Uri(root + "/a"));
        Assert.Null(p1);
        Assert.Equal(200, first!.Status);
        var (_, p2) = await fetcher.FetchAsync(new Uri(root + "/b"));
        Assert.Equal($"refused: rebind.example resolves to 127.0.0.1, a loopback address{Hint}", p2!.Reason);
        Assert.Equal(1, server.Count("/a"));
        Assert.Equal(0, server.Count("/b"));
        Assert.Single(net.Connects);
    }

    [Fact]
    public async Task FeedItemsPointingAtPrivateAddressesAreRefusedAndTheOthersRead()
    {
        using var server = new LocalHttpServer();
        var net = new StubNetwork(h => h == "news.example" ? [Public] : h == "db.example" ? [IPAddress.Parse("100.100.100.200")] : []);
        net.RouteToLocal[Public] = server.Port;
        var root = $"http://news.example:{server.Port}";
        server.Map("/feed.xml", new LocalResponse(200, Encoding.UTF8.GetBytes(WebFixtures.Rss("News",
            ("Metadata", "http://169.254.169.254/latest/meta-data/iam/", "m", "Tue, 24 Nov 2026 09:15:00 GMT", "X"),
            ("Internal", "http://db.example/", "d", "Tue, 24 Nov 2026 09:14:00 GMT", "X"),
            ("Floods", root + "/floods", "f", "Tue, 24 Nov 2026 09:13:00 GMT", "Ana Silva"))), "application/rss+xml"));
        server.Map("/floods", LocalResponse.Html(WebFixtures.Article("Floods", "Ana Silva", WebFixtures.FloodStory)));
        using var fetcher = new HttpFetcher(Options, network: net);
        var inputs = new List<SourceInput>();
        await foreach (var i in new WebSource(fetcher).ReadAsync([new Uri(root + "/feed.xml")])) inputs.Add(i);
        Assert.Equal(3, inputs.Count);
        Assert.Equal($"refused: 169.254.169.254 is a cloud metadata address{Hint}", inputs[0].Problem!.Reason);
        Assert.Equal("http://169.254.169.254/latest/meta-data/iam/", inputs[0].Path);
        Assert.Equal($"refused: db.example resolves to 100.100.100.200, a shared (CGNAT) address{Hint}", inputs[1].Problem!.Reason);
        Assert.Null(inputs[2].Problem);
        Assert.Contains("Heavy rain", inputs[2].Decode().Document!.Text);
        Assert.All(net.Connects, c => Assert.Equal(Public, c.Address));
    }

    [Fact]
    public async Task LoopbackServerIsRefusedByDefaultAndReachedWithAllowPrivate()
    {
        using var server = new LocalHttpServer();
        server.Map("/page", LocalResponse.Html(WebFixtures.Article("Floods", "Ana Silva", WebFixtures.FloodStory)));
        var url = server.Url("/page");

        using (var guarded = new HttpFetcher(Options))
        {
            var (response, problem) = await guarded.FetchAsync(new Uri(url));
            Assert.Null(response);
            Assert.Equal($"{url}: refused: 127.0.0.1 is a loopback address (use --allow-private for trusted intranets)", problem!.ToString());
            var (_, byName) = await guarded.FetchAsync(new Uri($"http://localhost:{server.Port}/page"));
            Assert.Equal($"refused: localhost is a loopback name{Hint}", byName!.Reason);
        }
        Assert.Empty(server.Requests);

        // The connect-time check on its own (a handler given no URL pre-check): the real system resolver maps
        // localhost.localdomain-style names; here a stub maps a public-looking name to the server's loopback address.
        var net = new StubNetwork(_ => [IPAddress.Loopback]);
        using (var viaName = new HttpFetcher(Options, network: net))
        {
            var (_, p) = await viaName.FetchAsync(new Uri($"http://looks-public.example:{server.Port}/page"));
            Assert.Equal($"refused: looks-public.example resolves to 127.0.0.1, a loopback address{Hint}", p!.Reason);
        }
        Assert.Empty(server.Requests);

        using var open = new HttpFetcher(Options with { AllowPrivate = true });
        var (ok, none) = await open.FetchAsync(new Uri(url));
        Assert.Null(none);
        Assert.Equal(200, ok!.Status);
        Assert.Equal(1, server.Count("/page"));
    }

    [Fact]
    public async Task CliRefusesLoopbackInOneLineStoresTheRestAndAllowPrivateLetsItThrough()
    {
        using var server = new LocalHttpServer();
        using var dir = new TempDir();
        server.Map("/page", LocalResponse.Html(WebFixtures.Article("Floods force thousands from homes", "Ana Silva", WebFixtures.FloodStory)));
        var text = dir.File("port.txt");
        File.WriteAllText(text, string.Join("\n\n", WebFixtures.PortStory));
        var db = dir.File("t.db");

        var refused = await CliRunner.RunAsync(["ingest", server.Url("/page"), $"http://[::ffff:127.0.0.1]:{server.Port}/page", text, "--db", db, "--host-delay", "0", "--quiet"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal(
            [
                $"sitrep: {server.Url("/page")}: refused: 127.0.0.1 is a loopback address (use --allow-private for trusted intranets)",
                $"sitrep: http://[::ffff:127.0.0.1]:{server.Port}/page: refused: ::ffff:127.0.0.1 is a loopback address (use --allow-private for trusted intranets)",
            ], refused.ErrLines);
        Assert.Empty(server.Requests);

        var allowed = await CliRunner.RunAsync(["ingest", server.Url("/page"), "--db", db, "--host-delay", "0", "--quiet", "--allow-private"]);
        Assert.Equal("", allowed.Err);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal(1, server.Count("/page"));
        await using var store = await Sitrep.Store.SqliteStore.OpenAsync(db, readOnly: true);
        var files = store.DumpRows().Where(r => r.StartsWith("files|")).ToList();
        Assert.Equal(2, files.Count);
        Assert.Contains(files, f => f.Contains("port.txt"));
        Assert.Contains(files, f => f.Contains("/page|"));
    }

    [Fact]
    public async Task WatchHasTheSameCheck()
    {
        using var server = new LocalHttpServer();
        using var dir = new TempDir();
        server.Map("/feed.xml", new LocalResponse(200, Encoding.UTF8.GetBytes(WebFixtures.Rss("News",
            ("Floods", server.Url("/floods"), "g1", "Tue, 24 Nov 2026 09:15:00 GMT", "Ana Silva"))), "application/rss+xml"));
        server.Map("/floods", LocalResponse.Html(WebFixtures.Article("Floods force thousands from homes", "Ana Silva", WebFixtures.FloodStory)));
        var list = dir.File("feeds.txt");
        File.WriteAllText(list, server.Url("/feed.xml") + "\n");
        var db = dir.File("t.db");
        var r1 = await CliRunner.RunAsync(["watch", list, "--once", "--db", db, "--host-delay", "0", "--quiet"]);
        Assert.Equal(1, r1.ExitCode);
        Assert.Equal($"sitrep: {server.Url("/feed.xml")}: refused: 127.0.0.1 is a loopback address (use --allow-private for trusted intranets)", Assert.Single(r1.ErrLines));
        Assert.Empty(server.Requests);
        var r2 = await CliRunner.RunAsync(["watch", list, "--once", "--db", db, "--host-delay", "0", "--quiet", "--allow-private"]);
        Assert.Equal("", r2.Err);
        Assert.Equal(0, r2.ExitCode);
        Assert.Equal(1, server.Count("/floods"));
    }
}
