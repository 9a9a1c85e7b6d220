using System.Text;
using Sitrep.Ingest.Web;

namespace Sitrep.Tests.Web;

public sealed class FeedParserTests
{
    private static readonly Uri Base = new("https://news.example/feeds/world.xml");

    [Fact]
    public void Rss2ItemsWithDatesAuthorsAndRelativeLinks()
    {
        var xml = WebFixtures.Rss("World",
            ("Floods force thousands from homes", "/2026/11/floods", "flood-1", "Tue, 24 Nov 2026 09:15:00 GMT", "Ana Silva"),
            ("Port strike", "https://news.example/port", "port-1", "Mon, 23 Nov 2026 18:00:00 -0500", "Tom Reyes"));
        var (feed, error) = FeedParser.Parse(Encoding.UTF8.GetBytes(xml), Base);
        Assert.Null(error);
        Assert.Equal("rss", feed!.Format);
        Assert.Equal("World", feed.Title);
        Assert.Equal(2, feed.Entries.Count);
        var e = feed.Entries[0];
        Assert.Equal("https://news.example/2026/11/floods", e.Link!.AbsoluteUri);
        Assert.Equal("flood-1", e.Key);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 15, 0, TimeSpan.Zero), e.Published);
        Assert.Equal("Ana Silva", e.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.Zero), feed.Entries[1].Published!.Value.ToUniversalTime());
        Assert.True(FeedParser.LooksLikeFeed(Encoding.UTF8.GetBytes(xml), "text/xml"));
        Assert.False(FeedParser.LooksLikeFeed("<!DOCTYPE html><html></html>"u8, "text/html"));
    }

    [Fact]
    public void AtomEntries()
    {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
              <entry><title>Port strike</title><id>tag:news.example,2026:port</id>
                <link rel="self" href="https://news.example/api/port"/><link rel="alternate" type="text/html" href="https://news.example/port"/>
                <updated>2026-11-23T10:00:00Z</updated><published>2026-11-23T09:00:00+01:00</published>
                <author><name>Li Wei</name></author><author><name>Sara Berg</name></author><summary>Dockers strike</summary></entry>
            </feed>
            """;
        var (feed, error) = FeedParser.Parse(Encoding.UTF8.GetBytes(xml), Base);
        Assert.Null(error);
        var e = Assert.Single(feed!.Entries);
        Assert.Equal("atom", feed.Format);
        Assert.Equal("https://news.example/port", e.Link!.AbsoluteUri);
        Assert.Equal("tag:news.example,2026:port", e.Key);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), e.Published!.Value.ToUniversalTime());
        Assert.Equal("Li Wei, Sara Berg", e.Author);
    }

    [Fact]
    public void NotXmlAndEntityBombsAreProblemsNotCrashes()
    {
        var (feed, error) = FeedParser.Parse("<html><body>Oops <b>unclosed</body>"u8.ToArray(), Base);
        Assert.Null(feed);
        Assert.StartsWith("not a", error);

        var bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
            <rss version="2.0"><channel><title>&lol3;</title></channel></rss>
            """;
        var (f2, e2) = FeedParser.Parse(Encoding.UTF8.GetBytes(bomb), Base);
        Assert.Null(f2);
        Assert.StartsWith("not a feed: XML error", e2);
    }

    [Theory]
    [InlineData("Tue, 24 Nov 2026 09:15:00 GMT", "2026-11-24T09:15:00+00:00")]
    [InlineData("24 Nov 2026 09:15 EST", "2026-11-24T14:15:00+00:00")]
    [InlineData("Tue, 24 Nov 2026 09:15:00 +0200", "2026-11-24T07:15:00+00:00")]
    [InlineData("2026-11-24T09:15:00Z", "2026-11-24T09:15:00+00:00")]
    public void FeedDates(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), FeedParser.ParseDate(text)!.Value.ToUniversalTime());
}
