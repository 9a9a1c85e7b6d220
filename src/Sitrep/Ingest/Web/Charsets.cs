using System.Text;

namespace Sitrep.Ingest.Web;

/// <summary>Charset names from HTTP headers.</summary>
public static class Charsets
{
    static Charsets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The <c>charset</c> parameter of a Content-Type value, or null.</summary>
    public static string? FromContentType(string? contentType)
    {
        if (contentType == null) return null;
        foreach (var part in contentType.Split(';'))
        {
            var p = part.Trim();
            if (p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase))
                return p[8..].Trim().Trim('"', '\'').ToLowerInvariant() is { Length: > 0 } c ? c : null;
        }
        return null;
    }

    /// <summary>The media type of a Content-Type value (lower case, no parameters), or null.</summary>
    public static string? MediaType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return null;
        int semi = contentType.IndexOf(';');
        return (semi >= 0 ? contentType[..semi] : contentType).Trim().ToLowerInvariant();
    }

    /// <summary>
    /// Bytes the text decoder reads correctly: it handles UTF-8/16 and falls back to Windows-1252, so only other
    /// declared charsets (Shift_JIS, KOI8-R, ISO-8859-2 …) are transcoded to UTF-8 here. A byte order mark wins.
    /// </summary>
    public static byte[] ToDecodable(byte[] bytes, string? charset)
    {
        if (charset is null or "utf-8" or "utf8" or "us-ascii" or "ascii" or "iso-8859-1" or "latin1" or "windows-1252" or "cp1252")
            return bytes;
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))) return bytes;
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) return bytes;
        Encoding enc;
        try { enc = Encoding.GetEncoding(charset); }
        catch (ArgumentException) { return bytes; }
        if (enc.CodePage is 65001 or 1252 or 28591 or 20127) return bytes;
        return Encoding.UTF8.GetBytes(enc.GetString(bytes));
    }
}
