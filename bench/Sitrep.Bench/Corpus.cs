using System.Text;

namespace Sitrep.Bench;

/// <summary>
/// Builds a deterministic synthetic news corpus from the FNC-1 article bodies. Article <c>i</c> depends only on the
/// seed and <c>i</c> (never on how many are generated or in what order), so a 10k corpus is a prefix of the 100k one
/// and generation can run in parallel. Each article: a headline line, the paragraphs of one FNC-1 body (lede kept
/// first, the rest shuffled), now and then one to three paragraphs spliced in from other bodies (the kind of
/// off-topic teaser the segmenter has to peel off), and a unique credit line so no two files have the same bytes.
/// </summary>
public sealed class Corpus
{
    public const int ArticlesPerShard = 10_000;

    private readonly string[][] _bodies; // paragraphs of each usable body
    private readonly ulong _seed;

    public Corpus(IReadOnlyList<string> bodies, ulong seed)
    {
        _seed = seed;
        _bodies = bodies
            .Select(b => b.Split('\n').Select(p => p.Trim()).Where(p => p.Length > 0).ToArray())
            .Where(ps => ps.Length > 0 && ps.Sum(p => p.Length) >= 200)
            .ToArray();
        if (_bodies.Length == 0) throw new InvalidOperationException("no usable bodies");
    }

    public int Bodies => _bodies.Length;

    public static Corpus FromCsv(string path, ulong seed) => new(ReadBodies(path), seed);

    /// <summary>Where article <paramref name="i"/> goes under the corpus root: shard-NN/article-NNNNNN.txt.</summary>
    public static string RelativePath(int i) => Path.Combine($"shard-{i / ArticlesPerShard:D2}", $"article-{i:D6}.txt");

    public string Article(int i)
    {
        var rng = new SplitMix64(_seed * 0x9E3779B97F4A7C15UL + (ulong)i + 1);
        var body = _bodies[rng.Next(_bodies.Length)];
        var paras = new List<string>(body.Length + 3) { body[0] };
        var rest = body.Skip(1).ToArray();
        for (int k = rest.Length - 1; k > 0; k--)
        {
            int j = rng.Next(k + 1);
            (rest[k], rest[j]) = (rest[j], rest[k]);
        }
        paras.AddRange(rest);
        // Half the articles carry one to three paragraphs of another story, at random places after the lede.
        if (rng.Next(2) == 0)
        {
            int n = 1 + rng.Next(3);
            for (int k = 0; k < n; k++)
            {
                var other = _bodies[rng.Next(_bodies.Length)];
                paras.Insert(1 + rng.Next(paras.Count), other[rng.Next(other.Length)]);
            }
        }
        var sb = new StringBuilder(4096);
        sb.Append(Headline(body[0])).Append("\n\n");
        foreach (var p in paras) sb.Append(p).Append("\n\n");
        sb.Append("Source: Bench Wire, item ").Append(_seed).Append('-').Append(i.ToString("D6")).Append('\n');
        return sb.ToString();
    }

    /// <summary>A headline-shaped line: the lede's first words, capitalised, without closing punctuation.</summary>
    private static string Headline(string lede)
    {
        var words = lede.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(9)
            .Select(w => w.Trim('"', '“', '”', ',', '.', ';', ':', '!', '?', '(', ')'))
            .Where(w => w.Length > 0)
            .Select(w => char.ToUpperInvariant(w[0]) + w[1..]);
        return string.Join(' ', words);
    }

    /// <summary>Writes articles [0, count) as UTF-8 files under <paramref name="root"/>; returns the bytes written.</summary>
    public long Write(string root, int count)
    {
        long total = 0;
        var utf8 = new UTF8Encoding(false);
        for (int s = 0; s * ArticlesPerShard < count; s++) Directory.CreateDirectory(Path.Combine(root, $"shard-{s:D2}"));
        Parallel.For(0, count, () => 0L, (i, _, sum) =>
        {
            var bytes = utf8.GetBytes(Article(i));
            File.WriteAllBytes(Path.Combine(root, RelativePath(i)), bytes);
            return sum + bytes.Length;
        }, sum => Interlocked.Add(ref total, sum));
        return total;
    }

    /// <summary>The articleBody column of the FNC-1 bodies CSV (RFC 4180: quoted, doubled quotes, multi-line fields).</summary>
    public static List<string> ReadBodies(string csvPath)
    {
        var text = File.ReadAllText(csvPath, Encoding.UTF8);
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; break;
                case ',': row.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n': row.Add(field.ToString()); field.Clear(); rows.Add(row); row = []; break;
                default: field.Append(c); break;
            }
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add(row); }
        if (rows.Count == 0 || rows[0].Count < 2 || rows[0][1] != "articleBody")
            throw new InvalidDataException($"{csvPath}: expected a header 'Body ID,articleBody'");
        return rows.Skip(1).Where(r => r.Count >= 2).Select(r => r[1]).ToList();
    }
}

/// <summary>SplitMix64: a tiny PRNG whose output is fixed by its seed on every runtime (System.Random's is not promised).</summary>
public struct SplitMix64(ulong state)
{
    private ulong _state = state;

    public ulong NextULong()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int Next(int bound) => (int)(NextULong() % (ulong)bound);
}
