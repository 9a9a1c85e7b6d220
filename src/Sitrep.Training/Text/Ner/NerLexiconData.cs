using System.Globalization;
using System.Text;

namespace Sitrep.Text.Ner;

/// <summary>
/// The word-level knowledge the NER model takes from unlabeled text: Brown clusters and mid-sentence capitalisation
/// rates, learned by <see cref="Build"/> from the news text under the shared data folder.
/// </summary>
public sealed class NerLexiconData
{
    internal NerLexiconData(NerLexicon lexicon, string description)
    {
        Lexicon = lexicon;
        Description = description;
    }

    internal NerLexicon Lexicon { get; }
    public string Description { get; }
    public int Count => Lexicon.Count;

    /// <summary>An empty lexicon (no clusters, no casing statistics).</summary>
    public static NerLexiconData Empty { get; } = new(new NerLexicon(), "no lexicon");

    /// <summary>
    /// Learns the lexicon from the unlabeled sources under <paramref name="dataRoot"/> plus the CoNLL training tokens.
    /// Brown clusters (<paramref name="clusters"/> classes, words seen at least <paramref name="minCount"/> times,
    /// lower-cased) are read from <paramref name="clusterCache"/> if it exists, else computed and written there.
    /// </summary>
    public static NerLexiconData Build(string dataRoot, IReadOnlyList<ConllDocument>? conllTrain, int clusters, int minCount,
        string? clusterCache, TextWriter? log)
    {
        var (sentences, sources) = UnlabeledCorpus.Load(dataRoot, conllTrain);
        long tokens = sentences.Sum(s => (long)s.Length);
        log?.WriteLine($"unlabeled text: {sentences.Count} sentences, {tokens} tokens ({sources})");

        // casing statistics: mid-sentence occurrences outside ALL-CAPS lines
        var total = new Dictionary<ulong, int>();
        var capital = new Dictionary<ulong, int>();
        var freq = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in sentences)
        {
            bool anyLower = s.Any(t => t.Any(char.IsLower));
            int first = 0;
            while (first < s.Length && !s[first].Any(char.IsLetterOrDigit)) first++;
            for (int i = 0; i < s.Length; i++)
            {
                string lower = Lower(s[i]);
                freq[lower] = freq.GetValueOrDefault(lower) + 1;
                if (i <= first || !anyLower || !s[i].Any(char.IsLetter)) continue;
                ulong key = FeatureHash.LowerKey(s[i]);
                total[key] = total.GetValueOrDefault(key) + 1;
                if (char.IsUpper(s[i][0])) capital[key] = capital.GetValueOrDefault(key) + 1;
            }
        }

        // vocabulary for clustering: by decreasing frequency, ties by ordinal order (deterministic)
        var vocab = freq.Where(kv => kv.Value >= minCount).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key).ToArray();
        Dictionary<string, (uint Path, byte Len)> paths;
        if (clusterCache != null && File.Exists(clusterCache))
        {
            paths = ReadClusters(clusterCache);
            log?.WriteLine($"brown: read {paths.Count} word clusters from {clusterCache}");
        }
        else
        {
            var id = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < vocab.Length; i++) id[vocab[i]] = i;
            var corpus = sentences.Select(s => s.Select(t => id.TryGetValue(Lower(t), out int v) ? v : -1).ToArray()).ToList();
            var (p, l) = new BrownClusterer(clusters).Run(corpus, vocab.Length, log);
            paths = new Dictionary<string, (uint, byte)>(StringComparer.Ordinal);
            for (int i = 0; i < vocab.Length; i++) paths[vocab[i]] = (p[i], l[i]);
            if (clusterCache != null) WriteClusters(clusterCache, vocab, paths, freq);
        }

        var lex = new NerLexicon(total.Count + paths.Count);
        foreach (var (key, n) in total) lex.Set(key, 0, 0, NerLexicon.CapBucket(capital.GetValueOrDefault(key), n));
        foreach (var (word, (path, len)) in paths)
        {
            ulong key = FeatureHash.LowerKey(word);
            lex.TryGet(key, out _, out _, out byte cap);
            lex.Set(key, path, len, cap);
        }
        string desc = string.Create(CultureInfo.InvariantCulture,
            $"lexicon: {tokens} unlabeled tokens ({sources}); Brown {clusters} clusters over {paths.Count} words (min count {minCount})");
        return new NerLexiconData(lex, desc);
    }

    private static string Lower(string s) => string.Create(s.Length, s, (dst, src) =>
    {
        for (int i = 0; i < src.Length; i++) dst[i] = FeatureHash.Lower(FeatureHash.Normalize(src[i]));
    });

    private static void WriteClusters(string path, string[] vocab, Dictionary<string, (uint Path, byte Len)> paths, Dictionary<string, int> freq)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        foreach (var word in vocab)
        {
            var (p, l) = paths[word];
            var bits = new StringBuilder(l);
            for (int k = 0; k < l; k++) bits.Append((p >> (31 - k) & 1) == 1 ? '1' : '0');
            w.Write(bits);
            w.Write('\t');
            w.Write(word);
            w.Write('\t');
            w.Write(freq[word].ToString(CultureInfo.InvariantCulture));
            w.Write('\n');
        }
    }

    private static Dictionary<string, (uint, byte)> ReadClusters(string path)
    {
        var result = new Dictionary<string, (uint, byte)>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            var parts = line.Split('\t');
            if (parts.Length < 2 || parts[0].Length == 0 || parts[0].Any(c => c != '0' && c != '1'))
                throw new FormatException($"{path}: line {lineNo}: expected 'bits<TAB>word<TAB>count'");
            uint p = 0;
            int len = Math.Min(32, parts[0].Length);
            for (int k = 0; k < len; k++) if (parts[0][k] == '1') p |= 1u << (31 - k);
            result[parts[1]] = (p, (byte)len);
        }
        return result;
    }
}
