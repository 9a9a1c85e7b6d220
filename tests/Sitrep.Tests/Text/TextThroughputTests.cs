using System.Diagnostics;
using System.Text;
using Sitrep.Text;
using Xunit.Abstractions;

namespace Sitrep.Tests.Text;

/// <summary>
/// Measures tokenize+split throughput on the seeds (reported, not asserted: the machine is shared; run with
/// -c Release for a meaningful figure) and asserts
/// that the hot path allocates nothing once the output lists have room.
/// </summary>
public class TextThroughputTests(ITestOutputHelper output)
{
    private static string Corpus(int minChars)
    {
        var seeds = TextAssert.AllSeedPaths().Select(File.ReadAllText).ToArray();
        var sb = new StringBuilder(minChars + 8192);
        while (sb.Length < minChars)
            foreach (var s in seeds) sb.Append(s).Append("\n\n");
        return sb.ToString();
    }

    [Fact]
    public void Tokenize_and_split_allocate_nothing_when_lists_have_room()
    {
        string text = Corpus(200_000);
        var tokens = new List<Token>(text.Length / 2);
        var sentences = new List<SentenceSpan>(text.Length / 10);
        Run(text, tokens, sentences); // warm up: JIT, static lists
        Run(text, tokens, sentences);

        // The runtime may allocate a little on the thread now and then (JIT tiering); per-token or per-sentence
        // allocation would cost megabytes here (35,000 tokens). Best of three runs must stay under 1 KB.
        long allocated = long.MaxValue;
        for (int k = 0; k < 3; k++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Run(text, tokens, sentences);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.InRange(allocated, 0, 1024);
        Assert.True(tokens.Count > 30_000 && sentences.Count > 1_000);
    }

    [Fact]
    public void Throughput_is_reported()
    {
        string text = Corpus(1_000_000);
        var tokens = new List<Token>(text.Length / 4);
        var sentences = new List<SentenceSpan>(text.Length / 50);
        // Warm up long enough for tiered JIT to reach optimised code, then take the median of timed rounds.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 500) Run(text, tokens, sentences);
        const int rounds = 7;
        var seconds = new double[rounds];
        for (int k = 0; k < rounds; k++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Run(text, tokens, sentences);
            seconds[k] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Array.Sort(seconds);
        // UTF-16 text: count the UTF-8 bytes a file of it would have (the seeds are mostly ASCII).
        double megabytes = Encoding.UTF8.GetByteCount(text) / (1024.0 * 1024.0);
        output.WriteLine($"tokenize+split: median {megabytes / seconds[rounds / 2]:F1} MB/s, best {megabytes / seconds[0]:F1} MB/s " +
                         $"on {megabytes:F1} MB ({tokens.Count} tokens, {sentences.Count} sentences)");
        Assert.True(sentences.Count > 0);
    }

    private static void Run(string text, List<Token> tokens, List<SentenceSpan> sentences)
    {
        tokens.Clear();
        sentences.Clear();
        Tokenizer.Tokenize(text, 0, text.Length, tokens);
        SentenceSplitter.Split(text, tokens, sentences);
    }
}
