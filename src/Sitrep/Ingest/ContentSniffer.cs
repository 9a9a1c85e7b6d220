namespace Sitrep.Ingest;

/// <summary>Recognises what a file holds before it is decoded: binary formats, HTML or plain text.</summary>
public static class ContentSniffer
{
    private static readonly (byte[] Magic, string Name)[] Signatures =
    [
        ([0x89, 0x50, 0x4E, 0x47], "PNG image"),
        ([0xFF, 0xD8, 0xFF], "JPEG image"),
        ("GIF8"u8.ToArray(), "GIF image"),
        ("%PDF"u8.ToArray(), "PDF document"),
        ([0x50, 0x4B, 0x03, 0x04], "ZIP archive"),
        ([0x1F, 0x8B], "gzip data"),
        ("RIFF"u8.ToArray(), "RIFF media"),
        ([0x7F, 0x45, 0x4C, 0x46], "ELF executable"),
        ("SQLite format 3"u8.ToArray(), "SQLite database"),
    ];

    /// <summary>The bytes sniffed for NULs and control characters at the start of a file (as git and grep do).</summary>
    public const int HeadBytes = 8192;

    /// <summary>
    /// Returns why the bytes are not text (e.g. "binary file (PNG image)"), or null when they look like text.
    /// NUL bytes decide it one way for every file: a NUL in the first 8 KB, or NULs making up more than 1% of the
    /// file, mean binary; a rare NUL later in a text file is text (and <see cref="TextDecoder"/> decodes it as U+FFFD).
    /// UTF-16 and UTF-32 with a byte-order mark are text (their NUL bytes are halves of characters).
    /// </summary>
    public static string? WhyNotText(ReadOnlySpan<byte> bytes)
    {
        foreach (var (magic, name) in Signatures)
            if (bytes.StartsWith(magic)) return $"binary file ({name})";
        if (TextDecoder.BomEncoding(bytes) is "utf-16le" or "utf-16be" or "utf-32le" or "utf-32be") return null;
        var head = bytes[..Math.Min(bytes.Length, HeadBytes)];
        int nul = head.IndexOf((byte)0);
        if (nul >= 0)
        {
            // ASCII text saved as UTF-16 without a byte-order mark has a NUL in every other byte.
            bool utf16 = head.Length >= 8 && (head[0] == 0 ^ head[1] == 0) && head.Count((byte)0) * 3 > head.Length;
            return $"binary file (NUL byte at offset {nul}{(utf16 ? "; UTF-16 text without a byte-order mark?" : "")})";
        }
        if (bytes.Length > head.Length)
        {
            int nuls = bytes.Count((byte)0);
            if (nuls > bytes.Length / 100) return $"binary file ({nuls} NUL bytes, first at offset {bytes.IndexOf((byte)0)})";
        }
        int control = 0;
        foreach (var b in head)
            if (b < 0x20 && b is not (0x09 or 0x0A or 0x0D or 0x0C)) control++;
        if (head.Length > 0 && control * 10 > head.Length) return "binary file (control characters)";
        return null;
    }

    /// <summary>True when decoded text looks like an HTML page rather than plain text.</summary>
    public static bool LooksLikeHtml(string text, string? extension)
    {
        if (extension is ".html" or ".htm" or ".xhtml") return true;
        var span = text.AsSpan().TrimStart();
        if (span.Length > 0 && span[0] == '\uFEFF') span = span[1..].TrimStart();
        return span.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)
            || span.StartsWith("<html", StringComparison.OrdinalIgnoreCase)
            || (span.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase) && text.Contains("<html", StringComparison.OrdinalIgnoreCase));
    }
}
