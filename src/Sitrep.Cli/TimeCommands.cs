using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sitrep.Time;

namespace Sitrep.Cli;

/// <summary>The time stage's commands: <c>sitrep eval time --data DIR</c> (TempEval-3 task A).</summary>
public static class TimeCommands
{
    /// <summary>
    /// <c>time --data DIR [--errors FILE]</c>: tags every <c>.tml</c> file under DIR (recursively) with its document
    /// creation time as reference and scores it against its TIMEX3s as TempEval-3 task A does. Prints <c>name: value</c>
    /// lines with value F1 last. Exit 0 on success, 1 when DIR or a file cannot be used (one line naming the path),
    /// 2 on usage errors (left to the parser).
    /// </summary>
    public static Command Eval()
    {
        var data = new Option<string>("--data")
        {
            Description = "Folder of TimeML (.tml) files, read recursively (TempEval-3: ../shared/data/time/tempeval3/TBAQ-cleaned)",
            Required = true,
            HelpName = "DIR",
        };
        var errors = new Option<string?>("--errors")
        {
            Description = "Also write every difference from the gold standard (missed, spurious, span, type, value) to FILE as tab-separated lines",
            HelpName = "FILE",
        };
        var cmd = new Command("time", "TempEval-3 task A: find and normalise time expressions; prints strict/relaxed span F1, type accuracy, value F1 (last)")
        {
            data, errors,
        };
        cmd.SetAction((parse, ct) => RunAsync(parse.GetValue(data)!, parse.GetValue(errors), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        return cmd;
    }

    internal static async Task<int> RunAsync(string dir, string? errorsPath, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (!Directory.Exists(dir))
        {
            await stderr.WriteLineAsync($"sitrep: {dir}: no such folder").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        IReadOnlyList<string> files;
        try { files = TempEval.FindFiles(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"sitrep: {dir}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        if (files.Count == 0)
        {
            await stderr.WriteLineAsync($"sitrep: {dir}: no .tml files").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var tagger = TimeTagger.Default;
        var score = new TempEvalScore();
        var differences = errorsPath is null ? null : new List<TempEvalDifference>();
        var clock = Stopwatch.StartNew();
        long chars = 0;
        foreach (var f in files)
        {
            ct.ThrowIfCancellationRequested();
            TmlDocument doc;
            try { doc = TempEval.Read(f); }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"sitrep: {f}: {OneLine(e.Message)}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            chars += doc.Text.Length;
            TempEval.Score(doc, TempEval.Tag(tagger, doc), score, differences);
        }
        clock.Stop();

        if (errorsPath is not null)
        {
            try
            {
                await using var w = new StreamWriter(errorsPath);
                await w.WriteLineAsync("kind\tfile\tdct\tgold_text\tgold_type\tgold_value\tsystem_text\tsystem_type\tsystem_value\tcontext").ConfigureAwait(false);
                foreach (var d in differences!)
                    await w.WriteLineAsync(string.Join('\t', d.Kind, d.File, d.CreationDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        d.GoldText, d.GoldType, d.GoldValue, d.SystemText, d.SystemType, d.SystemValue, d.Context)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"sitrep: {errorsPath}: {OneLine(e.Message)}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
        }

        var inv = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("0.0000", inv);
        var lines = new (string, string)[]
        {
            ("task", "TempEval-3 task A (timex extraction and normalisation, DCT given)"),
            ("files", score.Files.ToString(inv)),
            ("gold timexes", score.Gold.ToString(inv)),
            ("system timexes", score.System.ToString(inv)),
            ("strict precision", F(score.StrictPrecision)),
            ("strict recall", F(score.StrictRecall)),
            ("strict f1", F(score.StrictF1)),
            ("relaxed precision", F(score.RelaxedPrecision)),
            ("relaxed recall", F(score.RelaxedRecall)),
            ("relaxed f1", F(score.RelaxedF1)),
            ("type accuracy", F(score.TypeAccuracy)),
            ("type f1", F(score.TypeF1)),
            ("value accuracy", F(score.ValueAccuracy)),
            ("seconds", clock.Elapsed.TotalSeconds.ToString("0.00", inv)),
            ("chars per second", (chars / Math.Max(clock.Elapsed.TotalSeconds, 1e-6)).ToString("0", inv)),
            ("value f1", F(score.ValueF1)),
        };
        foreach (var (name, value) in lines) await stdout.WriteLineAsync($"{name}: {value}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string OneLine(string s) => s.Replace('\r', ' ').Replace('\n', ' ');
}
