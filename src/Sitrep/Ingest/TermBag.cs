using System.Collections.Frozen;
using Sitrep.Text.Terms;

namespace Sitrep.Ingest;

/// <summary>
/// The content terms of a stretch of text (lower-cased, stemmed, stop words dropped), hashed, with a
/// weight: capitalised words (names) count double. Used to ask how much a paragraph shares with a body.
/// </summary>
internal sealed class TermBag
{
    private readonly Dictionary<ulong, int> _weights = new();
    private readonly HashSet<ulong> _names = new();

    /// <summary>True when the text opens with a word that points back to what came before ("He", "But", "Under his …").</summary>
    public bool OpensWithAnaphor { get; private set; }

    public int Count => _weights.Count;

    public static TermBag Of(string text, Segmenter.Line line) => Of(text.AsSpan(line.Start, line.End - line.Start));

    public static TermBag Of(ReadOnlySpan<char> text)
    {
        var bag = new TermBag();
        Span<char> buf = stackalloc char[64];
        int i = 0, index = 0;
        bool sentenceStart = true;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                if (text[i] is '.' or '!' or '?' or ':' or '—' or '“' or '"') sentenceStart = true;
                i++;
            }
            int s = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || ((text[i] == '\'' || text[i] == '’' || text[i] == '-') && i + 1 < text.Length && char.IsLetter(text[i + 1])))) i++;
            if (i == s) break;
            var word = text[s..i];
            bool initial = sentenceStart;
            sentenceStart = false;
            if (index++ < 3 && Anaphors.Contains(word)) bag.OpensWithAnaphor = true;
            if (i - s < 3 || i - s > 64) continue;
            int n = 0;
            foreach (var c in word)
            {
                if (c == '\'' || c == '’') break; // drop possessive / contraction tail
                buf[n++] = char.ToLowerInvariant(c);
            }
            if (n < 3 || StopWords.Contains(buf[..n])) continue;
            var term = buf[..Stemmer.Stem(buf[..n])];
            if (term.Length < 3) continue;
            ulong h = Hash(term);
            int w = char.IsUpper(word[0]) ? 2 : 1;
            if (!bag._weights.TryGetValue(h, out var old) || old < w) bag._weights[h] = w;
            if (w == 2 && !initial) bag._names.Add(h);
        }
        return bag;
    }

    public static TermBag Union(IEnumerable<TermBag> bags)
    {
        var u = new TermBag();
        foreach (var b in bags)
        {
            foreach (var (h, w) in b._weights)
                if (!u._weights.TryGetValue(h, out var old) || old < w) u._weights[h] = w;
            u._names.UnionWith(b._names);
        }
        return u;
    }

    /// <summary>The weighted share of the unit's terms that occur in the rest; 1 when the unit has no terms.</summary>
    public static double Coherence(IEnumerable<TermBag> unit, IEnumerable<TermBag> rest) => Compare(unit, rest).Share;

    /// <summary>How a unit relates to the rest: the weighted share of its terms found there, and how many of its names are.</summary>
    public static (double Share, int SharedNames, bool Anaphor) Compare(IEnumerable<TermBag> unit, IEnumerable<TermBag> rest)
    {
        var units = unit.ToList();
        var u = Union(units);
        var r = Union(rest);
        int total = 0, shared = 0, names = 0;
        foreach (var (h, w) in u._weights)
        {
            total += w;
            if (r._weights.ContainsKey(h)) shared += w;
        }
        foreach (var h in u._names) if (r._weights.ContainsKey(h)) names++;
        return (total == 0 ? 1.0 : (double)shared / total, names, units.Count > 0 && units[0].OpensWithAnaphor);
    }

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Anaphors = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "he", "she", "they", "it", "its", "his", "her", "their", "this", "these", "that", "those", "such", "but", "however",
        "also", "meanwhile", "still", "yet", "moreover", "furthermore", "instead", "then", "there", "both",
    }.GetAlternateLookup<ReadOnlySpan<char>>();

    private static ulong Hash(ReadOnlySpan<char> s)
    {
        ulong h = 14695981039346656037UL;
        foreach (var c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }

    // Function words and topic-less news words: the content-term stop list of the text-term chain.
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> StopWords = TermLists.ContentStop.GetAlternateLookup<ReadOnlySpan<char>>();
}
