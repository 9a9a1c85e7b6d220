using Microsoft.Data.Sqlite;
using Sitrep.Ingest;
using Sitrep.Pipeline;
using Sitrep.Store;

namespace Sitrep.Tests;

/// <summary>
/// Each kind of bad input gets one clear line naming the file and the reason and exit code 1; good files in the
/// same run are still stored; nothing stored before is lost or half-written.
/// </summary>
public sealed class BadInputTests
{
    private static string Seed(string prefix) => Directory.GetFiles(TestPaths.Seeds).Single(f => Path.GetFileName(f).StartsWith(prefix));

    private static async Task<List<string>> Rows(string db)
    {
        await using var store = await SqliteStore.OpenAsync(db, readOnly: true);
        return store.DumpRows().ToList();
    }

    /// <summary>Runs ingest on one good seed plus the bad file; asserts the error line, exit 1, and that the good one is stored.</summary>
    private static async Task AssertRejected(TempDir dir, string bad, string reasonFragment)
    {
        var db = dir.File("t.db");
        var r = await CliRunner.RunAsync("ingest", Seed("001"), bad, "--db", db, "--quiet");
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.ErrLines);
        Assert.StartsWith($"sitrep: {bad}: ", line);
        Assert.Contains(reasonFragment, line);
        var rows = await Rows(db);
        Assert.Single(rows, row => row.StartsWith("files|") && row.Contains("001_"));
        Assert.DoesNotContain(rows, row => row.StartsWith("files|") && row.Contains(Path.GetFileName(bad)));
    }

    [Fact]
    public async Task MissingPath()
    {
        using var dir = new TempDir();
        await AssertRejected(dir, dir.File("no-such-article.txt"), "no such file or folder");
    }

    [Fact]
    public async Task EmptyFile()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("empty.txt"), []);
        await AssertRejected(dir, dir.File("empty.txt"), "empty file");
        File.WriteAllText(dir.File("blank.txt"), " \n\r\n\t\n");
        await AssertRejected(dir, dir.File("blank.txt"), "empty file (only white space)");
    }

    [Fact]
    public async Task BinaryFileWithNulBytes()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("blob.txt"), [0x41, 0x42, 0x00, 0x01, 0x02, 0x43]);
        await AssertRejected(dir, dir.File("blob.txt"), "binary file (NUL byte at offset 2)");
    }

    [Fact]
    public async Task ImageFile()
    {
        using var dir = new TempDir();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
        File.WriteAllBytes(dir.File("photo.txt"), png);
        await AssertRejected(dir, dir.File("photo.txt"), "binary file (PNG image)");
    }

    [Fact]
    public async Task FileOverFiftyMegabytes()
    {
        using var dir = new TempDir();
        using (var fs = File.Create(dir.File("huge.txt"))) fs.SetLength(51L * 1024 * 1024);
        await AssertRejected(dir, dir.File("huge.txt"), "file too large (51.0 MB; the limit is 50 MB)");
    }

    [Fact]
    public async Task UnreadableFile()
    {
        // Root reads any file whatever its mode, so the permission failure is injected at the file-system seam.
        var files = new FailingFiles(PhysicalInputFiles.Instance, "locked-article.txt", new UnauthorizedAccessException("Access to the path is denied."));
        using var dir = new TempDir();
        File.WriteAllText(dir.File("locked-article.txt"), "Some text that cannot be read.");
        File.Copy(Seed("003"), dir.File("good.txt"));
        await using var store = await SqliteStore.OpenAsync(dir.File("t.db"));
        var report = await new IngestRun(new Sitrep.Pipeline.DocumentAnalyzer(), new SourceLoader(files)).RunAsync([dir.Path], store);
        var problem = Assert.Single(report.Problems);
        Assert.Equal($"{dir.File("locked-article.txt")}: permission denied (file is not readable)", problem.ToString());
        Assert.Equal(1, report.Written.Added);
    }

    [Fact]
    public async Task ReadErrorMidRun()
    {
        var files = new FailingFiles(PhysicalInputFiles.Instance, "flaky.txt", new IOException("Input/output error"));
        using var dir = new TempDir();
        File.WriteAllText(dir.File("flaky.txt"), "x");
        File.Copy(Seed("000"), dir.File("good.txt"));
        await using var store = await SqliteStore.OpenAsync(dir.File("t.db"));
        var report = await new IngestRun(new Sitrep.Pipeline.DocumentAnalyzer(), new SourceLoader(files)).RunAsync([dir.Path], store);
        Assert.Equal($"{dir.File("flaky.txt")}: cannot read: Input/output error", Assert.Single(report.Problems).ToString());
        Assert.Equal(1, report.Written.Added);
    }

    [Fact]
    public async Task LockedDatabaseIsReportedAndLeftIntact()
    {
        using var dir = new TempDir();
        var db = dir.File("t.db");
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", Seed("000"), "--db", db, "--quiet")).ExitCode);
        var before = await Rows(db);

        using (var holder = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            holder.Open();
            using (var c = holder.CreateCommand()) { c.CommandText = "BEGIN EXCLUSIVE; INSERT INTO files VALUES ('held', (SELECT id FROM documents LIMIT 1));"; c.ExecuteNonQuery(); }
            var r = await CliRunner.RunAsync("ingest", Seed("001"), "--db", db, "--quiet");
            Assert.Equal(1, r.ExitCode);
            var line = Assert.Single(r.ErrLines);
            Assert.Equal($"sitrep: {db}: database is locked by another process; try again when it is done", line);
            using (var c = holder.CreateCommand()) { c.CommandText = "ROLLBACK"; c.ExecuteNonQuery(); }
        }
        Assert.Equal(before, await Rows(db));
    }

    [Fact]
    public async Task CorruptDatabaseIsRefusedAndNotOverwritten()
    {
        using var dir = new TempDir();
        var db = dir.File("t.db");
        var garbage = new byte[8192];
        new Random(3).NextBytes(garbage);
        File.WriteAllBytes(db, garbage);
        var r = await CliRunner.RunAsync("analyze", Seed("000"), "--db", db, "--out", dir.File("out"), "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"sitrep: {db}: not a database (file is corrupt or of another kind)", Assert.Single(r.ErrLines));
        Assert.Equal(garbage, File.ReadAllBytes(db));
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "brief.md")));
    }

    [Fact]
    public async Task ForeignSqliteDatabaseIsRefused()
    {
        using var dir = new TempDir();
        var db = dir.File("other.db");
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance REAL); INSERT INTO accounts VALUES (1, 10.5);";
            cmd.ExecuteNonQuery();
        }
        var r = await CliRunner.RunAsync("ingest", Seed("000"), "--db", db, "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not a Sitrep database", Assert.Single(r.ErrLines));
    }

    [Fact]
    public async Task UsageErrorsExitWithTwo()
    {
        Assert.Equal(2, (await CliRunner.RunAsync("analyze")).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("frobnicate")).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("export", "--format", "xml")).ExitCode);
        var help = await CliRunner.RunAsync("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("analyze", help.Out);
    }

    private sealed class FailingFiles(IInputFiles inner, string failName, Exception error) : IInputFiles
    {
        public bool FileExists(string path) => inner.FileExists(path);
        public bool DirectoryExists(string path) => inner.DirectoryExists(path);
        public IEnumerable<string> EnumerateFiles(string directory) => inner.EnumerateFiles(directory);
        public long Length(string path) => inner.Length(path);
        public Task<byte[]> ReadAllBytesAsync(string path, CancellationToken ct) =>
            Path.GetFileName(path) == failName ? Task.FromException<byte[]>(error) : inner.ReadAllBytesAsync(path, ct);
    }
}
