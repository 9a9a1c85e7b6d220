using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Sitrep.Ingest.Web;

/// <summary>An item a feed listed and that was handed to the run (fetched or failed), so a watcher can remember it.</summary>
public sealed record FeedItemSeen(Uri Feed, string Key, string Path);

/// <summary>
/// Turns URLs into run inputs: a page is one input; a feed (RSS or Atom, by media type or by its root element) is
/// expanded into its items, each fetched and carrying the feed's title, date and author. A 304 (nothing new since the
/// last run) yields nothing and is counted in <see cref="NotModified"/>.
/// </summary>
public sealed class WebSource(HttpFetcher fetcher)
{
    private int _notModified, _oldItems;
    private readonly ConcurrentQueue<FeedItemSeen> _items = new();
    private readonly ConcurrentDictionary<string, Uri> _feedOf = new(StringComparer.Ordinal);

    /// <summary>URLs (pages or feeds) whose server said they had not changed since the last run.</summary>
    public int NotModified => _notModified;
    /// <summary>Feed items left out because the caller had seen them before.</summary>
    public int OldItems => _oldItems;
    /// <summary>Feed items handed to the run.</summary>
    public IReadOnlyCollection<FeedItemSeen> Items => _items;

    /// <summary>
    /// Reads each URL in turn. <paramref name="feedsOnly"/>: a URL that is not a feed is a problem (for watch lists).
    /// <paramref name="isNew"/>: which feed items to fetch (all when null).
    /// </summary>
    public async IAsyncEnumerable<SourceInput> ReadAsync(IEnumerable<Uri> urls, bool feedsOnly = false, Func<Uri, FeedEntry, bool>? isNew = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var url in urls)
        {
            var (response, problem) = await fetcher.FetchAsync(url, ct).ConfigureAwait(false);
            if (problem != null) { yield return SourceInput.Failed(problem); continue; }
            if (response!.NotModified) { Interlocked.Increment(ref _notModified); continue; }
            if (LooksLikeFeed(response))
            {
                var (feed, error) = ParseFeed(response);
                if (feed == null)
                {
                    fetcher.ForgetValidators(response.Url);
                    yield return SourceInput.Failed(new InputProblem(url.OriginalString, error!));
                    continue;
                }
                await foreach (var input in ReadFeedAsync(url, feed, isNew, ct).ConfigureAwait(false)) yield return input;
                continue;
            }
            if (feedsOnly)
            {
                fetcher.ForgetValidators(response.Url);
                yield return SourceInput.Failed(new InputProblem(url.OriginalString, $"not a feed (the response is {response.MediaType ?? "of no declared type"}, not RSS or Atom)"));
                continue;
            }
            yield return SourceInput.Fetched(url.OriginalString, ToItem(response));
        }
    }

    private static bool LooksLikeFeed(FetchResponse response)
    {
        try { return FeedParser.LooksLikeFeed(response.Body, response.MediaType); }
        catch (Exception e) when (e is not OperationCanceledException) { return false; }
    }

    /// <summary>The feed, or a one-line error: whatever the parser throws (an encoding it cannot read, a bad URI) stays with this URL.</summary>
    private static (Feed? Feed, string? Error) ParseFeed(FetchResponse response)
    {
        try { return FeedParser.Parse(response.Body, response.Url); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, "not a feed: " + SourceLoader.OneLine(e.Message));
        }
    }

    /// <summary>Item pages fetched ahead while earlier ones are analysed (each host still gets one request per interval).</summary>
    public int Prefetch { get; init; } = 8;

    private async IAsyncEnumerable<SourceInput> ReadFeedAsync(Uri feedUrl, Feed feed, Func<Uri, FeedEntry, bool>? isNew, [EnumeratorCancellation] CancellationToken ct)
    {
        var window = new Queue<Task<SourceInput?>>();
        foreach (var entry in feed.Entries)
        {
            if (entry.Key == null) continue;
            if (entry.Link == null && string.IsNullOrWhiteSpace(entry.Content ?? entry.Summary)) continue; // nothing to read
            if (isNew != null && !isNew(feedUrl, entry)) { Interlocked.Increment(ref _oldItems); continue; }
            var path = entry.Link is { IsAbsoluteUri: true } link ? link.AbsoluteUri
                : entry.Link?.OriginalString is { Length: > 0 } relative ? relative
                : $"{feedUrl.AbsoluteUri}#{Uri.EscapeDataString(entry.Key)}";
            _items.Enqueue(new FeedItemSeen(feedUrl, entry.Key, path));
            _feedOf[path] = feedUrl;
            window.Enqueue(ReadItemAsync(feedUrl, entry, path, ct));
            while (window.Count >= Math.Max(1, Prefetch))
                if (await window.Dequeue().ConfigureAwait(false) is { } input) yield return input;
        }
        while (window.Count > 0)
            if (await window.Dequeue().ConfigureAwait(false) is { } input) yield return input;
    }

    private async Task<SourceInput?> ReadItemAsync(Uri feedUrl, FeedEntry entry, string path, CancellationToken ct)
    {
        try { return await ReadItemCoreAsync(feedUrl, entry, path, ct).ConfigureAwait(false); }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return SourceInput.Failed(new InputProblem(path, "fetch failed: " + SourceLoader.OneLine(e.Message)));
        }
    }

    private async Task<SourceInput?> ReadItemCoreAsync(Uri feedUrl, FeedEntry entry, string path, CancellationToken ct)
    {
        FetchedItem item;
        if (entry.Link == null)
        {
            // No page to fetch: the feed carries the article itself (content:encoded, Atom content, or the description).
            var html = $"<html><body><h1>{System.Net.WebUtility.HtmlEncode(entry.Title ?? "")}</h1>{entry.Content ?? entry.Summary}</body></html>";
            item = new FetchedItem(feedUrl, System.Text.Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8");
        }
        else
        {
            var (response, problem) = await fetcher.FetchAsync(entry.Link, ct).ConfigureAwait(false);
            if (problem != null) return SourceInput.Failed(problem with { Path = path });
            if (response!.NotModified) { Interlocked.Increment(ref _notModified); return null; }
            item = ToItem(response);
        }
        return SourceInput.Fetched(path, item with
        {
            FeedPublished = entry.Published,
            FeedTitle = entry.Title,
            FeedAuthor = entry.Author,
            FeedUrl = feedUrl,
            FeedItemKey = entry.Key,
        });
    }

    private static FetchedItem ToItem(FetchResponse r) => new(r.Url, r.Body, r.ContentType)
    {
        RequestedUrl = r.RequestedUrl.AbsoluteUri == r.Url.AbsoluteUri ? null : r.RequestedUrl,
        Charset = r.Charset,
        Fetched = r.Fetched,
        ETag = r.ETag,
        LastModified = r.LastModifiedDate,
    };

    /// <summary>
    /// After a run: forgets the validators of every URL that ended in a problem (and of the feed that listed it), so the
    /// next run fetches them in full instead of getting a 304 and never retrying.
    /// </summary>
    public void ForgetFailures(IEnumerable<InputProblem> problems)
    {
        foreach (var p in problems)
        {
            if (Uri.TryCreate(p.Path, UriKind.Absolute, out var u)) fetcher.ForgetValidators(u);
            if (_feedOf.TryGetValue(p.Path, out var feed)) fetcher.ForgetValidators(feed);
        }
    }
}
