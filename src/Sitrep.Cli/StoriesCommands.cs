using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sitrep.Stories;

namespace Sitrep.Cli;

/// <summary>
/// The story stage's commands: <c>sitrep eval clustering</c> (story clustering on FNC-1 bodies),
/// <c>sitrep train stance</c> and <c>sitrep eval stance</c> (FNC-1 headline–body stance).
/// </summary>
public static class StoriesCommands
{
    private static Option<string> DataOption() => new("--data")
    {
        Description = "FNC-1 folder with train_bodies.csv and train_stances.csv (../shared/data/stance/fnc1), or a held-out folder with test_bodies.csv and test_stances.csv (evaluated whole); for clustering also a story corpus with articles.jsonl and txt/ (../shared/data/stories/ecbplus)",
        Required = true,
        HelpName = "DIR",
    };

    /// <summary>
    /// <c>clustering --data DIR [--seeds N] [--window DAYS]</c>: streams the FNC-1 bodies through the story clusterer
    /// and prints pairwise precision, recall, F1 against the gold stories, F1 on all documents last.
    /// </summary>
    public static Command EvalClustering()
    {
        var data = DataOption();
        var seeds = new Option<int>("--seeds") { Description = "How many seeds (split of the gold stories and document order)", DefaultValueFactory = _ => 3 };
        var oracle = new Option<bool>("--oracle") { Description = "Also tune on all documents and print that in-sample ceiling (labelled as such)" };
        var background = new Option<bool>("--background") { Description = "Prime document frequencies with the texts (not the labels) of the tuning half" };
        var corpus = new Option<string[]>("--background-corpus")
        {
            Description = "Prime document frequencies with general texts: a folder of *.txt (one document each) or a CoNLL file (documents split at -DOCSTART-); repeatable",
            HelpName = "PATH",
            AllowMultipleArgumentsPerToken = false,
        };
        var variants = new Option<string>("--variants")
        {
            Description = "Settings tuned with the threshold, ';'-separated, each key=value: avg, member, entity, merge (off or offset to the join threshold), pn, pairs, refresh, cons (on/off), join; 'streaming' for no consolidation, 'single-pass' for the pre-merge grid",
            DefaultValueFactory = _ => ClusteringEvaluation.DefaultVariants,
            HelpName = "SPEC",
        };
        var fixedOption = new Option<bool>("--fixed") { Description = "Cluster all documents with the shipped settings, no tuning (what a held-out test folder always gets)" };
        var pipelineSettings = new Option<bool>("--pipeline-settings")
        {
            Description = "FNC-1 with --fixed or a test folder: cluster with the pipeline's settings (StoryGrouping.Options: refinement, entity weight; stories never close) instead of the clusterer's defaults",
        };
        var store = new Option<string?>("--store")
        {
            Description = "Story corpus: keep the analysed articles in this SQLite store (re-used by a later run; default: a temporary store, deleted)",
            HelpName = "FILE",
        };
        var cv = new Option<string?>("--cv")
        {
            Description = "Story corpus: also choose settings by two-fold cross-validation over topics from this grid of key=v1,v2 (join, merge, cons, avg, member, entity, size, lead, title, pn, pairs, linked, idf, days, open; '' for the shipped settings alone)",
            HelpName = "GRID",
        };
        var cmd = new Command("clustering", "Story clustering. FNC-1 bodies (gold stories: bodies related to the same headline): a training folder tunes on half of the stories and prints pairwise P/R/F1 held out and on all; a test folder (test_*.csv) or --fixed: all documents with the shipped settings. A story corpus (articles.jsonl + txt/): every text through the pipeline (analysis, then the cross-source stage with the shipped settings), pairwise P/R/F1 against the gold stories. F1 on all last")
        {
            data, seeds, oracle, background, corpus, variants, fixedOption, store, cv, pipelineSettings,
        };
        cmd.SetAction((parse, ct) =>
        {
            var dir = parse.GetValue(data)!;
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            if (StoryCorpus.Holds(dir)) return RunCorpusAsync(dir, parse.GetValue(store), parse.GetValue(cv), stdout, stderr, ct);
            return RunClusteringAsync(dir, parse.GetValue(seeds), parse.GetValue(oracle), parse.GetValue(background),
                parse.GetValue(corpus) ?? [], parse.GetValue(variants)!, stdout, stderr, ct, parse.GetValue(fixedOption), parse.GetValue(pipelineSettings));
        });
        return cmd;
    }

    /// <summary>
    /// A story corpus through the pipeline: every text analysed and stored, the cross-source stage run with the shipped
    /// settings (<see cref="Sitrep.Pipeline.StoryGrouping.Options"/>), the stored stories scored pairwise; F1 last. With a
    /// grid, settings are also chosen on half of the topics and scored on the other half, both ways.
    /// </summary>
    internal static async Task<int> RunCorpusAsync(string dir, string? storePath, string? grid, TextWriter w, TextWriter stderr, CancellationToken ct)
    {
        StoryCorpus corpus;
        try { corpus = await Task.Run(() => StoryCorpus.Load(dir), ct).ConfigureAwait(false); }
        catch (StoryCorpusException e)
        {
            await stderr.WriteLineAsync($"sitrep: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"sitrep: {dir}: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        var shipped = Sitrep.Pipeline.StoryGrouping.Options;
        IReadOnlyList<(string Name, StoryOptions Options)>? settings = null;
        if (grid != null)
        {
            try { settings = StoryCorpusTuning.Grid(shipped, grid); }
            catch (FormatException e)
            {
                await stderr.WriteLineAsync($"sitrep: --cv: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }
        string db = storePath ?? Path.Combine(Path.GetTempPath(), $"sitrep-clustering-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        var inv = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("0.0000", inv);
        try
        {
            var analyzer = Sitrep.Pipeline.PipelineFactory.Create([], Sitrep.Pipeline.PipelineFactory.FindModel("ner.bin"));
            CorpusRun run;
            await using (var store = await Sitrep.Store.SqliteStore.OpenAsync(db, ct).ConfigureAwait(false))
                run = await StoryCorpusEvaluation.RunAsync(corpus, analyzer, store, shipped, ct).ConfigureAwait(false);
            var gold = corpus.GoldStories();
            await w.WriteLineAsync($"task: story clustering, {corpus.Articles.Count} articles of {Path.GetFullPath(dir)} through the pipeline (analysis, then the cross-source stage with the shipped settings), pairwise against the gold stories").ConfigureAwait(false);
            await w.WriteLineAsync(string.Create(inv, $"settings: join {shipped.Threshold:0.00}, merge {shipped.MergeThreshold:0.00}, consolidation {shipped.ConsolidateThreshold:0.00}, inactivity {shipped.InactivityDays?.ToString(inv) ?? "never"} days, open stories at most {shipped.MaxOpenStories?.ToString(inv) ?? "unbounded"}")).ConfigureAwait(false);
            await WriteGoldAsync(w, corpus.Articles.Count, gold).ConfigureAwait(false);
            await w.WriteLineAsync($"topics: {corpus.Articles.Select(a => a.Topic).Distinct().Count()}").ConfigureAwait(false);
            await w.WriteLineAsync($"dated articles: {run.Inputs.Count(i => i.Date != null)} of {run.Inputs.Count} have a likeliest date, {run.Inputs.Count(i => i.Document.Date != null)} one known to within {Sitrep.Pipeline.StoryGrouping.MaxDateSpreadDays} days (what the clusterer uses)").ConfigureAwait(false);
            await w.WriteLineAsync(string.Create(inv, $"analysis seconds: {run.Analysis.TotalSeconds:0.0}; stage seconds: {run.Stage.TotalSeconds:0.0}")).ConfigureAwait(false);
            if (settings != null)
            {
                var folds = await Task.Run(() => StoryCorpusTuning.CrossValidate(corpus, run.Inputs, settings, shipped, 2, ct), ct).ConfigureAwait(false);
                await w.WriteLineAsync($"cross-validation: {settings.Count} settings, 2 folds of topics (dealt alternately), each fold's articles clustered alone").ConfigureAwait(false);
                for (int i = 0; i < folds.Count; i++)
                {
                    var f = folds[i];
                    await w.WriteLineAsync($"fold {i + 1}: tuned on topics {string.Join(",", f.TuneTopics)}: [{f.Setting}] tune F1 {F(f.Tune.F1)}; " +
                        $"held-out topics {string.Join(",", f.HeldOutTopics)}: P {F(f.HeldOut.Precision)} R {F(f.HeldOut.Recall)} F1 {F(f.HeldOut.F1)}; shipped settings there: F1 {F(f.ShippedHeldOut.F1)}").ConfigureAwait(false);
                    foreach (var (setting, score) in f.Ranked.Take(8))
                        await w.WriteLineAsync($"  fold {i + 1} tuning topics: [{setting}] P {F(score.Precision)} R {F(score.Recall)} F1 {F(score.F1)}").ConfigureAwait(false);
                }
                await w.WriteLineAsync($"held-out f1 (mean of folds, tuned settings): {F(folds.Average(f => f.HeldOut.F1))}").ConfigureAwait(false);
                await w.WriteLineAsync($"held-out f1 (mean of folds, shipped settings): {F(folds.Average(f => f.ShippedHeldOut.F1))}").ConfigureAwait(false);
            }
            await w.WriteLineAsync($"stories: {run.Stories}").ConfigureAwait(false);
            await w.WriteLineAsync($"all precision: {F(run.Score.Precision)}").ConfigureAwait(false);
            await w.WriteLineAsync($"all recall: {F(run.Score.Recall)}").ConfigureAwait(false);
            await w.WriteLineAsync($"all f1: {F(run.Score.F1)}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (StoryCorpusException e)
        {
            await stderr.WriteLineAsync($"sitrep: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        finally
        {
            if (storePath is null)
                foreach (var f in new[] { db, db + "-wal", db + "-shm" })
                    try { File.Delete(f); } catch (IOException) { }
        }
    }

    internal static async Task<int> RunClusteringAsync(string dir, int seedCount, bool oracle, bool background, string[] corpus, string variantSpec, TextWriter stdout, TextWriter stderr, CancellationToken ct, bool fixedSettings = false, bool pipelineSettings = false)
    {
        IReadOnlyList<ClusteringVariant> variantList;
        try
        {
            variantList = ClusteringVariant.Parse(variantSpec switch
            {
                "single-pass" => ClusteringEvaluation.SinglePassVariants,
                "streaming" => ClusteringEvaluation.StreamingVariants,
                _ => variantSpec,
            });
        }
        catch (FormatException e)
        {
            await stderr.WriteLineAsync($"sitrep: --variants: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        if (seedCount < 1)
        {
            await stderr.WriteLineAsync("sitrep: --seeds must be at least 1").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var data = await LoadAsync(dir, stderr).ConfigureAwait(false);
        if (data is null) return ExitCodes.BadInput;
        var (docs, gold) = ClusteringEvaluation.FromFnc(data);
        var clock = Stopwatch.StartNew();
        DocumentFrequencies? primed = null;
        if (corpus.Length > 0)
        {
            foreach (var path in corpus)
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    await stderr.WriteLineAsync($"sitrep: {path}: no such file or folder (--background-corpus)").ConfigureAwait(false);
                    return ExitCodes.BadInput;
                }
            try { primed = await Task.Run(() => ClusteringEvaluation.BackgroundFromFiles(corpus), ct).ConfigureAwait(false); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"sitrep: --background-corpus: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
        }
        var seeds = Enumerable.Range(1, seedCount).ToArray();
        if (fixedSettings || data.IsTest)
            return await RunFixedAsync(docs, gold, seeds, primed, data.IsTest, clock, stdout, ct, pipelineSettings).ConfigureAwait(false);
        var baseOptions = new StoryOptions { InactivityDays = null, Background = primed };
        var results = await Task.Run(() => ClusteringEvaluation.Run(docs, gold, seeds, baseOptions, variantList, ClusteringEvaluation.ThresholdGrid, oracle, background, ct), ct).ConfigureAwait(false);
        clock.Stop();

        var inv = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("0.0000", inv);
        string Mean(Func<ClusteringSeedResult, double> f) => F(results.Average(f));
        string Range(Func<ClusteringSeedResult, double> f) => $"{F(results.Min(f))}..{F(results.Max(f))}";
        var w = stdout;
        await w.WriteLineAsync("task: story clustering, FNC-1 bodies (gold: connected components of headline-body related pairs; no dates, stories never close)").ConfigureAwait(false);
        await w.WriteLineAsync($"document frequencies: {(primed is null ? "" : $"primed with {primed.Documents} background texts; ")}{(background ? "primed with the tuning half's texts" : "from the stream")}").ConfigureAwait(false);
        await w.WriteLineAsync($"variants tuned: {string.Join(" | ", variantList.Select(v => v.Name))}; thresholds {ClusteringEvaluation.ThresholdGrid[0]}..{ClusteringEvaluation.ThresholdGrid[^1]}").ConfigureAwait(false);
        await WriteGoldAsync(w, docs.Count, gold).ConfigureAwait(false);
        foreach (var r in results)
        {
            var o = r.Tuned;
            await w.WriteLineAsync(string.Create(inv,
                $"seed {r.Seed}: tuned [{r.Variant}] {(o.ConsolidateThreshold is { } ct0 ? $"consolidation threshold {ct0:0.00} (join {o.Threshold:0.00})" : $"join threshold {o.Threshold:0.00}")}; " +
                $"dev F1 {F(r.Dev.Score.F1)}; held-out P {F(r.HeldOut.Score.Precision)} R {F(r.HeldOut.Score.Recall)} F1 {F(r.HeldOut.Score.F1)} ({r.HeldOut.Stories} stories); " +
                $"all P {F(r.All.Score.Precision)} R {F(r.All.Score.Recall)} F1 {F(r.All.Score.F1)} ({r.All.Stories} stories)")).ConfigureAwait(false);
            if (r.OracleOnAll is { } q && r.OracleRun is { } qr)
                await w.WriteLineAsync(string.Create(inv,
                    $"seed {r.Seed} in-sample ceiling (tuned on all, not a result): threshold {q.Threshold:0.00}; P {F(qr.Score.Precision)} R {F(qr.Score.Recall)} F1 {F(qr.Score.F1)} ({qr.Stories} stories)")).ConfigureAwait(false);
        }
        await w.WriteLineAsync($"seeds: {results.Count}").ConfigureAwait(false);
        await w.WriteLineAsync($"held-out precision: {Mean(r => r.HeldOut.Score.Precision)}").ConfigureAwait(false);
        await w.WriteLineAsync($"held-out recall: {Mean(r => r.HeldOut.Score.Recall)}").ConfigureAwait(false);
        await w.WriteLineAsync($"held-out f1: {Mean(r => r.HeldOut.Score.F1)} (range {Range(r => r.HeldOut.Score.F1)})").ConfigureAwait(false);
        if (results.All(r => r.HeldOut.AtArrival is not null))
        {
            await w.WriteLineAsync($"held-out f1 at arrival (ids as first returned, later merges ignored): {Mean(r => r.HeldOut.AtArrival!.Value.F1)}").ConfigureAwait(false);
            await w.WriteLineAsync($"all f1 at arrival: {Mean(r => r.All.AtArrival!.Value.F1)}").ConfigureAwait(false);
        }
        await w.WriteLineAsync($"all precision: {Mean(r => r.All.Score.Precision)}").ConfigureAwait(false);
        await w.WriteLineAsync($"all recall: {Mean(r => r.All.Score.Recall)}").ConfigureAwait(false);
        await w.WriteLineAsync($"seconds: {clock.Elapsed.TotalSeconds.ToString("0.0", inv)}").ConfigureAwait(false);
        await w.WriteLineAsync($"all f1: {Mean(r => r.All.Score.F1)} (range {Range(r => r.All.Score.F1)})").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task WriteGoldAsync(TextWriter w, int documents, int[] gold)
    {
        await w.WriteLineAsync($"documents: {documents}").ConfigureAwait(false);
        await w.WriteLineAsync($"gold stories: {gold.Distinct().Count()}").ConfigureAwait(false);
        await w.WriteLineAsync($"gold pairs: {PairwiseScore.Compute(gold, gold).GoldPairs}").ConfigureAwait(false);
    }

    /// <summary>All documents clustered with the shipped settings, once per seed's stream order; F1 last.</summary>
    private static async Task<int> RunFixedAsync(IReadOnlyList<StoryDocument> docs, int[] gold, int[] seeds, DocumentFrequencies? primed, bool isTest, Stopwatch clock, TextWriter w, CancellationToken ct, bool pipelineSettings = false)
    {
        var options = pipelineSettings ? Sitrep.Pipeline.StoryGrouping.Options with { InactivityDays = null, Background = primed } : ClusteringEvaluation.Fixed(primed);
        var runs = await Task.Run(() => ClusteringEvaluation.RunFixed(docs, gold, seeds, options, ct), ct).ConfigureAwait(false);
        clock.Stop();
        var inv = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("0.0000", inv);
        await w.WriteLineAsync($"task: story clustering, FNC-1 bodies ({(isTest ? "held-out test files" : "training files")}, evaluated whole with the shipped settings, no tuning; gold: connected components of headline-body related pairs; no dates, stories never close)").ConfigureAwait(false);
        await w.WriteLineAsync(string.Create(inv, $"settings: {(pipelineSettings ? "the pipeline's, " : "")}join {options.Threshold:0.00}, merge {options.MergeThreshold:0.00}, consolidation {options.ConsolidateThreshold:0.00}, refinement {(options.RefineThreshold is { } rt ? rt.ToString("0.00", inv) : "off")}; document frequencies {(primed is null ? "from the stream" : $"primed with {primed.Documents} background texts")}")).ConfigureAwait(false);
        await WriteGoldAsync(w, docs.Count, gold).ConfigureAwait(false);
        for (int i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            await w.WriteLineAsync($"order {seeds[i]}: P {F(r.Score.Precision)} R {F(r.Score.Recall)} F1 {F(r.Score.F1)} ({r.Stories} stories); at arrival F1 {F(r.AtArrival?.F1 ?? 0)}").ConfigureAwait(false);
        }
        await w.WriteLineAsync($"stream orders: {runs.Count}").ConfigureAwait(false);
        await w.WriteLineAsync($"f1 at arrival (ids as first returned, before merges and consolidation): {F(runs.Average(r => r.AtArrival?.F1 ?? 0))}").ConfigureAwait(false);
        await w.WriteLineAsync($"all precision: {F(runs.Average(r => r.Score.Precision))}").ConfigureAwait(false);
        await w.WriteLineAsync($"all recall: {F(runs.Average(r => r.Score.Recall))}").ConfigureAwait(false);
        await w.WriteLineAsync($"seconds: {clock.Elapsed.TotalSeconds.ToString("0.0", inv)}").ConfigureAwait(false);
        await w.WriteLineAsync($"all f1: {F(runs.Average(r => r.Score.F1))} (range {F(runs.Min(r => r.Score.F1))}..{F(runs.Max(r => r.Score.F1))})").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary><c>stance --data DIR --out FILE</c>: trains the stance model on the training part of the FNC-1 split by body id.</summary>
    public static Command TrainStance()
    {
        var data = DataOption();
        var output = new Option<string>("--out") { Description = "Model file to write", DefaultValueFactory = _ => "models/stance/stance.bin", HelpName = "FILE" };
        var seed = new Option<int>("--split-seed") { Description = "Seed of the 80/20 split by body id", DefaultValueFactory = _ => FncSplit.DefaultSeed };
        var cmd = new Command("stance", "Train the headline-body stance model (agree/disagree/discuss/unrelated) on FNC-1's training part (80% of body ids)") { data, output, seed };
        cmd.SetAction(async (parse, ct) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var ds = await LoadAsync(parse.GetValue(data)!, stderr).ConfigureAwait(false);
            if (ds is null) return ExitCodes.BadInput;
            if (ds.IsTest)
            {
                await stderr.WriteLineAsync($"sitrep: {parse.GetValue(data)}: holds held-out test files (test_*.csv); train on the training folder").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            var split = FncSplit.ByBody(ds, parse.GetValue(seed));
            var clock = Stopwatch.StartNew();
            var progress = new LineProgress(stdout);
            var model = await Task.Run(() => StanceTrainer.Train(ds, split.TrainBodies, progress, ct), ct).ConfigureAwait(false);
            var path = parse.GetValue(output)!;
            try { model.Save(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"sitrep: {path}: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"model: {path} ({new FileInfo(path).Length / 1048576.0:0.00} MB), trained on {split.TrainBodies.Count} bodies in {clock.Elapsed.TotalSeconds:0.0} s")).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary><c>stance --data DIR [--model FILE]</c>: FNC score, per-class and macro F1 on the validation part.</summary>
    public static Command EvalStance()
    {
        var data = DataOption();
        var model = new Option<string?>("--model") { Description = "Stance model (default: models/stance/stance.bin beside the program or in the repository)", HelpName = "FILE" };
        var seed = new Option<int>("--split-seed") { Description = "Seed of the 80/20 split by body id (must match the model's training)", DefaultValueFactory = _ => FncSplit.DefaultSeed };
        var cmd = new Command("stance", "FNC-1 stance on the validation part (20% of body ids): per-class F1, macro-F1, FNC score (last)") { data, model, seed };
        cmd.SetAction(async (parse, ct) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(model) ?? Sitrep.Pipeline.PipelineFactory.FindModel(Path.Combine("stance", "stance.bin"));
            if (path is null || !File.Exists(path))
            {
                await stderr.WriteLineAsync($"sitrep: {path ?? "models/stance/stance.bin"}: no such model (run `sitrep train stance`)").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            StanceModel m;
            try { m = StanceModel.Load(path); }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"sitrep: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            var ds = await LoadAsync(parse.GetValue(data)!, stderr).ConfigureAwait(false);
            if (ds is null) return ExitCodes.BadInput;
            // A held-out test folder is evaluated whole; the training folder on the validation part of the split by body id.
            IReadOnlySet<int> bodies = ds.IsTest ? ds.Bodies.Select(b => b.Id).ToHashSet() : FncSplit.ByBody(ds, parse.GetValue(seed)).ValidationBodies;
            var clock = Stopwatch.StartNew();
            var score = await Task.Run(() => StanceTrainer.Evaluate(m, ds, bodies, ct), ct).ConfigureAwait(false);
            clock.Stop();
            var inv = CultureInfo.InvariantCulture;
            string F(double v) => v.ToString("0.0000", inv);
            var w = stdout;
            await w.WriteLineAsync(ds.IsTest
                ? "task: FNC-1 stance, held-out test files, every pair"
                : "task: FNC-1 stance, validation part of the split by body id (headlines may also occur in training pairs)").ConfigureAwait(false);
            await w.WriteLineAsync($"{(ds.IsTest ? "test" : "validation")} bodies: {bodies.Count}").ConfigureAwait(false);
            await w.WriteLineAsync($"{(ds.IsTest ? "test" : "validation")} pairs: {score.Count}").ConfigureAwait(false);
            await w.WriteLineAsync("confusion (rows gold, columns predicted: agree disagree discuss unrelated):").ConfigureAwait(false);
            foreach (var g in StanceLabels.All)
                await w.WriteLineAsync($"  {StanceLabels.Name(g),-9} {string.Join(" ", StanceLabels.All.Select(p => score.Confusion[(int)g, (int)p].ToString(inv).PadLeft(6)))}").ConfigureAwait(false);
            foreach (var l in StanceLabels.All)
            {
                var (p, r, f1) = score.PerClass(l);
                await w.WriteLineAsync($"{StanceLabels.Name(l)} precision/recall/f1: {F(p)} {F(r)} {F(f1)}").ConfigureAwait(false);
            }
            await w.WriteLineAsync($"related-vs-unrelated accuracy: {F(score.RelatedAccuracy)}").ConfigureAwait(false);
            await w.WriteLineAsync($"accuracy: {F(score.Accuracy)}").ConfigureAwait(false);
            await w.WriteLineAsync($"macro f1: {F(score.MacroF1)}").ConfigureAwait(false);
            await w.WriteLineAsync($"fnc raw score: {score.Raw.ToString("0.00", inv)} of {score.Max.ToString("0.00", inv)}").ConfigureAwait(false);
            await w.WriteLineAsync($"seconds: {clock.Elapsed.TotalSeconds.ToString("0.0", inv)}").ConfigureAwait(false);
            await w.WriteLineAsync($"fnc score: {F(score.Relative)}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private sealed class LineProgress(TextWriter w) : IProgress<string>
    {
        public void Report(string value) { lock (w) w.WriteLine(value); }
    }

    private static async Task<FncDataset?> LoadAsync(string dir, TextWriter stderr)
    {
        try
        {
            return await Task.Run(() => FncDataset.Load(dir)).ConfigureAwait(false);
        }
        catch (FncDataException e)
        {
            await stderr.WriteLineAsync($"sitrep: {e.Message}").ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"sitrep: {dir}: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return null;
        }
    }
}
