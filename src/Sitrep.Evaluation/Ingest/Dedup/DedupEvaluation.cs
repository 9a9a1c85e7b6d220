using System.Diagnostics;
using System.Text;

namespace Sitrep.Ingest.Dedup;

/// <summary>The edit rates used to make a copy of an article (a wire story re-run by another outlet).</summary>
public sealed record CopyEdits
{
    /// <summary>Each sentence is dropped with this probability.</summary>
    public double SentenceDrop { get; init; } = 0.08;
    /// <summary>Probability of swapping two adjacent paragraphs (one swap).</summary>
    public double ParagraphSwap { get; init; } = 0.3;
    /// <summary>Probability of inserting a paragraph (taken from an unrelated article) at a random place.</summary>
    public double AddParagraph { get; init; } = 0.4;
    /// <summary>Probability of trimming the end; the trim keeps 50–80% of the paragraphs (at least one).</summary>
    public double TrimEnd { get; init; } = 0.3;
    /// <summary>Each word is replaced by a random corpus word with this probability.</summary>
    public double WordSubstitution { get; init; } = 0.02;
    /// <summary>Probability of a new byline line; of a dateline with an agency credit.</summary>
    public double Byline { get; init; } = 0.5;
    public double Dateline { get; init; } = 0.3;
}

/// <summary>Figures of one evaluation run.</summary>
public sealed record DedupScore(
    int Bodies, int Copies, int HardNegativePairs, int Links, int TruePositiveLinks, int PositivesFound, int HardNegativesLinked,
    int PairTruePositives, int PairFalsePositives, int PairFalseNegatives, double Seconds, long Characters,
    int NoisyNegatives = 0, int NoisyFalsePositives = 0)
{
    /// <summary>Pair precision when the hard negatives that are themselves copies (exact containment ≥ 0.5) are left out.</summary>
    public double CleanPairPrecision => PairTruePositives + PairFalsePositives - NoisyFalsePositives == 0 ? 0
        : (double)PairTruePositives / (PairTruePositives + PairFalsePositives - NoisyFalsePositives);
    public double Precision => Links == 0 ? 0 : (double)TruePositiveLinks / Links;
    public double Recall => Copies == 0 ? 0 : (double)PositivesFound / Copies;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    public double PairPrecision => PairTruePositives + PairFalsePositives == 0 ? 0 : (double)PairTruePositives / (PairTruePositives + PairFalsePositives);
    public double PairRecall => PairTruePositives + PairFalseNegatives == 0 ? 0 : (double)PairTruePositives / (PairTruePositives + PairFalseNegatives);
    public double PairF1 => PairPrecision + PairRecall == 0 ? 0 : 2 * PairPrecision * PairRecall / (PairPrecision + PairRecall);
}

/// <summary>
/// Measures <see cref="NearDuplicateIndex"/> on FNC-1. Bodies (at least 80 words) are split into a dev and a test half by
/// body id parity. Each body of the split gets one edited copy (<see cref="CopyEdits"/>: a new headline from the FNC-1
/// headlines of that body, byline/dateline, sentence drops, a paragraph swap, an added paragraph, a trimmed end, word
/// substitutions). Hard negatives are pairs of different bodies that FNC-1 relates (agree/disagree/discuss) to the same
/// headline: different articles on the same story.
/// Stream: every body and every copy is added to one index in a seeded random order; a link is right when it joins two
/// versions of the same body. Pairs: each positive pair and each hard-negative pair is judged on its own by a fresh index.
/// </summary>
public static class DedupEvaluation
{
    public sealed record Body(int Id, string Text);

    public static (List<Body> Bodies, List<(string Headline, int BodyId, string Stance)> Stances) Load(string dir)
    {
        var bodies = Csv.Read(Path.Combine(dir, "train_bodies.csv")).Skip(1)
            .Where(r => r.Count >= 2 && int.TryParse(r[0], out _)).Select(r => new Body(int.Parse(r[0]), r[1])).ToList();
        var stances = Csv.Read(Path.Combine(dir, "train_stances.csv")).Skip(1)
            .Where(r => r.Count >= 3 && int.TryParse(r[1], out _)).Select(r => (r[0], int.Parse(r[1]), r[2])).ToList();
        return (bodies, stances);
    }

    public static DedupScore Run(string dir, bool test, int seed, NearDuplicateOptions? options = null, CopyEdits? edits = null, int maxHardNegatives = 20000)
    {
        var (all, stances) = Load(dir);
        edits ??= new CopyEdits();
        var rng = new Random(seed);
        var bodies = all.Where(b => (b.Id % 2 == 1) == test && TextFingerprint.Words(b.Text).Count() >= 80).ToList();
        var byId = bodies.ToDictionary(b => b.Id);
        var headlines = stances.Where(s => s.Stance != "unrelated").GroupBy(s => s.BodyId).ToDictionary(g => g.Key, g => g.Select(s => s.Headline).Distinct().ToList());
        var vocabulary = all.SelectMany(b => TextFingerprint.Words(b.Text).Select(w => b.Text.Substring(w.Start, w.Length))).Distinct().Take(50000).ToArray();

        // Copies.
        var copies = new List<(string Id, int Of, string Text)>();
        foreach (var b in bodies)
        {
            var other = all[rng.Next(all.Count)];
            copies.Add(($"copy-{b.Id}", b.Id, EditedCopy(b.Text, headlines.GetValueOrDefault(b.Id), other.Text, vocabulary, edits, rng)));
        }
        // Hard negatives.
        var hard = new HashSet<(int, int)>();
        foreach (var g in stances.Where(s => s.Stance != "unrelated" && byId.ContainsKey(s.BodyId)).GroupBy(s => s.Headline))
        {
            var ids = g.Select(s => s.BodyId).Distinct().OrderBy(i => i).ToList();
            for (int i = 0; i < ids.Count; i++)
                for (int j = i + 1; j < ids.Count; j++) hard.Add((ids[i], ids[j]));
        }
        var hardList = hard.OrderBy(p => p).ToList();
        Shuffle(hardList, rng);
        if (hardList.Count > maxHardNegatives) hardList = hardList.Take(maxHardNegatives).ToList();

        // Stream.
        var items = bodies.Select(b => (Id: $"body-{b.Id}", Of: b.Id, b.Text)).Concat(copies).ToList();
        Shuffle(items, rng);
        var index = new NearDuplicateIndex(options);
        var group = new Dictionary<string, string>();
        int links = 0, tp = 0;
        long chars = 0;
        var ofId = items.ToDictionary(i => i.Id, i => i.Of);
        var clock = Stopwatch.StartNew();
        foreach (var (id, of, text) in items)
        {
            chars += text.Length;
            var m = index.Add(id, text);
            group[id] = m?.OriginId ?? id;
            if (m == null) continue;
            links++;
            if (ofId[m.MatchedId] == of) tp++;
        }
        clock.Stop();
        int found = bodies.Count(b => group[$"body-{b.Id}"] == group[$"copy-{b.Id}"]);
        int hardLinked = hardList.Count(p => group[$"body-{p.Item1}"] == group[$"body-{p.Item2}"]);

        // Pairs, each judged alone.
        int ptp = 0, pfn = 0, pfp = 0;
        var copyOf = copies.ToDictionary(c => c.Of, c => c.Text);
        foreach (var b in bodies)
        {
            var idx = new NearDuplicateIndex(options);
            idx.Add("a", b.Text);
            if (idx.Add("b", copyOf[b.Id]) != null) ptp++; else pfn++;
        }
        int noisy = 0, noisyFp = 0;
        int k = (options ?? new NearDuplicateOptions()).ShingleWords;
        foreach (var (x, y) in hardList)
        {
            var idx = new NearDuplicateIndex(options);
            idx.Add("a", byId[x].Text);
            bool linked = idx.Add("b", byId[y].Text) != null;
            if (linked) pfp++;
            if (ExactContainment(byId[x].Text, byId[y].Text, k) >= 0.5) { noisy++; if (linked) noisyFp++; }
        }
        return new DedupScore(bodies.Count, copies.Count, hardList.Count, links, tp, found, hardLinked, ptp, pfp, pfn, clock.Elapsed.TotalSeconds, chars, noisy, noisyFp);
    }

    /// <summary>Exact share of the shorter text's distinct k-word shingles found in the other.</summary>
    public static double ExactContainment(string a, string b, int k)
    {
        HashSet<string> Shingles(string t)
        {
            var w = TextFingerprint.Words(t).Select(x => TextFingerprint.Normalize(t.Substring(x.Start, x.Length))).ToList();
            var set = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i + k <= w.Count; i++) set.Add(string.Join(' ', w.Skip(i).Take(k)));
            return set;
        }
        var sa = Shingles(a);
        var sb = Shingles(b);
        if (sa.Count == 0 || sb.Count == 0) return 0;
        int inter = sa.Count(sb.Contains);
        return (double)inter / Math.Min(sa.Count, sb.Count);
    }

    /// <summary>An edited copy of an article, as another outlet would run the same wire story.</summary>
    public static string EditedCopy(string text, IReadOnlyList<string>? headlines, string unrelated, string[] vocabulary, CopyEdits e, Random rng)
    {
        var paragraphs = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        // Sentence drops (keep at least one sentence per paragraph).
        for (int p = 0; p < paragraphs.Count; p++)
        {
            var sentences = SplitSentences(paragraphs[p]);
            var kept = sentences.Where(_ => rng.NextDouble() >= e.SentenceDrop).ToList();
            if (kept.Count == 0) kept.Add(sentences[0]);
            paragraphs[p] = string.Join(" ", kept);
        }
        if (rng.NextDouble() < e.TrimEnd && paragraphs.Count > 1)
            paragraphs = paragraphs.Take(Math.Max(1, (int)Math.Round(paragraphs.Count * (0.5 + 0.3 * rng.NextDouble())))).ToList();
        if (rng.NextDouble() < e.ParagraphSwap && paragraphs.Count > 2)
        {
            int i = rng.Next(paragraphs.Count - 1);
            (paragraphs[i], paragraphs[i + 1]) = (paragraphs[i + 1], paragraphs[i]);
        }
        if (rng.NextDouble() < e.AddParagraph)
        {
            var extra = unrelated.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (extra.Length > 0) paragraphs.Insert(rng.Next(paragraphs.Count + 1), extra[rng.Next(extra.Length)]);
        }
        var body = string.Join("\n\n", paragraphs);
        // Word substitutions.
        var sb = new StringBuilder(body.Length + 64);
        int last = 0;
        foreach (var (s, l) in TextFingerprint.Words(body))
        {
            if (rng.NextDouble() >= e.WordSubstitution) continue;
            sb.Append(body, last, s - last).Append(vocabulary[rng.Next(vocabulary.Length)]);
            last = s + l;
        }
        sb.Append(body, last, body.Length - last);
        body = sb.ToString();

        var head = new StringBuilder();
        if (headlines is { Count: > 0 }) head.Append(headlines[rng.Next(headlines.Count)]).Append("\n\n");
        if (rng.NextDouble() < e.Byline) head.Append("By ").Append(Names[rng.Next(Names.Length)]).Append(", ").Append(Outlets[rng.Next(Outlets.Length)]).Append("\n\n");
        if (rng.NextDouble() < e.Dateline) head.Append(Cities[rng.Next(Cities.Length)]).Append(" (AP) — ");
        return head.Append(body).ToString();
    }

    private static readonly string[] Names = ["Maria Lopez", "James Carter", "Aisha Rahman", "Tom Becker", "Li Wei", "Sarah O'Neill"];
    private static readonly string[] Outlets = ["The Daily Ledger", "Metro News", "Valley Herald", "Coast Times"];
    private static readonly string[] Cities = ["WASHINGTON", "LONDON", "NEW YORK", "PARIS", "NAIROBI"];

    private static List<string> SplitSentences(string paragraph)
    {
        var result = new List<string>();
        int start = 0;
        for (int i = 0; i < paragraph.Length - 1; i++)
        {
            if (paragraph[i] is '.' or '!' or '?' && paragraph[i + 1] == ' ' && i + 2 < paragraph.Length && char.IsUpper(paragraph[i + 2]))
            {
                result.Add(paragraph[start..(i + 1)]);
                start = i + 2;
            }
        }
        if (start < paragraph.Length) result.Add(paragraph[start..]);
        return result;
    }

    private static void Shuffle<T>(List<T> list, Random rng)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    /// <summary>RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks).</summary>
    public static class Csv
    {
        public static IEnumerable<List<string>> Read(string path)
        {
            using var r = new StreamReader(path, Encoding.UTF8);
            var row = new List<string>();
            var field = new StringBuilder();
            bool quoted = false, any = false;
            int c;
            while ((c = r.Read()) >= 0)
            {
                char ch = (char)c;
                any = true;
                if (quoted)
                {
                    if (ch == '"')
                    {
                        if (r.Peek() == '"') { r.Read(); field.Append('"'); }
                        else quoted = false;
                    }
                    else field.Append(ch);
                }
                else if (ch == '"') quoted = true;
                else if (ch == ',') { row.Add(field.ToString()); field.Clear(); }
                else if (ch == '\n') { row.Add(field.ToString().TrimEnd('\r')); field.Clear(); yield return row; row = new List<string>(); any = false; }
                else field.Append(ch);
            }
            if (any) { row.Add(field.ToString()); yield return row; }
        }
    }
}
