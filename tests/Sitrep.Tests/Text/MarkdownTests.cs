using Sitrep.Text;

namespace Sitrep.Tests.Text;

public class MarkdownTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<svg onload=alert(1)>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("![](http://evil.example/track.png)")]
    [InlineData("<http://evil.example>")]
    [InlineData("a | b\n# heading\r\n- item *bold* _em_ `code` ~~x~~")]
    public void EscapedTextHasNoMarkupLeft(string hostile)
    {
        var e = Markdown.Escape(hostile);
        Assert.DoesNotContain('<', e);
        Assert.DoesNotContain('>', e);
        Assert.DoesNotContain('\n', e);
        Assert.DoesNotContain('\r', e);
        // Every Markdown metacharacter is preceded by a backslash (an odd run of them).
        for (int i = 0; i < e.Length; i++)
        {
            if (e[i] is not ('[' or ']' or '(' or ')' or '!' or '*' or '_' or '`' or '|' or '#' or '~')) continue;
            int slashes = 0;
            for (int k = i - 1; k >= 0 && e[k] == '\\'; k--) slashes++;
            Assert.True(slashes % 2 == 1, $"'{e[i]}' at {i} of '{e}' is not escaped");
        }
    }

    [Fact]
    public void EscapingKeepsTheTextReadable()
    {
        Assert.Equal("NATO&amp;EU say \"no\"", Markdown.Escape("NATO&EU say \"no\""));
        Assert.Equal("&lt;b&gt;Kyiv&lt;/b&gt; \\[AP\\]", Markdown.Escape("<b>Kyiv</b> [AP]"));
        Assert.Equal("\\- not a list", Markdown.Escape("- not a list"));
        Assert.Equal("1984\\. not a list", Markdown.Escape("1984. not a list"));
        Assert.Equal("U.S.-led, 3.5%", Markdown.Escape("U.S.-led, 3.5%"));
        Assert.Equal("emoji 😀 kept", Markdown.Escape("emoji 😀 kept"));
        Assert.Equal("lone \uFFFD half", Markdown.Escape("lone \uD83D half"));
    }
}
