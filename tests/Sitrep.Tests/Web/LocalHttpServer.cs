using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sitrep.Tests.Web;

/// <summary>A request as the test server saw it.</summary>
public sealed record LocalRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// What the test server answers; <see cref="Delay"/> holds the answer back (to provoke timeouts). <see cref="NoLength"/>
/// sends no Content-Length (the body ends when the connection closes); <see cref="ClaimedLength"/> announces a length
/// other than the body's (a body cut short).
/// </summary>
public sealed record LocalResponse(int Status, byte[] Body, string? ContentType = "text/html; charset=utf-8", IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default,
    bool NoLength = false, long? ClaimedLength = null)
{
    public static LocalResponse Html(string html) => new(200, Encoding.UTF8.GetBytes(html));
    public static LocalResponse Text(int status, string text, string? type = "text/plain") => new(status, Encoding.UTF8.GetBytes(text), type);
}

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 and a free port, one connection per request (Connection: close), for tests:
/// routes map a path to a handler; every request is recorded.
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Func<LocalRequest, LocalResponse>> _routes = new();
    public ConcurrentQueue<LocalRequest> Requests { get; } = new();

    public LocalHttpServer()
    {
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";
    public void Map(string path, Func<LocalRequest, LocalResponse> handler) => _routes[path] = handler;
    public void Map(string path, LocalResponse response) => _routes[path] = _ => response;
    public int Count(string path) => Requests.Count(r => r.Path == path);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var one = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                {
                    if (await stream.ReadAsync(one, _stop.Token) == 0) return;
                    head.Append((char)one[0]);
                }
                var lines = head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
                var first = lines[0].Split(' ');
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var l in lines.Skip(1))
                {
                    int c = l.IndexOf(':');
                    if (c > 0) headers[l[..c].Trim()] = l[(c + 1)..].Trim();
                }
                var request = new LocalRequest(first[0], first[1], headers);
                Requests.Enqueue(request);
                var response = _routes.TryGetValue(request.Path, out var h) ? h(request) : LocalResponse.Text(404, "not found");
                if (response.Delay > TimeSpan.Zero) await Task.Delay(response.Delay, _stop.Token);
                var sb = new StringBuilder();
                sb.Append($"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\n");
                if (response.ContentType != null) sb.Append($"Content-Type: {response.ContentType}\r\n");
                if (!response.NoLength) sb.Append($"Content-Length: {response.ClaimedLength ?? response.Body.Length}\r\n");
                sb.Append("Connection: close\r\n");
                foreach (var (k, v) in response.Headers ?? new Dictionary<string, string>()) sb.Append($"{k}: {v}\r\n");
                sb.Append("\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(sb.ToString()), _stop.Token);
                await stream.WriteAsync(response.Body, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
        }
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK", 301 => "Moved Permanently", 302 => "Found", 304 => "Not Modified", 404 => "Not Found",
        429 => "Too Many Requests", 500 => "Internal Server Error", 503 => "Service Unavailable", _ => "Status",
    };

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}

/// <summary>Small realistic pages and feeds for the web tests.</summary>
public static class WebFixtures
{
    public static string Article(string title, string byline, params string[] paragraphs) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{title} | The Valley Herald</title>
        <meta property="og:site_name" content="The Valley Herald"><meta name="author" content="{byline}">
        <meta property="article:published_time" content="2026-11-20T08:30:00Z"></head>
        <body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
        <article><h1>{title}</h1><p class="byline">By {byline}</p>
        {string.Join("\n", paragraphs.Select(p => $"<p>{p}</p>"))}
        </article><footer>© 2026 The Valley Herald. All rights reserved.</footer></body></html>
        """;

    public static readonly string[] FloodStory =
    [
        "Heavy rain swept across the northern provinces on Tuesday, forcing thousands of residents to leave their homes as rivers burst their banks.",
        "The regional emergency agency said 4,200 people had been moved to temporary shelters in schools and sports halls, and that two bridges had been closed.",
        "\"We have not seen water at this level since 1998,\" said Ana Ribeiro, the agency's director, speaking at a news conference in the provincial capital.",
        "Forecasters expect the rain to ease on Thursday, but warned that river levels could keep rising downstream for several days.",
    ];

    public static readonly string[] PortStory =
    [
        "Dock workers at the country's largest container port walked off the job on Monday after talks over pay and automation broke down.",
        "The union said the strike would last 48 hours and that further stoppages were planned for next month unless the operator returned to the table.",
        "Shipping lines diverted at least six vessels to other ports, and exporters warned of delays to fruit and car shipments.",
    ];

    public static string Rss(string title, params (string Title, string Link, string Guid, string PubDate, string Author)[] items) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel><title>{title}</title><link>http://example.invalid/</link><description>Latest news</description>
          {string.Join("\n", items.Select(i => $"<item><title>{i.Title}</title><link>{i.Link}</link><guid isPermaLink=\"false\">{i.Guid}</guid><pubDate>{i.PubDate}</pubDate><dc:creator>{i.Author}</dc:creator><description>Summary of {i.Title}</description></item>"))}
          </channel>
        </rss>
        """;
}
