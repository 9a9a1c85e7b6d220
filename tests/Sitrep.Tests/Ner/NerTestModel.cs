using Sitrep.Text.Ner;

namespace Sitrep.Tests.Ner;

/// <summary>The committed model, loaded once for all tests.</summary>
internal static class NerTestModel
{
    public static string Path => System.IO.Path.Combine(TestPaths.RepoRoot, "models", "ner.bin");

    private static readonly Lazy<NerModel> Lazy = new(() => NerModel.Load(Path));

    public static NerModel Model => Lazy.Value;
}
