using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
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
    public long MaxBytes { get; init; } = SourceLoader.MaxFileBytes;
    public string UserAgent { get; init; } = HttpFetcher.DefaultUserAgent;
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

    public HttpFetcher(FetchOptions? options = null, IHttpCache? cache = null, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        Options = options ?? new FetchOptions();
        _cache = cache;
        _time = time ?? TimeProvider.System;
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = Options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
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
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            TimeSpan? retryAfter = null;
            await WaitForHostAsync(url, ct).ConfigureAwait(false);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(Options.Timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.UserAgent.ParseAdd(Options.UserAgent);
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
                    if (loc == null) return (null, null, new InputProblem(name, $"HTTP {status} redirect without a Location header{where}"));
                    return (null, loc.IsAbsoluteUri ? loc : new Uri(url, loc), null);
                }
                if (status == 304 && validators != null)
                    return (new FetchResponse(requested, url, 304, [], null, validators.ETag, validators.LastModified, _time.GetUtcNow()), null, null);
                if (status is >= 200 and < 300)
                {
                    long? length = response.Content.Headers.ContentLength;
                    if (length > Options.MaxBytes) return (null, null, TooLarge(name, length.Value));
                    var body = await ReadLimitedAsync(response.Content, cts.Token).ConfigureAwait(false);
                    if (body == null) return (null, null, TooLarge(name, null));
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
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.NameResolutionError)
            {
                return (null, null, new InputProblem(name, $"DNS lookup failed for {url.Host}{where}"));
            }
            catch (HttpRequestException e)
            {
                lastFailure = "connection failed: " + SourceLoader.OneLine(e.InnerException?.Message ?? e.Message);
            }
            catch (IOException e)
            {
                lastFailure = "connection failed: " + SourceLoader.OneLine(e.Message);
            }
            if (attempt == attempts) break;
            var delay = retryAfter ?? Backoff(attempt);
            if (retryAfter != null) PushHost(url, delay);
            await Task.Delay(delay, _time, ct).ConfigureAwait(false);
        }
        return (null, null, new InputProblem(name, (attempts > 1 ? $"{lastFailure} (after {attempts} attempts)" : lastFailure!) + where));
    }

    private static InputProblem TooLarge(string name, long? length) =>
        new(name, length is { } l
            ? $"response too large ({l / (1024.0 * 1024):F1} MB; the limit is {SourceLoader.MaxFileBytes / (1024 * 1024)} MB)"
            : $"response too large (over {SourceLoader.MaxFileBytes / (1024 * 1024)} MB)");

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

    private async Task<byte[]?> ReadLimitedAsync(HttpContent content, CancellationToken ct)
    {
        await using var s = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await s.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (ms.Length + n > Options.MaxBytes) return null;
            ms.Write(buffer, 0, n);
        }
        return ms.ToArray();
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
