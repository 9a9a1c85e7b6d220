using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;

namespace Sitrep.Ingest.Warc;

/// <summary>The WARC headers of one record. <see cref="Index"/> counts every record from 0 in file order.</summary>
public sealed record WarcRecordHeader(int Index, string Type, string? TargetUri, DateTimeOffset? Date, long ContentLength, string? ContentType, string? RecordId);

/// <summary>An HTTP response captured in a WARC record: status, headers of interest, and the payload (de-chunked, decompressed).</summary>
public sealed record WarcResponse(WarcRecordHeader Header, int Status, string? ContentType, byte[] Body);

/// <summary>What one record gave: a response to use, a record skipped (with why), or a problem (the file ends or is broken).</summary>
public sealed record WarcEntry(WarcRecordHeader? Header, WarcResponse? Response = null, string? Skipped = null, string? Problem = null);

/// <summary>
/// Streams the records of a WARC file (<c>.warc</c>, or <c>.warc.gz</c> with one gzip member per record or one for the
/// whole file), one record in memory at a time. Response records are parsed as HTTP; other record types, non-200 and
/// over-large responses are skipped with a reason. A truncated or malformed record ends the read with a problem.
/// Memory stays flat whatever the file holds: each limit of <see cref="WarcLimits"/> ends the read with a problem
/// naming the record and the limit (header line length, header count and bytes, decompressed size and ratio).
/// </summary>
public sealed class WarcReader : IAsyncDisposable, IDisposable
{
    private readonly Stream _stream;
    private readonly ByteReader _in;
    private readonly long maxPayloadBytes;
    private readonly WarcLimits _limits;

    public WarcReader(Stream stream, long maxPayloadBytes = SourceLoader.MaxFileBytes, WarcLimits? limits = null, Func<long>? compressedBytes = null)
    {
        _stream = stream;
        this.maxPayloadBytes = maxPayloadBytes;
        _limits = limits ?? WarcLimits.Default;
        _in = new ByteReader(stream, _limits, compressedBytes);
    }

    /// <summary>Opens a file; <c>.gz</c> (or gzip magic) is decompressed on the fly, every member in turn.</summary>
    public static WarcReader Open(string path, long maxPayloadBytes = SourceLoader.MaxFileBytes, WarcLimits? limits = null)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        Span<byte> magic = stackalloc byte[2];
        int n = file.Read(magic);
        file.Position = 0;
        if (n == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
            return new WarcReader(new GZipStream(file, CompressionMode.Decompress, leaveOpen: false), maxPayloadBytes, limits, () => file.Position);
        return new WarcReader(file, maxPayloadBytes, limits);
    }

    public static bool IsWarcPath(string path) =>
        path.EndsWith(".warc", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".warc.gz", StringComparison.OrdinalIgnoreCase);

    public async IAsyncEnumerable<WarcEntry> ReadAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        for (int index = 0; ; index++)
        {
            ct.ThrowIfCancellationRequested();
            WarcEntry? entry;
            bool end = false;
            try
            {
                (entry, end) = await ReadRecordAsync(index, ct).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                entry = new WarcEntry(null, Problem: $"record {index}: compressed data is corrupt or truncated ({SourceLoader.OneLine(e.Message)})");
                end = true;
            }
            catch (FormatException e)
            {
                entry = new WarcEntry(null, Problem: $"record {index}: {e.Message}");
                end = true;
            }
            if (entry == null && end && index == 0)
                entry = new WarcEntry(null, Problem: _in.BytesRead == 0 ? "empty WARC file (no records)" : "no WARC records (only blank lines)");
            if (entry != null) yield return entry;
            if (end) yield break;
        }
    }

    private async Task<(WarcEntry? Entry, bool End)> ReadRecordAsync(int index, CancellationToken ct)
    {
        string? line;
        do { line = await _in.ReadLineAsync(ct).ConfigureAwait(false); } while (line is { Length: 0 });
        if (line == null) return (null, true);
        if (!line.StartsWith("WARC/", StringComparison.Ordinal))
            throw new FormatException(index == 0 ? "not a WARC file (it does not start with a WARC/1.x version line)" : $"expected a WARC/1.x version line, found \"{Truncate(line)}\"");
        var headers = await ReadHeadersAsync(ct).ConfigureAwait(false)
            ?? throw new FormatException("truncated: the file ends inside the WARC headers");
        var type = headers.GetValueOrDefault("WARC-Type") ?? "";
        if (!long.TryParse(headers.GetValueOrDefault("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out long length))
            throw new FormatException("no valid Content-Length in the WARC headers");
        DateTimeOffset? date = DateTimeOffset.TryParse(headers.GetValueOrDefault("WARC-Date"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;
        var header = new WarcRecordHeader(index, type, headers.GetValueOrDefault("WARC-Target-URI")?.Trim('<', '>'), date, length,
            headers.GetValueOrDefault("Content-Type"), headers.GetValueOrDefault("WARC-Record-ID"));

        bool isHttpResponse = type == "response" && (header.ContentType ?? "application/http").StartsWith("application/http", StringComparison.OrdinalIgnoreCase);
        if (!isHttpResponse || length > maxPayloadBytes + 65536)
        {
            long skipped = await _in.SkipAsync(length, ct).ConfigureAwait(false);
            if (skipped < length) return (Truncated(header, skipped), true);
            return (new WarcEntry(header, Skipped: isHttpResponse ? $"response too large ({length} bytes)" : $"{(type.Length == 0 ? "untyped" : type)} record"), false);
        }
        var block = new byte[length];
        long got = await _in.ReadExactAsync(block, ct).ConfigureAwait(false);
        if (got < length) return (Truncated(header, got), true);
        return (ParseHttp(header, block), false);
    }

    private static WarcEntry Truncated(WarcRecordHeader h, long got) =>
        new(h, Problem: $"record {h.Index}{(h.TargetUri != null ? $" ({h.TargetUri})" : "")} is truncated: the file ends after {got} of {h.ContentLength} bytes");

    private static string Truncate(string s) => Sitrep.Text.TextCut.Ellipsis(s, 61);

    private async Task<Dictionary<string, string>?> ReadHeadersAsync(CancellationToken ct)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int count = 0;
        long bytes = 0;
        while (true)
        {
            var line = await _in.ReadLineAsync(ct).ConfigureAwait(false);
            if (line == null) return null;
            if (line.Length == 0) return headers;
            if (++count > _limits.MaxHeaders) throw new FormatException($"more than {_limits.MaxHeaders} WARC header lines (the limit)");
            bytes += line.Length + 2;
            if (bytes > _limits.MaxHeaderBytes) throw new FormatException($"WARC headers longer than {_limits.MaxHeaderBytes} bytes (the limit)");
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
    }

    /// <summary>Parses the HTTP response held in a record's block.</summary>
    public WarcEntry ParseHttp(WarcRecordHeader header, byte[] block)
    {
        var span = block.AsSpan();
        int headEnd = span.IndexOf("\r\n\r\n"u8);
        int sepLen = 4;
        if (headEnd < 0) { headEnd = span.IndexOf("\n\n"u8); sepLen = 2; }
        if (headEnd < 0) return new WarcEntry(header, Skipped: "response without HTTP headers");
        var head = Encoding.Latin1.GetString(span[..headEnd]).Split('\n');
        var status = head[0].Trim().Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(status[1], out int code))
            return new WarcEntry(header, Skipped: "response without an HTTP status line");
        string? contentType = null, transfer = null, encoding = null;
        foreach (var raw in head.Skip(1))
        {
            var l = raw.TrimEnd('\r');
            int colon = l.IndexOf(':');
            if (colon <= 0) continue;
            var name = l[..colon].Trim();
            var value = l[(colon + 1)..].Trim();
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) contentType = value;
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) transfer = value;
            else if (name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase)) encoding = value;
        }
        if (code != 200) return new WarcEntry(header, Skipped: $"HTTP {code}");
        var media = Web.Charsets.MediaType(contentType);
        var body = block.AsSpan(headEnd + sepLen).ToArray();
        try
        {
            if (transfer != null && transfer.Contains("chunked", StringComparison.OrdinalIgnoreCase)) body = Dechunk(body);
            body = Decompress(body, encoding, maxPayloadBytes);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            return new WarcEntry(header, Skipped: $"payload cannot be decoded ({SourceLoader.OneLine(e.Message)})");
        }
        bool html = media is "text/html" or "application/xhtml+xml"
            || (media is null or "" && ContentSniffer.LooksLikeHtml(Encoding.Latin1.GetString(body.AsSpan(0, Math.Min(body.Length, 512))), null));
        if (!html) return new WarcEntry(header, Skipped: $"not HTML ({media ?? "no Content-Type"})");
        return new WarcEntry(header, new WarcResponse(header, code, contentType, body));
    }

    private static byte[] Dechunk(byte[] data)
    {
        using var ms = new MemoryStream(data.Length);
        int pos = 0;
        while (pos < data.Length)
        {
            int eol = data.AsSpan(pos).IndexOf((byte)'\n');
            if (eol < 0) break;
            var sizeText = Encoding.ASCII.GetString(data, pos, eol).Trim();
            int semi = sizeText.IndexOf(';');
            if (semi >= 0) sizeText = sizeText[..semi];
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int size)) throw new FormatException("bad chunk size");
            pos += eol + 1;
            if (size == 0) break;
            if (pos + size > data.Length) size = data.Length - pos;
            ms.Write(data, pos, size);
            pos += size;
            while (pos < data.Length && (data[pos] == '\r' || data[pos] == '\n')) { pos++; if (data[pos - 1] == '\n') break; }
        }
        return ms.ToArray();
    }

    private static byte[] Decompress(byte[] body, string? encoding, long max)
    {
        if (string.IsNullOrWhiteSpace(encoding) || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase)) return body;
        using var input = new MemoryStream(body);
        using Stream s = encoding.Trim().ToLowerInvariant() switch
        {
            "gzip" or "x-gzip" => new GZipStream(input, CompressionMode.Decompress),
            "deflate" => new ZLibStream(input, CompressionMode.Decompress),
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            _ => throw new FormatException($"unknown Content-Encoding {encoding}"),
        };
        using var output = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = s.Read(buffer)) > 0)
        {
            if (output.Length + n > max) throw new FormatException("payload too large after decompression");
            output.Write(buffer, 0, n);
        }
        return output.ToArray();
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
    public void Dispose() => _stream.Dispose();

    /// <summary>
    /// Buffered reads of lines and blocks from a forward-only stream. For a gzip file it counts what comes out of the
    /// decompressor against the absolute limit and against the compressed bytes read so far (the ratio).
    /// </summary>
    private sealed class ByteReader(Stream s, WarcLimits limits, Func<long>? compressedBytes)
    {
        private readonly byte[] _buf = new byte[1 << 16];
        private int _pos, _len;

        /// <summary>Bytes read from the (decompressed) stream so far.</summary>
        public long BytesRead { get; private set; }

        private async ValueTask<bool> FillAsync(CancellationToken ct)
        {
            _pos = 0;
            _len = await s.ReadAsync(_buf, ct).ConfigureAwait(false);
            BytesRead += _len;
            if (compressedBytes != null)
            {
                if (BytesRead > limits.MaxDecompressedBytes)
                    throw new FormatException($"decompressed data larger than {limits.MaxDecompressedBytes} bytes (the limit)");
                if (BytesRead > limits.RatioGraceBytes && BytesRead > limits.MaxRatio * Math.Max(1, compressedBytes()))
                    throw new FormatException($"decompressed data more than {limits.MaxRatio} times the compressed size (the limit; a gzip bomb?)");
            }
            return _len > 0;
        }

        /// <summary>A line without its CR LF (Latin-1), or null at the end of the stream.</summary>
        public async ValueTask<string?> ReadLineAsync(CancellationToken ct)
        {
            var sb = new StringBuilder();
            bool any = false;
            while (true)
            {
                if (_pos >= _len && !await FillAsync(ct).ConfigureAwait(false)) return any ? sb.ToString().TrimEnd('\r') : null;
                any = true;
                int nl = _buf.AsSpan(_pos, _len - _pos).IndexOf((byte)'\n');
                int take = nl < 0 ? _len - _pos : nl;
                if (sb.Length + take > limits.MaxHeaderLineBytes) throw new FormatException($"header line longer than {limits.MaxHeaderLineBytes} bytes (the limit; not a WARC file?)");
                sb.Append(Encoding.Latin1.GetString(_buf, _pos, take));
                _pos += take;
                if (nl >= 0) { _pos++; return sb.ToString().TrimEnd('\r'); }
            }
        }

        public async ValueTask<long> ReadExactAsync(byte[] into, CancellationToken ct)
        {
            int done = 0;
            while (done < into.Length)
            {
                if (_pos >= _len && !await FillAsync(ct).ConfigureAwait(false)) break;
                int n = Math.Min(into.Length - done, _len - _pos);
                Buffer.BlockCopy(_buf, _pos, into, done, n);
                _pos += n;
                done += n;
            }
            return done;
        }

        public async ValueTask<long> SkipAsync(long count, CancellationToken ct)
        {
            long done = 0;
            while (done < count)
            {
                if (_pos >= _len && !await FillAsync(ct).ConfigureAwait(false)) break;
                int n = (int)Math.Min(count - done, _len - _pos);
                _pos += n;
                done += n;
            }
            return done;
        }
    }
}

/// <summary>
/// What a WARC file may hold before the read stops with a problem naming the limit. A record's headers: each line at
/// most <see cref="MaxHeaderLineBytes"/>, at most <see cref="MaxHeaders"/> lines and <see cref="MaxHeaderBytes"/> in all.
/// A gzip file: at most <see cref="MaxDecompressedBytes"/> decompressed, and, past the first
/// <see cref="RatioGraceBytes"/>, at most <see cref="MaxRatio"/> times the compressed bytes read so far.
/// Response payloads over the file limit (50 MB) are skipped without being held.
/// </summary>
public sealed record WarcLimits
{
    public static readonly WarcLimits Default = new();
    public int MaxHeaderLineBytes { get; init; } = 65536;
    public int MaxHeaders { get; init; } = 1000;
    public long MaxHeaderBytes { get; init; } = 1 << 20;
    public long MaxDecompressedBytes { get; init; } = 64L << 30;
    public long MaxRatio { get; init; } = 100;
    public long RatioGraceBytes { get; init; } = 64L << 20;
}
