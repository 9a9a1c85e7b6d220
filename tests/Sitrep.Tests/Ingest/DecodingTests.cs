using System.Text;
using Sitrep.Ingest;
using Sitrep.Output;

namespace Sitrep.Tests;

public sealed class DecodingTests
{
    private const string Sample = "NATO’s “strategic reassessment” — Aurélie";

    [Fact]
    public void Utf8WithAndWithoutBom()
    {
        var bytes = Encoding.UTF8.GetBytes(Sample);
        Assert.Equal(new DecodedText(Sample, "utf-8"), TextDecoder.Decode(bytes));
        Assert.Equal(new DecodedText(Sample, "utf-8-bom"), TextDecoder.Decode([0xEF, 0xBB, 0xBF, .. bytes]));
    }

    [Fact]
    public void Utf16WithBom()
    {
        Assert.Equal(new DecodedText(Sample, "utf-16le"), TextDecoder.Decode([0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Sample)]));
        Assert.Equal(new DecodedText(Sample, "utf-16be"), TextDecoder.Decode([0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(Sample)]));
    }

    [Fact]
    public void InvalidUtf8FallsBackToWindows1252()
    {
        // “Russia’s” as Windows-1252 bytes: 0x93 … 0x92 … 0x94, plus é (0xE9) and € (0x80).
        byte[] bytes = [0x93, (byte)'R', (byte)'u', (byte)'s', (byte)'s', (byte)'i', (byte)'a', 0x92, (byte)'s', 0x94, (byte)' ', 0xE9, 0x80];
        Assert.Equal(new DecodedText("“Russia’s” é€", "windows-1252"), TextDecoder.Decode(bytes));
    }

    [Fact]
    public void CrLfLineEndingsAreKeptAndSegmentedAlike()
    {
        var seed = Directory.GetFiles(TestPaths.Seeds).Single(f => Path.GetFileName(f).StartsWith("002"));
        var lf = File.ReadAllText(seed);
        var crlf = lf.Replace("\n", "\r\n");
        var (doc, problem) = SourceLoader.Decode("crlf.txt", Encoding.UTF8.GetBytes(crlf));
        Assert.Null(problem);
        Assert.Equal(crlf, doc!.Text); // offsets point into the original, line endings and all
        var a = Segmenter.Segment(lf).Pieces.Select(p => (p.Kind, lf[p.Start..p.End])).ToList();
        var b = Segmenter.Segment(crlf).Pieces.Select(p => (p.Kind, crlf[p.Start..p.End].Replace("\r\n", "\n"))).ToList();
        Assert.Equal(a, b);
    }

    [Fact]
    public void HtmlPagesBecomeBlocksOfText()
    {
        var html = "<!doctype html><html lang=en><head><title>T</title><meta property='og:site_name' content='Euractiv'><script>var x=1;</script></head>"
                 + "<body><nav>Home | World</nav><h1>NATO weighs Russia strategy</h1><p>BRUSSELS — NATO defence ministers will meet next week to discuss Russia.</p>"
                 + "<p>The alliance has not met Russia in its council since 2022, officials said.</p><p>A third paragraph says more about the talks in Brussels.</p></body></html>";
        var (doc, problem) = SourceLoader.Decode("page.html", Encoding.UTF8.GetBytes(html));
        Assert.Null(problem);
        Assert.Equal(DocumentFormat.Html, doc!.Format);
        Assert.DoesNotContain("var x", doc.Text);
        Assert.DoesNotContain("Home | World", doc.Text);
        var seg = Segmenter.Segment(doc.Text, doc.Page);
        var article = Assert.Single(seg.Articles);
        Assert.Equal("NATO weighs Russia strategy", article.Title);
        Assert.Equal("Euractiv", article.Outlet);
        Assert.Equal("BRUSSELS", article.Dateline);
    }

    [Fact]
    public void ExportOffsetsCountCodePoints()
    {
        var text = "a😀b — c";
        var map = new OffsetMap(text);
        Assert.Equal(1, map.ToCodePoint(1));
        Assert.Equal(2, map.ToCodePoint(3)); // 'b' follows one astral character (two UTF-16 units)
        Assert.Equal(text.Length - 1, map.ToCodePoint(text.Length));
    }
}
