using Sitrep.Stories;

namespace Sitrep.Tests.Stories;

/// <summary>What the Sep-based reader adds to Sep: blank lines skipped, lone CR ends a record, malformed quoting rejected with the right line.</summary>
public class CsvReaderEdgeTests
{
    [Fact]
    public void BlankLinesAreNotRecordsAndALoneCrEndsOne()
    {
        var rows = CsvReader.Read(new StringReader("a,b\r\r\n\nc,\"d\re\"\rf\n")).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal(["a", "b"], rows[0]);
        Assert.Equal(["c", "d\re"], rows[1]);
        Assert.Equal(["f"], rows[2]);
    }

    [Theory]
    [InlineData("a,b\"c\n", "line 1: quote inside")]                        // Sep numbers its first row line 2
    [InlineData("x\n\n\"a\r\nb\",\"c\nd\"e\n", "line 5: text after")]       // blank line, CRLF and LF inside quotes
    [InlineData("x\ny\n\"a\nb,c\n", "line 3: unterminated")]                // named by the line the record starts on
    [InlineData("\"abc\"\"", "line 1: unterminated")]                       // an escaped quote is not a closing one
    public void MalformedInputNamesTheLine(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => CsvReader.Read(new StringReader(text)).ToArray());
        Assert.Contains(expected, e.Message);
    }
}
