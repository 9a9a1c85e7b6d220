using System.Text.Json;

namespace Sitrep.Ingest.Web;

/// <summary>What a server said identifies a response's version: sent back as If-None-Match / If-Modified-Since.</summary>
public sealed record HttpValidators(string? ETag, string? LastModified);

/// <summary>Remembers validators per URL for conditional GET. The store may implement it later; a JSON file does today.</summary>
public interface IHttpCache
{
    HttpValidators? Get(Uri url);
    void Set(Uri url, HttpValidators validators);
    void Remove(Uri url);
}

/// <summary>An in-memory cache, optionally loaded from and saved to a small JSON file (e.g. <c>sitrep.db.http-cache.json</c>).</summary>
public sealed class JsonHttpCache : IHttpCache
{
    private readonly Dictionary<string, HttpValidators> _entries;
    private readonly Lock _gate = new();

    public JsonHttpCache(Dictionary<string, HttpValidators>? entries = null) => _entries = entries ?? new(StringComparer.Ordinal);

    public int Count { get { lock (_gate) return _entries.Count; } }

    public HttpValidators? Get(Uri url) { lock (_gate) return _entries.GetValueOrDefault(url.AbsoluteUri); }
    public void Set(Uri url, HttpValidators validators) { lock (_gate) _entries[url.AbsoluteUri] = validators; }
    public void Remove(Uri url) { lock (_gate) _entries.Remove(url.AbsoluteUri); }

    /// <summary>Loads the file; a missing file is an empty cache, an unreadable one is a one-line <see cref="InvalidDataException"/>.</summary>
    public static async Task<JsonHttpCache> LoadAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) return new JsonHttpCache();
        try
        {
            await using var s = File.OpenRead(path);
            var entries = await JsonSerializer.DeserializeAsync<Dictionary<string, HttpValidators>>(s, cancellationToken: ct).ConfigureAwait(false);
            return new JsonHttpCache(entries == null ? null : new Dictionary<string, HttpValidators>(entries, StringComparer.Ordinal));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not an HTTP cache file ({SourceLoader.OneLine(e.Message)}); delete it to start afresh");
        }
    }

    /// <summary>Writes the file through a temporary, so a crash never leaves half of it.</summary>
    public async Task SaveAsync(string path, CancellationToken ct = default)
    {
        Dictionary<string, HttpValidators> copy;
        lock (_gate) copy = new(_entries, StringComparer.Ordinal);
        await JsonState.WriteAsync(path, copy, ct).ConfigureAwait(false);
    }
}

internal static class JsonState
{
    public static async Task WriteAsync<T>(string path, T value, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp-" + Environment.ProcessId;
        try
        {
            await using (var s = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
                await JsonSerializer.SerializeAsync(s, value, new JsonSerializerOptions { WriteIndented = true }, ct).ConfigureAwait(false);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
