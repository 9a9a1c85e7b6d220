using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sitrep.Fuzz;

/// <summary>Counts and figures of a fuzz run; prints the summary and writes the JSON report.</summary>
public sealed class FuzzReport(FuzzOptions options, bool hasCheck, bool allowPrivate)
{
    public sealed class CauseStats
    {
        public int Number { get; init; }
        public required string Kind { get; init; }
        public required string Signature { get; init; }
        public required string Detail { get; init; }
        public int Count { get; set; }
        public List<long> Inputs { get; } = [];
        public List<int> Batches { get; } = [];
        public int Reproduced { get; set; }
        public string? Repro { get; set; }
    }

    private readonly Dictionary<string, CauseStats> _causes = new(StringComparer.Ordinal);
    private readonly List<(long Index, InputKind Kind, long Size, double Ms)> _perInput = [];
    private readonly List<(int Batch, int Inputs, double IngestS, double ReadS, long Peak, int Failures)> _batches = [];
    private readonly List<long> _heap = [];
    private readonly Dictionary<string, double> _commandSeconds = new(StringComparer.Ordinal);

    public long Inputs { get; private set; }
    public int Batches => _batches.Count;
    /// <summary>Crash events: per input for ingest lines naming one, else per command.</summary>
    public int Crashes { get; private set; }
    /// <summary>Batches whose store a read command could not read afterwards.</summary>
    public int Poisoned { get; private set; }
    public int Hangs { get; private set; }
    public long PeakBytes { get; private set; }
    public TimeSpan IngestCpu { get; private set; }
    public TimeSpan ReadCpu { get; private set; }
    public TimeSpan Elapsed { get; set; }
    /// <summary>Stopped early (Ctrl-C): the figures cover the batches that finished.</summary>
    public bool Stopped { get; set; }
    public IReadOnlyCollection<CauseStats> Causes => _causes.Values;

    public CauseStats Cause(Failure f) => _causes[f.Signature];

    public void Add(BatchResult b)
    {
        Inputs += b.Inputs.Count;
        double ms = b.IngestTime.TotalMilliseconds / Math.Max(1, b.Inputs.Count);
        foreach (var i in b.Inputs) _perInput.Add((i.Index, i.Kind, i.Size, ms));
        _batches.Add((b.Number, b.Inputs.Count, b.IngestTime.TotalSeconds, b.ReadTime.TotalSeconds, b.PeakBytes, b.Failures.Count));
        PeakBytes = Math.Max(PeakBytes, b.PeakBytes);
        IngestCpu += b.IngestCpu;
        _heap.Add(b.HeapAfter);
        ReadCpu += b.ReadCpu;
        foreach (var r in b.Runs) _commandSeconds[r.Name] = _commandSeconds.GetValueOrDefault(r.Name) + r.Elapsed.TotalSeconds;
        Crashes += b.Failures.Count(f => f.Kind == "crash");
        if (b.Poisoned) Poisoned++;
        Hangs += b.Failures.Count(f => f.Signature.Contains("no answer within", StringComparison.Ordinal));
        foreach (var f in b.Failures)
        {
            if (!_causes.TryGetValue(f.Signature, out var c))
                _causes[f.Signature] = c = new CauseStats { Number = _causes.Count + 1, Kind = f.Kind, Signature = f.Signature, Detail = f.Detail };
            c.Count++;
            if (f.Input is { } idx && c.Inputs.Count < 20 && !c.Inputs.Contains(idx)) c.Inputs.Add(idx);
            if (c.Batches.Count < 20 && !c.Batches.Contains(b.Number)) c.Batches.Add(b.Number);
        }
    }

    private static readonly (string Label, long Max)[] Buckets =
        [("< 1 KB", 1 << 10), ("1-4 KB", 4 << 10), ("4-16 KB", 16 << 10), ("16-64 KB", 64 << 10), ("64-256 KB", 256 << 10), ("256 KB-1 MB", 1 << 20), (">= 1 MB", long.MaxValue)];

    public string Summary()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(inv, $"seed: {options.Seed}, inputs {options.Start}..{options.Start + Inputs - 1}, batch size {options.Batch}"));
        sb.AppendLine(string.Create(inv, $"commands: ingest (files, then WARC + feeds), export, export -o, brief, stories, claims, claims --status, search{(hasCheck ? ", check" : " (no `check` command in this build)")}; feeds over loopback{(allowPrivate ? " with --allow-private" : "")}"));
        sb.AppendLine(string.Create(inv, $"inputs: {Inputs} ({string.Join(", ", _perInput.GroupBy(p => p.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key.ToString().ToLowerInvariant()} {g.Count()}"))})"));
        sb.AppendLine(string.Create(inv, $"batches: {Batches}{(Stopped ? " (stopped early by Ctrl-C; the figures cover these batches)" : "")}"));
        sb.AppendLine(string.Create(inv, $"elapsed: {Elapsed.TotalSeconds:F1} s ({Elapsed.TotalMilliseconds / Math.Max(1, Inputs):F1} ms per input overall; ingest {_batches.Sum(b => b.IngestS):F1} s, reads {_batches.Sum(b => b.ReadS):F1} s)"));
        sb.AppendLine(string.Create(inv, $"cpu: ingest {IngestCpu.TotalSeconds:F1} s ({IngestCpu.TotalMilliseconds / Math.Max(1, Inputs):F1} ms per input), reads {ReadCpu.TotalSeconds:F1} s ({ReadCpu.TotalMilliseconds / Math.Max(1, Inputs):F1} ms per input); load average {LoadAverage()}"));
        sb.AppendLine(string.Create(inv, $"command time (summed; reads run side by side): {string.Join(", ", _commandSeconds.Select(kv => $"{kv.Key} {kv.Value:F1} s"))}"));
        sb.AppendLine(string.Create(inv, $"peak memory (process working set, largest batch peak): {PeakBytes / 1048576.0:F0} MB; median batch peak {Median(_batches.Select(b => (double)b.Peak)) / 1048576.0:F0} MB"));
        if (_heap.Count > 0)
            sb.AppendLine(string.Create(inv, $"managed heap after a batch (full collection): first {_heap[0] / 1048576.0:F0} MB, median {Median(_heap.Select(h => (double)h)) / 1048576.0:F0} MB, last {_heap[^1] / 1048576.0:F0} MB"));
        sb.AppendLine("ingest time per input (batch ingest time / inputs in the batch) by input size:");
        foreach (var (label, max) in Buckets)
        {
            long min = Buckets.TakeWhile(b => b.Max != max).Select(b => b.Max).DefaultIfEmpty(0).Last();
            var inB = _perInput.Where(p => p.Size >= min && p.Size < max).ToList();
            if (inB.Count == 0) continue;
            sb.AppendLine(string.Create(inv, $"  {label,-12} {inB.Count,7} inputs  mean {inB.Average(p => p.Ms),7:F1} ms  max {inB.Max(p => p.Ms),8:F1} ms"));
        }
        if (_causes.Count > 0)
        {
            sb.AppendLine("causes (kind, count, signature; example inputs / batches; repro):");
            foreach (var c in _causes.Values.OrderByDescending(c => c.Count))
            {
                sb.AppendLine(string.Create(inv, $"  #{c.Number} {c.Kind} x{c.Count}: {c.Signature}"));
                sb.AppendLine(string.Create(inv, $"      {c.Detail}"));
                sb.AppendLine(string.Create(inv, $"      inputs [{string.Join(",", c.Inputs.Take(8))}] batches [{string.Join(",", c.Batches.Take(8))}]{(c.Repro != null ? " repro " + c.Repro : "")}"));
            }
        }
        sb.AppendLine(string.Create(inv, $"hangs: {Hangs}"));
        sb.AppendLine(string.Create(inv, $"crashes: {Crashes}"));
        sb.AppendLine(string.Create(inv, $"poisoned: {Poisoned}"));
        return sb.ToString();
    }

    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); } catch (Exception) { return "?"; }
    }

    private static double Median(IEnumerable<double> xs)
    {
        var a = xs.OrderBy(x => x).ToArray();
        return a.Length == 0 ? 0 : a[a.Length / 2];
    }

    public async Task WriteJsonAsync(string path)
    {
        var doc = new
        {
            seed = options.Seed,
            start = options.Start,
            inputs = Inputs,
            batchSize = options.Batch,
            batches = Batches,
            crashes = Crashes,
            poisoned = Poisoned,
            hangs = Hangs,
            elapsedSeconds = Elapsed.TotalSeconds,
            peakBytes = PeakBytes,
            checkCommand = hasCheck,
            commandSeconds = _commandSeconds,
            ingestCpuSeconds = IngestCpu.TotalSeconds,
            readCpuSeconds = ReadCpu.TotalSeconds,
            causes = _causes.Values.OrderByDescending(c => c.Count).Select(c => new { c.Number, c.Kind, c.Signature, c.Detail, c.Count, c.Inputs, c.Batches, c.Repro }),
            batchFigures = _batches.Select((b, k) => new { b.Batch, b.Inputs, ingestSeconds = b.IngestS, readSeconds = b.ReadS, peakBytes = b.Peak, heapAfterBytes = k < _heap.Count ? _heap[k] : 0, b.Failures }),
            perInput = _perInput.Select(p => new { i = p.Index, kind = p.Kind.ToString().ToLowerInvariant(), size = p.Size, ms = Math.Round(p.Ms, 2) }),
        };
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using var s = File.Create(full);
        await JsonSerializer.SerializeAsync(s, doc, new JsonSerializerOptions { WriteIndented = false });
    }
}
