using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Sitrep.Tests.Reliability;

/// <summary>
/// A folder of a few hundred generated articles and the store and export an uninterrupted `sitrep ingest` of it makes,
/// built once for the fault tests (the real program, run as a child process).
/// </summary>
public sealed class FaultFixture : IDisposable
{
    public const int ArticleCount = 100;
    public TempDir Dir { get; } = new();
    public string Articles { get; }
    public string Seeds { get; }
    public string Store { get; }
    public string Export { get; }
    public TimeSpan FullIngest { get; }

    public FaultFixture()
    {
        Articles = Path.Combine(Dir.Path, "articles");
        Seeds = Path.Combine(Dir.Path, "seeds");
        Directory.CreateDirectory(Articles);
        Directory.CreateDirectory(Seeds);
        var seeds = Directory.GetFiles(TestPaths.Seeds, "*.txt").OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        for (int s = 0; s < seeds.Count; s++) File.WriteAllText(Path.Combine(Seeds, $"seed{s}.txt"), seeds[s]);
        string[] people = ["Maria Kovalenko", "Ahmed Haddad", "John Miller", "Sofia Rossi", "Li Wei", "Olena Shevchenko", "Carlos Pérez", "Anna Schmidt"];
        string[] places = ["Kyiv", "Brussels", "Cairo", "Geneva", "Warsaw", "Ankara", "Doha", "Vienna"];
        for (int k = 0; k < ArticleCount; k++)
        {
            var paras = seeds[k % seeds.Count].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            int from = 1 + k / seeds.Count % Math.Max(1, paras.Length - 4);
            var body = string.Join("\n\n", paras.Skip(from).Take(4));
            var text = $"Dispatch {k}: {places[k % places.Length]} talks enter day {k % 30 + 1}\n\n" +
                       $"{places[(k + 3) % places.Length].ToUpperInvariant()}, March {k % 28 + 1}, 2026 — \"We are not there yet,\" said {people[k % people.Length]}, " +
                       $"who has followed round {k} of the talks, on Tuesday.\n\n{body}\n\n{people[(k + 5) % people.Length]} said {k + 12} delegations would return next week.\n";
            File.WriteAllText(Path.Combine(Articles, $"a{k:D4}.txt"), text);
        }
        Store = Path.Combine(Dir.Path, "reference.db");
        var run = SitrepProcess.RunAsync(TimeSpan.FromMinutes(3), "ingest", Articles, "--db", Store, "-q").GetAwaiter().GetResult();
        if (run.ExitCode != 0) throw new InvalidOperationException($"reference ingest failed: {run.Err}");
        FullIngest = run.Elapsed;
        var export = SitrepProcess.RunAsync(TimeSpan.FromMinutes(2), "export", "--db", Store).GetAwaiter().GetResult();
        if (export.ExitCode != 0) throw new InvalidOperationException($"reference export failed: {export.Err}");
        Export = export.Out;
    }

    public void Dispose() => Dir.Dispose();
}

/// <summary>The fault tests time processes (SIGTERM within 2 s, kills at seeded moments): they run alone, not beside other tests.</summary>
[CollectionDefinition("Faults", DisableParallelization = true)]
public sealed class FaultCollection;

/// <summary>
/// Faults a user meets: kill -9 mid-ingest, two writers, a full disk, a read-only store, SIGTERM, damaged pages. Each
/// runs the real `sitrep` (sitrep.dll from the test output) as a child process.
/// </summary>
[Collection("Faults")]
public sealed class FaultTests(FaultFixture f, ITestOutputHelper output) : IClassFixture<FaultFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    // ------------------------------------------------------------------ kill -9

    [Fact]
    public async Task Kill_9_at_twenty_seeded_points_leaves_an_intact_store_that_a_rerun_completes()
    {
        using var dir = new TempDir();
        var rng = new Random(20261207);
        double full = f.FullIngest.TotalSeconds;
        output.WriteLine($"uninterrupted ingest of {FaultFixture.ArticleCount} articles: {full:F2} s");
        int verified = 0, interrupted = 0;
        for (int k = 0; k < 20; k++)
        {
            // A fresh store each time, killed at a seeded point of its first ingest: even points at a moment of the first
            // seconds (start-up, analysis, first commits), odd ones once a seeded number of documents is committed
            // (small checkpoints put kills among commits).
            var store = dir.File($"killed{k}.db");
            using (var p = SitrepProcess.Start("ingest", f.Articles, "--db", store, "-q", "--commit-every", "10"))
            {
                string point;
                if (k % 2 == 0)
                {
                    double at = 0.3 + rng.NextDouble() * 2.5;
                    point = $"at {at:F2} s";
                    await Task.Delay(TimeSpan.FromSeconds(at));
                }
                else
                {
                    int target = 10 * rng.Next(1, FaultFixture.ArticleCount / 10);
                    point = $"after {target} committed";
                    var clock = Stopwatch.StartNew();
                    while (!p.HasExited && clock.Elapsed < Limit && (!File.Exists(store) || Count(store) < target)) await Task.Delay(25);
                }
                bool ran = !p.HasExited;
                if (ran) interrupted++;
                p.Kill9();
                output.WriteLine($"kill {k}: {point}{(ran ? "" : " (the run had already finished)")}; documents committed: {(File.Exists(store) ? Count(store) : 0)}");
            }
            if (!File.Exists(store)) continue;
            // The store opens and SQLite finds every page sound.
            Assert.Equal("ok", IntegrityCheck(store));
            if (k % 5 == 4)
            {
                // A re-run on the store the kill left reaches the export of an uninterrupted run.
                var rerun = await SitrepProcess.RunAsync(Limit, "ingest", f.Articles, "--db", store, "-q");
                Assert.True(rerun.ExitCode == 0, $"re-run after kill {k}: exit {rerun.ExitCode}: {rerun.Err}");
                var export = await SitrepProcess.RunAsync(Limit, "export", "--db", store);
                Assert.Equal(0, export.ExitCode);
                Assert.True(f.Export == export.Out, $"after kill {k} and a re-run the export differs from an uninterrupted run's (first difference at {FirstDifference(f.Export, export.Out)})");
                verified++;
            }
        }
        Assert.True(interrupted >= 12, $"only {interrupted} of 20 kills landed while the ingest ran");
        Assert.True(verified >= 4);
    }

    [Fact]
    public async Task A_long_ingest_commits_in_checkpoints_so_a_kill_keeps_committed_work_and_a_rerun_stays_idempotent()
    {
        using var dir = new TempDir();
        var store = dir.File("checkpoints.db");
        long seen = 0;
        using (var p = SitrepProcess.Start("ingest", f.Articles, "--db", store, "-q", "--commit-every", "20"))
        {
            // Watch the store from outside until a checkpoint has been committed, then kill the writer.
            var clock = Stopwatch.StartNew();
            while (!p.HasExited && clock.Elapsed < Limit)
            {
                if (File.Exists(store)) seen = Count(store);
                if (seen > 0) break;
                await Task.Delay(50);
            }
            Assert.False(p.HasExited, $"the ingest finished before any checkpoint was visible to a reader (documents seen: {seen})");
            p.Kill9();
        }
        long after = Count(store);
        output.WriteLine($"committed before the kill: {seen}; after: {after} of {FaultFixture.ArticleCount}");
        Assert.True(after >= seen && after > 0, $"checkpointed documents lost: {seen} seen committed, {after} after kill -9");
        Assert.Equal("ok", IntegrityCheck(store));

        var rerun = await SitrepProcess.RunAsync(Limit, "ingest", f.Articles, "--db", store);
        Assert.Equal(0, rerun.ExitCode);
        var export = await SitrepProcess.RunAsync(Limit, "export", "--db", store);
        Assert.True(f.Export == export.Out, "the re-run after the kill did not reach the uninterrupted export");
        var again = await SitrepProcess.RunAsync(Limit, "ingest", f.Articles, "--db", store);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"0 added, 0 replaced, {FaultFixture.ArticleCount} unchanged", again.Out);
        var export2 = await SitrepProcess.RunAsync(Limit, "export", "--db", store);
        Assert.True(f.Export == export2.Out, "a second re-run changed the export");
    }

    // ------------------------------------------------------------------ two writers

    [Fact]
    public async Task A_second_writer_waits_or_says_locked_in_one_line()
    {
        using var dir = new TempDir();
        var store = dir.File("shared.db");
        using var first = SitrepProcess.Start("ingest", f.Articles, "--db", store, "-q", "--commit-every", "100000");
        // Start the second writer once the first holds the store (the file exists and it is still working).
        var clock = Stopwatch.StartNew();
        while (!File.Exists(store) && clock.Elapsed < Limit) await Task.Delay(20);
        // Early: since the JIT settings of the CLI, the fixture's ingest ends sooner, and a late start missed the first writer.
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(0.5, f.FullIngest.TotalSeconds / 4)));
        bool overlapped = !first.HasExited;
        var second = await SitrepProcess.RunAsync(Limit, "ingest", f.Seeds, "--db", store, "-q");
        var a = await first.WaitAsync(Limit);
        output.WriteLine($"first: exit {a.ExitCode} {a.Err}; second (overlapped: {overlapped}): exit {second.ExitCode}, {second.Elapsed.TotalSeconds:F1} s: {second.Err}");
        Assert.True(overlapped, "the first writer finished before the second started; the test needs a longer ingest");
        Assert.Equal(0, a.ExitCode);
        if (second.ExitCode != 0)
        {
            Assert.Equal(1, second.ExitCode);
            var line = Assert.Single(second.ErrLines);
            Assert.Contains("locked", line, StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith("sitrep: ", line);
        }
        else Assert.Empty(second.ErrLines);
        Assert.Equal("ok", IntegrityCheck(store));
    }

    // ------------------------------------------------------------------ full disk, read-only store

    [Fact]
    public async Task A_full_disk_gives_one_line_and_leaves_the_store_intact()
    {
        using var mount = Tmpfs.Mount(output, "1m");
        if (mount == null) return;
        var store = Path.Combine(mount.Path, "full.db");
        var small = await SitrepProcess.RunAsync(Limit, "ingest", f.Seeds, "--db", store, "-q");
        Assert.True(small.ExitCode == 0, $"the seeds should fit in 1 MB: {small.Err}");
        var big = await SitrepProcess.RunAsync(Limit, "ingest", f.Articles, "--db", store, "-q");
        output.WriteLine($"ingest onto a full disk: exit {big.ExitCode}: {big.Err}");
        Assert.Equal(1, big.ExitCode);
        AssertOneLineErrors(big, expectLines: 1);
        Assert.Equal("ok", IntegrityCheck(store));
        var export = await SitrepProcess.RunAsync(Limit, "export", "--db", store);
        Assert.Equal(0, export.ExitCode);
        using var json = JsonDocument.Parse(export.Out);
        var files = json.RootElement.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("file").GetString()).ToList();
        Assert.All(Directory.GetFiles(f.Seeds), s => Assert.Contains(s, files));
    }

    [Fact]
    public async Task A_read_only_store_serves_reads_and_refuses_writes_in_one_line()
    {
        using var mount = Tmpfs.Mount(output, "64m");
        if (mount == null) return;
        var store = Path.Combine(mount.Path, "ro.db");
        Assert.Equal(0, (await SitrepProcess.RunAsync(Limit, "ingest", f.Seeds, "--db", store, "-q")).ExitCode);
        // The store as a user finds it on read-only media: no reader has opened it since it was written.
        mount.RemountReadOnly();
        using var dir = new TempDir();
        CopyStore(store, dir.File("copy.db"));
        var before = await SitrepProcess.RunAsync(Limit, "export", "--db", dir.File("copy.db"));
        Assert.Equal(0, before.ExitCode);
        var export = await SitrepProcess.RunAsync(Limit, "export", "--db", store);
        Assert.True(export.ExitCode == 0, $"export of a read-only store: exit {export.ExitCode}: {export.Err}");
        Assert.Equal(before.Out, export.Out);
        foreach (var args in new[] { new[] { "brief" }, ["stories"], ["claims"], ["search", "NATO"] })
        {
            var r = await SitrepProcess.RunAsync(Limit, [.. args, "--db", store]);
            Assert.True(r.ExitCode == 0, $"{args[0]} on a read-only store: exit {r.ExitCode}: {r.Err}");
            Assert.True(r.Out.Length > 0);
        }
        var write = await SitrepProcess.RunAsync(Limit, "ingest", f.Articles, "--db", store, "-q");
        output.WriteLine($"ingest into a read-only store: exit {write.ExitCode}: {write.Err}");
        Assert.Equal(1, write.ExitCode);
        AssertOneLineErrors(write, expectLines: 1);
    }

    // ------------------------------------------------------------------ SIGTERM

    [Fact]
    public async Task Sigterm_stops_every_long_command_within_two_seconds()
    {
        using var dir = new TempDir();
        var failures = new List<string>();
        string[][] commands =
        [
            ["ingest", f.Articles, "--db", dir.File("term.db")],
            ["export", "--db", f.Store],
            ["stories", "--db", f.Store],
            ["brief", "--db", f.Store],
            ["claims", "--db", f.Store],
        ];
        foreach (var args in commands)
        {
            using var p = SitrepProcess.Start(args);
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            if (p.HasExited)
            {
                output.WriteLine($"{args[0]}: finished in under 1.2 s, before the signal");
                continue;
            }
            var signalled = Stopwatch.StartNew();
            p.Term();
            SitrepProcess.Result r;
            try { r = await p.WaitAsync(TimeSpan.FromSeconds(30)); }
            catch (TimeoutException) { failures.Add($"{args[0]}: still running 30 s after SIGTERM"); continue; }
            var took = signalled.Elapsed;
            output.WriteLine($"{args[0]}: exit {r.ExitCode} {took.TotalSeconds:F2} s after SIGTERM; stderr: {r.Err.Trim()}");
            if (took > TimeSpan.FromSeconds(2)) failures.Add($"{args[0]}: took {took.TotalSeconds:F1} s to stop after SIGTERM");
            if (r.Err.Contains("   at ", StringComparison.Ordinal) || r.ErrLines.Any(l => !l.StartsWith("sitrep: ", StringComparison.Ordinal)))
                failures.Add($"{args[0]}: stderr is not one line per problem: {r.Err}");
        }
        if (File.Exists(dir.File("term.db"))) Assert.Equal("ok", IntegrityCheck(dir.File("term.db")));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // ------------------------------------------------------------------ damaged pages

    [Fact]
    public async Task A_store_with_damaged_pages_is_refused_by_writers_and_read_as_far_as_it_can_be()
    {
        using var dir = new TempDir();
        var store = dir.File("damaged.db");
        CopyStore(f.Store, store);
        var length = new FileInfo(store).Length;
        var junk = new byte[4096];
        new Random(4096).NextBytes(junk);
        using (var s = new FileStream(store, FileMode.Open, FileAccess.Write))
        {
            s.Position = length / 2 / 4096 * 4096;
            s.Write(junk);
        }
        var bytes = await File.ReadAllBytesAsync(store);

        var write = await SitrepProcess.RunAsync(Limit, "ingest", f.Seeds, "--db", store, "-q");
        output.WriteLine($"ingest into a damaged store: exit {write.ExitCode}: {write.Err}");
        Assert.Equal(1, write.ExitCode);
        AssertOneLineErrors(write, expectLines: 1);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store));

        var export = await SitrepProcess.RunAsync(Limit, "export", "--db", store);
        output.WriteLine($"export of a damaged store: exit {export.ExitCode}, {export.Out.Length} chars: {export.Err}");
        AssertOneLineErrors(export, expectLines: null);
        using (var json = JsonDocument.Parse(export.Out))
            Assert.True(json.RootElement.GetProperty("documents").GetArrayLength() > 0, "nothing of the damaged store could be read");
        foreach (var cmd in new[] { "brief", "stories", "claims" })
        {
            var r = await SitrepProcess.RunAsync(Limit, cmd, "--db", store);
            output.WriteLine($"{cmd} of a damaged store: exit {r.ExitCode}, {r.Out.Length} chars: {r.Err}");
            AssertOneLineErrors(r, expectLines: null);
            Assert.True(r.Out.Length > 0, $"{cmd} printed nothing from the damaged store");
        }
        var check = await SitrepProcess.RunAsync(Limit, "check", "--db", store);
        Assert.Equal(1, check.ExitCode);
    }

    // ------------------------------------------------------------------ helpers

    private static void AssertOneLineErrors(SitrepProcess.Result r, int? expectLines)
    {
        Assert.True(r.ExitCode is 0 or 1, $"exit {r.ExitCode}: {r.Err}");
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain("Exception", r.Err);
        Assert.All(r.ErrLines, l => Assert.StartsWith("sitrep: ", l));
        if (expectLines is { } n) Assert.True(r.ErrLines.Length == n, $"expected {n} stderr line(s), got {r.ErrLines.Length}: {r.Err}");
    }

    internal static string IntegrityCheck(string db)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check;";
        var lines = new List<string>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) lines.Add(r.GetString(0));
        return string.Join("; ", lines);
    }

    private static long Count(string db)
    {
        try
        {
            using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM documents;";
            return (long)cmd.ExecuteScalar()!;
        }
        catch (SqliteException) { return 0; } // not created yet
    }

    /// <summary>Copies a store as a crash left it: the database with its write-ahead log.</summary>
    private static void CopyStore(string from, string to)
    {
        File.Copy(from, to, overwrite: true);
        foreach (var ext in new[] { "-wal", "-shm" })
            if (File.Exists(from + ext)) File.Copy(from + ext, to + ext, overwrite: true);
    }

    private static int FirstDifference(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return i;
        return n;
    }
}

/// <summary>A small tmpfs mounted for one test (needs root, as in CI); unmounted when disposed.</summary>
public sealed class Tmpfs : IDisposable
{
    public string Path { get; }
    private Tmpfs(string path) => Path = path;

    /// <summary>Mounts, or says why not: in CI (CI=true, run as root) failing to mount fails the test.</summary>
    public static Tmpfs? Mount(ITestOutputHelper output, string size)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sitrep-tmpfs-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path);
        var (code, err) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        if (code == 0) return new Tmpfs(path);
        Directory.Delete(path);
        var why = $"cannot mount a tmpfs (mount exit {code}: {err.Trim()}); this fault test needs root";
        if (Environment.GetEnvironmentVariable("CI") is { } ci && ci.Equals("true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(why + " and CI runs as root");
        output.WriteLine("NOT RUN: " + why);
        return null;
    }

    public void RemountReadOnly()
    {
        var (code, err) = Run("mount", "-o", "remount,ro", Path);
        Assert.True(code == 0, $"remount read-only failed: {err}");
    }

    private static (int Code, string Err) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, err);
        }
        catch (System.ComponentModel.Win32Exception e) { return (-1, e.Message); }
    }

    public void Dispose()
    {
        var (code, _) = Run("umount", Path);
        if (code != 0) Run("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
