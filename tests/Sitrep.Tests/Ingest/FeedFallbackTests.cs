using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Sitrep.Ingest.Web;
using Sitrep.Tests.Web;

namespace Sitrep.Tests;

/// <summary>
/// FeedParser reads feeds with System.ServiceModel.Syndication and falls back to its own tolerant reader for the
/// feeds Syndication rejects.
/// </summary>
public sealed class FeedFallbackTests
{
    private static readonly Uri Base = new("https://news.example/feeds/world.xml");

    private const string Rdf = """
        <?xml version="1.0" encoding="utf-8"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel rdf:about="https://news.example/"><title>Wire (RSS 1.0)</title><link>https://news.example/</link></channel>
          <item rdf:about="https://news.example/port"><title>Port strike</title><link>https://news.example/port</link>
            <description>Dockers walk out</description><dc:date>2026-11-23T09:00:00Z</dc:date><dc:creator>Li Wei</dc:creator></item>
          <item rdf:about="https://news.example/floods"><title>Floods</title><link>/floods</link><dc:date>2026-11-24T07:30:00+01:00</dc:date></item>
        </rdf:RDF>
        """;

    private static bool SyndicationRejects(string xml)
    {
        using var reader = XmlReader.Create(new StringReader(xml), FeedParser.SecureSettings());
        try
        {
            // Dates are parsed when first read, so an unreadable one throws there.
            foreach (var item in SyndicationFeed.Load(reader).Items) _ = (item.PublishDate, item.LastUpdatedTime);
            return false;
        }
        catch (XmlException) { return true; }
    }

    [Fact]
    public void Rss1RdfFeedIsRejectedBySyndicationAndReadByTheFallback()
    {
        Assert.True(SyndicationRejects(Rdf));
        Assert.Null(FeedParser.ParseWithSyndication(Encoding.UTF8.GetBytes(Rdf), Base));

        var (feed, error) = FeedParser.Parse(Encoding.UTF8.GetBytes(Rdf), Base);
        Assert.Null(error);
        Assert.Equal("rdf", feed!.Format);
        Assert.Equal("Wire (RSS 1.0)", feed.Title);
        Assert.Equal(2, feed.Entries.Count);
        Assert.Equal("https://news.example/port", feed.Entries[0].Link!.AbsoluteUri);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero), feed.Entries[0].Published);
        Assert.Equal("Li Wei", feed.Entries[0].Author);
        Assert.Equal("Dockers walk out", feed.Entries[0].Summary);
        Assert.Equal("https://news.example/floods", feed.Entries[1].Link!.AbsoluteUri);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 6, 30, 0, TimeSpan.Zero), feed.Entries[1].Published!.Value.ToUniversalTime());
    }

    [Fact]
    public void Rss2WithAnUnreadableDateFallsBackAndKeepsTheItem()
    {
        var xml = WebFixtures.Rss("World",
            ("Port strike", "https://news.example/port", "port-1", "yesterday afternoon", "Tom Reyes"),
            ("Floods", "/floods", "flood-1", "Tue, 24 Nov 2026 09:15:00 GMT", "Ana Silva"));
        Assert.True(SyndicationRejects(xml)); // Syndication throws on the date when it is read
        Assert.Null(FeedParser.ParseWithSyndication(Encoding.UTF8.GetBytes(xml), Base)); // with it: no date it can accept

        var (feed, error) = FeedParser.Parse(Encoding.UTF8.GetBytes(xml), Base);
        Assert.Null(error);
        Assert.Equal("rss", feed!.Format);
        Assert.Equal(2, feed.Entries.Count);
        Assert.Null(feed.Entries[0].Published);
        Assert.Equal("port-1", feed.Entries[0].Key);
        Assert.Equal("Tom Reyes", feed.Entries[0].Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 15, 0, TimeSpan.Zero), feed.Entries[1].Published);
    }

    [Fact]
    public void SyndicationAndTheFallbackReadAFeedTheSame()
    {
        var rss = WebFixtures.Rss("World",
            ("Floods force thousands from homes", "/2026/11/floods", "flood-1", "Tue, 24 Nov 2026 09:15:00 GMT", "Ana Silva"),
            ("Port strike", "https://news.example/port", "port-1", "Mon, 23 Nov 2026 18:00:00 -0500", "Tom Reyes"));
        var atom = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>tag:news.example,2026:wire</id><updated>2026-11-23T10:00:00Z</updated>
              <entry><title>Port strike</title><id>tag:news.example,2026:port</id>
                <link rel="self" href="https://news.example/api/port"/><link rel="alternate" type="text/html" href="/port"/>
                <updated>2026-11-23T10:00:00Z</updated><published>2026-11-23T09:00:00+01:00</published>
                <author><name>Li Wei</name></author><author><name>Sara Berg</name></author><summary>Dockers strike</summary>
                <content type="html">&lt;p&gt;Dockers walked out.&lt;/p&gt;</content></entry>
            </feed>
            """;
        foreach (var (xml, format) in new[] { (rss, "rss"), (atom, "atom") })
        {
            var bytes = Encoding.UTF8.GetBytes(xml);
            var lib = FeedParser.ParseWithSyndication(bytes, Base);
            var own = FeedParser.ParseTolerant(bytes, Base).Feed;
            Assert.NotNull(lib);
            Assert.Equal(format, lib.Format);
            Assert.Equal(own!.Title, lib.Title);
            Assert.Equal(own.Entries, lib.Entries);
        }
    }
}
