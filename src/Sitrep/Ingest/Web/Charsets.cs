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
    /// A charset that is unknown or not supported (utf-7, the WHATWG "replacement" labels, garbage) leaves the bytes
    /// as they are — the decoder then sniffs UTF-8, else reads Windows-1252 — and comes back with a warning for the
    /// document ("declared charset utf-7 is not supported"). Never throws.
    /// </summary>
    public static (byte[] Bytes, string? Warning) ToDecodable(byte[] bytes, string? charset)
    {
        if (charset is null or "utf-8" or "utf8" or "us-ascii" or "ascii" or "iso-8859-1" or "latin1" or "windows-1252" or "cp1252")
            return (bytes, null);
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))) return (bytes, null);
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) return (bytes, null);
        var enc = Lookup(charset);
        if (enc == null) return (bytes, $"declared charset {Label(charset)} is not supported");
        if (enc.CodePage is 65001 or 1252 or 28591 or 20127) return (bytes, null);
        try
        {
            return (Encoding.UTF8.GetBytes(enc.GetString(bytes)), null);
        }
        catch (Exception e) when (e is ArgumentException or DecoderFallbackException or NotSupportedException)
        {
            return (bytes, $"declared charset {Label(charset)} could not decode the body");
        }
    }

    /// <summary>
    /// The encoding a charset label names, or null when it is unknown or not one to decode with: UTF-7 (disabled in
    /// .NET and by browsers, and a known way to smuggle markup) and the WHATWG "replacement" labels. Never throws.
    /// </summary>
    public static Encoding? Lookup(string? label)
    {
        if (string.IsNullOrWhiteSpace(label)) return null;
        var name = label.Trim().Trim('"', '\'').ToLowerInvariant();
        if (name is "utf-7" or "utf7" or "unicode-1-1-utf-7" or "csunicode11utf7" or "x-unicode20utf7" or "x-unicode2-0-utf-7"
            or "csiso2022kr" or "hz-gb-2312" or "iso-2022-cn" or "iso-2022-cn-ext" or "iso-2022-kr" or "replacement")
            return null;
        try
        {
            var enc = CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name);
            return enc.CodePage == 65000 ? null : enc;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>A charset label safe to quote in a document or a one-line message (it comes from the server).</summary>
    public static string Label(string label)
    {
        var clean = new string(label.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '+').Take(40).ToArray());
        return clean.Length > 0 ? clean : "(unreadable)";
    }
}
