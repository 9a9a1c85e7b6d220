using System.Text;
using System.Text.Unicode;

namespace Sitrep.Ingest.Html;

/// <summary>
/// Turns the bytes of an HTML page into text, choosing the encoding as a browser would, in this order: a byte-order
/// mark; the charset of the HTTP Content-Type header when the caller has one; a <c>&lt;meta charset&gt;</c> or
/// <c>http-equiv="Content-Type"</c> declaration in the first 4 KB; otherwise UTF-8 when the bytes are valid UTF-8,
/// else Windows-1252 (see <see cref="TextDecoder"/>). Labels follow the WHATWG Encoding standard's aliases for the
/// common cases (latin1 and ascii mean Windows-1252, gb2312 means GBK). A declared UTF-8 that is not valid UTF-8
/// falls back to detection rather than producing replacement characters.
/// </summary>
public static class HtmlDecoder
{
    private const int PrescanBytes = 4096;

    public static DecodedText Decode(ReadOnlySpan<byte> bytes, string? contentType = null)
    {
        if ((bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
            || (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))))
            return TextDecoder.Decode(bytes);

        string? label = CharsetFromContentType(contentType);
        string source = "header";
        if (label is null)
        {
            label = PrescanMetaCharset(bytes[..Math.Min(bytes.Length, PrescanBytes)]);
            source = "meta";
        }
        if (label is not null)
        {
            var decoded = TryDecode(bytes, label);
            if (decoded is not null) return decoded.Value with { Encoding = decoded.Value.Encoding + " (" + source + ")" };
        }
        return TextDecoder.Decode(bytes);
    }

    /// <summary>The charset parameter of a Content-Type value (<c>text/html; charset=ISO-8859-1</c>), or null.</summary>
    public static string? CharsetFromContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return null;
        int i = contentType.IndexOf("charset", StringComparison.OrdinalIgnoreCase);
        if (i < 0) return null;
        i += 7;
        while (i < contentType.Length && (contentType[i] == ' ' || contentType[i] == '=')) i++;
        while (i < contentType.Length && (contentType[i] == '"' || contentType[i] == '\'')) i++;
        int start = i;
        while (i < contentType.Length && contentType[i] is not (';' or '"' or '\'' or ' ' or '>' or '/' or ',')) i++;
        var label = contentType[start..i].Trim();
        return label.Length == 0 ? null : label;
    }

    /// <summary>Looks for a charset declaration in a <c>&lt;meta&gt;</c> tag of the first bytes (ASCII-compatible scan).</summary>
    public static string? PrescanMetaCharset(ReadOnlySpan<byte> head)
    {
        // The head is ASCII-compatible in every encoding this scan can find, so a Latin-1 view is exact for the markup.
        var s = Encoding.Latin1.GetString(head);
        int pos = 0;
        while (true)
        {
            int m = s.IndexOf("<meta", pos, StringComparison.OrdinalIgnoreCase);
            if (m < 0) return null;
            int end = s.IndexOf('>', m);
            if (end < 0) return null;
            var tag = s.AsSpan(m, end - m + 1).ToString();
            int c = tag.IndexOf("charset", StringComparison.OrdinalIgnoreCase);
            if (c >= 0)
            {
                var label = CharsetFromContentType(tag[c..]);
                if (label is not null) return label;
            }
            pos = end;
        }
    }

    private static DecodedText? TryDecode(ReadOnlySpan<byte> bytes, string label)
    {
        var name = label.Trim().ToLowerInvariant();
        switch (name)
        {
            case "utf-8" or "utf8" or "unicode-1-1-utf-8":
                return Utf8.IsValid(bytes) ? TextDecoder.Decode(bytes) : null;
            case "iso-8859-1" or "latin1" or "l1" or "ascii" or "us-ascii" or "windows-1252" or "cp1252" or "iso8859-1" or "x-cp1252":
                return new DecodedText(TextDecoder.DecodeWindows1252(bytes), "windows-1252");
            case "utf-16" or "utf-16le" or "utf-16be":
                // A page that reached us as bytes without a BOM but declares UTF-16 in ASCII markup is really ASCII-compatible.
                return null;
            case "gb2312" or "gb_2312-80" or "x-gbk" or "chinese" or "csgb2312":
                name = "gbk";
                break;
            case "shift-jis" or "sjis" or "x-sjis" or "ms_kanji":
                name = "shift_jis";
                break;
        }
        Encoding? enc;
        try { enc = CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException) { return null; }
        if (enc is null) return null;
        return new DecodedText(enc.GetString(bytes), enc.WebName);
    }
}
