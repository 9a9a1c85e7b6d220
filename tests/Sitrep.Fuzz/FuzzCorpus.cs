using System.IO.Compression;
using System.Text;

namespace Sitrep.Fuzz;

/// <summary>The material the fuzzer mutates: the seed articles and the shared HTML pages, loaded once, in a fixed order.</summary>
public sealed class FuzzCorpus
{
    public required IReadOnlyList<string> Seeds { get; init; }
    public required IReadOnlyList<byte[]> Pages { get; init; }

    /// <summary>Reads seeds (corpus/seeds/*.txt) and pages (data/extraction/zyte/html/*.html.gz, trafilatura/html/*) under the shared folder.</summary>
    public static FuzzCorpus Load(string shared)
    {
        var seedDir = Path.Combine(shared, "corpus", "seeds");
        if (!Directory.Exists(seedDir)) throw new DirectoryNotFoundException($"seeds not found: {seedDir}");
        var seeds = Directory.GetFiles(seedDir, "*.txt").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => File.ReadAllText(f, Encoding.UTF8)).ToList();
        var pages = new List<byte[]>();
        var zyte = Path.Combine(shared, "data", "extraction", "zyte", "html");
        if (Directory.Exists(zyte))
            foreach (var f in Directory.GetFiles(zyte).OrderBy(f => f, StringComparer.Ordinal))
            {
                if (f.EndsWith(".gz", StringComparison.Ordinal))
                {
                    using var gz = new GZipStream(File.OpenRead(f), CompressionMode.Decompress);
                    using var ms = new MemoryStream();
                    gz.CopyTo(ms);
                    pages.Add(ms.ToArray());
                }
                else pages.Add(File.ReadAllBytes(f));
            }
        var traf = Path.Combine(shared, "data", "extraction", "trafilatura", "html");
        if (Directory.Exists(traf))
            foreach (var f in Directory.GetFiles(traf).OrderBy(f => f, StringComparer.Ordinal))
                pages.Add(File.ReadAllBytes(f));
        if (seeds.Count == 0) throw new InvalidDataException($"no seeds in {seedDir}");
        if (pages.Count == 0) throw new InvalidDataException($"no HTML pages under {shared}/data/extraction");
        return new FuzzCorpus { Seeds = seeds, Pages = pages };
    }

    /// <summary>The shared folder beside the repository (the folder holding Sitrep.slnx), found from <paramref name="start"/> upwards.</summary>
    public static string FindShared(string start)
    {
        var dir = new DirectoryInfo(start);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Sitrep.slnx"))) dir = dir.Parent;
        if (dir != null)
        {
            var beside = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
            if (Directory.Exists(beside)) return beside;
        }
        if (Directory.Exists("/work/shared")) return "/work/shared";
        throw new DirectoryNotFoundException("shared data folder not found (pass --shared DIR)");
    }
}
