using Microsoft.Data.Sqlite;
using Sitrep.Ingest;
using Sitrep.Pipeline;
using Sitrep.Store;

namespace Sitrep.Tests;

/// <summary>No input may poison a store: the writer's invariants, tolerant readers, check and repair, and one-line errors.</summary>
public sealed class StoreSafetyTests
{
    private static readonly Lazy<DocumentAnalyzer> Analyzer = new(() => PipelineFactory.Create([]));

    private static AnalyzedDocument AnalyzeSeed(int index, string? path = null)
    {
        var file = Directory.GetFiles(TestPaths.Seeds).Order(StringComparer.Ordinal).ElementAt(index);
        var (doc, problem) = SourceLoader.Decode(path ?? file, File.ReadAllBytes(file));
        Assert.Null(problem);
        return Analyzer.Value.Analyze(doc!);
    }

    private static async IAsyncEnumerable<AnalyzedDocument> Stream(params AnalyzedDocument[] docs)
    {
        foreach (var d in docs) yield return d;
        await Task.CompletedTask;
    }

    [Fact]
    public async Task AStoreOfAnOlderSchemaIsNotReadAsItIsButMigratedByTheNextWriter()
    {
        using var dir = new TempDir();
        var db = dir.File("old.db");
        await using (var store = await SqliteStore.OpenAsync(db)) { }
        using (var c = new SqliteConnection($"Data Source={db};Pooling=false"))
        {
            c.Open();
            using var q = c.CreateCommand();
            q.CommandText = "DROP INDEX claims_story_status; PRAGMA user_version = " + (SqliteStore.SchemaVersion - 1) + ";";
            q.ExecuteNonQuery();
        }
        var e = await Assert.ThrowsAsync<StoreException>(() => SqliteStore.OpenAsync(db, readOnly: true));
        Assert.Contains("older than this sitrep", e.Message);
        Assert.Contains("sitrep rebuild", e.Message);
        await using (var writer = await SqliteStore.OpenAsync(db)) { }
        await using var reader = await SqliteStore.OpenAsync(db, readOnly: true);
        Assert.Empty(reader.ReadClaims(Sitrep.Stories.ClaimStatus.Corroborated, limit: 10));
    }

    [Fact]
    public async Task TheWriterRefusesADocumentWhoseOffsetsLieOutsideItsTextAndStoresTheOthers()
    {
        using var dir = new TempDir();
        var good = AnalyzeSeed(0, dir.File("good.txt"));
        var seed = AnalyzeSeed(1, dir.File("bad.txt"));
        var a = seed.Articles[0];
        var broken = seed with { Articles = [a with { Layout = a.Layout with { TextEnd = seed.Source.Text.Length + 10 } }, .. seed.Articles.Skip(1)] };
        await using var store = await SqliteStore.OpenAsync(dir.File("s.db"));
        var summary = await store.WriteAsync(Stream(good, broken), "p");
        Assert.Equal(1, summary.Added);
        var refused = Assert.Single(summary.Refused);
        Assert.Equal(dir.File("bad.txt"), refused.Path);
        Assert.Contains("outside the text", refused.Reason);
        var stored = await store.ReadDocumentsAsync().ToListAsync();
        Assert.Equal([good.Source.Id], stored.Select(d => d.Id));
    }

    [Theory]
    [InlineData('\0', "NUL")]
    [InlineData('\uD800', "lone surrogate")]
    public async Task TextThatStorageWouldAlterIsRefusedNotCut(char bad, string reason)
    {
        using var dir = new TempDir();
        var seed = AnalyzeSeed(2, dir.File("x.txt"));
        var text = seed.Source.Text;
        int at = text.Length - 20;
        var altered = seed with { Source = seed.Source with { Text = text[..at] + bad + text[(at + 1)..] } };
        await using var store = await SqliteStore.OpenAsync(dir.File("s.db"));
        var summary = await store.WriteAsync(Stream(altered), "p");
        Assert.Contains(reason, Assert.Single(summary.Refused).Reason);
        Assert.Empty(await store.ReadDocumentsAsync().ToListAsync());
    }

    [Fact]
    public async Task ACorruptedRowCostsOnlyItsDocumentAndRepairRestoresIt()
    {
        using var dir = new TempDir();
        var db = dir.File("s.db");
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", TestPaths.Seeds, "--db", db, "-q")).ExitCode);
        await using (var c = new SqliteConnection($"Data Source={db};Pooling=false"))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE articles SET text_end = 999999 WHERE id = (SELECT min(id) FROM articles)";
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }

        // Stories and claims are read from the model's own tables, which the damaged row does not touch.
        foreach (var command in new[] { "stories", "claims" })
            Assert.Equal(0, (await CliRunner.RunAsync(command, "--db", db)).ExitCode);
        // The brief reads the model and at most a few documents per story for leads: it shows every story whatever the
        // damaged row, and reports the row when a lead was to come from it.
        var brief = await CliRunner.RunAsync("brief", "--db", db);
        Assert.Contains("\n## 4. ", brief.Out);
        Assert.True(brief.ExitCode == 0 || (brief.ExitCode == 1 && brief.Err.Contains("skipped: article")), $"brief: exit {brief.ExitCode}: {brief.Err}");
        Assert.All(brief.ErrLines, l => Assert.StartsWith("sitrep: ", l));
        foreach (var command in new[] { new[] { "export" }, ["brief", "--articles"] })
        {
            var r = await CliRunner.RunAsync([.. command, "--db", db]);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("skipped: article", r.Err);
            Assert.DoesNotContain("   at ", r.Err);
            Assert.All(r.ErrLines, l => Assert.StartsWith("sitrep: ", l));
        }
        var export = await CliRunner.RunAsync("export", "--db", db);
        Assert.Equal(4, System.Text.Json.JsonDocument.Parse(export.Out).RootElement.GetProperty("documents").GetArrayLength());

        var check = await CliRunner.RunAsync("check", "--db", db);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("outside the text", check.Err);

        var repair = await CliRunner.RunAsync("repair", "--db", db);
        Assert.Equal(0, repair.ExitCode);
        Assert.Contains("4 document(s) kept, 1 dropped, 1 re-analysed", repair.Out);
        var after = await CliRunner.RunAsync("check", "--db", db);
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("5 document(s)", after.Out);
        Assert.Single(Directory.GetFiles(dir.Path, "s.db.damaged-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DamagedPagesAreRefusedByWritersReadAsFarAsTheyCanAndRepaired()
    {
        using var dir = new TempDir();
        var db = dir.File("s.db");
        var pages = Path.Combine(TestPaths.Shared, "data", "extraction", "zyte", "html");
        var input = Directory.CreateDirectory(dir.File("in")).FullName;
        foreach (var gz in Directory.GetFiles(pages, "*.html.gz").Order(StringComparer.Ordinal).Take(40))
        {
            using var src = new System.IO.Compression.GZipStream(File.OpenRead(gz), System.IO.Compression.CompressionMode.Decompress);
            using var dst = File.Create(Path.Combine(input, Path.GetFileNameWithoutExtension(gz)));
            src.CopyTo(dst);
        }
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", input, "--db", db, "-q")).ExitCode);
        var rows = (await CliRunner.RunAsync("check", "--db", db)).Out;
        Assert.Contains("40 document(s)", rows);

        // 4 KB of random bytes over a page in the middle of the file.
        var length = new FileInfo(db).Length;
        using (var f = new FileStream(db, FileMode.Open, FileAccess.Write))
        {
            f.Seek(length / 2 / 4096 * 4096, SeekOrigin.Begin);
            var noise = new byte[4096];
            new Random(7).NextBytes(noise);
            f.Write(noise);
        }

        var write = await CliRunner.RunAsync("ingest", TestPaths.Seeds, "--db", db);
        Assert.Equal(1, write.ExitCode);
        Assert.Contains("database is damaged", Assert.Single(write.ErrLines));

        var check = await CliRunner.RunAsync("check", "--db", db);
        Assert.Equal(1, check.ExitCode);
        var export = await CliRunner.RunAsync("export", "--db", db, "--no-text");
        Assert.DoesNotContain("   at ", export.Err);
        var served = System.Text.Json.JsonDocument.Parse(export.Out).RootElement.GetProperty("documents").GetArrayLength();
        Assert.InRange(served, 1, 40);

        Assert.Equal(0, (await CliRunner.RunAsync("repair", "--db", db)).ExitCode);
        var after = await CliRunner.RunAsync("check", "--db", db);
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("40 document(s)", after.Out);
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", TestPaths.Seeds, "--db", db, "-q")).ExitCode);
    }

    [Fact]
    public async Task ACancelledWriteKeepsItsCheckpointsAndRollsBackTheRest()
    {
        using var dir = new TempDir();
        var docs = Enumerable.Range(0, 5).Select(i => AnalyzeSeed(i, dir.File($"{i}.txt"))).ToArray();
        using var cts = new CancellationTokenSource();
        async IAsyncEnumerable<AnalyzedDocument> CancelAfterFive()
        {
            foreach (var d in docs) yield return d;
            cts.Cancel();
            await Task.Yield();
            cts.Token.ThrowIfCancellationRequested();
        }
        await using (var store = await SqliteStore.OpenAsync(dir.File("s.db")))
        {
            store.CheckpointDocuments = 2;
            var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WriteAsync(CancelAfterFive(), "p", cts.Token));
            Assert.Contains("4 document(s) committed", e.Message);
            Assert.Equal(4, (await store.ReadDocumentsAsync().ToListAsync()).Count);
            // Re-running the same input completes it and changes nothing else.
            var again = await store.WriteAsync(Stream(docs), "p");
            Assert.Equal((1, 4), (again.Added, again.Unchanged));
        }
    }

    [Fact]
    public async Task AStoreOpenedReadOnlyRefusesWritesInOneLine()
    {
        using var dir = new TempDir();
        var db = dir.File("s.db");
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", TestPaths.Seeds, "--db", db, "-q")).ExitCode);
        await using var store = await SqliteStore.OpenAsync(db, readOnly: true);
        var e = await Assert.ThrowsAsync<StoreException>(() => store.WriteAsync(Stream(AnalyzeSeed(0)), "p"));
        Assert.Contains("read-only", e.Message);
        Assert.Equal(5, (await store.ReadDocumentsAsync().ToListAsync()).Count);
    }

    [Fact]
    public async Task AFileNameWithANewlineCannotForgeASecondErrorLine()
    {
        using var dir = new TempDir();
        var input = Directory.CreateDirectory(dir.File("in")).FullName;
        File.WriteAllText(Path.Combine(input, "evil\nsitrep: forged.txt"), "");
        File.Copy(Directory.GetFiles(TestPaths.Seeds).Order(StringComparer.Ordinal).First(), Path.Combine(input, "ok.txt"));
        var r = await CliRunner.RunAsync("ingest", input, "--db", dir.File("s.db"), "-q");
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.ErrLines);
        Assert.Contains("evil\\nsitrep: forged.txt", line);
        Assert.Contains("empty file", line);
    }

    [Fact]
    public async Task ExportToAFileWritesExactlyWhatExportToStandardOutputWrites()
    {
        using var dir = new TempDir();
        var db = dir.File("s.db");
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", TestPaths.Seeds, "--db", db, "-q")).ExitCode);
        var stdout = await CliRunner.RunAsync("export", "--db", db);
        Assert.Equal(0, (await CliRunner.RunAsync("export", "--db", db, "-o", dir.File("m.json"))).ExitCode);
        Assert.Equal(stdout.Out, File.ReadAllText(dir.File("m.json")));
        Assert.Contains("\"stories\"", stdout.Out);
        Assert.Contains("\"threads\"", stdout.Out);
    }

    [Fact]
    public async Task ASearchQueryIsCappedInLength()
    {
        using var dir = new TempDir();
        var db = dir.File("s.db");
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", TestPaths.Seeds, "--db", db, "-q")).ExitCode);
        var words = string.Join(' ', Enumerable.Range(0, 1000).Select(i => "w" + i));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = await CliRunner.RunAsync("search", words, "--db", db);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("search query too long", Assert.Single(r.ErrLines));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
        Assert.Equal(0, (await CliRunner.RunAsync("search", "NATO", "--db", db)).ExitCode);
    }

    [Fact]
    public void ErrorLinesShowControlAndBidiCharactersAsEscapes()
    {
        Assert.Equal("a\\nb\\x1b[31m\\u202etxt.exe 😀", Sitrep.Cli.Cli.Escape("a\nb\u001b[31m\u202etxt.exe 😀"));
        Assert.Equal("lone \\ud800 end", Sitrep.Cli.Cli.Escape("lone \ud800 end"));
    }
}
