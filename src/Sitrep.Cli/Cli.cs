using System.CommandLine;
using System.Globalization;
using Sitrep.Ingest;
using Sitrep.Output;
using Sitrep.Pipeline;
using Sitrep.Store;
using Spectre.Console;

namespace Sitrep.Cli;

/// <summary>Exit codes: 0 success, 1 bad input (some file, the database or the data could not be used), 2 usage.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int Usage = 2;
}

/// <summary>The `sitrep` command line. Output goes to the writers given, so tests can run it in-process.</summary>
public sealed class Cli(TextWriter stdout, TextWriter stderr, bool interactive)
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false, CancellationToken ct = default)
    {
        var cli = new Cli(stdout, stderr, interactive);
        var root = cli.Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) await stderr.WriteLineAsync($"sitrep: {e.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync("Try 'sitrep --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        return await parse.InvokeAsync(config, ct).ConfigureAwait(false);
    }

    private static readonly Option<string> DbOption = new("--db") { Description = "SQLite database file (the embedded store)", DefaultValueFactory = _ => "sitrep.db", HelpName = "FILE" };
    private static readonly Option<bool> QuietOption = new("--quiet", "-q") { Description = "Print only errors" };
    private static readonly Option<string[]> KbOption = new("--kb") { Description = "Extra knowledge-base folder(s) of YAML files, added to the built-in one (docs/knowledge.md)", HelpName = "DIR", AllowMultipleArgumentsPerToken = false };

    public RootCommand Build()
    {
        var root = new RootCommand("Sitrep: reads a stream of news articles and builds a sourced, queryable model of the situation.");
        root.Add(AnalyzeCommand());
        root.Add(IngestCommand());
        root.Add(WatchCommand());
        root.Add(ExportCommand());
        root.Add(BriefCommand());
        root.Add(SearchCommand());
        root.Add(CrossSourceCommands.Stories(DbOption, Guard, stdout));
        root.Add(CrossSourceCommands.Claims(DbOption, Guard, stdout));
        var train = new Command("train", "Train a model from the shared data");
        var eval = new Command("eval", "Measure a capability against public data; prints `name: value` lines, the headline figure last");
        train.Add(NerCommands.Train());
        eval.Add(NerCommands.Eval());
        eval.Add(TimeCommands.Eval());
        eval.Add(AttributionCommands.Eval());
        eval.Add(ExtractionCommands.Eval());
        train.Add(AttributionCommands.Train());
        train.Add(StoriesCommands.TrainStance());
        eval.Add(StoriesCommands.EvalStance());
        eval.Add(StoriesCommands.EvalClustering());
        root.Add(train);
        root.Add(eval);
        eval.Add(WebCommands.EvalDedup());
        eval.Add(WebCommands.EvalWarc());
        return root;
    }

    // ------------------------------------------------------------------ analyze / ingest

    private Command AnalyzeCommand()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders (read recursively) of plain text or HTML articles", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out") { Description = "Folder for brief.md and model.json", DefaultValueFactory = _ => "sitrep-out", HelpName = "DIR" };
        var cmd = new Command("analyze", "Ingest articles, run every stage, store them, and write the export and the brief") { paths, DbOption, outDir, KbOption, QuietOption };
        cmd.SetAction((parse, ct) => Guard(async () =>
        {
            bool quiet = parse.GetValue(QuietOption);
            var db = parse.GetValue(DbOption)!;
            await using var store = await SqliteStore.OpenAsync(db, ct);
            var report = await IngestAsync(parse.GetValue(paths)!, store, Analyzer(parse), quiet, ct);
            await store.UpdateSearchIndexAsync(ct);
            var dir = parse.GetValue(outDir)!;
            Directory.CreateDirectory(dir);
            var modelPath = Path.Combine(dir, "model.json");
            var briefPath = Path.Combine(dir, "brief.md");
            var view = await CrossSourceView.BuildAsync(store.ReadDocumentsAsync(ct), ct);
            await WriteAtomicallyAsync(modelPath, s => JsonExport.WriteAsync(store.ReadDocumentsAsync(ct), s, true, ct, view));
            await WriteAtomicallyAsync(briefPath, async s =>
            {
                await using var w = new StreamWriter(s, leaveOpen: true);
                await BriefWriter.WriteAsync(store.ReadDocumentsAsync(ct), w, ct, view);
            });
            if (!quiet)
            {
                await stdout.WriteLineAsync($"Brief: {briefPath}");
                await stdout.WriteLineAsync($"Model: {modelPath}");
                await stdout.WriteLineAsync($"Store: {db}");
            }
            return Outcome(report);
        }));
        return cmd;
    }

    private static readonly Option<string> TimeoutOption = new("--timeout") { Description = "Time allowed per HTTP attempt (e.g. 30s)", DefaultValueFactory = _ => "30s", HelpName = "DURATION" };
    private static readonly Option<string> HostDelayOption = new("--host-delay") { Description = "Least time between two requests to the same host (politeness)", DefaultValueFactory = _ => "1s", HelpName = "DURATION" };
    private static readonly Option<bool> AllowPrivateOption = new("--allow-private") { Description = "Also fetch from loopback, private, link-local and metadata addresses (refused by default; for trusted intranets; honours the system proxy)" };

    private Command IngestCommand()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders (read recursively) of plain text or HTML articles, WARC files (.warc, .warc.gz), and http(s) URLs of pages or RSS/Atom feeds", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("ingest", "Ingest articles into the store (every per-article stage)") { paths, DbOption, KbOption, QuietOption, TimeoutOption, HostDelayOption, AllowPrivateOption };
        cmd.SetAction((parse, ct) => Guard(async () =>
        {
            var args = parse.GetValue(paths)!;
            bool quiet = parse.GetValue(QuietOption);
            var db = parse.GetValue(DbOption)!;
            bool fresh = !File.Exists(db);
            await using var store = await SqliteStore.OpenAsync(db, ct);
            if (!args.Any(a => WebCommands.IsUrl(a) || Sitrep.Ingest.Warc.WarcReader.IsWarcPath(a)))
            {
                var report = await IngestAsync(args, store, Analyzer(parse), quiet, ct);
                return Outcome(report);
            }
            if (fresh) WebCommands.ResetSideFiles(store.Path);
            var (web, counts, _) = await WebCommands.IngestAsync(args, store, Analyzer(parse), FetchOptions(parse), ct);
            foreach (var p in web.Problems) await stderr.WriteLineAsync($"sitrep: {p.Path}: {p.Reason}");
            if (!quiet)
            {
                await PrintSummaryAsync(web with { Skipped = 0 });
                var extra = WebCommands.Summary(web, counts);
                if (extra.Length > 0) await stdout.WriteLineAsync(extra);
            }
            return web.Problems.Count > 0 || (web.Files == 0 && web.NotModified == 0) ? ExitCodes.BadInput : ExitCodes.Ok;
        }));
        return cmd;
    }

    private static Sitrep.Ingest.Web.FetchOptions FetchOptions(ParseResult parse)
    {
        var timeout = WebCommands.ParseDuration(parse.GetValue(TimeoutOption)) ?? throw new BadInputException($"--timeout: not a duration: {parse.GetValue(TimeoutOption)}");
        var delay = WebCommands.ParseDuration(parse.GetValue(HostDelayOption)) ?? throw new BadInputException($"--host-delay: not a duration: {parse.GetValue(HostDelayOption)}");
        return new Sitrep.Ingest.Web.FetchOptions { Timeout = timeout, PerHostInterval = delay, AllowPrivate = parse.GetValue(AllowPrivateOption) };
    }

    private Command WatchCommand()
    {
        var list = new Argument<string>("feeds") { Description = "Text file with one RSS/Atom feed URL per line (# starts a comment)" };
        var interval = new Option<string>("--interval") { Description = "Time between polls (e.g. 15m, 1h)", DefaultValueFactory = _ => "15m", HelpName = "DURATION" };
        var once = new Option<bool>("--once") { Description = "Poll once and exit (exit 1 if any feed or item could not be taken)" };
        var cmd = new Command("watch", "Poll feeds and ingest only their new items (state kept next to the database)") { list, interval, once, DbOption, KbOption, QuietOption, TimeoutOption, HostDelayOption, AllowPrivateOption };
        cmd.SetAction((parse, ct) => Guard(async () =>
        {
            var feeds = WebCommands.ReadFeedList(parse.GetValue(list)!);
            var every = WebCommands.ParseDuration(parse.GetValue(interval)) is { } t && t > TimeSpan.Zero ? t : throw new BadInputException($"--interval: not a positive duration: {parse.GetValue(interval)}");
            bool quiet = parse.GetValue(QuietOption);
            var fetch = FetchOptions(parse);
            var analyzer = Analyzer(parse);
            var db = parse.GetValue(DbOption)!;
            while (true)
            {
                RunReport report;
                WebCommands.WebRunCounts counts;
                bool fresh = !File.Exists(db);
                await using (var store = await SqliteStore.OpenAsync(db, ct))
                {
                    if (fresh) WebCommands.ResetSideFiles(store.Path);
                    (report, counts) = await WebCommands.PollAsync(feeds, store, analyzer, fetch, ct);
                }
                foreach (var p in report.Problems) await stderr.WriteLineAsync($"sitrep: {p.Path}: {p.Reason}");
                if (!quiet)
                {
                    await stdout.WriteAsync(DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss ", CultureInfo.InvariantCulture));
                    await PrintSummaryAsync(report);
                    var extra = WebCommands.Summary(report, counts);
                    if (extra.Length > 0) await stdout.WriteLineAsync(extra);
                }
                if (parse.GetValue(once)) return report.Problems.Count > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
                try { await Task.Delay(every, ct); }
                catch (OperationCanceledException) { return ExitCodes.Ok; }
            }
        }));
        return cmd;
    }

    /// <summary>The per-document pipeline with the built-in KB plus --kb folders.</summary>
    private static DocumentAnalyzer Analyzer(ParseResult parse) => PipelineFactory.Create(parse.GetValue(KbOption) ?? [], PipelineFactory.FindModel("ner.bin"));

    private async Task<RunReport> IngestAsync(string[] paths, SqliteStore store, DocumentAnalyzer analyzer, bool quiet, CancellationToken ct)
    {
        var run = new IngestRun(analyzer);
        RunReport report;
        if (!quiet && interactive)
        {
            var latest = new RunProgress(0, 0, 0);
            var gate = new object();
            var task = run.RunAsync(paths, store, new SyncProgress(p => { lock (gate) if (p.Done > latest.Done) latest = p; }), ct);
            // Show a progress bar only for work that takes more than a second.
            if (await Task.WhenAny(task, Task.Delay(1000, ct)) != task)
            {
                await AnsiConsole.Progress().AutoClear(true).Columns(
                        new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx =>
                    {
                        var bar = ctx.AddTask("Analysing articles");
                        while (!task.IsCompleted)
                        {
                            RunProgress p;
                            lock (gate) p = latest;
                            bar.MaxValue = Math.Max(1, p.Total);
                            bar.Value = p.Done;
                            await Task.WhenAny(task, Task.Delay(100, ct));
                        }
                        bar.Value = bar.MaxValue;
                    });
            }
            report = await task;
        }
        else report = await run.RunAsync(paths, store, null, ct);

        foreach (var p in report.Problems) await stderr.WriteLineAsync($"sitrep: {p.Path}: {p.Reason}");
        if (!quiet) await PrintSummaryAsync(report);
        return report;
    }

    private sealed class SyncProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }

    private async Task PrintSummaryAsync(RunReport r)
    {
        var w = r.Written;
        double secs = Math.Max(r.Elapsed.TotalSeconds, 1e-6);
        var inv = CultureInfo.InvariantCulture;
        await stdout.WriteLineAsync(string.Create(inv,
            $"{r.Files} file{(r.Files == 1 ? "" : "s")}: {w.Added} added, {w.Replaced} replaced, {w.Unchanged} unchanged, {(w.Reanalysed > 0 ? $"{w.Reanalysed} re-analysed, " : "")}{r.Problems.Count} not taken; " +
            $"{w.Articles} article{(w.Articles == 1 ? "" : "s")} stored; {r.Bytes / 1048576.0:F2} MB in {secs:F2} s"));
        if (r.Skipped > 0) await stdout.WriteLineAsync($"{r.Skipped} file(s) in folders skipped (not text or HTML by extension)");
    }

    private static int Outcome(RunReport r) => r.Problems.Count > 0 || r.Files == 0 ? ExitCodes.BadInput : ExitCodes.Ok;

    // ------------------------------------------------------------------ export / brief / search

    private Command ExportCommand()
    {
        var format = new Option<string>("--format") { Description = "Export format", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json");
        var output = new Option<string>("--out", "-o") { Description = "Output file, or - for standard output", DefaultValueFactory = _ => "-", HelpName = "FILE" };
        var noText = new Option<bool>("--no-text") { Description = "Leave each document's text out (offsets still point into it)" };
        var cmd = new Command("export", "Export the stored model (contract: docs/schema.md)") { DbOption, format, output, noText };
        cmd.SetAction((parse, ct) => Guard(async () =>
        {
            await using var store = await SqliteStore.OpenAsync(parse.GetValue(DbOption)!, ct, readOnly: true);
            var target = parse.GetValue(output)!;
            var view = await CrossSourceView.BuildAsync(store.ReadDocumentsAsync(ct), ct);
            if (target == "-")
            {
                await using var s = Console.OpenStandardOutput();
                if (ReferenceEquals(stdout, Console.Out)) await JsonExport.WriteAsync(store.ReadDocumentsAsync(ct), s, !parse.GetValue(noText), ct, view);
                else
                {
                    using var ms = new MemoryStream();
                    await JsonExport.WriteAsync(store.ReadDocumentsAsync(ct), ms, !parse.GetValue(noText), ct, view);
                    await stdout.WriteAsync(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
                }
            }
            else await WriteAtomicallyAsync(target, s => JsonExport.WriteAsync(store.ReadDocumentsAsync(ct), s, !parse.GetValue(noText), ct));
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    private Command BriefCommand()
    {
        var output = new Option<string>("--out", "-o") { Description = "Output file, or - for standard output", DefaultValueFactory = _ => "-", HelpName = "FILE" };
        var cmd = new Command("brief", "Write the Markdown brief of the stored model") { DbOption, output };
        cmd.SetAction((parse, ct) => Guard(async () =>
        {
            await using var store = await SqliteStore.OpenAsync(parse.GetValue(DbOption)!, ct, readOnly: true);
            var target = parse.GetValue(output)!;
            var view = await CrossSourceView.BuildAsync(store.ReadDocumentsAsync(ct), ct);
            if (target == "-") await BriefWriter.WriteAsync(store.ReadDocumentsAsync(ct), stdout, ct, view);
            else await WriteAtomicallyAsync(target, async s =>
            {
                await using var w = new StreamWriter(s, leaveOpen: true);
                await BriefWriter.WriteAsync(store.ReadDocumentsAsync(ct), w, ct, view);
            });
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    private Command SearchCommand()
    {
        var query = new Argument<string>("query") { Description = "Full-text query (SQLite FTS5 syntax: words, \"phrases\", AND/OR/NOT)" };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 20, Description = "Most hits to show" };
        var cmd = new Command("search", "Search stored articles") { query, DbOption, limit };
        cmd.SetAction((parse, ct) => Guard(async () =>
        {
            var db = parse.GetValue(DbOption)!;
            if (!File.Exists(db)) throw new StoreException(db, "no such database (run `sitrep analyze` or `sitrep ingest` first)");
            await using var store = await SqliteStore.OpenAsync(db, ct);
            var hits = await store.SearchAsync(parse.GetValue(query)!, parse.GetValue(limit), ct);
            foreach (var (id, snippet) in hits) await stdout.WriteLineAsync($"{id}  {snippet.ReplaceLineEndings(" ")}");
            return hits.Count > 0 ? ExitCodes.Ok : ExitCodes.BadInput;
        }));
        return cmd;
    }

    // ------------------------------------------------------------------ plumbing

    /// <summary>Runs a command body, turning known failures into one clear line and exit code 1.</summary>
    private async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (StoreException e)
        {
            await stderr.WriteLineAsync($"sitrep: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Sitrep.Knowledge.KnowledgeBaseException e)
        {
            foreach (var err in e.Errors) await stderr.WriteLineAsync($"sitrep: {err.File}:{err.Line}: {err.Reason}");
            return ExitCodes.BadInput;
        }
        catch (DirectoryNotFoundException e)
        {
            await stderr.WriteLineAsync($"sitrep: {SourceLoader.OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (BadInputException e)
        {
            await stderr.WriteLineAsync($"sitrep: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("sitrep: cancelled; nothing of this run was stored");
            return 130;
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"sitrep: {SourceLoader.OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (UnauthorizedAccessException e)
        {
            await stderr.WriteLineAsync($"sitrep: {SourceLoader.OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>Writes a file through a temporary beside it, so a reader never sees half of it.</summary>
    private static async Task WriteAtomicallyAsync(string path, Func<Stream, Task> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            await using (var s = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                await write(s);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}

/// <summary>Input that cannot be used; the message is one line naming the file and the reason.</summary>
public sealed class BadInputException(string message) : Exception(message);
