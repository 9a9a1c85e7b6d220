using System.Text;
using Sitrep.Text;

namespace Sitrep.Tests.Text;

public class TextCutTests
{
    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    [Fact]
    public void NoCutSplitsASurrogatePair()
    {
        // Emoji (two UTF-16 units each) at every position relative to every cut length.
        for (int pad = 0; pad < 6; pad++)
        {
            var s = new string('a', pad) + "😀🇺🇦 x 𝔘 " + new string('b', pad) + "👍🏽";
            for (int max = 0; max <= s.Length + 1; max++)
            {
                foreach (var cut in new[] { TextCut.Prefix(s, max), TextCut.Ellipsis(s, max), TextCut.Slice(s, pad, max) })
                {
                    Assert.True(cut.Length <= Math.Max(max, 0) || cut == s, $"'{cut}' is longer than {max}");
                    Strict.GetBytes(cut); // throws on a lone surrogate half
                }
            }
        }
    }

    [Fact]
    public void CutsFallOnWholeCharacters()
    {
        Assert.Equal("ab", TextCut.Prefix("ab😀c", 3));
        Assert.Equal("ab😀", TextCut.Prefix("ab😀c", 4));
        Assert.Equal("ab…", TextCut.Ellipsis("ab😀cdef", 4));
        Assert.Equal("short", TextCut.Ellipsis("short", 5));
        Assert.Equal("😀c", TextCut.Slice("ab😀c", 2, 5));
        Assert.Equal("c", TextCut.Slice("ab😀c", 3, 5)); // a start inside the pair moves past it
        Assert.Equal("", TextCut.Slice("abc", 5, 9));
    }
}
