using System.Runtime.CompilerServices;
using Sitrep.Ingest.Web;

namespace Sitrep.Ingest.Warc;

/// <summary>Turns the HTML responses of WARC files into run inputs, one record at a time; counts what it skips.</summary>
public sealed class WarcSource
{
    private int _skipped, _records;

    /// <summary>Records skipped: not responses, not HTTP 200, not HTML.</summary>
    public int Skipped => _skipped;
    public int Records => _records;

    public WarcLimits Limits { get; init; } = WarcLimits.Default;

    public async IAsyncEnumerable<SourceInput> ReadAsync(string path, [EnumeratorCancellation] CancellationToken ct = default)
    {
        WarcReader? reader = null;
        // Never open a FIFO or a device (it would block or stream forever), directly or through a link.
        string? failure = PhysicalInputFiles.WhyNotRegular(path);
        try { if (failure == null) reader = WarcReader.Open(path, limits: Limits); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied (file is not readable)",
                _ => "cannot read: " + SourceLoader.OneLine(e.Message),
            };
        }
        if (reader == null)
        {
            yield return SourceInput.Failed(new InputProblem(path, failure!));
            yield break;
        }
        await using (reader.ConfigureAwait(false))
        {
            await foreach (var entry in reader.ReadAsync(ct).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _records);
                if (entry.Problem != null) { yield return SourceInput.Failed(new InputProblem(path, entry.Problem)); continue; }
                if (entry.Response == null) { Interlocked.Increment(ref _skipped); continue; }
                var h = entry.Header!;
                var r = entry.Response;
                var recordPath = $"{path}#record{h.Index}";
                if (h.TargetUri == null || !Uri.TryCreate(h.TargetUri, UriKind.Absolute, out var url))
                    url = new Uri("urn:warc:" + Uri.EscapeDataString(recordPath));
                var item = new FetchedItem(url, r.Body, r.ContentType)
                {
                    Charset = Charsets.FromContentType(r.ContentType),
                    WarcFile = path,
                    WarcRecord = h.Index,
                    WarcDate = h.Date,
                    Fetched = h.Date,
                };
                yield return SourceInput.Fetched(recordPath, item);
            }
        }
    }
}
