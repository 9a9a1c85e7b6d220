using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Sitrep.Fuzz;

public sealed record FuzzOptions
{
    public long Inputs { get; init; } = 2000;
    public int Seed { get; init; } = 1;
    public int Batch { get; init; } = 100;
    public long Start { get; init; }
    /// <summary>Run only these input indices (a repro), as one batch.</summary>
    public IReadOnlyList<long>? Only { get; init; }
    public string? Shared { get; init; }
    /// <summary>Folder for the report's failing inputs (repro material); null: none kept.</summary>
    public string? OutDir { get; init; }
    public string? ReportPath { get; init; }
    /// <summary>Time allowed to one command before it counts as a hang (its task is abandoned).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>How many failing batches of one cause are narrowed down to one input (each costs a few re-runs).</summary>
    public int BisectPerCause { get; init; } = 1;
    /// <summary>Most causes narrowed down in one run.</summary>
    public int MaxBisections { get; init; } = 12;
    public bool Verbose { get; init; }
    /// <summary>Ingest only (no read commands): for measuring what ingest alone costs or keeps.</summary>
    public bool SkipReads { get; init; }
}

/// <summary>What one command did.</summary>
public sealed record CommandRun(string[] Args, int? ExitCode, string Out, string Err, Exception? Escaped, TimeSpan Elapsed, bool TimedOut)
{
    public string Name => Args.Length > 1 && Args[0] == "claims" && Args.Contains("--status") ? "claims --status"
        : Args.Length > 0 && Args[0] == "export" && Args.Contains("-o") ? "export -o" : Args.Length > 0 ? Args[0] : "?";
}

/// <summary>One thing that went wrong: a crash (ingest) or a poisoned store (a read command failed after ingest).</summary>
public sealed record Failure(string Kind, string Command, string Signature, string Detail, long? Input);

public sealed record BatchResult(int Number, IReadOnlyList<FuzzInput> Inputs, IReadOnlyList<CommandRun> Runs, IReadOnlyList<Failure> Failures,
    TimeSpan IngestTime, TimeSpan ReadTime, long PeakBytes)
{
    /// <summary>Process CPU time (all threads) spent ingesting and reading: robust to other load on the machine.</summary>
    public TimeSpan IngestCpu { get; init; }
    public TimeSpan ReadCpu { get; init; }
    /// <summary>Managed heap after the batch and a full collection: growth from batch to batch is memory kept across runs.</summary>
    public long HeapAfter { get; init; }
    public bool Poisoned => Failures.Any(f => f.Kind == "poisoned");
}

/// <summary>
/// The fuzz harness: generates inputs, ingests them batch by batch into fresh stores through the real CLI (in-process,
/// <see cref="Sitrep.Cli.Cli.RunAsync"/>), runs every read command on each store, and classifies what happens.
/// </summary>
public sealed partial class FuzzHarness : IDisposable
{
    private readonly FuzzOptions _o;
    private readonly InputGenerator _gen;
    private readonly LoopbackServer _server = new();
    private readonly string _tmp;
    private readonly TextWriter _log;
    private bool _hasCheck, _allowPrivate;

    public FuzzHarness(FuzzOptions options, TextWriter log)
    {
        _o = options;
        _log = log;
        var corpus = FuzzCorpus.Load(options.Shared ?? FuzzCorpus.FindShared(AppContext.BaseDirectory));
        _gen = new InputGenerator(corpus, options.Seed);
        _tmp = Path.Combine(Path.GetTempPath(), $"sitrep-fuzz-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(_tmp);
    }

    public FuzzInput Generate(long index) => _gen.Generate(index);

    /// <summary>A generator bug must not end a long run: the input is replaced by a plain one and the bug is logged.</summary>
    private FuzzInput GenerateSafely(long index)
    {
        try { return _gen.Generate(index); }
        catch (Exception e)
        {
            _log.WriteLine($"sitrep-fuzz: generator failed on input {index} ({e.GetType().Name}: {e.Message}); a plain input stands in");
            return new FuzzInput(index, InputKind.Text, $"{index:D7}.txt", "generator failed on this input\n"u8.ToArray(), "generator failure");
        }
    }

    public static async Task<FuzzReport> RunAsync(FuzzOptions options, TextWriter log, CancellationToken ct = default)
    {
        using var h = new FuzzHarness(options, log);
        return await h.RunAsync(ct);
    }

    public async Task<FuzzReport> RunAsync(CancellationToken ct = default)
    {
        await DetectAsync();
        var report = new FuzzReport(_o, _hasCheck, _allowPrivate);
        var clock = Stopwatch.StartNew();
        IEnumerable<IReadOnlyList<long>> batches = _o.Only is { Count: > 0 } only ? [only]
            : Chunk(_o.Start, _o.Inputs, Math.Max(1, _o.Batch));
        int number = 0;
        int bisections = 0;
        foreach (var indices in batches)
        {
            // Ctrl-C stops between batches: the report covers the batches that finished.
            if (ct.IsCancellationRequested) { report.Stopped = true; break; }
            var inputs = indices.Select(GenerateSafely).ToList();
            BatchResult result;
            try { result = await RunBatchAsync(number, inputs, ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { report.Stopped = true; break; }
            report.Add(result);
            if (_o.Verbose || result.Failures.Count > 0 || number % 10 == 0)
                _log.WriteLine($"batch {number}: inputs {indices[0]}..{indices[^1]}, ingest {result.IngestTime.TotalSeconds:F1} s, reads {result.ReadTime.TotalSeconds:F1} s, peak {result.PeakBytes / 1048576.0:F0} MB, {result.Failures.Count} failure(s){(result.Failures.Count > 0 ? ": " + string.Join(" | ", result.Failures.Select(f => f.Signature).Distinct().Take(3)) : "")}  [{clock.Elapsed.TotalSeconds:F0} s]");
            foreach (var f in result.Failures)
            {
                var cause = report.Cause(f);
                if (cause.Reproduced >= _o.BisectPerCause || bisections >= _o.MaxBisections || _o.OutDir == null) continue;
                cause.Reproduced++;
                bisections++;
                IReadOnlyList<FuzzInput> repro;
                try { repro = await NarrowAsync(inputs, f, ct); }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { repro = inputs; }
                cause.Repro = await KeepAsync(repro, f, cause, CancellationToken.None);
                _log.WriteLine($"  repro for [{f.Signature}]: inputs {string.Join(",", repro.Select(r => r.Index))}{(cause.Repro != null ? " → " + cause.Repro : "")}");
            }
            number++;
        }
        report.Elapsed = clock.Elapsed;
        return report;
    }

    private static IEnumerable<IReadOnlyList<long>> Chunk(long start, long count, int size)
    {
        for (long a = start; a < start + count; a += size)
        {
            long b = Math.Min(start + count, a + size);
            var list = new List<long>((int)(b - a));
            for (long i = a; i < b; i++) list.Add(i);
            yield return list;
        }
    }

    private async Task DetectAsync()
    {
        var help = await RunAsync(["--help"], CancellationToken.None);
        _hasCheck = CheckRegex().IsMatch(help.Out);
        var ingestHelp = await RunAsync(["ingest", "--help"], CancellationToken.None);
        _allowPrivate = ingestHelp.Out.Contains("--allow-private", StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ one batch

    public async Task<BatchResult> RunBatchAsync(int number, IReadOnlyList<FuzzInput> inputs, CancellationToken ct)
    {
        var dir = Path.Combine(_tmp, $"b{number:D6}-{Guid.NewGuid().ToString("N")[..6]}");
        var files = Path.Combine(dir, "files");
        var warcs = Path.Combine(dir, "warc");
        Directory.CreateDirectory(files);
        Directory.CreateDirectory(warcs);
        var store = Path.Combine(dir, "store.db");
        var web = new List<string>();
        _server.Clear();
        foreach (var input in inputs)
        {
            switch (input.Kind)
            {
                case InputKind.Warc:
                    var wp = Path.Combine(warcs, input.Name);
                    await File.WriteAllBytesAsync(wp, input.Bytes, ct);
                    web.Add(wp);
                    break;
                case InputKind.Feed:
                    var feedPath = $"/f/{input.Name}";
                    var xml = Encoding.UTF8.GetString(input.Bytes).Replace("{BASE}", _server.Base, StringComparison.Ordinal);
                    _server.Map(feedPath, Encoding.UTF8.GetBytes(xml), "application/rss+xml; charset=utf-8");
                    foreach (var p in input.Pages) _server.Map(p.Path, p.Body, p.ContentType);
                    web.Add(_server.Base + feedPath);
                    break;
                default:
                    WriteInputFile(files, input);
                    break;
            }
        }

        var runs = new List<CommandRun>();
        var failures = new List<Failure>();
        ResetPeak();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var ingestClock = Stopwatch.StartNew();
        // Two runs into one store, as a user would make them: the folder (file path), then WARC files and feeds (web path).
        var ingest = await RunAsync(["ingest", files, "--db", store], ct);
        runs.Add(ingest);
        failures.AddRange(Classify(ingest, read: false, inputs));
        if (web.Count > 0)
        {
            string[] args = ["ingest", .. web, "--db", store, "--host-delay", "0s", "--timeout", "10s"];
            if (_allowPrivate && inputs.Any(i => i.Kind == InputKind.Feed)) args = [.. args, "--allow-private"];
            var second = await RunAsync(args, ct);
            runs.Add(second);
            failures.AddRange(Classify(second, read: false, inputs));
        }
        var ingestTime = ingestClock.Elapsed;
        var cpu1 = Process.GetCurrentProcess().TotalProcessorTime;

        var readClock = Stopwatch.StartNew();
        if (File.Exists(store) && !_o.SkipReads)
        {
            var exportFile = Path.Combine(dir, "export.json");
            var word = inputs.Select(i => i.Word).FirstOrDefault(w => w != null) ?? "minister";
            List<string[]> reads = [["export", "--db", store], ["export", "--db", store, "-o", exportFile], ["brief", "--db", store],
                ["stories", "--db", store], ["claims", "--db", store], ["claims", "--db", store, "--status", "anonymous_only"], ["search", word, "--db", store]];
            if (_hasCheck) reads.Add(["check", "--db", store]);
            // Read commands only read: they run side by side, one per core.
            var results = new CommandRun[reads.Count];
            await Parallel.ForAsync(0, reads.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount), CancellationToken = ct },
                async (k, token) => results[k] = await RunAsync(reads[k], token));
            foreach (var r in results)
            {
                runs.Add(r);
                failures.AddRange(Classify(r, read: true, inputs));
            }
            var export = results[0];
            var exportO = results[1];
            if (export.ExitCode == 0 && exportO.ExitCode == 0)
            {
                string written = File.Exists(exportFile) ? await File.ReadAllTextAsync(exportFile, Encoding.UTF8, ct) : "(no file)";
                if (written != export.Out)
                    failures.Add(new Failure("poisoned", "export -o", "export -o: file differs from export to standard output",
                        $"stdout {export.Out.Length} chars, file {written.Length} chars; first difference at {FirstDifference(written, export.Out)}", null));
            }
        }
        var readTime = readClock.Elapsed;
        var cpu2 = Process.GetCurrentProcess().TotalProcessorTime;
        long peak = ReadPeak();
        try { Directory.Delete(dir, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        runs.TrimExcess();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        return new BatchResult(number, inputs, runs, failures, ingestTime, readTime, peak) { IngestCpu = cpu1 - cpu0, ReadCpu = cpu2 - cpu1, HeapAfter = heap };
    }

    private static int FirstDifference(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return i;
        return n;
    }

    private static void WriteInputFile(string folder, FuzzInput input)
    {
        if (input.RawName != null && OperatingSystem.IsLinux())
        {
            var path = Encoding.UTF8.GetBytes(folder + "/");
            byte[] full = [.. path, .. input.RawName, 0];
            int fd = Open(full, 0x41 /* O_WRONLY|O_CREAT */ | 0x200 /* O_TRUNC */, Convert.ToInt32("644", 8));
            if (fd >= 0)
            {
                try
                {
                    var b = input.Bytes;
                    int off = 0;
                    while (off < b.Length)
                    {
                        int w = (int)Write(fd, b[off..], (nint)(b.Length - off));
                        if (w <= 0) break;
                        off += w;
                    }
                }
                finally { Close(fd); }
                return;
            }
        }
        try { File.WriteAllBytes(Path.Combine(folder, input.Name), input.Bytes); }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            File.WriteAllBytes(Path.Combine(folder, $"{input.Index:D7}.bin.txt"), input.Bytes);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags, int mode);
    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint Write(int fd, byte[] buf, nint count);
    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    // ------------------------------------------------------------------ running a command

    public async Task<CommandRun> RunAsync(string[] args, CancellationToken ct)
    {
        var so = new StringWriter();
        var se = new StringWriter();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var clock = Stopwatch.StartNew();
        var task = Task.Run(() => Sitrep.Cli.Cli.RunAsync(args, so, se, false, cts.Token), CancellationToken.None);
        var limit = Task.Delay(_o.CommandTimeout, CancellationToken.None);
        if (await Task.WhenAny(task, limit) != task)
        {
            // Ask it to stop; if it does not within a few seconds, abandon it (it may keep a core busy).
            cts.Cancel();
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
            if (!task.IsCompleted) return new CommandRun(args, null, Snapshot(so), Snapshot(se), null, clock.Elapsed, TimedOut: true);
            ct.ThrowIfCancellationRequested();
            return new CommandRun(args, task.IsCompletedSuccessfully ? task.Result : null, so.ToString(), se.ToString(), task.Exception?.InnerException, clock.Elapsed, TimedOut: true);
        }
        try
        {
            int code = await task;
            return new CommandRun(args, code, so.ToString(), se.ToString(), null, clock.Elapsed, false);
        }
        catch (Exception e)
        {
            ct.ThrowIfCancellationRequested();
            return new CommandRun(args, null, so.ToString(), se.ToString(), e, clock.Elapsed, false);
        }
    }

    private static string Snapshot(StringWriter w)
    {
        try { return w.ToString(); } catch (Exception) { return ""; }
    }

    // ------------------------------------------------------------------ classification

    /// <summary>
    /// Crash (ingest) / poisoned (read): an exception escaping RunAsync, an exit code other than 0/1, no answer in time,
    /// a stack trace or "Exception" or "please report" on stderr, or a stderr line that is not "sitrep: …" (one line per
    /// problem). A read command that exits non-zero also poisons the store, except `search` that finds nothing (exit 1,
    /// nothing printed).
    /// </summary>
    public static List<Failure> Classify(CommandRun r, bool read, IReadOnlyList<FuzzInput> inputs)
    {
        var list = new List<Failure>();
        string kind = read ? "poisoned" : "crash";
        string cmd = r.Name;
        if (r.TimedOut)
            list.Add(new Failure(kind, cmd, $"{cmd}: no answer within {r.Elapsed.TotalSeconds:F0} s", Tail(r.Err), null));
        if (r.Escaped is { } e)
            list.Add(new Failure(kind, cmd, $"{cmd}: {e.GetType().Name} escaped at {Frame(e.StackTrace)}", OneLine(e.Message), null));
        if (r.ExitCode is { } code && code is not (0 or 1))
            list.Add(new Failure(kind, cmd, $"{cmd}: exit {code}", Tail(r.Err), null));

        var lines = r.Err.Split('\n');
        bool trace = r.Err.Contains("   at ", StringComparison.Ordinal);
        if (trace)
            list.Add(new Failure(kind, cmd, $"{cmd}: stack trace on stderr ({ExceptionName(r.Err)} at {Frame(r.Err)})", Tail(r.Err), Attribute(r.Err)));
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (!line.StartsWith("sitrep: ", StringComparison.Ordinal))
            {
                if (!trace) list.Add(new Failure(kind, cmd, $"{cmd}: stderr line not of the form 'sitrep: …'", Clip(line), null));
                continue;
            }
            if (line.Contains("please report", StringComparison.OrdinalIgnoreCase) || line.Contains("Exception", StringComparison.Ordinal))
                list.Add(new Failure(kind, cmd, $"{cmd}: {Normalise(line)}", Clip(line), Attribute(line)));
        }
        if (read && r.ExitCode == 1 && list.Count == 0)
        {
            bool noHits = cmd == "search" && r.Err.Trim().Length == 0 && r.Out.Trim().Length == 0;
            if (!noHits)
            {
                var first = lines.FirstOrDefault(l => l.Trim().Length > 0) ?? "(nothing on stderr)";
                list.Add(new Failure(kind, cmd, $"{cmd}: exit 1: {Normalise(first)}", Clip(first), Attribute(r.Err)));
            }
        }
        // One cause per command and signature.
        return list.GroupBy(f => (f.Signature, f.Input)).Select(g => g.First()).ToList();
    }

    private static long? Attribute(string text)
    {
        var m = InputRefRegex().Match(text);
        if (!m.Success) return null;
        var v = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
        return long.TryParse(v, out var i) ? i : null;
    }

    private static string ExceptionName(string s) => ExceptionRegex().Match(s) is { Success: true } m ? m.Value : "?";

    private static string Frame(string? trace)
    {
        if (trace == null) return "?";
        var m = FrameRegex().Match(trace);
        return m.Success ? m.Groups[1].Value : "?";
    }

    /// <summary>A message reduced to its kind: paths, numbers and quoted text taken out, so causes group.</summary>
    public static string Normalise(string line)
    {
        var s = line.StartsWith("sitrep: ", StringComparison.Ordinal) ? line[8..] : line;
        s = InputPathRegex().Replace(s, "<input>");
        s = PathRegex().Replace(s, "<path>");
        s = UrlRegex().Replace(s, "<url>");
        s = QuotedRegex().Replace(s, "'…'");
        s = NumberRegex().Replace(s, "#");
        return s.Length > 140 ? s[..140] + "…" : s;
    }

    private static string OneLine(string s) => Clip(s.ReplaceLineEndings(" "));
    private static string Clip(string s) => s.Length > 300 ? s[..300] + "…" : s;
    private static string Tail(string err)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return Clip(string.Join(" / ", lines.Take(4)));
    }

    [GeneratedRegex(@"^\s+check\b", RegexOptions.Multiline)]
    private static partial Regex CheckRegex();
    [GeneratedRegex(@"(?:/files/|/warc/|/f/)(\d{7})|/p/(\d+)/")]
    private static partial Regex InputRefRegex();
    [GeneratedRegex(@"\b[\w.]*Exception\b")]
    private static partial Regex ExceptionRegex();
    [GeneratedRegex(@"at (Sitrep\.[\w.`<>|]+)")]
    private static partial Regex FrameRegex();
    [GeneratedRegex(@"\S*sitrep-fuzz-[^/]+/[^/]+/(?:files|warc)/[^:]*")]
    private static partial Regex InputPathRegex();
    [GeneratedRegex(@"(?:/[^\s:]+)+")]
    private static partial Regex PathRegex();
    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex UrlRegex();
    [GeneratedRegex(@"'[^']*'|""[^""]*""")]
    private static partial Regex QuotedRegex();
    [GeneratedRegex(@"\d+(?:\.\d+)?")]
    private static partial Regex NumberRegex();

    // ------------------------------------------------------------------ narrowing and keeping failures

    /// <summary>Finds one input (or the smallest subset it can) that still shows the failure's signature, by halving.</summary>
    private async Task<IReadOnlyList<FuzzInput>> NarrowAsync(IReadOnlyList<FuzzInput> inputs, Failure f, CancellationToken ct)
    {
        if (f.Input is { } idx && inputs.FirstOrDefault(i => i.Index == idx) is { } named)
        {
            if (await FailsAsync([named], f, ct)) return [await ShrinkAsync(named, f, ct)];
        }
        var current = inputs;
        int steps = 0;
        while (current.Count > 1 && steps++ < 10)
        {
            var half = current.Count / 2;
            var a = current.Take(half).ToList();
            var b = current.Skip(half).ToList();
            if (await FailsAsync(a, f, ct)) current = a;
            else if (await FailsAsync(b, f, ct)) current = b;
            else break;
        }
        if (current.Count == 1) return [await ShrinkAsync(current[0], f, ct)];
        return current;
    }

    private int _trial;

    private async Task<bool> FailsAsync(IReadOnlyList<FuzzInput> subset, Failure f, CancellationToken ct)
    {
        var r = await RunBatchAsync(1_000_000 + _trial++, subset, ct);
        return r.Failures.Any(x => x.Signature == f.Signature);
    }

    /// <summary>For a single file input: the shortest prefix that still fails (binary search, a dozen runs at most).</summary>
    private async Task<FuzzInput> ShrinkAsync(FuzzInput input, Failure f, CancellationToken ct)
    {
        if (input.Kind is not (InputKind.Text or InputKind.Html) || input.Bytes.Length < 64) return input;
        int lo = 1, hi = input.Bytes.Length;
        for (int step = 0; step < 12 && lo < hi; step++)
        {
            int mid = lo + (hi - lo) / 2;
            if (await FailsAsync([input with { Bytes = input.Bytes[..mid] }], f, ct)) hi = mid;
            else lo = mid + 1;
        }
        return hi < input.Bytes.Length ? input with { Bytes = input.Bytes[..hi], Recipe = input.Recipe + $"; minimised to {hi} bytes" } : input;
    }

    private async Task<string?> KeepAsync(IReadOnlyList<FuzzInput> repro, Failure f, FuzzReport.CauseStats cause, CancellationToken ct)
    {
        if (_o.OutDir == null) return null;
        var dir = Path.Combine(_o.OutDir, $"cause{cause.Number:D3}");
        Directory.CreateDirectory(dir);
        var files = Path.Combine(dir, "files");
        Directory.CreateDirectory(files);
        var readme = new StringBuilder();
        readme.AppendLine($"kind: {f.Kind}");
        readme.AppendLine($"signature: {f.Signature}");
        readme.AppendLine($"detail: {f.Detail}");
        readme.AppendLine($"regenerate: dotnet run -c Release --project tests/Sitrep.Fuzz -- --seed {_o.Seed} --only {string.Join(",", repro.Select(r => r.Index))}");
        foreach (var input in repro)
        {
            readme.AppendLine($"input {input.Index}: {input.Kind}, {input.Size} bytes, name {InputGenerator.Printable(input.Name)}; {input.Recipe}");
            var safe = $"{input.Index:D7}{SafeExt(input)}";
            await File.WriteAllBytesAsync(Path.Combine(files, safe), input.Bytes, ct);
            foreach (var p in input.Pages)
                await File.WriteAllBytesAsync(Path.Combine(files, $"{input.Index:D7}-page-{p.Path.Replace('/', '_')}"), p.Body, ct);
        }
        readme.AppendLine("The files/ folder holds the inputs under safe names (feeds: the XML, with {BASE} for the server, and its pages).");
        await File.WriteAllTextAsync(Path.Combine(dir, "README.txt"), readme.ToString(), ct);
        return dir;
    }

    private static string SafeExt(FuzzInput i) => i.Kind switch
    {
        InputKind.Warc => i.Name.EndsWith(".gz", StringComparison.Ordinal) ? ".warc.gz" : ".warc",
        InputKind.Feed => ".xml",
        InputKind.Html => ".html",
        _ => ".txt",
    };

    // ------------------------------------------------------------------ memory

    /// <summary>Resets the kernel's peak-RSS mark (Linux: /proc/self/clear_refs 5), so each batch reports its own peak.</summary>
    private static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (Exception) { }
    }

    private static long ReadPeak()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(NumberRegex().Match(line).Value) * 1024;
        }
        catch (Exception) { }
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }

    public void Dispose()
    {
        _server.Dispose();
        try { Directory.Delete(_tmp, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
