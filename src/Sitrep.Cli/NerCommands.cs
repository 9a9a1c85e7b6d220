using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sitrep.Text.Ner;

namespace Sitrep.Cli;

/// <summary>
/// <c>sitrep train ner</c> and <c>sitrep eval ner</c>. Each method returns a command named "ner" to be added under
/// the "train" and "eval" commands. Exit codes: 0 ok, 1 bad input (missing or malformed file), 2 usage.
/// </summary>
public static class NerCommands
{
    private const string DefaultModel = "models/ner.bin";

    /// <summary><c>train ner [--data DIR] [--out models/ner.bin]</c>: trains on CoNLL-2003 train.txt, tunes epochs on valid.txt.</summary>
    public static Command Train()
    {
        var data = new Option<string>("--data") { Description = "shared data folder (holding ner/conll2003, stance/fnc1, attribution/polnear), or the conll2003 folder itself", DefaultValueFactory = _ => "../shared/data" };
        var output = new Option<string>("--out") { Description = "model file to write", DefaultValueFactory = _ => DefaultModel };
        var clusters = new Option<int>("--clusters") { Description = "number of Brown clusters", DefaultValueFactory = _ => 256 };
        var minCount = new Option<int>("--min-count") { Description = "minimum frequency of a word to be clustered", DefaultValueFactory = _ => 3 };
        var clusterCache = new Option<string?>("--cluster-cache") { Description = "read Brown clusters from this file if it exists, else compute and write them there" };
        var epochs = new Option<int>("--epochs") { Description = "maximum epochs (the best on valid.txt is kept)", DefaultValueFactory = _ => 30 };
        var bits = new Option<int>("--hash-bits") { Description = "log2 of the weight-table rows", DefaultValueFactory = _ => 18 };
        var scheme = new Option<string>("--scheme") { Description = "tag scheme: bio or bilou", DefaultValueFactory = _ => "bio" };
        var ensemble = new Option<int>("--ensemble") { Description = "training runs (different document orders) whose weights are averaged", DefaultValueFactory = _ => 1 };
        var decoder = new Option<string>("--decoder") { Description = "viterbi (structured perceptron) or greedy (left to right with previous-tag features)", DefaultValueFactory = _ => "viterbi" };
        var seed = new Option<int>("--seed") { Description = "random seed (document order)", DefaultValueFactory = _ => 20261123 };
        var without = new Option<string?>("--without") { Description = "comma-separated feature groups to leave out (ablation), e.g. clusters,history" };
        var with = new Option<string?>("--with") { Description = "comma-separated extra feature groups, e.g. widecontext" };
        var cmd = new Command("ner", "Train the named-entity recogniser (averaged perceptron) on CoNLL-2003")
        {
            data, output, clusters, minCount, clusterCache, epochs, bits, scheme, seed, ensemble, decoder, without, with,
        };
        cmd.SetAction(pr =>
        {
            var outw = pr.InvocationConfiguration.Output;
            var err = pr.InvocationConfiguration.Error;
            string dir = pr.GetValue(data)!;
            string conllDir = File.Exists(Path.Combine(dir, "train.txt")) ? dir : Path.Combine(dir, "ner", "conll2003");
            string root = File.Exists(Path.Combine(dir, "train.txt")) ? Path.GetFullPath(Path.Combine(dir, "..", "..")) : dir;
            string trainPath = Path.Combine(conllDir, "train.txt"), validPath = Path.Combine(conllDir, "valid.txt");
            if (!Enum.TryParse<NerDecoder>(pr.GetValue(decoder), ignoreCase: true, out var dec) || int.TryParse(pr.GetValue(decoder), out _))
            {
                err.WriteLine("error: --decoder must be viterbi or greedy");
                return 2;
            }
            if (!TryParseScheme(pr.GetValue(scheme)!, out var sch)) { err.WriteLine("error: --scheme must be bio or bilou"); return 2; }
            if (!TryParseFeatures(pr.GetValue(without), out var minus) || !TryParseFeatures(pr.GetValue(with), out var plus))
            {
                err.WriteLine("error: unknown feature group; known: " + string.Join(",", Enum.GetNames<NerFeatures>().Select(n => n.ToLowerInvariant())));
                return 2;
            }
            int b = pr.GetValue(bits);
            if (b < 12 || b > 24) { err.WriteLine("error: --hash-bits must be in 12..24"); return 2; }
            if (pr.GetValue(ensemble) < 1 || pr.GetValue(ensemble) > 20) { err.WriteLine("error: --ensemble must be in 1..20"); return 2; }
            if (pr.GetValue(clusters) < 2 || pr.GetValue(minCount) < 1 || pr.GetValue(epochs) < 1) { err.WriteLine("error: --clusters ≥ 2, --min-count ≥ 1, --epochs ≥ 1"); return 2; }
            if (!File.Exists(trainPath)) { err.WriteLine($"error: {trainPath}: training file not found"); return 1; }
            try
            {
                var sw = Stopwatch.StartNew();
                var train = ConllReader.Read(trainPath);
                var valid = File.Exists(validPath) ? ConllReader.Read(validPath) : null;
                outw.WriteLine($"train: {train.Count} documents, {train.Sum(d => d.TokenCount)} tokens; valid: {(valid == null ? "none" : $"{valid.Count} documents")}");
                var lex = NerLexiconData.Build(root, train, pr.GetValue(clusters), pr.GetValue(minCount), pr.GetValue(clusterCache), outw);
                var options = new NerTrainingOptions
                {
                    Scheme = sch,
                    HashBits = b,
                    MaxEpochs = pr.GetValue(epochs),
                    Seed = pr.GetValue(seed),
                    Ensemble = pr.GetValue(ensemble),
                    Decoder = dec,
                    Features = (NerFeatures.Default | plus) & ~minus,
                };
                var model = NerTrainer.Train(train, valid, lex, options, outw);
                string outPath = pr.GetValue(output)!;
                model.Save(outPath);
                outw.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {outPath} ({new FileInfo(outPath).Length / 1048576.0:F1} MB) in {sw.Elapsed.TotalSeconds:F0}s"));
                return 0;
            }
            catch (Exception e) when (e is FormatException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                err.WriteLine("error: " + e.Message);
                return 1;
            }
        });
        return cmd;
    }

    /// <summary><c>eval ner --data FILE [--model models/ner.bin]</c>: conlleval entity P/R/F1 and tagging speed.</summary>
    public static Command Eval()
    {
        var data = new Option<string?>("--data") { Description = "CoNLL file to evaluate on (token ... NER-tag columns)" };
        var model = new Option<string>("--model") { Description = "model file", DefaultValueFactory = _ => DefaultModel };
        var runs = new Option<int>("--speed-runs") { Description = "timed passes for tokens/s (median; 0 = skip)", DefaultValueFactory = _ => 5 };
        var cmd = new Command("ner", "Evaluate the named-entity recogniser: conlleval precision/recall/F1 and tokens/s") { data, model, runs };
        cmd.SetAction(pr =>
        {
            var outw = pr.InvocationConfiguration.Output;
            var err = pr.InvocationConfiguration.Error;
            string? dataPath = pr.GetValue(data);
            if (string.IsNullOrEmpty(dataPath)) { err.WriteLine("error: --data FILE is required"); return 2; }
            if (pr.GetValue(runs) < 0) { err.WriteLine("error: --speed-runs must be ≥ 0"); return 2; }
            string modelPath = pr.GetValue(model)!;
            if (!File.Exists(dataPath)) { err.WriteLine($"error: {dataPath}: file not found"); return 1; }
            if (!File.Exists(modelPath)) { err.WriteLine($"error: {modelPath}: model file not found"); return 1; }
            NerModel m;
            IReadOnlyList<ConllDocument> docs;
            try { m = NerModel.Load(modelPath); }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
            {
                err.WriteLine($"error: {modelPath}: not a valid NER model ({e.Message})");
                return 1;
            }
            try { docs = ConllReader.Read(dataPath); }
            catch (FormatException e)
            {
                err.WriteLine($"error: {e.Message}");
                return 1;
            }
            catch (IOException e)
            {
                err.WriteLine($"error: {dataPath}: {e.Message}");
                return 1;
            }
            if (docs.Count == 0) { err.WriteLine($"error: {dataPath}: no sentences"); return 1; }
            var ev = NerEvaluator.Evaluate(m, docs);
            var lines = ev.Lines().ToList();
            int r = pr.GetValue(runs);
            if (r > 0)
            {
                var (wall, cpu) = NerEvaluator.TokensPerSecond(m, docs, r);
                lines.Insert(lines.Count - 3, string.Create(CultureInfo.InvariantCulture, $"tokens_per_second: {wall:F0}"));
                lines.Insert(lines.Count - 3, string.Create(CultureInfo.InvariantCulture, $"tokens_per_cpu_second: {cpu:F0}"));
            }
            foreach (var l in lines) outw.WriteLine(l);
            return 0;
        });
        return cmd;
    }

    private static bool TryParseScheme(string s, out TagScheme scheme)
    {
        switch (s.ToLowerInvariant())
        {
            case "bio": case "iob2": scheme = TagScheme.Bio; return true;
            case "bilou": case "bioes": scheme = TagScheme.Bilou; return true;
            default: scheme = TagScheme.Bio; return false;
        }
    }

    private static bool TryParseFeatures(string? list, out NerFeatures features)
    {
        features = NerFeatures.None;
        if (string.IsNullOrWhiteSpace(list)) return true;
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<NerFeatures>(part, ignoreCase: true, out var f) || part.All(char.IsDigit)) return false;
            features |= f;
        }
        return true;
    }
}
