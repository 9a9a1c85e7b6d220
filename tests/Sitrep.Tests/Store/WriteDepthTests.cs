using Sitrep.Ingest;
using Sitrep.Pipeline;
using Sitrep.Store;

namespace Sitrep.Tests;

/// <summary>The store profile's seam: a shallower write stops at its table; the deepest is the public write.</summary>
public sealed class WriteDepthTests
{
    private static async IAsyncEnumerable<AnalyzedDocument> One(AnalyzedDocument d)
    {
        yield return d;
        await Task.CompletedTask;
    }

    [Fact]
    public async Task AShallowerWriteStopsAtItsTableAndTheDeepestIsThePublicWrite()
    {
        var seed = Directory.GetFiles(TestPaths.Seeds).Order().First();
        var (src, problem) = SourceLoader.Decode(seed, File.ReadAllBytes(seed));
        Assert.Null(problem);
        var doc = PipelineFactory.Create([]).Analyze(src!);
        using var dir = new TempDir();

        async Task<List<string>> Rows(string name, WriteDepth? depth)
        {
            await using var store = await SqliteStore.OpenAsync(dir.File(name));
            if (depth is { } d) await store.WriteAsync(One(doc), "p", d);
            else await store.WriteAsync(One(doc), "p");
            return store.DumpRows().ToList();
        }
        static string[] Tables(List<string> rows) => rows.Select(r => r[..r.IndexOf('|')]).Distinct().Order().ToArray();

        var full = await Rows("public.db", null);
        // model_pending: every written article waits for the cross-source stage (a trigger marks it in the same transaction).
        Assert.Equal(["articles", "documents", "entities", "files", "mentions", "model_pending", "pieces"], Tables(full).Where(t => t != "role_claims").ToArray());
        Assert.Equal(["documents", "files"], Tables(await Rows("documents.db", WriteDepth.Documents)));
        Assert.Equal(["documents", "files", "pieces"], Tables(await Rows("pieces.db", WriteDepth.Pieces)));
        Assert.Equal(["articles", "documents", "files", "model_pending", "pieces"], Tables(await Rows("articles.db", WriteDepth.Articles)));
        Assert.Equal(full, await Rows("entities.db", WriteDepth.Entities));
    }
}
