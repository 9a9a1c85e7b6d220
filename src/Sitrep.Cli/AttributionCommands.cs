using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sitrep.Attribution;
using Sitrep.Knowledge;

namespace Sitrep.Cli;

/// <summary>
/// <c>sitrep eval attribution</c> and <c>sitrep train attribution</c>: each method returns a command named
/// "attribution" to be added under "eval" and "train". Exit codes: 0 ok, 1 bad input (one line naming the path and
/// the reason), 2 usage.
/// </summary>
public static class AttributionCommands
{
    /// <summary>
    /// <c>eval attribution --data DIR [--split dev] [--model FILE] [--kb]</c>: runs the extractor on a PolNeAR split and
    /// prints cue, source and content span F1 (exact and overlap), pairing and attribution F1, the headline figure
    /// (content-span overlap F1) last. DIR is a split folder (with text/ and attributions/), the PolNeAR folder, or the
    /// shared data folder.
    /// </summary>
    public static Command Eval()
    {
        var data = new Option<string?>("--data") { Description = "PolNeAR split folder (text/, attributions/), the PolNeAR folder, or the shared data folder", HelpName = "DIR" };
        var split = new Option<string>("--split") { Description = "split to evaluate when DIR is not a split folder", DefaultValueFactory = _ => "dev" };
        var model = new Option<string?>("--model") { Description = $"model file (default: {AttributionModel.DefaultRelativePath} found above the program or the current folder)", HelpName = "FILE" };
        var withKb = new Option<bool>("--kb") { Description = "resolve speakers against the built-in knowledge base too (no effect on the figures)" };
        var cmd = new Command("attribution", "Evaluate quote and reported-speech attribution on PolNeAR: cue/source/content span F1 (exact, overlap), pairing F1") { data, split, model, withKb };
        cmd.SetAction(pr =>
        {
            var outw = pr.InvocationConfiguration.Output;
            var err = pr.InvocationConfiguration.Error;
            var dir = pr.GetValue(data);
            if (string.IsNullOrEmpty(dir)) { err.WriteLine("sitrep: eval attribution: --data DIR is required"); return ExitCodes.Usage; }
            if (!TryFindSplit(dir, pr.GetValue(split)!, out var splitDir, out var why)) { err.WriteLine($"sitrep: {dir}: {why}"); return ExitCodes.BadInput; }
            if (!TryLoadModel(pr.GetValue(model), err, out var m)) return ExitCodes.BadInput;
            List<PolNearArticle> articles;
            try { articles = PolNear.ReadSplit(splitDir); }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                err.WriteLine($"sitrep: {OneLine(e.Message)}");
                return ExitCodes.BadInput;
            }
            if (articles.Count == 0) { err.WriteLine($"sitrep: {splitDir}: no annotated articles"); return ExitCodes.BadInput; }
            KnowledgeBase? kb = null;
            if (pr.GetValue(withKb))
            {
                try { kb = KnowledgeBase.LoadBuiltIn(); }
                catch (Exception e) when (e is KnowledgeBaseException or IOException)
                {
                    err.WriteLine($"sitrep: {OneLine(e.Message)}");
                    return ExitCodes.BadInput;
                }
            }
            var extractor = new AttributionExtractor(kb, m);
            var scores = AttributionEvaluator.Evaluate(extractor, articles);
            outw.WriteLine($"data: {Path.GetFullPath(splitDir)}");
            outw.WriteLine($"model: {m.Description}");
            foreach (var line in scores.Lines()) outw.WriteLine(line);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// <c>train attribution --data DIR [--out models/attribution/attribution.bin] [--epochs N] [--seed N]</c>: trains
    /// the cue and argument taggers on the PolNeAR train split (a tenth of it held out to choose the number of passes).
    /// </summary>
    public static Command Train()
    {
        var data = new Option<string?>("--data") { Description = "PolNeAR train folder (text/, attributions/), the PolNeAR folder, or the shared data folder", HelpName = "DIR" };
        var output = new Option<string>("--out") { Description = "model file to write", DefaultValueFactory = _ => AttributionModel.DefaultRelativePath, HelpName = "FILE" };
        var epochs = new Option<int>("--epochs") { Description = "maximum passes (the best on the held-out articles is kept)", DefaultValueFactory = _ => new AttributionTrainingOptions().Epochs };
        var seed = new Option<int>("--seed") { Description = "random seed (article order, held-out choice)", DefaultValueFactory = _ => new AttributionTrainingOptions().Seed };
        var holdOut = new Option<double>("--hold-out") { Description = "share of the train split held out to choose passes", DefaultValueFactory = _ => new AttributionTrainingOptions().HoldOut };
        var cueBits = new Option<int>("--cue-bits") { Description = "log2 of the cue tagger's weight rows", DefaultValueFactory = _ => new AttributionTrainingOptions().CueBits };
        var argBits = new Option<int>("--arg-bits") { Description = "log2 of the argument tagger's weight rows", DefaultValueFactory = _ => new AttributionTrainingOptions().ArgBits };
        var ensemble = new Option<int>("--ensemble") { Description = "training runs (different article orders) whose weights are averaged", DefaultValueFactory = _ => new AttributionTrainingOptions().Ensemble };
        var cmd = new Command("attribution", "Train the attribution taggers (cue; source and content) on PolNeAR train") { data, output, epochs, seed, holdOut, cueBits, argBits, ensemble };
        cmd.SetAction(pr =>
        {
            var outw = pr.InvocationConfiguration.Output;
            var err = pr.InvocationConfiguration.Error;
            var dir = pr.GetValue(data);
            if (string.IsNullOrEmpty(dir)) { err.WriteLine("sitrep: train attribution: --data DIR is required"); return ExitCodes.Usage; }
            int e = pr.GetValue(epochs);
            double h = pr.GetValue(holdOut);
            if (e is < 1 or > 100) { err.WriteLine("sitrep: train attribution: --epochs must be in 1..100"); return ExitCodes.Usage; }
            if (h is < 0 or >= 0.5) { err.WriteLine("sitrep: train attribution: --hold-out must be in [0, 0.5)"); return ExitCodes.Usage; }
            int cb = pr.GetValue(cueBits), ab = pr.GetValue(argBits), runs = pr.GetValue(ensemble);
            if (runs is < 1 or > 20) { err.WriteLine("sitrep: train attribution: --ensemble must be in 1..20"); return ExitCodes.Usage; }
            if (cb is < 12 or > 24 || ab is < 12 or > 24) { err.WriteLine("sitrep: train attribution: --cue-bits and --arg-bits must be in 12..24"); return ExitCodes.Usage; }
            if (!TryFindSplit(dir, "train", out var splitDir, out var why)) { err.WriteLine($"sitrep: {dir}: {why}"); return ExitCodes.BadInput; }
            try
            {
                var sw = Stopwatch.StartNew();
                var articles = PolNear.ReadSplit(splitDir);
                if (articles.Count == 0) { err.WriteLine($"sitrep: {splitDir}: no annotated articles"); return ExitCodes.BadInput; }
                outw.WriteLine($"train: {articles.Count} articles, {articles.Sum(a => a.Attributions.Length)} attributions from {Path.GetFullPath(splitDir)}");
                var options = new AttributionTrainingOptions { Epochs = e, Seed = pr.GetValue(seed), HoldOut = h, CueBits = cb, ArgBits = ab, Ensemble = runs };
                var model = AttributionTrainer.Train(articles, options, outw);
                var path = pr.GetValue(output)!;
                model.Save(path);
                outw.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path} ({new FileInfo(path).Length / 1048576.0:F1} MB) in {sw.Elapsed.TotalSeconds:F0} s: {model.Description}"));
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                err.WriteLine($"sitrep: {OneLine(ex.Message)}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    /// <summary>Finds the split folder: DIR itself, DIR/SPLIT, or DIR/attribution/polnear/SPLIT.</summary>
    internal static bool TryFindSplit(string dir, string split, out string splitDir, out string reason)
    {
        splitDir = dir;
        reason = "";
        if (!Directory.Exists(dir)) { reason = "no such folder"; return false; }
        foreach (var candidate in new[] { dir, Path.Combine(dir, split), Path.Combine(dir, "attribution", "polnear", split), Path.Combine(dir, "polnear", split) })
        {
            if (Directory.Exists(Path.Combine(candidate, "text")) && Directory.Exists(Path.Combine(candidate, "attributions")))
            {
                splitDir = candidate;
                return true;
            }
        }
        reason = $"not a PolNeAR folder (no text/ and attributions/ in it, in {split}/ or in attribution/polnear/{split}/)";
        return false;
    }

    private static bool TryLoadModel(string? path, TextWriter err, out AttributionModel model)
    {
        model = null!;
        path ??= AttributionModel.FindDefault();
        if (path == null)
        {
            err.WriteLine($"sitrep: {AttributionModel.DefaultRelativePath}: attribution model not found (run 'sitrep train attribution' or pass --model)");
            return false;
        }
        if (!File.Exists(path)) { err.WriteLine($"sitrep: {path}: model file not found"); return false; }
        try
        {
            model = AttributionModel.Load(path);
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            err.WriteLine($"sitrep: {OneLine(e.Message)}");
            return false;
        }
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");
}
