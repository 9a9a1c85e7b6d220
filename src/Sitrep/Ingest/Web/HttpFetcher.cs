using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;

namespace Sitrep.Ingest.Web;

/// <summary>How politely and how stubbornly to fetch.</summary>
public sealed record FetchOptions
{
    /// <summary>Time allowed for one attempt (connect, headers and body).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Attempts in all for a retryable failure (timeout, connection error, 5xx, 429).</summary>
    public int MaxAttempts { get; init; } = 4;
    /// <summary>First back-off delay; it doubles on each retry.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Longest single wait, also the most a Retry-After is honoured for (longer → give up).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Least time between the starts of two requests to the same host.</summary>
    public TimeSpan PerHostInterval { get; init; } = TimeSpan.FromSeconds(1);
    public int MaxRedirects { get; init; } = 10;
    /// <summary>Most bytes of a response body, both as sent (compressed) and after decompression.</summary>
    public long MaxBytes { get; init; } = SourceLoader.MaxFileBytes;
    /// <summary>
    /// Most a compressed body may expand, as decompressed bytes per compressed byte; checked once more than
    /// <see cref="RatioFloorBytes"/> have come out, so small pages of repeated markup are never caught by it.
    /// </summary>
    public int MaxCompressionRatio { get; init; } = 100;
    public long RatioFloorBytes { get; init; } = 1024 * 1024;
    public string UserAgent { get; init; } = HttpFetcher.DefaultUserAgent;
    /// <summary>
    /// Also connect to loopback, private, link-local, CGNAT, multicast, reserved and metadata addresses (off by default;
    /// for trusted intranets). When on, the system proxy settings are honoured; when off, connections are direct, since
    /// a proxy would hide the destination from the check.
    /// </summary>
    public bool AllowPrivate { get; init; }
}

/// <summary>A successful fetch (200), or a 304 when the cached validators still hold (<see cref="NotModified"/>).</summary>
public sealed record FetchResponse(Uri RequestedUrl, Uri Url, int Status, byte[] Body, string? ContentType, string? ETag, string? LastModified, DateTimeOffset Fetched)
{
    public bool NotModified => Status == 304;
    public string? MediaType => Charsets.MediaType(ContentType);
    public string? Charset => Charsets.FromContentType(ContentType);
    public DateTimeOffset? LastModifiedDate =>
        LastModified != null && DateTimeOffset.TryParse(LastModified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;
}

/// <summary>
/// GETs URLs politely: a User-Agent naming the project, one request start per host per interval, conditional GET from
/// an <see cref="IHttpCache"/>, bounded redirects (loops detected), per-attempt timeouts and retries with exponential
/// back-off for timeouts, connection failures, 5xx and 429 (honouring Retry-After); never for other 4xx. Every failure
/// comes back as an <see cref="InputProblem"/> naming the URL with a one-line reason.
/// Unless <see cref="FetchOptions.AllowPrivate"/>, every connection goes through <see cref="AddressPolicy.ConnectAsync"/>
/// (the resolved address is checked on each connect, so redirects, feed links and DNS rebinding change nothing), and a
/// URL whose host is a refused IP literal or name is refused before any lookup. Bodies are decompressed here, counted
/// compressed and decompressed, and cut at <see cref="FetchOptions.MaxBytes"/> and <see cref="FetchOptions.MaxCompressionRatio"/>.
/// </summary>
public sealed class HttpFetcher : IDisposable
{
    public static string DefaultUserAgent { get; } =
        $"Sitrep/{typeof(HttpFetcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.1"} (+https://github.com/sitrep; news research)";

    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly IHttpCache? _cache;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, HostSlot> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public FetchOptions Options { get; }

    /// <param name="handler">Replaces the whole transport (tests); the address check then runs only on the URL's host.</param>
    /// <param name="network">Resolver and connector used by the address check (tests stub them); the system's by default.</param>
    public HttpFetcher(FetchOptions? options = null, IHttpCache? cache = null, HttpMessageHandler? handler = null, TimeProvider? time = null, INetwork? network = null)
    {
        Options = options ?? new FetchOptions();
        _cache = cache;
        _time = time ?? TimeProvider.System;
        var net = network ?? SystemNetwork.Instance;
        bool allowPrivate = Options.AllowPrivate;
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None, // decompressed in ReadBodyAsync, where it is counted
            ConnectTimeout = Options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = allowPrivate,
            ConnectCallback = (context, ct) =>
                new ValueTask<Stream>(AddressPolicy.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, allowPrivate, net, ct)),
        };
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _ownsClient = true;
    }

    public void Dispose() { if (_ownsClient) _http.Dispose(); }

    /// <summary>Drops the remembered validators of a URL, so the next fetch is unconditional.</summary>
    public void ForgetValidators(Uri url) => _cache?.Remove(url);

    private sealed class HostSlot
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public DateTimeOffset Next;
    }

    /// <summary>Fetches one URL following redirects. Cancellation by <paramref name="ct"/> throws; everything else is a problem.</summary>
    public async Task<(FetchResponse? Response, InputProblem? Problem)> FetchAsync(Uri url, CancellationToken ct = default)
    {
        var name = url.OriginalString;
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            return (null, new InputProblem(name, "not an http(s) URL"));
        var current = url;
        var visited = new List<Uri> { url };
        for (int hop = 0; ; hop++)
        {
            var (response, location, problem) = await FetchOnceAsync(url, current, ct).ConfigureAwait(false);
            if (problem != null) return (null, problem);
            if (response != null) return (response, null);
            // A redirect.
            if (hop >= Options.MaxRedirects) return (null, new InputProblem(name, $"too many redirects (more than {Options.MaxRedirects})"));
            var next = location!;
            if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
                return (null, new InputProblem(name, $"redirected to an unsupported URL ({next.OriginalString})"));
            if (visited.Any(v => v.AbsoluteUri == next.AbsoluteUri))
                return (null, new InputProblem(name, $"redirect loop ({string.Join(" -> ", visited.Append(next).Select(v => v.AbsoluteUri))})"));
            visited.Add(next);
            current = next;
        }
    }

    /// <summary>One URL with retries: a response (200/304), a redirect target, or a problem.</summary>
    private async Task<(FetchResponse? Response, Uri? Location, InputProblem? Problem)> FetchOnceAsync(Uri requested, Uri url, CancellationToken ct)
    {
        var name = requested.OriginalString;
        string where = requested.AbsoluteUri == url.AbsoluteUri ? "" : $" (at {url.AbsoluteUri}, after redirects)";
        string? lastFailure = null;
        int attempts = Math.Max(1, Options.MaxAttempts);
        if (!Options.AllowPrivate && RefusedHost(url) is { } refusedHost) return (null, null, Refused(name, refusedHost, where));
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            TimeSpan? retryAfter = null;
            await WaitForHostAsync(url, ct).ConfigureAwait(false);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(Options.Timeout);
            try
            {
                // HTTP/1.1 only: HTTP/3 (QUIC) would not go through the connect callback that checks addresses.
                using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
                request.Headers.UserAgent.ParseAdd(Options.UserAgent);
                request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
                request.Headers.Accept.ParseAdd("text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/plain;q=0.8, */*;q=0.5");
                var validators = _cache?.Get(url);
                if (validators?.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag)) request.Headers.IfNoneMatch.Add(tag);
                if (validators?.LastModified is { } lm && DateTimeOffset.TryParse(lm, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
                    request.Headers.IfModifiedSince = since;

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    var loc = response.Headers.Location;
                    if (loc == null)
                        return (null, null, new InputProblem(name, response.Headers.NonValidated.TryGetValues("Location", out var raw)
                            ? $"HTTP {status} redirect to an invalid Location ({Clip(raw.ToString())}){where}"
                            : $"HTTP {status} redirect without a Location header{where}"));
                    if (loc.IsAbsoluteUri) return (null, loc, null);
                    return Uri.TryCreate(url, loc, out var resolved)
                        ? (null, resolved, null)
                        : (null, null, new InputProblem(name, $"HTTP {status} redirect to an invalid Location ({Clip(loc.OriginalString)}){where}"));
                }
                if (status == 304 && validators != null)
                    return (new FetchResponse(requested, url, 304, [], null, validators.ETag, validators.LastModified, _time.GetUtcNow()), null, null);
                if (status is >= 200 and < 300)
                {
                    long? length = response.Content.Headers.ContentLength;
                    if (length > Options.MaxBytes) return (null, null, new InputProblem(name, $"response too large ({Size(length.Value)}; the limit is {Size(Options.MaxBytes)}){where}"));
                    var body = await ReadBodyAsync(response.Content, cts.Token).ConfigureAwait(false);
                    var etagOut = response.Headers.ETag?.ToString();
                    var lmOut = response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture);
                    if (_cache != null && (etagOut != null || lmOut != null)) _cache.Set(url, new HttpValidators(etagOut, lmOut));
                    return (new FetchResponse(requested, url, status, body, response.Content.Headers.ContentType?.ToString(), etagOut, lmOut, _time.GetUtcNow()), null, null);
                }
                lastFailure = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
                if (status == 429 || status >= 500)
                {
                    retryAfter = RetryAfter(response);
                    if (retryAfter > Options.MaxDelay)
                        return (null, null, new InputProblem(name, $"{lastFailure}{where}; Retry-After {retryAfter.Value.TotalSeconds:F0} s is longer than the {Options.MaxDelay.TotalSeconds:F0} s limit"));
                }
                else return (null, null, new InputProblem(name, lastFailure + where)); // 4xx and anything else: not retried
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                lastFailure = $"timed out after {Options.Timeout.TotalSeconds:0.###} s";
            }
            catch (Exception e) when (Find<AddressRefusedException>(e) is { } refused)
            {
                return (null, null, Refused(name, refused.Message, where));
            }
            catch (Exception e) when (Find<BodyLimitException>(e) is { } limit)
            {
                return (null, null, new InputProblem(name, limit.Message + where));
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.NameResolutionError
                || Find<SocketException>(e) is { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
            {
                return (null, null, new InputProblem(name, $"DNS lookup failed for {url.Host}{where}"));
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.InvalidResponse)
            {
                // Not HTTP (or broken HTTP): the same bytes would come again, so it is not retried.
                return (null, null, new InputProblem(name, $"invalid HTTP response: {Clip(e.InnerException?.Message ?? e.Message)}{where}"));
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
            {
                return (null, null, new InputProblem(name, $"TLS handshake failed: {Clip(e.InnerException?.Message ?? e.Message)}{where}"));
            }
            catch (HttpRequestException e)
            {
                lastFailure = "connection failed: " + Clip(e.InnerException?.Message ?? e.Message);
            }
            catch (IOException e)
            {
                lastFailure = "connection failed: " + Clip(e.Message);
            }
            catch (InvalidDataException e)
            {
                // A corrupt gzip, deflate or brotli body: the same bytes would come again, so it is not retried.
                return (null, null, new InputProblem(name, $"cannot decompress the response: {Clip(e.Message)}{where}"));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Anything else (a header the client cannot parse, an unexpected failure): one line for this URL, the run goes on.
                return (null, null, new InputProblem(name, $"fetch failed: {Clip(e.Message)}{where}"));
            }
            if (attempt == attempts) break;
            var delay = retryAfter ?? Backoff(attempt);
            if (retryAfter != null) PushHost(url, delay);
            await Task.Delay(delay, _time, ct).ConfigureAwait(false);
        }
        return (null, null, new InputProblem(name, (attempts > 1 ? $"{lastFailure} (after {attempts} attempts)" : lastFailure!) + where));
    }

    /// <summary>"refused: 127.0.0.1 is a loopback address (use --allow-private for trusted intranets)".</summary>
    private static InputProblem Refused(string name, string why, string where) =>
        new(name, $"refused: {why} (use --allow-private for trusted intranets){where}");

    /// <summary>Why the URL's host itself is refused (an IP literal in any spelling, localhost, a metadata name), or null.</summary>
    public static string? RefusedHost(Uri url)
    {
        var host = url.DnsSafeHost;
        if (System.Net.IPAddress.TryParse(host, out var ip)) return AddressPolicy.Classify(ip) is { } kind ? $"{ip} is {kind}" : null;
        return AddressPolicy.ClassifyName(host) is { } nameKind ? $"{host} is {nameKind}" : null;
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (int depth = 0; e != null && depth < 16; depth++, e = e.InnerException)
        {
            if (e is T t) return t;
            if (e is AggregateException { InnerExceptions.Count: > 0 } agg && agg.InnerExceptions.Select(Find<T>).FirstOrDefault(x => x != null) is { } inner) return inner;
        }
        return null;
    }

    /// <summary>One line, no control characters, at most 200 characters: for messages that carry text from the server.</summary>
    private static string Clip(string s)
    {
        var line = new string(SourceLoader.OneLine(s).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return line.Length <= 200 ? line : Sitrep.Text.TextCut.Prefix(line, 197) + "...";
    }

    internal static string Size(long bytes) => bytes >= 1024 * 1024
        ? $"{bytes / (1024.0 * 1024):0.#} MB"
        : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KB" : $"{bytes} bytes";

    /// <summary>Exponential back-off: base × 2^(attempt−1), capped.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var d = Options.BaseDelay * Math.Pow(2, attempt - 1);
        return d > Options.MaxDelay ? Options.MaxDelay : d;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var ra = response.Headers.RetryAfter;
        if (ra == null) return null;
        if (ra.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (ra.Date is { } date) { var d = date - _time.GetUtcNow(); return d < TimeSpan.Zero ? TimeSpan.Zero : d; }
        return null;
    }

    /// <summary>A body limit that tripped; its message is the one-line reason.</summary>
    private sealed class BodyLimitException(string message) : Exception(message);

    /// <summary>Counts the bytes read from the wire and stops at the limit (a stream of empty deflate blocks yields nothing but must still end).</summary>
    private sealed class CountingStream(Stream inner, long limit, bool compressed) : Stream
    {
        public long Count { get; private set; }
        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            Counted(await inner.ReadAsync(buffer, ct).ConfigureAwait(false));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
        private int Counted(int n)
        {
            Count += n;
            if (Count > limit) throw new BodyLimitException($"response too large (over {Size(limit)}{(compressed ? " compressed" : "")})");
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }

    /// <summary>
    /// Reads the body, undoing its Content-Encoding (gzip, deflate, br; at most 3 layers), and stops with a
    /// <see cref="BodyLimitException"/> as soon as the compressed or decompressed bytes pass <see cref="FetchOptions.MaxBytes"/>
    /// or the decompressed bytes pass <see cref="FetchOptions.MaxCompressionRatio"/> times the compressed bytes read.
    /// </summary>
    private async Task<byte[]> ReadBodyAsync(HttpContent content, CancellationToken ct)
    {
        var codings = content.Headers.ContentEncoding.Select(c => c.Trim().ToLowerInvariant()).Where(c => c is not ("" or "identity")).ToList();
        if (codings.Count > 3) throw new BodyLimitException($"too many Content-Encoding layers ({codings.Count}; the limit is 3)");
        var wire = new CountingStream(await content.ReadAsStreamAsync(ct).ConfigureAwait(false), Options.MaxBytes, compressed: codings.Count > 0);
        Stream s = wire;
        try
        {
            for (int i = codings.Count - 1; i >= 0; i--)
                s = codings[i] switch
                {
                    "gzip" or "x-gzip" => new GZipStream(s, CompressionMode.Decompress),
                    "deflate" => new ZLibStream(s, CompressionMode.Decompress),
                    "br" => new BrotliStream(s, CompressionMode.Decompress),
                    var other => throw new BodyLimitException($"unsupported Content-Encoding \"{Clip(other)}\""),
                };
            using var ms = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = await s.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                if (ms.Length + n > Options.MaxBytes)
                    throw new BodyLimitException(codings.Count > 0
                        ? $"decompressed body exceeds {Size(Options.MaxBytes)} (the limit; {Size(wire.Count)} compressed)"
                        : $"response too large (over {Size(Options.MaxBytes)})");
                ms.Write(buffer, 0, n);
                if (codings.Count > 0 && ms.Length > Options.RatioFloorBytes && ms.Length > (double)Options.MaxCompressionRatio * wire.Count)
                    throw new BodyLimitException($"decompressed body exceeds {Options.MaxCompressionRatio}:1 of its compressed size ({Size(ms.Length)} from {Size(wire.Count)}; a compression bomb?)");
            }
            return ms.ToArray();
        }
        finally
        {
            await s.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task WaitForHostAsync(Uri url, CancellationToken ct)
    {
        if (Options.PerHostInterval <= TimeSpan.Zero) return;
        var slot = _hosts.GetOrAdd(url.Authority, _ => new HostSlot());
        await slot.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var wait = slot.Next - _time.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            slot.Next = _time.GetUtcNow() + Options.PerHostInterval;
        }
        finally { slot.Gate.Release(); }
    }

    private void PushHost(Uri url, TimeSpan delay)
    {
        var slot = _hosts.GetOrAdd(url.Authority, _ => new HostSlot());
        var until = _time.GetUtcNow() + delay;
        if (until > slot.Next) slot.Next = until;
    }
}
