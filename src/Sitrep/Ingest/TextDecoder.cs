using System.Text;
using System.Text.Unicode;

namespace Sitrep.Ingest;

/// <summary>The result of decoding a file's bytes: the text every offset points into, and how it was decoded.</summary>
public readonly record struct DecodedText(string Text, string Encoding);

/// <summary>
/// Decodes raw bytes: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, and Windows-1252 as the
/// fallback for bytes that are not valid UTF-8. The decoded text is kept verbatim (line endings included),
/// so offsets into it are offsets into the original.
/// </summary>
public static class TextDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Windows-1252 differs from Latin-1 only in 0x80..0x9F; undefined slots map to the C1 control, as browsers do.
    private static readonly char[] Cp1252High =
    [
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
        '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
        '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    ];

    public static DecodedText Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
            return new(DecodeUtf8OrFallback(bytes[3..], out var enc) , enc == "utf-8" ? "utf-8-bom" : enc);
        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
            return new(Encoding.Unicode.GetString(bytes[2..]), "utf-16le");
        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
            return new(Encoding.BigEndianUnicode.GetString(bytes[2..]), "utf-16be");
        var text = DecodeUtf8OrFallback(bytes, out var encoding);
        return new(text, encoding);
    }

    private static string DecodeUtf8OrFallback(ReadOnlySpan<byte> bytes, out string encoding)
    {
        if (Utf8.IsValid(bytes))
        {
            encoding = "utf-8";
            return StrictUtf8.GetString(bytes);
        }
        encoding = "windows-1252";
        return DecodeWindows1252(bytes);
    }

    public static string DecodeWindows1252(ReadOnlySpan<byte> bytes)
    {
        return string.Create(bytes.Length, bytes.ToArray(), static (dest, src) =>
        {
            for (int i = 0; i < src.Length; i++)
            {
                byte b = src[i];
                dest[i] = b is >= 0x80 and <= 0x9F ? Cp1252High[b - 0x80] : (char)b;
            }
        });
    }
}
