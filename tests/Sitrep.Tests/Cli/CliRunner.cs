namespace Sitrep.Tests;

/// <summary>Runs the `sitrep` command in-process and captures what it prints.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Err)
    {
        public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static async Task<Result> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await Sitrep.Cli.Cli.RunAsync(args, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }
}
