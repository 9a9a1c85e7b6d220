using System.CommandLine;
using Sitrep.Output;
using Sitrep.Store;
using Sitrep.Stories;

namespace Sitrep.Cli;

/// <summary>`sitrep stories` and `sitrep claims`: the cross-source view of the stored articles.</summary>
internal static class CrossSourceCommands
{
    public static Command Claims(Option<string> db, Func<Func<Task<int>>, Task<int>> guard, TextWriter stdout, Func<string, CancellationToken, Task<SqliteStore>> open, Func<SqliteStore, int, Task<int>> finish)
    {
        var status = new Option<string?>("--status") { Description = "Only claims of this status: corroborated, contradicted, single_source, anonymous_only" };
        var story = new Option<string?>("--story") { Description = "Only the claims of this story (its id, as `sitrep stories` lists it)", HelpName = "ID" };
        var limit = new Option<int?>("--limit") { Description = "Show at most this many claims", HelpName = "N" };
        var cmd = new Command("claims", "List the claims found across sources, graded by how well they are established") { db, status, story, limit };
        cmd.SetAction((parse, ct) => guard(async () =>
        {
            ClaimStatus? only = null;
            if (parse.GetValue(status) is { } s)
            {
                if (!ClaimStatuses.TryParse(s, out var st)) throw new BadInputException($"--status: '{s}' is not one of corroborated, contradicted, single_source, anonymous_only");
                only = st;
            }
            var path = parse.GetValue(db)!;
            if (!File.Exists(path)) throw new StoreException(path, "no such database (run `sitrep analyze` or `sitrep ingest` first)");
            if (parse.GetValue(limit) is < 0) throw new BadInputException($"--limit: {parse.GetValue(limit)} is not a number of claims");
            await using var store = await open(path, ct);
            int shown = 0;
            foreach (var c in store.ReadClaims(only, parse.GetValue(story), parse.GetValue(limit)))
            {
                shown++;
                await stdout.WriteLineAsync($"{ClaimStatuses.Name(c.Status),-15} {c.Id}  {Line(c.Text, 110)}");
                await stdout.WriteLineAsync($"{"",-15} {Line(c.Reason, 200)}");
                foreach (var m in c.Support)
                    await stdout.WriteLineAsync($"{"",-15}   + {Cli.Escape(m.ArticleLabel)} [{m.Start},{m.End}) {m.SpeakerKind}{(m.Speaker != null ? ": " + Line(m.Speaker, 80) : "")}");
                foreach (var x in c.Contradict)
                    await stdout.WriteLineAsync($"{"",-15}   − {Cli.Escape(x.Mention.ArticleLabel)} [{x.Mention.Start},{x.Mention.End}) {Line(x.Mention.Text, 80)} — {Line(x.Reason, 200)}");
            }
            await stdout.WriteLineAsync($"{shown} claim{(shown == 1 ? "" : "s")}");
            return await finish(store, ExitCodes.Ok);
        }));
        return cmd;
    }

    public static Command Stories(Option<string> db, Func<Func<Task<int>>, Task<int>> guard, TextWriter stdout, Func<string, CancellationToken, Task<SqliteStore>> open, Func<SqliteStore, int, Task<int>> finish)
    {
        var top = new Option<int?>("--top") { Description = "Show only the N largest stories", HelpName = "N" };
        var cmd = new Command("stories", "List the stories: their articles, dates, actors and how their claims stand") { db, top };
        cmd.SetAction((parse, ct) => guard(async () =>
        {
            var path = parse.GetValue(db)!;
            if (!File.Exists(path)) throw new StoreException(path, "no such database (run `sitrep analyze` or `sitrep ingest` first)");
            if (parse.GetValue(top) is < 1) throw new BadInputException($"--top: {parse.GetValue(top)} is not a positive number of stories");
            await using var store = await open(path, ct);
            var view = CrossSourceView.Read(store, parse.GetValue(top), withClaims: false);
            foreach (var s in view.Stories)
            {
                string span = s.From == null ? "undated" : s.From == s.To ? $"{s.From:yyyy-MM-dd}" : $"{s.From:yyyy-MM-dd} to {s.To:yyyy-MM-dd}";
                var counts = string.Join(", ", view.StoryClaimCounts.GetValueOrDefault(s.Id, []).OrderBy(kv => kv.Key).Select(kv => $"{kv.Value} {ClaimStatuses.Name(kv.Key)}"));
                await stdout.WriteLineAsync($"{s.Id}  {Line(s.Title, 100)}");
                await stdout.WriteLineAsync($"      {s.Articles.Count} article{(s.Articles.Count == 1 ? "" : "s")}, {span}; actors: {Line(string.Join(", ", s.Actors.Take(6).Select(a => a.Name)), 200)}");
                await stdout.WriteLineAsync($"      claims: {(counts.Length == 0 ? "none" : counts)}");
                foreach (var a in s.Articles)
                    await stdout.WriteLineAsync($"      - {Cli.Escape(a.Label)}  {Line(a.Outlet ?? a.Site ?? "outlet unknown", 60)}  {(a.Date is { } d ? d.ToString("yyyy-MM-dd") : "undated")}");
            }
            foreach (var t in view.Threads)
                await stdout.WriteLineAsync($"thread {t.Id}  {Line(t.Title, 100)}: {string.Join(", ", t.StoryIds)}");
            await stdout.WriteLineAsync($"{view.TotalStories} stor{(view.TotalStories == 1 ? "y" : "ies")}, {view.TotalArticles} article{(view.TotalArticles == 1 ? "" : "s")}");
            return await finish(store, ExitCodes.Ok);
        }));
        return cmd;
    }

    /// <summary>One line of at most <paramref name="max"/> characters, control characters escaped, never cut inside a surrogate pair.</summary>
    private static string Line(string s, int max)
    {
        return Sitrep.Text.TextCut.Ellipsis(Cli.Escape(s.ReplaceLineEndings(" ")), max);
    }
}
