using System.Text;
using BenchmarkDotNet.Attributes;
using Sitrep.Ingest;
using Sitrep.Pipeline;

namespace Sitrep.Bench;

/// <summary>
/// Per-article micro-benchmarks of the CPU stages, on 1,000 generated articles held in memory (no disk).
/// Each benchmark processes all of them; OperationsPerInvoke makes BenchmarkDotNet report the time per article.
/// </summary>
[MemoryDiagnoser]
public class AnalyzeBenchmarks
{
    private const int N = 1000;
    private byte[][] _raw = [];
    private SourceDocument[] _docs = [];
    private DocumentAnalyzer _plain = new(), _kb = new(), _full = new();

    /// <summary>Where the FNC-1 bodies are; set by Program before BenchmarkDotNet runs (in-process toolchain).</summary>
    public static string CsvPath { get; set; } = "/work/shared/data/stance/fnc1/train_bodies.csv";

    [GlobalSetup]
    public void Setup()
    {
        var corpus = Corpus.FromCsv(CsvPath, Program.DefaultSeed);
        _raw = Enumerable.Range(0, N).Select(i => Encoding.UTF8.GetBytes(corpus.Article(i))).ToArray();
        _docs = _raw.Select((b, i) => SourceLoader.Decode($"article-{i:D6}.txt", b).Document!).ToArray();
        _plain = new DocumentAnalyzer();
        _kb = Pipelines.KbOnly();
        _full = Pipelines.AsCli();
    }

    [Benchmark(OperationsPerInvoke = N, Description = "Decode (sniff + UTF-8 + SHA-256)")]
    public int Decode()
    {
        int n = 0;
        for (int i = 0; i < _raw.Length; i++) n += SourceLoader.Decode("a.txt", _raw[i]).Document!.Text.Length;
        return n;
    }

    [Benchmark(OperationsPerInvoke = N, Description = "Segmenter.Segment")]
    public int Segment()
    {
        int n = 0;
        foreach (var d in _docs) n += Segmenter.Segment(d.Text, d.Page).Pieces.Count;
        return n;
    }

    [Benchmark(OperationsPerInvoke = N, Description = "Analyze, no linker (segment + tokens + sentences)")]
    public int AnalyzePlain()
    {
        int n = 0;
        foreach (var d in _docs) n += _plain.Analyze(d).Articles.Count;
        return n;
    }

    [Benchmark(OperationsPerInvoke = N, Description = "Analyze + built-in KB linking, no NER")]
    public int AnalyzeKb()
    {
        int n = 0;
        foreach (var d in _docs) n += _kb.Analyze(d).Articles.Count;
        return n;
    }

    [Benchmark(OperationsPerInvoke = N, Baseline = true, Description = "Analyze as sitrep ingest (KB linking + NER)")]
    public int Analyze()
    {
        int n = 0;
        foreach (var d in _docs) n += _full.Analyze(d).Articles.Count;
        return n;
    }
}
