using Sitrep.Output;
using Sitrep.Stories;

namespace Sitrep.Tests.Stories;

/// <summary>The thread rule on small synthetic stories: distinctive subjects, no chains, titles, and what counts as a mention.</summary>
public sealed class StoryThreadsTests
{
    private static StoryThreads.Input Story(string id, params (string Key, int Mentions)[] actors) =>
        new(id, actors.ToDictionary(a => a.Key, a => (a.Key.ToUpperInvariant(), a.Mentions)));

    /// <summary>Background stories: each has only the actor every story has, and one of its own.</summary>
    private static IEnumerable<StoryThreads.Input> Background(int count = 3) =>
        Enumerable.Range(1, count).Select(i => Story("g" + i, ("nato", 3), ("own-g" + i, 2)));

    [Fact]
    public void AChainWhoseEndsShareNothingIsNotOneThread()
    {
        // A–B share x and y, B–C share u and v (more strongly); A and C share nothing but the actor in every story.
        var stories = new[]
        {
            Story("a", ("x", 5), ("y", 3), ("nato", 4), ("own-a", 2)),
            Story("b", ("x", 4), ("y", 2), ("u", 3), ("v", 3), ("w", 1), ("nato", 2)),
            Story("c", ("u", 5), ("v", 4), ("w", 1), ("nato", 1), ("own-c", 1)),
        }.Concat(Background()).ToList();
        var thread = Assert.Single(StoryThreads.Find(stories));
        // The stronger pair is the thread; A is not pulled in through B.
        Assert.Equal(["b", "c"], thread.StoryIds);
        // Named by its strongest shared subjects; w is shared but weak (one mention each), listed but not in the title.
        Assert.Equal("U / V", thread.Title);
        Assert.Equal(["u", "v", "w"], thread.Actors.Select(x => x.Key));
    }

    [Fact]
    public void StoriesLinkedToEachOtherFormOneThread()
    {
        var stories = new[]
        {
            Story("a", ("arctic", 6), ("greenland", 4), ("nato", 3)),
            Story("b", ("arctic", 5), ("greenland", 2), ("nato", 2), ("own-b", 1)),
            Story("c", ("arctic", 3), ("greenland", 3), ("nato", 1), ("own-c", 1)),
        }.Concat(Background(6)).ToList(); // a subject may be in at most a third of the stories: 3 of 9

        var thread = Assert.Single(StoryThreads.Find(stories));
        Assert.Equal(["a", "b", "c"], thread.StoryIds);
        Assert.Equal("ARCTIC / GREENLAND", thread.Title);
    }

    [Fact]
    public void OneSharedSubjectOrOnlyCommonActorsMakeNoThread()
    {
        var stories = new[]
        {
            // Share one distinctive actor only: one coincidence is not a thread.
            Story("a", ("x", 5), ("nato", 4), ("russia", 3)),
            Story("b", ("x", 5), ("nato", 4), ("russia", 2)),
            // Share only actors that are in most stories.
            Story("c", ("nato", 5), ("russia", 5), ("own-c", 1)),
            Story("d", ("nato", 5), ("russia", 5), ("own-d", 1)),
        }.Concat(Background()).ToList();
        Assert.Empty(StoryThreads.Find(stories));
        // Two stories have no background: whatever they share is in every story.
        Assert.Empty(StoryThreads.Find([Story("a", ("x", 5), ("y", 5)), Story("b", ("x", 5), ("y", 5))]));
    }

    [Fact]
    public void DatelineAndBylineMentionsDoNotCountAndHeadlineMentionsCountTwice()
    {
        const string title = "Greenland talks resume";
        const string text = title + "\nBy Jane Doe, Reuters\nBRUSSELS — Greenland and Denmark met in Brussels. Reuters reported it.";
        int body = text.IndexOf("Greenland and", StringComparison.Ordinal);
        (int, int) At(string s, int from = 0) { int i = text.IndexOf(s, from, StringComparison.Ordinal); return (i, i + s.Length); }
        var actors = new List<(string Key, string Name, IReadOnlyList<(int Start, int End)> Mentions)>
        {
            ("greenland", "Greenland", [At("Greenland"), At("Greenland", body)]),
            ("brussels", "Brussels", [At("BRUSSELS"), At("Brussels", body)]),
            ("reuters", "Reuters", [At("Reuters"), At("Reuters", body)]),
            ("corpus:person:jane doe", "Jane Doe", [At("Jane Doe")]),
            ("corpus:misc:danish", "Danish", [At("Denmark", body)]),
        };
        var article = new ClaimArticle("a1", "d1", "a1", title, 0, text, null, "document:d1", null, null, null, [(body, text.Length)], actors, [])
        {
            BodyStart = body, Dateline = "BRUSSELS", Byline = "By Jane Doe, Reuters",
        };
        var subjects = StoryThreads.Subjects([article], new Dictionary<string, string> { ["reuters"] = "outlet", ["greenland"] = "country" });
        Assert.Equal(3, subjects["greenland"].Mentions);   // headline ×2 + body
        Assert.Equal(1, subjects["brussels"].Mentions);    // the body's mention only, not the dateline
        Assert.False(subjects.ContainsKey("reuters"));      // an outlet is a source, not a subject
        Assert.False(subjects.ContainsKey("corpus:person:jane doe")); // named only in the byline
        Assert.False(subjects.ContainsKey("corpus:misc:danish"));
    }
}
