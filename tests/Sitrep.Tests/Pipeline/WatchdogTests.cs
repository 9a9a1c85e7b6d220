using System.Diagnostics;
using System.Text;
using Sitrep.Ingest;
using Sitrep.Pipeline;
using Sitrep.Store;

namespace Sitrep.Tests.Pipeline;

/// <summary>
/// The per-input watchdog: an input whose analysis takes longer than the limit is abandoned with the one-line problem
/// "too complex: analysis took longer than …" while the other inputs are stored; the user's cancellation is told
/// apart from the watchdog and stops the analysis of even a huge text within 2 s. Run with no other test beside it
/// (collection "Faults"), so the 2 s measure the analysis, not two cores shared with the rest of the suite.
/// </summary>
[Collection("Faults")]
public class WatchdogTests
{
    private static readonly Lazy<DocumentAnalyzer> Analyzer = new(() => PipelineFactory.Create([]));

    /// <summary>The seeds' texts on one line, repeated to about <paramref name="chars"/> chars: one huge article.</summary>
    private static string Huge(int chars)
    {
        var seeds = Directory.GetFiles(TestPaths.Seeds, "*.txt").Order(StringComparer.Ordinal).Select(File.ReadAllText)
            .Select(t => t.ReplaceLineEndings(" ")).ToList();
        var sb = new StringBuilder(chars + 20000);
        for (int i = 0; sb.Length < chars; i++) sb.Append(seeds[i % seeds.Count]).Append(' ');
        return sb.ToString();
    }

    private static SourceDocument Doc(string text) => new("huge.txt", "h", text, "utf-8", DocumentFormat.Text, text.Length);

    [Fact]
    public void ATinyLimitAbandonsABigInputAsTooComplex()
    {
        var e = Assert.Throws<AnalysisTooComplexException>(() => Analyzer.Value.AnalyzeWithin(Doc(Huge(2_000_000)), TimeSpan.FromMilliseconds(1)));
        Assert.Equal("too complex: analysis took longer than 1 ms", e.Message);
        Assert.Equal("too complex: analysis took longer than 60 s", new AnalysisTooComplexException(DocumentAnalyzer.DefaultTimeLimit).Message);
    }

    [Fact]
    public void TheUsersCancellationIsNotTheWatchdog()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var e = Assert.ThrowsAny<OperationCanceledException>(() => Analyzer.Value.AnalyzeWithin(Doc(Huge(100_000)), TimeSpan.FromSeconds(60), cts.Token));
        Assert.IsNotType<AnalysisTooComplexException>(e);
    }

    [Fact]
    public async Task CancellingStopsAHugeAnalysisWithinTwoSeconds()
    {
        var doc = Doc(Huge(4_000_000));
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => Analyzer.Value.Analyze(doc, cts.Token));
        await Task.Delay(1500);
        Assert.False(run.IsCompleted, "the analysis of 4 MB should take longer than 1.5 s");
        var clock = Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"stopped {clock.Elapsed.TotalSeconds:F2} s after the cancellation");
    }

    [Fact]
    public async Task TheRunReportsTheInputAndStoresTheOthers()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("huge.txt"), Huge(6_000_000));
        foreach (var prefix in new[] { "000", "003" })
            File.Copy(Directory.GetFiles(TestPaths.Seeds, prefix + "_*.txt").Single(), dir.File(prefix + ".txt"));
        // Warm up (JIT, model loading) so that the small inputs take milliseconds, far below the limit.
        foreach (var f in new[] { "000", "003" }) Analyzer.Value.Analyze(Doc(File.ReadAllText(dir.File(f + ".txt"))));
        await using var store = await SqliteStore.OpenAsync(dir.File("t.db"));
        var run = new IngestRun(Analyzer.Value) { AnalysisTimeLimit = TimeSpan.FromSeconds(1.5) };
        var report = await run.RunAsync([dir.Path], store);
        var problem = Assert.Single(report.Problems);
        Assert.Equal($"{dir.File("huge.txt")}: too complex: analysis took longer than 1.5 s", problem.ToString());
        Assert.Equal(2, report.Written.Added);
    }
}
