using System.Globalization;
using Sitrep.Fuzz;

// sitrep-fuzz --inputs 100000 --seed 1 [--batch 100] [--out report.json] [--start N] [--only i,j] [--failures DIR]
//             [--shared DIR] [--timeout SECONDS] [--verbose]
var o = new FuzzOptions();
string? failures = null;
try
{
    for (int k = 0; k < args.Length; k++)
    {
        string Next() => k + 1 < args.Length ? args[++k] : throw new ArgumentException($"{args[k]} needs a value");
        switch (args[k])
        {
            case "--inputs": o = o with { Inputs = long.Parse(Next(), CultureInfo.InvariantCulture) }; break;
            case "--seed": o = o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
            case "--batch": o = o with { Batch = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
            case "--start": o = o with { Start = long.Parse(Next(), CultureInfo.InvariantCulture) }; break;
            case "--only": o = o with { Only = Next().Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList() }; break;
            case "--out": o = o with { ReportPath = Next() }; break;
            case "--failures": failures = Next(); break;
            case "--shared": o = o with { Shared = Next() }; break;
            case "--timeout": o = o with { CommandTimeout = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) }; break;
            case "--bisect": o = o with { MaxBisections = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
            case "--verbose": o = o with { Verbose = true }; break;
            case "--skip-reads": o = o with { SkipReads = true }; break;
            case "-h" or "--help":
                Console.WriteLine("usage: sitrep-fuzz --inputs N --seed S [--batch B] [--out report.json] [--start I] [--only i,j,...] [--failures DIR] [--shared DIR] [--timeout SECONDS] [--bisect N] [--skip-reads] [--verbose]");
                return 0;
            default: throw new ArgumentException($"unknown option {args[k]}");
        }
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"sitrep-fuzz: {e.Message}");
    return 2;
}
failures ??= o.ReportPath != null ? Path.ChangeExtension(o.ReportPath, null) + "-failures" : "fuzz-failures";
o = o with { OutDir = Path.GetFullPath(failures) };
if (Directory.Exists(o.OutDir)) Directory.Delete(o.OutDir, recursive: true);

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var report = await FuzzHarness.RunAsync(o, Console.Out, cts.Token);
if (o.ReportPath != null)
{
    await report.WriteJsonAsync(o.ReportPath);
    Console.WriteLine($"report: {Path.GetFullPath(o.ReportPath)}");
}
if (report.Causes.Any(c => c.Repro != null)) Console.WriteLine($"failing inputs: {o.OutDir}");
// The summary comes last, so the output ends with the `crashes: N` and `poisoned: N` lines.
Console.Write(report.Summary());
return report.Crashes > 0 || report.Poisoned > 0 ? 1 : 0;
