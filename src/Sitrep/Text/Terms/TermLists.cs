using System.Collections.Frozen;

namespace Sitrep.Text.Terms;

/// <summary>
/// The word lists of the text-term chain, read from the data files beside this class (embedded in the assembly):
/// <c>stopwords-english.txt</c> (function words, shared), <c>stopwords-content.txt</c> (particles and topic-less news vocabulary, for
/// content terms), <c>claim-reporting.txt</c>, <c>claim-polarity.txt</c> and <c>claim-concepts.txt</c> (claims only).
/// Words are lower case with straight apostrophes and are matched before stemming.
/// </summary>
public static class TermLists
{
    /// <summary>Function words: no topic, no claim.</summary>
    public static FrozenSet<string> English { get; } = Words("stopwords-english.txt").ToFrozenSet(StringComparer.Ordinal);

    /// <summary>What content terms (story clustering, stance, paragraph coherence) leave out: function words and topic-less news words.</summary>
    public static FrozenSet<string> ContentStop { get; } = English.Concat(Words("stopwords-content.txt")).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Negation and halting words that make a claim negated.</summary>
    public static FrozenSet<string> Negations { get; } =
        Lines("claim-polarity.txt").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p is [_, "neg"]).Select(p => p[0]).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>What claim terms leave out: function words, reporting vocabulary, and polarity words (read as polarity instead).</summary>
    public static FrozenSet<string> ClaimStop { get; } = English.Concat(Words("claim-reporting.txt"))
        .Concat(Lines("claim-polarity.txt").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Near synonyms of claims folded into one concept: each listed word, and its stem, to the concept.</summary>
    public static FrozenDictionary<string, string> ClaimConcepts { get; } = ReadConcepts();

    private static FrozenDictionary<string, string> ReadConcepts()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Lines("claim-concepts.txt"))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) throw new InvalidDataException($"claim-concepts.txt: line '{line}' has no 'concept:' prefix");
            var concept = line[..colon].Trim();
            foreach (var w in line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                map[w] = concept;
                map.TryAdd(Stemmer.Stem(w), concept);
            }
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static IEnumerable<string> Words(string file) => Lines(file);

    /// <summary>The non-empty, non-comment lines of an embedded list, trimmed.</summary>
    internal static List<string> Lines(string file)
    {
        var asm = typeof(TermLists).Assembly;
        using var stream = asm.GetManifestResourceStream("Sitrep.Text.Terms." + file)
            ?? throw new InvalidOperationException($"term list {file} is not embedded in {asm.GetName().Name}");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            int hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            line = line.Trim();
            if (line.Length > 0) lines.Add(line);
        }
        return lines;
    }
}
