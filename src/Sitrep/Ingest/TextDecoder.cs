using System.Text;
using System.Text.Unicode;

namespace Sitrep.Ingest;

/// <summary>The result of decoding a file's bytes: the text every offset points into, and how it was decoded.</summary>
public readonly record struct DecodedText(string Text, string Encoding);

/// <summary>
/// Decodes raw bytes: UTF-8 (with or without BOM), UTF-32 LE/BE and UTF-16 LE/BE with BOM (UTF-32 first: its LE
/// BOM begins with UTF-16's), and Windows-1252 as the fallback for bytes that are not valid UTF-8. The decoded text is
/// kept verbatim (line endings and other control characters included), so offsets into it are offsets into the
/// original — except that every NUL (U+0000) becomes U+FFFD: one character for one, so no offset moves, and no text
/// is ever cut short where a store or a C string would stop at the NUL. (Whether a file with NULs is text at all is
/// <see cref="ContentSniffer"/>'s decision.)
/// </summary>
public static class TextDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Windows-1252 from the framework's code-page provider, kept as our own instance (nothing is registered globally).
    // Its five undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) decode to the C1 controls U+0081 … U+009D, which is
    // what the WHATWG Encoding standard (and so every browser) does; a test pins that.
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)
        ?? throw new InvalidOperationException("the code-pages encoding provider has no Windows-1252");

    private static readonly UTF32Encoding Utf32Le = new(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: false);
    private static readonly UTF32Encoding Utf32Be = new(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: false);

    /// <summary>The encoding a byte-order mark announces ("utf-32le", "utf-32be", "utf-16le", "utf-16be", "utf-8-bom"), or null.</summary>
    public static string? BomEncoding(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xFE, 0x00, 0x00, ..] => "utf-32le",
        [0x00, 0x00, 0xFE, 0xFF, ..] => "utf-32be",
        [0xEF, 0xBB, 0xBF, ..] => "utf-8-bom",
        [0xFF, 0xFE, ..] => "utf-16le",
        [0xFE, 0xFF, ..] => "utf-16be",
        _ => null,
    };

    public static DecodedText Decode(ReadOnlySpan<byte> bytes)
    {
        switch (BomEncoding(bytes))
        {
            case "utf-32le": return new(NoNul(Utf32Le.GetString(bytes[4..])), "utf-32le");
            case "utf-32be": return new(NoNul(Utf32Be.GetString(bytes[4..])), "utf-32be");
            case "utf-8-bom":
                var t = DecodeUtf8OrFallback(bytes[3..], out var enc);
                return new(t, enc == "utf-8" ? "utf-8-bom" : enc);
            case "utf-16le": return new(NoNul(Encoding.Unicode.GetString(bytes[2..])), "utf-16le");
            case "utf-16be": return new(NoNul(Encoding.BigEndianUnicode.GetString(bytes[2..])), "utf-16be");
        }
        var text = DecodeUtf8OrFallback(bytes, out var encoding);
        return new(text, encoding);
    }

    /// <summary>The text with every NUL replaced by U+FFFD (same length: offsets hold). Returns the same string when it has none.</summary>
    public static string NoNul(string s)
    {
        if (s.AsSpan().IndexOf('\0') < 0) return s;
        return string.Create(s.Length, s, static (dest, src) =>
        {
            src.AsSpan().CopyTo(dest);
            dest.Replace('\0', '\uFFFD');
        });
    }

    private static string DecodeUtf8OrFallback(ReadOnlySpan<byte> bytes, out string encoding)
    {
        if (Utf8.IsValid(bytes))
        {
            encoding = "utf-8";
            return NoNul(StrictUtf8.GetString(bytes));
        }
        encoding = "windows-1252";
        return DecodeWindows1252(bytes);
    }

    /// <summary>Decodes Windows-1252 as the WHATWG Encoding standard does (NUL becomes U+FFFD, as everywhere here).</summary>
    public static string DecodeWindows1252(ReadOnlySpan<byte> bytes) => NoNul(Windows1252.GetString(bytes));
}
