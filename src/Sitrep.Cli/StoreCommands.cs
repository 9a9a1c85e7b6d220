using System.CommandLine;
using System.Globalization;
using Sitrep.Pipeline;
using Sitrep.Store;

namespace Sitrep.Cli;

/// <summary>`sitrep check` and `sitrep repair`: verify a store; rebuild it from what in it is sound.</summary>
internal static class StoreCommands
{
    public static Command Check(Option<string> db, Func<Func<Task<int>>, Task<int>> guard, TextWriter stdout, TextWriter stderr)
    {
        var cmd = new Command("check", "Verify a store: every page (SQLite integrity check) and every document's offsets and records; exit 1 if anything is wrong") { db };
        cmd.SetAction((parse, ct) => guard(async () =>
        {
            var path = parse.GetValue(db)!;
            if (!File.Exists(path)) throw new StoreException(path, "no such database");
            var c = await StoreRepair.CheckAsync(path, ct);
            if (c.Pages != null) await stderr.WriteLineAsync(Cli.OneLineError($"{path}: damaged pages: {c.Pages}"));
            foreach (var (id, reason) in c.Problems)
                await stderr.WriteLineAsync(Cli.OneLineError($"{path}: {Cli.StoreEntry(id)}: {reason}"));
            if (c.Orphans > 0) await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{c.Orphans} orphan row(s) (nothing points to them; `sitrep repair` removes them)"));
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{path}: {c.Documents} document(s), {c.Articles} article(s) readable; pages {(c.Pages == null ? "sound" : "DAMAGED")}; {c.Problems.Count} inconsistent or unreadable"));
            await stdout.WriteLineAsync(c.Ok ? "ok" : "damaged: run `sitrep repair`");
            return c.Ok ? ExitCodes.Ok : ExitCodes.BadInput;
        }));
        return cmd;
    }

    public static Command Rebuild(Option<string> db, Func<Func<Task<int>>, Task<int>> guard, TextWriter stdout, Func<Sitrep.Stories.ModelUpdate, Task> print)
    {
        var cmd = new Command("rebuild", "Recompute the cross-source model (copy links, stories, claims, threads) from the stored articles, in one pass in date order") { db };
        cmd.SetAction((parse, ct) => guard(async () =>
        {
            var path = parse.GetValue(db)!;
            if (!File.Exists(path)) throw new StoreException(path, "no such database (run `sitrep analyze` or `sitrep ingest` first)");
            await using var store = await SqliteStore.OpenAsync(path, ct);
            var u = await new Sitrep.Stories.CrossSourceStage().RebuildAsync(store, ct);
            await print(u);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{path}: {store.StoryCount()} stories from {store.ModelArticleCount()} articles"));
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    public static Command Repair(Option<string> db, Option<string[]> kb, Func<Func<Task<int>>, Task<int>> guard, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var cmd = new Command("repair", "Rebuild a store from its sound, consistent documents; re-analyse dropped ones whose files still exist; the old file is kept beside it") { db, kb };
        cmd.SetAction((parse, ct) => guard(async () =>
        {
            var path = parse.GetValue(db)!;
            if (!File.Exists(path)) throw new StoreException(path, "no such database");
            var r = await StoreRepair.RepairAsync(path, time, ct);
            if (r.Backup == null)
            {
                await stdout.WriteLineAsync($"{path}: nothing to repair ({r.Kept} document(s), all consistent)");
                return ExitCodes.Ok;
            }
            int reanalysed = 0, failed = 0;
            if (r.Reanalyse.Count > 0)
            {
                var analyzer = PipelineFactory.Create(parse.GetValue(kb) ?? [], PipelineFactory.FindModel("ner.bin"), time);
                await using var store = await SqliteStore.OpenAsync(path, ct);
                var report = await new IngestRun(analyzer).RunAsync(r.Reanalyse, store, null, ct);
                foreach (var p in report.Problems) await stderr.WriteLineAsync(Cli.ErrorLine(p));
                reanalysed = report.Written.Added + report.Written.Replaced;
                failed = report.Problems.Count;
            }
            await using (var store = await SqliteStore.OpenAsync(path, ct))
                await new Sitrep.Stories.CrossSourceStage().UpdateAsync(store, ct);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{path}: repaired: {r.Kept} document(s) kept, {r.Dropped} dropped, {reanalysed} re-analysed from their files; the old file is kept as {r.Backup}"));
            return failed > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
        }));
        return cmd;
    }
}
