namespace Sitrep.Tests;

/// <summary>Found by the 100k-article benchmark: an FNC-1 body with Arabic-Indic digits "(٢٣)" aborted the whole ingest.</summary>
public sealed class NonAsciiDigitTests
{
    [Fact]
    public async Task ArabicIndicDigitsAreAnalysedAndTheRunGoesOn()
    {
        using var dir = new TempDir();
        var seed = Directory.GetFiles(TestPaths.Seeds).Single(f => Path.GetFileName(f).StartsWith("004"));
        File.WriteAllText(dir.File("digits.txt"), File.ReadAllText(seed).Replace("on Monday", "on Monday (٢٣) and on ٢٠٢٥-٠٣-١٠"));
        File.Copy(Directory.GetFiles(TestPaths.Seeds).Single(f => Path.GetFileName(f).StartsWith("001")), dir.File("good.txt"));
        var r = await CliRunner.RunAsync("analyze", dir.Path, "--db", dir.File("s.db"), "--out", dir.File("out"));
        Assert.Equal("", r.Err);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("2 added", r.Out);
    }
}
