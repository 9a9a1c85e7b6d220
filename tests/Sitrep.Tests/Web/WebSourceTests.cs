using System.Diagnostics;
using System.Text;
using Sitrep.Ingest.Web;

namespace Sitrep.Tests.Web;

public sealed class WebSourceTests
{
    private static async Task<List<SourceInput>> ReadAll(WebSource web, params Uri[] urls)
    {
        var list = new List<SourceInput>();
        await foreach (var i in web.ReadAsync(urls)) list.Add(i);
        return list;
    }

    [Fact]
    public async Task ItemPagesAreFetchedAheadInFeedOrder()
    {
        using var server = new LocalHttpServer();
        var items = Enumerable.Range(1, 4).Select(i => ($"Story {i}", server.Url($"/s{i}"), $"g{i}", "Tue, 24 Nov 2026 09:15:00 GMT", "Staff")).ToArray();
        server.Map("/feed", new LocalResponse(200, Encoding.UTF8.GetBytes(WebFixtures.Rss("News", items)), "application/rss+xml"));
        for (int i = 1; i <= 4; i++)
            server.Map($"/s{i}", new LocalResponse(200, Encoding.UTF8.GetBytes(WebFixtures.Article($"Story {i}", "Staff", WebFixtures.PortStory)), "text/html", Delay: TimeSpan.FromMilliseconds(600)));
        using var fetcher = new HttpFetcher(new FetchOptions { AllowPrivate = true, PerHostInterval = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(5) });
        var clock = Stopwatch.StartNew();
        var inputs = await ReadAll(new WebSource(fetcher), new Uri(server.Url("/feed")));
        Assert.Equal(items.Select(i => i.Item2), inputs.Select(i => i.Path));
        Assert.Equal(["Story 1", "Story 2", "Story 3", "Story 4"], inputs.Select(i => i.Item!.FeedTitle));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(2000), $"4 slow pages took {clock.Elapsed.TotalMilliseconds} ms (not fetched ahead)");
    }

    [Fact]
    public async Task ItemWithoutLinkIsReadFromTheFeedContent()
    {
        using var server = new LocalHttpServer();
        var atom = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Notes</title>
              <entry><title>Port strike</title><id>urn:uuid:1</id><updated>2026-11-23T10:00:00Z</updated><author><name>Li Wei</name></author>
                <content type="html">&lt;p&gt;Dock workers at the country's largest container port walked off the job on Monday.&lt;/p&gt;&lt;p&gt;The union said the strike would last 48 hours.&lt;/p&gt;</content></entry>
            </feed>
            """;
        server.Map("/atom", new LocalResponse(200, Encoding.UTF8.GetBytes(atom), "application/atom+xml"));
        using var fetcher = new HttpFetcher(new FetchOptions { AllowPrivate = true, PerHostInterval = TimeSpan.Zero });
        var input = Assert.Single(await ReadAll(new WebSource(fetcher), new Uri(server.Url("/atom"))));
        Assert.Equal(server.Url("/atom") + "#urn%3Auuid%3A1", input.Path);
        var (doc, problem) = input.Decode();
        Assert.Null(problem);
        Assert.Contains("Dock workers at the country's largest container port", doc!.Text);
        Assert.Equal("Li Wei", input.Item!.FeedAuthor);
    }
}
