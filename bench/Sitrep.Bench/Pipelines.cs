using Sitrep.Pipeline;

namespace Sitrep.Bench;

/// <summary>The per-document pipeline exactly as `sitrep ingest` builds it (Cli.Analyzer): built-in KB, no --kb
/// folders, and the shipped NER model when one is found (models/ner.bin beside the program or in the repository).</summary>
public static class Pipelines
{
    public static string? NerModelPath => PipelineFactory.FindModel("ner.bin");

    public static DocumentAnalyzer AsCli() => PipelineFactory.Create([], NerModelPath);

    /// <summary>The CLI pipeline without the NER recogniser (KB linking, time and attribution still run): to tell the recogniser's share apart.</summary>
    public static DocumentAnalyzer KbOnly() => PipelineFactory.Create([]);
}
