using System.Security.Cryptography;
using System.Text;
using Sitrep.Knowledge;
using Sitrep.Text;
using Sitrep.Text.Ner;

namespace Sitrep.Pipeline;

/// <summary>Builds the per-document pipeline from its inputs: the knowledge base (built-in plus user folders) and models.</summary>
public static class PipelineFactory
{
    /// <summary>Loads the KB and any recogniser, and fingerprints them so stored documents are re-analysed when they change.</summary>
    /// <exception cref="KnowledgeBaseException">A KB file is malformed (message: one <c>file:line: reason</c> per problem).</exception>
    /// <exception cref="DirectoryNotFoundException">A KB folder does not exist.</exception>
    /// <param name="time">Where "today" comes from (the day of analysis bounds every publication date); the system clock when null.</param>
    public static DocumentAnalyzer Create(IReadOnlyList<string> userKbDirs, string? nerModelPath, TimeProvider? time = null)
    {
        if (nerModelPath == null) return Create(userKbDirs, time: time);
        var model = NerModel.Load(nerModelPath);
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(nerModelPath)))[..12];
        return Create(userKbDirs, new NerRecognizer(model), "ner-" + hash, time);
    }

    /// <summary>A trained model file: beside the program (models/), or in the repository the program was built in.</summary>
    public static string? FindModel(string name)
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "models", name);
        if (File.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "models", name);
            if (File.Exists(Path.Combine(dir.FullName, "Sitrep.slnx")) && File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static DocumentAnalyzer Create(IReadOnlyList<string> userKbDirs, IEntityRecognizer? recognizer = null, string recognizerFingerprint = "", TimeProvider? time = null)
    {
        var builtIn = KnowledgeBase.FindBuiltInDirectory()
            ?? throw new DirectoryNotFoundException("built-in knowledge base folder 'knowledge/' not found beside the program (set SITREP_KNOWLEDGE_DIR)");
        foreach (var d in userKbDirs)
            if (!Directory.Exists(d)) throw new DirectoryNotFoundException($"{d}: no such knowledge-base folder");
        var dirs = new List<string> { builtIn };
        dirs.AddRange(userKbDirs);
        var kb = KnowledgeBase.Load(dirs);
        var matcher = new AliasMatcher(kb, Tokenizer.Tokenize);
        var linker = new EntityLinker(matcher, recognizer);
        // Nothing was published after the day of analysis: the dater's upper bound for open intervals. It changes what
        // is stored, so it is part of the fingerprint: a stored document is analysed again on another day.
        var today = DateOnly.FromDateTime((time ?? TimeProvider.System).GetUtcNow().UtcDateTime);
        var attributionPath = Sitrep.Attribution.AttributionModel.FindDefault();
        var attribution = attributionPath == null ? null : new Sitrep.Attribution.AttributionExtractor(kb, Sitrep.Attribution.AttributionModel.Load(attributionPath));
        var attributionFingerprint = attributionPath == null ? "" : ":attr-" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(attributionPath)))[..12];
        return new DocumentAnalyzer(linker, Fingerprint(dirs) + (recognizerFingerprint.Length > 0 ? ":" + recognizerFingerprint : "") + attributionFingerprint
                + ":today-" + today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            new Sitrep.Time.TimeAnalyzer(kb), today, attribution);
    }

    /// <summary>A short hash of every KB file's name and content, in a stable order.</summary>
    public static string Fingerprint(IEnumerable<string> kbDirs)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var dir in kbDirs)
            foreach (var f in Directory.EnumerateFiles(dir, "*.*", SearchOption.AllDirectories)
                         .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                         .Order(StringComparer.Ordinal))
            {
                sha.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(f) + "\n"));
                sha.AppendData(File.ReadAllBytes(f));
            }
        return "kb-" + Convert.ToHexStringLower(sha.GetHashAndReset())[..12];
    }
}
