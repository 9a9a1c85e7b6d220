using System.CommandLine;
using System.Globalization;
using Sitrep.Ingest;
using Sitrep.Output;
using Sitrep.Pipeline;
using Sitrep.Store;
using Sitrep.Stories;
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
/// <param name="time">Where "today" comes from: the day of analysis, repair's backup name, watch's timestamps.</param>
public sealed class Cli(TextWriter stdout, TextWriter stderr, bool interactive, TimeProvider time)
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false, CancellationToken ct = default) =>
        RunAsync(args, stdout, stderr, TimeProvider.System, interactive, ct);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time, bool interactive = false, CancellationToken ct = default)
    {
        var cli = new Cli(stdout, stderr, interactive, time);
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

    private readonly Option<string> DbOption = new("--db") { Description = "SQLite database file (the embedded store)", DefaultValueFactory = _ => "sitrep.db", HelpName = "FILE" };
    private readonly Option<bool> QuietOption = new("--quiet", "-q") { Description = "Print only errors" };
    private readonly Option<string[]> KbOption = new("--kb") { Description = "Extra knowledge-base folder(s) of YAML files, added to the built-in one (docs/knowledge.md)", HelpName = "DIR", AllowMultipleArgumentsPerToken = false };

    public RootCommand Build()
    {
        var root = new RootCommand("Sitrep: reads a stream of news articles and builds a sourced, queryable model of the situation.");
        root.Add(AnalyzeCommand());
        root.Add(IngestCommand());
        root.Add(WatchCommand());
        root.Add(ExportCommand());
        root.Add(BriefCommand());
        root.Add(SearchCommand());
        root.Add(CrossSourceCommands.Stories(DbOption, Guard, stdout, OpenModelAsync, ReportSkippedAsync));
        root.Add(CrossSourceCommands.Claims(DbOption, Guard, stdout, OpenModelAsync, ReportSkippedAsync));
        root.Add(StoreCommands.Check(DbOption, Guard, stdout, stderr));
        root.Add(StoreCommands.Rebuild(DbOption, Guard, stdout, PrintModelAsync));
        root.Add(StoreCommands.Repair(DbOption, KbOption, Guard, stdout, stderr, time));
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
        var cmd = new Command("analyze", "Ingest articles, run every stage, store them, and write the export and the brief") { paths, DbOption, outDir, KbOption, QuietOption, CommitEveryOption, TimeLimitOption };
        cmd.SetAction((parse, ct) => Guard(async () =>
        {
            bool quiet = parse.GetValue(QuietOption);
            var db = parse.GetValue(DbOption)!;
            await using var store = await OpenForWritingAsync(parse, db, ct);
            var report = await IngestAsync(parse.GetValue(paths)!, store, Analyzer(parse), quiet, TimeLimit(parse), ct);
            await store.UpdateSearchIndexAsync(ct);
            var dir = parse.GetValue(outDir)!;
            Directory.CreateDirectory(dir);
            var modelPath = Path.Combine(dir, "model.json");
            var briefPath = Path.Combine(dir, "brief.md");
            var view = CrossSourceView.Read(store, allLinks: true);
            await WriteAtomicallyAsync(modelPath, s => JsonExport.WriteAsync(store.ReadDocumentsAsync(ct), s, true, ct, view));
            await WriteAtomicallyAsync(briefPath, async s =>
            {
                await using var w = new StreamWriter(s, Utf8, leaveOpen: true);
                await BriefWriter.WriteAsync(store, w, ct: ct);
            });
            if (!quiet)
            {
                await stdout.WriteLineAsync($"Brief: {briefPath}");
                await stdout.WriteLineAsync($"Model: {modelPath}");
                await stdout.WriteLineAsync($"Store: {db}");
            }
            return await ReportSkippedAsync(store, Outcome(report));
        }));
        return cmd;
    }

    private readonly Option<string> TimeoutOption = new("--timeout") { Description = "Time allowed per HTTP attempt (e.g. 30s)", DefaultValueFactory = _ => "30s", HelpName = "DURATION" };
    private readonly Option<string> HostDelayOption = new("--host-delay") { Description = "Least time between two requests to the same host (politeness)", DefaultValueFactory = _ => "1s", HelpName = "DURATION" };
    private readonly Option<bool> AllowPrivateOption = new("--allow-private") { Description = "Also fetch from loopback, private, link-local and metadata addresses (refused by default; for trusted intranets; honours the system proxy)" };

    private Command IngestCommand()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders (read recursively) of plain text or HTML articles, WARC files (.warc, .warc.gz), and http(s) URLs of pages or RSS/Atom feeds", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("ingest", "Ingest articles into the store (every per-article stage)") { paths, DbOption, KbOption, QuietOption, TimeoutOption, HostDelayOption, AllowPrivateOption, CommitEveryOption, TimeLimitOption };
        cmd.SetAction((parse, ct) => Guard(async () =>
        {
            var args = parse.GetValue(paths)!;
            bool quiet = parse.GetValue(QuietOption);
            var db = parse.GetValue(DbOption)!;
            bool fresh = !File.Exists(db);
            await using var store = await OpenForWritingAsync(parse, db, ct);
            if (!args.Any(a => WebCommands.IsUrl(a) || Sitrep.Ingest.Warc.WarcReader.IsWarcPath(a)))
            {
                var report = await IngestAsync(args, store, Analyzer(parse), quiet, TimeLimit(parse), ct);
                return Outcome(report);
            }
            if (fresh) WebCommands.ResetSideFiles(store.Path);
            var (web, counts, _) = await WebCommands.IngestAsync(args, store, Analyzer(parse), FetchOptions(parse), ct, TimeLimit(parse));
            foreach (var p in web.Problems) await stderr.WriteLineAsync(ErrorLine(p));
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

    private Sitrep.Ingest.Web.FetchOptions FetchOptions(ParseResult parse)
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
                foreach (var p in report.Problems) await stderr.WriteLineAsync(ErrorLine(p));
                if (!quiet)
                {
                    await stdout.WriteAsync(time.GetLocalNow().ToString("yyyy-MM-dd HH:mm:ss ", CultureInfo.InvariantCulture));
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
    private DocumentAnalyzer Analyzer(ParseResult parse) => PipelineFactory.Create(parse.GetValue(KbOption) ?? [], PipelineFactory.FindModel("ner.bin"), time);

    private async Task<RunReport> IngestAsync(string[] paths, SqliteStore store, DocumentAnalyzer analyzer, bool quiet, TimeSpan timeLimit, CancellationToken ct)
    {
        var run = new IngestRun(analyzer) { AnalysisTimeLimit = timeLimit };
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

        foreach (var p in report.Problems) await stderr.WriteLineAsync(ErrorLine(p));
        if (!quiet) await PrintSummaryAsync(report);
        var update = await new CrossSourceStage().UpdateAsync(store, ct);
        if (!quiet) await PrintModelAsync(update);
        return report;
    }

    /// <summary>One line on what the cross-source stage did (nothing when it had nothing to do).</summary>
    internal async Task PrintModelAsync(ModelUpdate u)
    {
        if (u.Added + u.Removed == 0) return;
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string> { string.Create(inv, $"model: {u.Added} article{(u.Added == 1 ? "" : "s")} taken in") };
        if (u.Removed > 0) parts.Add(string.Create(inv, $"{u.Removed} removed"));
        if (u.ExactDuplicates + u.NearDuplicates > 0) parts.Add(string.Create(inv, $"{u.ExactDuplicates} exact and {u.NearDuplicates} near duplicate{(u.ExactDuplicates + u.NearDuplicates == 1 ? "" : "s")} linked to their origin"));
        if (u.WireCredited > 0) parts.Add(string.Create(inv, $"{u.WireCredited} credit a news agency"));
        parts.Add(string.Create(inv, $"{u.StoriesChanged} stor{(u.StoriesChanged == 1 ? "y" : "ies")} updated in {u.Elapsed.TotalSeconds:F2} s"));
        await stdout.WriteLineAsync(string.Join("; ", parts));
        // SITREP_PROFILE=1: where the cross-source stage spent its time (for benchmarks).
        if (Environment.GetEnvironmentVariable("SITREP_PROFILE") == "1")
            await stdout.WriteLineAsync("model steps: " + string.Join(", ", u.Steps.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value.TotalSeconds:F2} s"))));
    }

    /// <summary>
    /// Opens a store to read its model. Readers never write: a store with articles the model has not taken in (an
    /// ingest interrupted before the cross-source stage finished, or a store older than the model) is read as it stands,
    /// with a one-line note of how many articles are missing and how to take them in.
    /// </summary>
    internal async Task<SqliteStore> OpenModelAsync(string db, CancellationToken ct)
    {
        var store = await SqliteStore.OpenAsync(db, ct, readOnly: true);
        long pending = store.PendingModelArticles();
        if (pending > 0)
            await stderr.WriteLineAsync(OneLineError($"{db}: note: {pending} article(s) are not in the stories and claims yet (an ingest was interrupted, or the store predates them); `sitrep rebuild --db {db}` or the next ingest takes them in"));
        return store;
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
        var story = new Option<string?>("--story") { Description = "Only this story (its id, as `sitrep stories` lists it) and its articles' documents", HelpName = "ID" };
        var cmd = new Command("export", "Export the stored model (contract: docs/schema.md)") { DbOption, format, output, noText, story };
        cmd.SetAction((parse, ct) => Guard(async () =>
        {
            await using var store = await OpenModelAsync(parse.GetValue(DbOption)!, ct);
            var target = parse.GetValue(output)!;
            var only = parse.GetValue(story);
            var view = CrossSourceView.Read(store, storyId: only, allLinks: only == null);
            if (only != null && view.Stories.Count == 0) throw new BadInputException($"--story: no story '{only}' in {store.Path} (see `sitrep stories`)");
            // One story: only its articles' documents; otherwise every document.
            IAsyncEnumerable<StoredDocument> Documents() => only == null ? store.ReadDocumentsAsync(ct)
                : store.ReadDocumentsAsync(view.Articles.Select(a => a.DocumentId).Distinct().Order(StringComparer.Ordinal).ToList(), ct);
            // The file and standard output get the same bytes: the same writer with the same view.
            if (target == "-")
            {
                await using var s = Console.OpenStandardOutput();
                if (ReferenceEquals(stdout, Console.Out)) await JsonExport.WriteAsync(Documents(), s, !parse.GetValue(noText), ct, view);
                else
                {
                    using var ms = new MemoryStream();
                    await JsonExport.WriteAsync(Documents(), ms, !parse.GetValue(noText), ct, view);
                    await stdout.WriteAsync(Utf8.GetString(ms.ToArray()));
                }
            }
            else await WriteAtomicallyAsync(target, s => JsonExport.WriteAsync(Documents(), s, !parse.GetValue(noText), ct, view));
            return await ReportSkippedAsync(store, ExitCodes.Ok);
        }));
        return cmd;
    }

    private Command BriefCommand()
    {
        var output = new Option<string>("--out", "-o") { Description = "Output file, or - for standard output", DefaultValueFactory = _ => "-", HelpName = "FILE" };
        var top = new Option<int>("--top") { Description = "Stories shown, ranked by independent sources, size, recency and growth", DefaultValueFactory = _ => new BriefOptions().Top, HelpName = "N" };
        var articles = new Option<bool>("--articles") { Description = "Add the per-article detail (timeline, actors, set-aside pieces, time flags, who said what) of the shown stories' documents" };
        var limit = new Option<int>("--limit") { Description = "With --articles: most documents detailed", DefaultValueFactory = _ => 20, HelpName = "N" };
        var cmd = new Command("brief", "Write the Markdown brief of the stored model: the top stories with headline, lead, outlets and the claims that matter") { DbOption, output, top, articles, limit };
        cmd.SetAction((parse, ct) => Guard(async () =>
        {
            int n = parse.GetValue(top), most = parse.GetValue(limit);
            if (n < 1) throw new BadInputException($"--top: {n} is not a positive number of stories");
            if (most < 1) throw new BadInputException($"--limit: {most} is not a positive number of documents");
            await using var store = await OpenModelAsync(parse.GetValue(DbOption)!, ct);
            var target = parse.GetValue(output)!;
            var brief = Brief.Read(store, new BriefOptions { Top = n }, ct);
            async Task WriteAsync(TextWriter w)
            {
                await w.WriteAsync(BriefWriter.Markdown(brief));
                if (!parse.GetValue(articles)) return;
                // The documents of the shown stories' articles, story by story, earliest first: at most --limit.
                var ids = brief.Top.SelectMany(s => store.ReadStoryMembers(s.Id)).Select(m => m.DocumentId).Distinct().Take(most).ToList();
                await w.WriteAsync("\n");
                await BriefWriter.WriteArticlesAsync(store.ReadDocumentsAsync(ids, ct), w, ct);
            }
            if (target == "-") await WriteAsync(stdout);
            else await WriteAtomicallyAsync(target, async s =>
            {
                await using var w = new StreamWriter(s, Utf8, leaveOpen: true);
                await WriteAsync(w);
            });
            return await ReportSkippedAsync(store, ExitCodes.Ok);
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
            var q = parse.GetValue(query)!;
            if (SqliteStore.SearchQueryProblem(q) is { } problem) throw new BadInputException(problem);
            SqliteStore store;
            try { store = await SqliteStore.OpenAsync(db, ct); }
            catch (StoreException e) when (e.Reason.Contains("read-only", StringComparison.Ordinal) || e.Reason.Contains("damaged", StringComparison.Ordinal)
                || e.Reason.Contains("cannot open", StringComparison.Ordinal))
            {
                // A store that cannot be written (read-only, damaged) is searched as its index stands.
                await stderr.WriteLineAsync(OneLineError($"{db}: searching the index as it stands ({e.Reason.Split(';')[0]})"));
                store = await SqliteStore.OpenAsync(db, ct, readOnly: true);
            }
            await using (store)
            {
                var hits = await store.SearchAsync(q, parse.GetValue(limit), ct);
                foreach (var (id, snippet) in hits) await stdout.WriteLineAsync($"{id}  {Escape(snippet.ReplaceLineEndings(" "))}");
                return await ReportSkippedAsync(store, hits.Count > 0 ? ExitCodes.Ok : ExitCodes.BadInput);
            }
        }));
        return cmd;
    }

    // ------------------------------------------------------------------ plumbing

    /// <summary>UTF-8 without a byte-order mark that writes U+FFFD for a lone surrogate rather than throwing.</summary>
    internal static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly Option<int> CommitEveryOption = new("--commit-every")
    {
        Description = "Commit a long ingest every N documents (and every 5 s), so a crash loses at most that much work",
        DefaultValueFactory = _ => 1000,
        HelpName = "N",
    };

    private readonly Option<string> TimeLimitOption = new("--time-limit")
    {
        Description = "Longest analysis of one input (e.g. 60s, 5m); an input that takes longer is reported as too complex and the run goes on",
        DefaultValueFactory = _ => "60s",
        HelpName = "DURATION",
    };

    private TimeSpan TimeLimit(ParseResult parse) =>
        WebCommands.ParseDuration(parse.GetValue(TimeLimitOption)) is { } t && t > TimeSpan.Zero
            ? t : throw new BadInputException($"--time-limit: not a positive duration: {parse.GetValue(TimeLimitOption)}");

    private async Task<SqliteStore> OpenForWritingAsync(ParseResult parse, string db, CancellationToken ct)
    {
        int every = parse.GetValue(CommitEveryOption);
        if (every < 1) throw new BadInputException($"--commit-every: {every} is not a positive number of documents");
        var store = await SqliteStore.OpenAsync(db, ct);
        store.CheckpointDocuments = every;
        return store;
    }

    /// <summary>
    /// Reports, one line each, the documents a read passed over (damaged or inconsistent rows), and turns a successful
    /// exit into 1 when there were any: everything else was served.
    /// </summary>
    internal async Task<int> ReportSkippedAsync(SqliteStore store, int code)
    {
        var skipped = store.Skipped;
        foreach (var (id, reason) in skipped)
            await stderr.WriteLineAsync(OneLineError($"{store.Path}: {StoreEntry(id)} skipped: {reason}"));
        if (skipped.Count > 0)
            await stderr.WriteLineAsync(OneLineError($"{store.Path}: {skipped.Count} damaged or inconsistent entr{(skipped.Count == 1 ? "y" : "ies")} left out; run `sitrep check` and `sitrep repair`"));
        return skipped.Count > 0 && code == ExitCodes.Ok ? ExitCodes.BadInput : code;
    }

    /// <summary>
    /// Runs a command body, turning every failure into one clear line: exit code 1 for input, a store or data that
    /// cannot be used, 130 for cancellation, and 1 with "please report" for anything unexpected. No stack trace
    /// reaches the user.
    /// </summary>
    private async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Sitrep.Knowledge.KnowledgeBaseException e)
        {
            foreach (var err in e.Errors) await stderr.WriteLineAsync(OneLineError($"{err.File}:{err.Line}: {err.Reason}"));
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException e)
        {
            await stderr.WriteLineAsync(OneLineError(e.Message.StartsWith("cancelled;", StringComparison.Ordinal) ? e.Message : "cancelled; the interrupted transaction was rolled back (anything committed at earlier checkpoints is kept; re-run the same input to complete it)"));
            return 130;
        }
        catch (Exception e) when (e is StoreException or BadInputException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync(OneLineError(e.Message));
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            await stderr.WriteLineAsync(OneLineError($"unexpected error ({e.GetType().Name}: {e.Message}); please report this input"));
            return ExitCodes.BadInput;
        }
    }

    /// <summary>"sitrep: " and the message on one line, with control characters shown as escapes (a file name may hold a newline).</summary>
    internal static string OneLineError(string message) => "sitrep: " + Escape(message);

    /// <summary>How a damaged or inconsistent entry of a store is named: "document ID", or a table ("files", "documents") by its name.</summary>
    internal static string StoreEntry(string id) => id is "files" or "documents" ? id : "document " + id;

    internal static string ErrorLine(InputProblem p) => OneLineError($"{p.Path}: {p.Reason}");

    /// <summary>
    /// Control characters (C0, C1, DEL), line and paragraph separators and bidirectional controls as visible escapes
    /// (<c>\n</c>, <c>\x1b</c>, <c>\u202e</c>), so quoted text can neither forge a line nor reorder one.
    /// </summary>
    internal static string Escape(string s)
    {
        int i = 0;
        while (i < s.Length && !NeedsEscape(s[i])) i++;
        if (i == s.Length) return s;
        var sb = new System.Text.StringBuilder(s.Length + 16).Append(s, 0, i);
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (!NeedsEscape(c)) { sb.Append(c); continue; }
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(c).Append(s[++i]); continue; }
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < 0x100 => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            });
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(char c) =>
        c < 0x20 || c is >= '\u007f' and <= '\u009f' || c is '\u2028' or '\u2029' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069' || c is '\u200e' or '\u200f' or '\u061c'
 || char.IsSurrogate(c);

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
