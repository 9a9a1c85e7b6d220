using System.CommandLine;
using Sitrep.Attribution;
using Sitrep.Cli;

namespace Sitrep.Tests.Attribution;

/// <summary>`eval attribution` and `train attribution`: output format and exit codes (0 ok, 1 bad input, 2 usage).</summary>
public sealed class AttributionCommandsTests
{
    private sealed record Result(int ExitCode, string Out, string Err)
    {
        public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Runs the commands mounted as Program mounts them (under "eval" and "train"), parse errors giving exit 2.</summary>
    private static Result Run(params string[] args)
    {
        var root = new RootCommand("test");
        var eval = new Command("eval") { AttributionCommands.Eval() };
        var train = new Command("train") { AttributionCommands.Train() };
        root.Add(eval);
        root.Add(train);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0) return new Result(2, "", string.Join("\n", parse.Errors.Select(e => e.Message)));
        int code = parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A tiny PolNeAR-shaped split: two articles with brat annotations.</summary>
    private static void WriteSplit(string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "text"));
        Directory.CreateDirectory(Path.Combine(dir, "attributions"));
        void Article(string name, string text, params (string Source, string Cue, string Content)[] attributions)
        {
            File.WriteAllText(Path.Combine(dir, "text", name + ".txt"), text);
            var lines = new List<string>();
            int t = 0, e = 0;
            string Bound(string type, string s)
            {
                int i = text.IndexOf(s, StringComparison.Ordinal);
                lines.Add($"T{++t}\t{type} {i} {i + s.Length}\t{s}");
                return $"T{t}";
            }
            foreach (var (source, cue, content) in attributions)
            {
                var src = Bound("Source", source);
                var c = Bound("Cue", cue);
                var con = Bound("Content", content);
                var trigger = Bound("Attribution", cue);
                lines.Add($"E{++e}\tAttribution:{trigger} Content:{con} Cue:{c} Source:{src}");
            }
            File.WriteAllLines(Path.Combine(dir, "attributions", name + "_abcd.ann"), lines);
        }
        Article("a", "Talks stalled on Monday.\n\n“We are not ready,” a senior official said. The minister told reporters that a deal was close.",
            ("a senior official", "said", "“We are not ready,”"), ("The minister", "told reporters", "that a deal was close"));
        Article("b", "Mrs. Clinton said the plan would work. Critics believe it will fail.",
            ("Mrs. Clinton", "said", "the plan would work"), ("Critics", "believe", "it will fail"));
    }

    [Fact]
    public void EvalPrintsNameValueLinesWithTheHeadlineLast()
    {
        using var dir = new TempDir();
        WriteSplit(dir.Path);
        var r = Run("eval", "attribution", "--data", dir.Path, "--model", AttributionFixture.ModelPath);
        Assert.Equal(0, r.ExitCode);
        Assert.Empty(r.Err);
        Assert.All(r.OutLines, l => Assert.Matches("^[a-z0-9_]+: ", l));
        Assert.StartsWith("content_overlap_f1: ", r.OutLines[^1]);
        foreach (var name in new[] { "cue_exact_f1", "cue_overlap_f1", "source_exact_f1", "source_overlap_f1", "content_exact_f1", "pairing_f1", "articles" })
            Assert.Contains(r.OutLines, l => l.StartsWith(name + ": ", StringComparison.Ordinal));
        Assert.Contains("articles: 2", r.OutLines);
        double f1 = double.Parse(r.OutLines[^1]["content_overlap_f1: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(f1, 0.5, 1.0);
    }

    [Fact]
    public void EvalFindsTheSplitUnderTheSharedDataFolder()
    {
        using var dir = new TempDir();
        WriteSplit(Path.Combine(dir.Path, "attribution", "polnear", "dev"));
        var r = Run("eval", "attribution", "--data", dir.Path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("articles: 2", r.OutLines);
    }

    [Fact]
    public void MissingDataIsAUsageError() => Assert.Equal(2, Run("eval", "attribution").ExitCode);

    [Fact]
    public void UnknownOptionIsAUsageError() => Assert.Equal(2, Run("eval", "attribution", "--nope").ExitCode);

    [Fact]
    public void MissingFolderIsBadInputOnOneLineNamingIt()
    {
        var r = Run("eval", "attribution", "--data", "/no/such/folder");
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.ErrLines);
        Assert.Contains("/no/such/folder", line);
    }

    [Fact]
    public void FolderWithoutPolNearIsBadInput()
    {
        using var dir = new TempDir();
        var r = Run("eval", "attribution", "--data", dir.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(dir.Path, Assert.Single(r.ErrLines));
    }

    [Fact]
    public void BrokenModelIsBadInput()
    {
        using var dir = new TempDir();
        WriteSplit(dir.Path);
        var model = dir.File("model.bin");
        File.WriteAllText(model, "garbage");
        var r = Run("eval", "attribution", "--data", dir.Path, "--model", model);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(model, Assert.Single(r.ErrLines));
    }

    [Fact]
    public void MalformedAnnotationIsBadInput()
    {
        using var dir = new TempDir();
        WriteSplit(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, "attributions", "a_abcd.ann"), "T1\tSource 0 99999\tx\n");
        var r = Run("eval", "attribution", "--data", dir.Path, "--model", AttributionFixture.ModelPath);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("a_abcd.ann:1", Assert.Single(r.ErrLines));
    }

    [Fact]
    public void TrainWritesAModelThatLoads()
    {
        using var dir = new TempDir();
        WriteSplit(Path.Combine(dir.Path, "train"));
        var model = dir.File("m.bin");
        var r = Run("train", "attribution", "--data", dir.Path, "--out", model, "--epochs", "2", "--hold-out", "0");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("wrote", r.Out);
        var m = AttributionModel.Load(model);
        Assert.Contains("PolNeAR train (2 articles", m.Description);
    }

    [Fact]
    public void TrainRejectsBadOptions()
    {
        Assert.Equal(2, Run("train", "attribution", "--data", ".", "--epochs", "0").ExitCode);
        Assert.Equal(2, Run("train", "attribution", "--data", ".", "--hold-out", "0.9").ExitCode);
        Assert.Equal(1, Run("train", "attribution", "--data", "/no/such/folder").ExitCode);
    }
}
