using Sitrep.Fuzz;
using Xunit.Abstractions;

namespace Sitrep.Tests.Reliability;

/// <summary>
/// The CI sample of the fuzz harness (tests/Sitrep.Fuzz): 2,000 deterministic inputs — mutated seeds, shared pages,
/// generated WARC files and loopback feeds — ingested batch by batch through the real CLI, with every read command run
/// on each store afterwards. No input may crash a command or leave a store that a read command cannot read.
/// </summary>
public sealed class FuzzSampleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_thousand_fuzzed_inputs_neither_crash_nor_poison_a_store()
    {
        var log = new StringWriter();
        var options = new FuzzOptions { Inputs = 2000, Seed = 7, Batch = 250, Shared = TestPaths.Shared, MaxBisections = 0, CommandTimeout = TimeSpan.FromSeconds(60) };
        var report = await FuzzHarness.RunAsync(options, log);
        var summary = report.Summary();
        output.WriteLine(log.ToString());
        output.WriteLine(summary);
        Assert.Equal(2000, report.Inputs);
        Assert.True(report.Crashes == 0 && report.Poisoned == 0,
            $"fuzz sample (seed 7, inputs 0..1999; regenerate one with `dotnet run -c Release --project tests/Sitrep.Fuzz -- --seed 7 --only I`):\n{summary}");
    }

    /// <summary>Inputs the 100,000-input benchmark run found crashing (kept so they stay fixed).</summary>
    [Theory]
    [InlineData(1, 20251)] // a WARC page whose date element reads "20٢٦": int.Parse in MetadataReader aborted the whole ingest
    public async Task Inputs_that_once_crashed_stay_fixed(int seed, long input)
    {
        var log = new StringWriter();
        var options = new FuzzOptions { Seed = seed, Only = [input], Shared = TestPaths.Shared, MaxBisections = 0, CommandTimeout = TimeSpan.FromSeconds(60) };
        var report = await FuzzHarness.RunAsync(options, log);
        output.WriteLine(log.ToString());
        Assert.Equal(1, report.Inputs);
        Assert.True(report.Crashes == 0 && report.Poisoned == 0, report.Summary());
    }

    [Fact]
    public void Input_i_of_seed_s_is_the_same_whatever_was_generated_before()
    {
        using var a = new FuzzHarness(new FuzzOptions { Seed = 7, Shared = TestPaths.Shared }, TextWriter.Null);
        using var b = new FuzzHarness(new FuzzOptions { Seed = 7, Shared = TestPaths.Shared }, TextWriter.Null);
        using var c = new FuzzHarness(new FuzzOptions { Seed = 8, Shared = TestPaths.Shared }, TextWriter.Null);
        var first = Enumerable.Range(0, 60).Select(i => a.Generate(i)).ToList();
        // b generates them in reverse order, with unrelated inputs in between.
        for (int i = 59; i >= 0; i--)
        {
            b.Generate(1000 + i);
            var again = b.Generate(i);
            Assert.Equal(first[i].Name, again.Name);
            Assert.Equal(first[i].Bytes, again.Bytes);
            Assert.Equal(first[i].Recipe, again.Recipe);
        }
        // Another seed gives other inputs, and the sample covers every kind.
        Assert.True(Enumerable.Range(0, 60).Count(i => c.Generate(i).Bytes.AsSpan().SequenceEqual(first[i].Bytes)) < 5);
        Assert.Equal(4, first.Select(f => f.Kind).Distinct().Count());
    }
}
