using System.CommandLine;
using Sitrep.Cli;
using Sitrep.Time;

namespace Sitrep.Tests.Time;

/// <summary>The TimeML reader, the TempEval-3 scorer and <c>sitrep eval time</c>. (The full evaluation is a benchmark: docs/time.md.)</summary>
public sealed class TempEvalTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private const string Tml = """
        <?xml version="1.0" ?>
        <TimeML>
        <DOCID>T1</DOCID>
        <DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-08" temporalFunction="false" functionInDocument="CREATION_TIME">1998-08-08</TIMEX3></DCT>
        <TEXT>
        Bombs <EVENT eid="e1" class="OCCURRENCE">exploded</EVENT> in Nairobi <TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3> &amp; Dar es Salaam.
        The embassy will reopen <TIMEX3 tid="t2" type="DATE" value="1998-W33">next week</TIMEX3>, after <TIMEX3 tid="t3" type="DURATION" value="P2D">two days</TIMEX3> of mourning.
        </TEXT>
        </TimeML>
        """;

    [Fact]
    public void ReadsTextCreationDateAndGoldExpressions()
    {
        var doc = TempEval.Parse(Tml, "t1.tml");
        Assert.Equal(new DateOnly(1998, 8, 8), doc.CreationDate);
        Assert.DoesNotContain("<", doc.Text);
        Assert.Contains("Nairobi Friday & Dar es Salaam", doc.Text);
        Assert.Equal(["Friday", "next week", "two days"], doc.Timexes.Select(t => doc.Text[t.Start..t.End]));
        Assert.Equal([TimexType.Date, TimexType.Date, TimexType.Duration], doc.Timexes.Select(t => t.Type));
        Assert.Equal("1998-W33", doc.Timexes[1].Value);
    }

    [Theory]
    [InlineData("<TimeML><TEXT>x</TEXT></TimeML>", "no <DCT> element")]
    [InlineData("<TimeML><DCT><TIMEX3 tid=\"t0\" value=\"1998\">1998</TIMEX3></DCT><TEXT>x</TEXT></TimeML>", "the <DCT> has no date value")]
    [InlineData("<TimeML><DCT><TIMEX3 tid=\"t0\" value=\"1998-08-08\">x</TIMEX3></DCT></TimeML>", "no <TEXT> element")]
    [InlineData("<TimeML><DCT><TIMEX3 tid=\"t0\" value=\"1998-08-08\">x</TIMEX3></DCT><TEXT><TIMEX3 tid=\"t1\" type=\"DATE\">a</TEXT></TimeML>", "unclosed <TIMEX3>")]
    public void MalformedTimeMLIsRefusedWithAReason(string xml, string reason) =>
        Assert.Equal(reason, Assert.Throws<FormatException>(() => TempEval.Parse(xml, "x.tml")).Message);

    [Fact]
    public void ScoresAsTheOfficialScorerDoes()
    {
        var doc = TempEval.Parse(Tml, "t1.tml");
        int Find(string s) => doc.Text.IndexOf(s, StringComparison.Ordinal);
        var system = new List<TimeExpression>
        {
            new(Find("Friday"), Find("Friday") + 6, TimexType.Date, "1998-08-07"),          // strict, right value
            new(Find("reopen next week"), Find("next week") + 9, TimexType.Date, "1998-W32"), // relaxed only, wrong value
            new(Find("Nairobi"), Find("Nairobi") + 7, TimexType.Date, "XXXX"),              // spurious
        };
        var score = new TempEvalScore();
        var diffs = new List<TempEvalDifference>();
        TempEval.Score(doc, system, score, diffs);
        Assert.Equal((3, 3, 1, 2, 2, 1), (score.Gold, score.System, score.StrictMatches, score.RelaxedMatches, score.TypeMatches, score.ValueMatches));
        Assert.Equal(2.0 / 3, score.RelaxedF1, 6);
        Assert.Equal(1.0, score.TypeAccuracy, 6);
        Assert.Equal(0.5 * (2.0 / 3), score.ValueF1, 6); // value accuracy × relaxed F1
        Assert.Equal(["missed", "spurious", "value"], diffs.Select(d => d.Kind).Order());
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        // Mounted as the CLI mounts it: `sitrep eval time`; parse errors are usage errors (exit 2).
        var root = new RootCommand { new Command("eval") { TimeCommands.Eval() } };
        var parse = root.Parse(args);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        if (parse.Errors.Count > 0) return (ExitCodes.Usage, "", string.Join("\n", parse.Errors.Select(e => e.Message)));
        int code = await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task EvalTimePrintsTheFiguresWithValueF1Last()
    {
        Directory.CreateDirectory(_dir.File("a/b"));
        File.WriteAllText(_dir.File("a/b/t1.tml"), Tml);
        File.WriteAllText(_dir.File("a/notes.txt"), "not TimeML");
        var (code, output, err) = await RunAsync("eval", "time", "--data", _dir.Path, "--errors", _dir.File("diffs.tsv"));
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(lines, l => Assert.Matches(@"^[a-z0-9 ]+: \S", l));
        Assert.Contains("files: 1", lines);
        Assert.Contains("gold timexes: 3", lines);
        Assert.Contains(lines, l => l.StartsWith("strict f1: "));
        Assert.Contains(lines, l => l.StartsWith("relaxed f1: "));
        Assert.Contains(lines, l => l.StartsWith("type accuracy: "));
        Assert.Equal("value f1: 1.0000", lines[^1]);
        Assert.StartsWith("kind\tfile", File.ReadAllLines(_dir.File("diffs.tsv"))[0]);
    }

    [Fact]
    public async Task BadInputIsOneLineNamingThePathAndExit1()
    {
        var missing = _dir.File("nowhere");
        var (code, _, err) = await RunAsync("eval", "time", "--data", missing);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal($"sitrep: {missing}: no such folder", err.Trim());

        Directory.CreateDirectory(_dir.File("empty"));
        (code, _, err) = await RunAsync("eval", "time", "--data", _dir.File("empty"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.EndsWith("no .tml files", err.Trim());

        File.WriteAllText(_dir.File("bad.tml"), "<TimeML><TEXT>x</TEXT></TimeML>");
        (code, _, err) = await RunAsync("eval", "time", "--data", _dir.Path);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal($"sitrep: {_dir.File("bad.tml")}: no <DCT> element", err.Trim());
    }

    [Fact]
    public async Task MissingDataIsAUsageError()
    {
        var (code, _, err) = await RunAsync("eval", "time");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--data", err);
    }
}
