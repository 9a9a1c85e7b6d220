using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Sitrep.Bench
{
    public static class Program
    {
        public const ulong DefaultSeed = 20261123;
        public const string DefaultCsv = "/work/shared/data/stance/fnc1/train_bodies.csv";

        private const string Usage = """
            Sitrep benchmarks (run with -c Release).
              gen     --out DIR [--count 100000] [--seed 20261123] [--csv FILE]   generate the corpus (not timed as ingest)
              model-gen --out DIR [--count 100000] [--per-day 200]             the corpus with a dateline per article (a dated stream)
              model-query --db FILE [--repeats 5]                              time the model's reads on a filled store
              ingest  --corpus DIR --count N --db FILE [--warmup 500] [--json FILE]  end-to-end IngestRun + SqliteStore
              stages  --corpus DIR [--count 20000] --db FILE                         one-thread Stopwatch split per stage
              store   --corpus DIR [--count 20000] --db FILE                         the store alone: real writer per chunk, tables one by one
              scale   [--sizes 1,2,4,8,16] [--shape lines,single,para] [--limit 600] [--csv FILE]  analysis time of one input vs its size
              profile [--sizes 0.25,0.5,1] [--shape single|lines|para] [--csv FILE]    the stages of one big article, timed one by one
              analyse (--corpus DIR [--count 2000] | --files DIR) [--repeat 3] [--alloc]  analysis alone, one thread, CPU per file, digest of every result; --alloc: sampled allocations by type
              micro   [--csv FILE] [BenchmarkDotNet args, e.g. --filter *]           per-article micro-benchmarks
            """;

        public static async Task<int> Main(string[] args)
        {
            try { return await RunAsync(args); }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException)
            {
                Console.Error.WriteLine($"bench: {e.Message}");
                return 2;
            }
        }

        private static async Task<int> RunAsync(string[] args)
        {
            if (args.Length == 0) { Console.Error.WriteLine(Usage); return 2; }
            var opts = Options(args.Skip(1).ToArray(), out var rest);
            string Get(string name, string? fallback = null) =>
                opts.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"missing --{name}\n{Usage}");
            int Int(string name, int fallback) => opts.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

            switch (args[0])
            {
                case "gen":
                {
                    var clock = Stopwatch.StartNew();
                    var corpus = Corpus.FromCsv(Get("csv", DefaultCsv), ulong.Parse(Get("seed", DefaultSeed.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
                    var root = Get("out");
                    if (Path.GetFullPath(root).StartsWith(RepoRoot(), StringComparison.Ordinal))
                        throw new ArgumentException("refusing to generate the corpus inside the repository; use a temp folder");
                    int count = Int("count", 100_000);
                    long bytes = corpus.Write(root, count);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"generated {count} articles from {corpus.Bodies} bodies into {root}: {bytes / 1048576.0:F1} MiB in {clock.Elapsed.TotalSeconds:F1} s"));
                    return 0;
                }
                case "model-gen":
                {
                    var corpus = Corpus.FromCsv(Get("csv", DefaultCsv), ulong.Parse(Get("seed", DefaultSeed.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
                    var root = Get("out");
                    if (Path.GetFullPath(root).StartsWith(RepoRoot(), StringComparison.Ordinal))
                        throw new ArgumentException("refusing to generate the corpus inside the repository; use a temp folder");
                    long bytes = ModelBench.Generate(corpus, root, Int("count", 100_000), Int("per-day", 200));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {Int("count", 100_000)} dated articles into {root}: {bytes / 1048576.0:F1} MiB"));
                    return 0;
                }
                case "model-query":
                    return await ModelBench.QueryAsync(Get("db"), Int("repeats", 5));
                case "ingest":
                    return await EndToEnd.RunAsync(Get("corpus"), Int("count", 100_000), Get("db"), Int("warmup", 500), opts.GetValueOrDefault("json"));
                case "stages":
                    return await Stages.RunAsync(Get("corpus"), Int("count", 20_000), Get("db"));
                case "store":
                    return await StoreProfile.RunAsync(Get("corpus"), Int("count", 20_000), Get("db"));
                case "scale":
                    return Scale.Run(Get("csv", DefaultCsv),
                        Get("sizes", "1,2,4,8,16").Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToList(),
                        Get("shape", "lines,single,para"), double.Parse(Get("limit", "600"), CultureInfo.InvariantCulture));
                case "profile":
                    return StageProfile.Run(Get("csv", DefaultCsv),
                        Get("sizes", "0.25,0.5,1").Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToList(), Get("shape", "single"));
                case "analyse":
                {
                    var files = opts.TryGetValue("files", out var dir)
                        ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
                        : Enumerable.Range(0, Int("count", 2000)).Select(i => Path.Combine(Get("corpus"), Corpus.RelativePath(i))).ToList();
                    return AnalyseLoop.Run(files, Int("repeat", 3), rest.Contains("--alloc"));
                }
                case "micro":
                {
                    AnalyzeBenchmarks.CsvPath = Get("csv", DefaultCsv);
                    var config = DefaultConfig.Instance.AddJob(Job.MediumRun.WithToolchain(InProcessEmitToolchain.Instance));
                    BenchmarkSwitcher.FromTypes([typeof(AnalyzeBenchmarks)]).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
                    return 0;
                }
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        /// <summary>--name value pairs; anything else (and everything after a bare --) is passed on.</summary>
        private static Dictionary<string, string> Options(string[] args, out string[] rest)
        {
            var opts = new Dictionary<string, string>(StringComparer.Ordinal);
            var others = new List<string>();
            string[] ours = ["out", "count", "seed", "csv", "corpus", "db", "warmup", "json", "sizes", "shape", "limit", "files", "repeat"];
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--") { others.AddRange(args[(i + 1)..]); break; }
                if (args[i].StartsWith("--", StringComparison.Ordinal) && ours.Contains(args[i][2..]) && i + 1 < args.Length) opts[args[i][2..]] = args[++i];
                else others.Add(args[i]);
            }
            rest = others.ToArray();
            return opts;
        }

        private static string RepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Sitrep.slnx"))) dir = dir.Parent;
            return dir == null ? "\0" : dir.FullName + Path.DirectorySeparatorChar;
        }
    }
}
