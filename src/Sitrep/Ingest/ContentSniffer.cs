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

    /// <summary>Returns why the bytes are not text (e.g. "binary file (PNG image)"), or null when they look like text.</summary>
    public static string? WhyNotText(ReadOnlySpan<byte> bytes)
    {
        foreach (var (magic, name) in Signatures)
            if (bytes.StartsWith(magic)) return $"binary file ({name})";
        bool utf16 = bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF));
        if (utf16) return null;
        var head = bytes[..Math.Min(bytes.Length, 8192)];
        int nul = head.IndexOf((byte)0);
        if (nul >= 0) return $"binary file (NUL byte at offset {nul})";
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
