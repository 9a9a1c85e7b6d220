using System.CommandLine;
using Sitrep.Cli;

namespace Sitrep.Tests.Ner;

public class NerCommandsTests
{
    private static (int Code, string Out, string Err) Run(Command command, params string[] args)
    {
        var root = new RootCommand("test") { command };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var parse = root.Parse(["ner", .. args]);
        int code = parse.Errors.Count > 0 ? 2 : parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void CommandsAreNamedNer()
    {
        Assert.Equal("ner", NerCommands.Train().Name);
        Assert.Equal("ner", NerCommands.Eval().Name);
    }

    [Fact]
    public void EvalPrintsMetricsWithF1Last()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "small.txt");
        File.WriteAllText(file, """
            -DOCSTART- -X- -X- O

            NATO NNP B-NP B-ORG
            Secretary NNP I-NP O
            General NNP I-NP O
            Mark NNP I-NP B-PER
            Rutte NNP I-NP I-PER
            visited VBD B-VP O
            Kyiv NNP B-NP B-LOC
            on IN B-PP O
            Monday NNP B-NP O
            . . O O

            """);
        var (code, stdout, stderr) = Run(NerCommands.Eval(), "--data", file, "--model", NerTestModel.Path, "--speed-runs", "1");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("f1: ", lines[^1]);
        Assert.Contains(lines, l => l.StartsWith("tokens_per_second: ", StringComparison.Ordinal));
        Assert.Contains("gold_entities: 3", lines);
    }

    [Fact]
    public void EvalMissingFileIsBadInput()
    {
        var (code, _, stderr) = Run(NerCommands.Eval(), "--data", "/nonexistent/valid.txt", "--model", NerTestModel.Path);
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/valid.txt", stderr);
    }

    [Fact]
    public void EvalMalformedFileIsBadInputNamingTheLine()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "bad.txt");
        File.WriteAllText(file, "EU NNP B-NP B-ORG\nrejects VBZ B-VP B-FOO\n");
        var (code, _, stderr) = Run(NerCommands.Eval(), "--data", file, "--model", NerTestModel.Path);
        Assert.Equal(1, code);
        Assert.Contains("line 2", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void EvalWithoutDataIsUsageError()
    {
        var (code, _, stderr) = Run(NerCommands.Eval());
        Assert.Equal(2, code);
        Assert.Contains("--data", stderr);
    }

    [Fact]
    public void TrainWithUnknownFeatureGroupIsUsageError()
    {
        var (code, _, _) = Run(NerCommands.Train(), "--without", "nonsense");
        Assert.Equal(2, code);
    }
}
