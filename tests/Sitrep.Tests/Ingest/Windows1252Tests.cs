using Sitrep.Ingest;
using Sitrep.Ingest.Html;

namespace Sitrep.Tests;

/// <summary>Windows-1252 decoding (the framework's code-page provider) must follow the WHATWG Encoding standard.</summary>
public sealed class Windows1252Tests
{
    // WHATWG index-windows-1252 for 0x80..0x9F. The five bytes Windows leaves undefined (0x81, 0x8D, 0x8F, 0x90,
    // 0x9D) map to the C1 control of the same number, as browsers decode them; everything else is Latin-1.
    private static readonly int[] WhatwgHigh =
    [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ];

    private static int Expected(int b) => b == 0 ? 0xFFFD : b is >= 0x80 and <= 0x9F ? WhatwgHigh[b - 0x80] : b;

    [Fact]
    public void EveryByteDecodesAsWhatwgSays()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var text = TextDecoder.DecodeWindows1252(all);
        Assert.Equal(256, text.Length); // one char per byte: offsets into the text are offsets into the file
        for (int b = 0; b < 256; b++) Assert.True(Expected(b) == text[b], $"byte 0x{b:X2} decoded to U+{(int)text[b]:X4}, WHATWG says U+{Expected(b):X4}");
    }

    [Fact]
    public void UndefinedBytesBecomeC1ControlsNotReplacementCharacters()
    {
        byte[] undefined = [0x81, 0x8D, 0x8F, 0x90, 0x9D];
        Assert.Equal("\u0081\u008D\u008F\u0090\u009D", TextDecoder.DecodeWindows1252(undefined));
        // The same through the fallback of an invalid UTF-8 file and through a page that declares latin1.
        Assert.Equal(new DecodedText("a\u0081b\u20AC", "windows-1252"), TextDecoder.Decode([(byte)'a', 0x81, (byte)'b', 0x80]));
        Assert.Equal("\u009D\u2019", HtmlDecoder.Decode([0x9D, 0x92], "text/html; charset=latin1").Text);
    }
}
