using System.IO.Compression;
using System.Text;

namespace Sitrep.Tests.Web;

/// <summary>Writes small WARC files for tests: each record its own gzip member (or plain, for .warc).</summary>
public sealed class TestWarcWriter : IDisposable
{
    private readonly Stream _file;
    private readonly bool _gzip;

    public TestWarcWriter(string path)
    {
        _file = File.Create(path);
        _gzip = path.EndsWith(".gz", StringComparison.Ordinal);
    }

    public static byte[] HttpResponse(int status, string? contentType, byte[] body, params string[] extraHeaders)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {(status == 200 ? "OK" : "Other")}\r\n");
        if (contentType != null) head.Append($"Content-Type: {contentType}\r\n");
        foreach (var h in extraHeaders) head.Append(h).Append("\r\n");
        if (!extraHeaders.Any(h => h.StartsWith("Transfer-Encoding", StringComparison.Ordinal))) head.Append($"Content-Length: {body.Length}\r\n");
        head.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    public void Response(string uri, int status, string? contentType, byte[] body, params string[] extraHeaders) =>
        Record("response", uri, "application/http; msgtype=response", HttpResponse(status, contentType, body, extraHeaders));

    public void Record(string type, string? uri, string contentType, byte[] block, int? truncateTo = null)
    {
        var head = new StringBuilder($"WARC/1.1\r\nWARC-Type: {type}\r\n");
        if (uri != null) head.Append($"WARC-Target-URI: {uri}\r\n");
        head.Append("WARC-Date: 2026-11-22T14:05:09Z\r\n");
        head.Append($"WARC-Record-ID: <urn:uuid:{Guid.NewGuid()}>\r\nContent-Type: {contentType}\r\nContent-Length: {block.Length}\r\n\r\n");
        byte[] record = [.. Encoding.ASCII.GetBytes(head.ToString()), .. block, .. "\r\n\r\n"u8];
        if (truncateTo is { } t) record = record[..t];
        if (_gzip)
        {
            using var gz = new GZipStream(_file, CompressionLevel.Fastest, leaveOpen: true);
            gz.Write(record);
        }
        else _file.Write(record);
    }

    /// <summary>Writes a record and then cuts the file, leaving a gzip member without its end (a crawl killed mid-write).</summary>
    public void TruncatedResponse(string uri, byte[] html)
    {
        using var ms = new MemoryStream();
        var block = HttpResponse(200, "text/html", html);
        var head = Encoding.ASCII.GetBytes($"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {block.Length}\r\n\r\n");
        byte[] record = [.. head, .. block, .. "\r\n\r\n"u8];
        if (_gzip)
        {
            using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(record);
            _file.Write(ms.ToArray().AsSpan(0, (int)(ms.Length * 2 / 3)));
        }
        else _file.Write(record.AsSpan(0, head.Length + block.Length / 2));
    }

    public void Dispose() => _file.Dispose();
}
