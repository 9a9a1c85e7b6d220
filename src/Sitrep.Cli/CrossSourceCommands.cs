using System.CommandLine;
using Sitrep.Output;
using Sitrep.Store;
using Sitrep.Stories;

namespace Sitrep.Cli;

/// <summary>`sitrep stories` and `sitrep claims`: the cross-source view of the stored articles.</summary>
internal static class CrossSourceCommands
{
    public static Command Claims(Option<string> db, Func<Func<Task<int>>, Task<int>> guard, TextWriter stdout)
    {
        var status = new Option<string?>("--status") { Description = "Only claims of this status: corroborated, contradicted, single_source, anonymous_only" };
        var cmd = new Command("claims", "List the claims found across sources, graded by how well they are established") { db, status };
        cmd.SetAction((parse, ct) => guard(async () =>
        {
            ClaimStatus? only = null;
            if (parse.GetValue(status) is { } s)
            {
                if (!ClaimStatuses.TryParse(s, out var st)) throw new BadInputException($"--status: '{s}' is not one of corroborated, contradicted, single_source, anonymous_only");
                only = st;
            }
            var view = await CrossSourceView.ReadAsync(parse.GetValue(db)!, ct);
            int shown = 0;
            foreach (var c in view.Claims.Where(c => only == null || c.Status == only))
            {
                shown++;
                await stdout.WriteLineAsync($"{ClaimStatuses.Name(c.Status),-15} {c.Id}  {Line(c.Text, 110)}");
                await stdout.WriteLineAsync($"{"",-15} {c.Reason}");
                foreach (var m in c.Support)
                    await stdout.WriteLineAsync($"{"",-15}   + {m.ArticleLabel} [{m.Start},{m.End}) {m.SpeakerKind}{(m.Speaker != null ? ": " + m.Speaker : "")}");
                foreach (var x in c.Contradict)
                    await stdout.WriteLineAsync($"{"",-15}   − {x.Mention.ArticleLabel} [{x.Mention.Start},{x.Mention.End}) {Line(x.Mention.Text, 80)} — {x.Reason}");
            }
            await stdout.WriteLineAsync($"{shown} claim{(shown == 1 ? "" : "s")}");
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    private static string Line(string s, int max)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length <= max ? s : s[..(max - 1)] + "…";
    }
}
