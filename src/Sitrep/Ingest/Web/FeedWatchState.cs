using System.Text.Json;

namespace Sitrep.Ingest.Web;

/// <summary>
/// The feed items a watcher has already ingested, per feed (by GUID/id, else link), kept in a small JSON file next to
/// the database (e.g. <c>sitrep.db.watch-state.json</c>). Each feed keeps its most recent <see cref="MaxPerFeed"/> keys.
/// </summary>
public sealed class FeedWatchState
{
    public const int MaxPerFeed = 10_000;
    private readonly Dictionary<string, List<string>> _order;
    private readonly Dictionary<string, HashSet<string>> _seen = new(StringComparer.Ordinal);

    public FeedWatchState(Dictionary<string, List<string>>? seen = null)
    {
        _order = seen ?? new(StringComparer.Ordinal);
        foreach (var (feed, keys) in _order) _seen[feed] = new HashSet<string>(keys, StringComparer.Ordinal);
    }

    public bool HasSeen(Uri feed, string key) => _seen.TryGetValue(feed.AbsoluteUri, out var s) && s.Contains(key);

    public void MarkSeen(Uri feed, string key)
    {
        var f = feed.AbsoluteUri;
        if (!_seen.TryGetValue(f, out var set)) { _seen[f] = set = new(StringComparer.Ordinal); _order[f] = []; }
        if (!set.Add(key)) return;
        var list = _order[f];
        list.Add(key);
        if (list.Count > MaxPerFeed)
        {
            int drop = list.Count - MaxPerFeed;
            foreach (var k in list.Take(drop)) set.Remove(k);
            list.RemoveRange(0, drop);
        }
    }

    public int Count(Uri feed) => _seen.TryGetValue(feed.AbsoluteUri, out var s) ? s.Count : 0;

    public static async Task<FeedWatchState> LoadAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) return new FeedWatchState();
        try
        {
            await using var s = File.OpenRead(path);
            var d = await JsonSerializer.DeserializeAsync<Dictionary<string, List<string>>>(s, cancellationToken: ct).ConfigureAwait(false);
            return new FeedWatchState(d == null ? null : new Dictionary<string, List<string>>(d, StringComparer.Ordinal));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a watch state file ({SourceLoader.OneLine(e.Message)}); delete it to start afresh");
        }
    }

    public Task SaveAsync(string path, CancellationToken ct = default) => JsonState.WriteAsync(path, _order, ct);
}
