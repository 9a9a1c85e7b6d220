using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Sitrep.Ingest.Html;

/// <summary>
/// The two article-extraction metrics, computed as their reference scripts compute them (docs/extraction.md):
/// <list type="bullet">
/// <item>Zyte article-extraction-benchmark (<c>evaluate.py</c>): tokens are <c>\w+</c> runs (Python's Unicode
/// <c>\w</c>: letters, numbers, underscore; case kept); shingles are 4-token n-grams counted as a multiset (a text
/// of fewer than 4 tokens is one shingle); per page TP = Σ min(counts), FP and FN the excesses; per-page precision and
/// recall (1 when FP = FN = 0, 0 when TP = FP = 0 / TP = FN = 0), averaged over the pages where they are defined;
/// F1 is the harmonic mean of the two averages.</item>
/// <item>trafilatura <c>tests/evaluate.py</c> with <c>eval_common.py</c>: white space normalised (runs → one space,
/// trimmed) in both the output and the segments; every <c>with</c> segment found in the output is a true positive,
/// every one missing a false negative; every <c>without</c> segment found is a false positive, missing a true
/// negative; counts summed over all pages; P = TP/(TP+FP), R = TP/(TP+FN), F = 2TP/(2TP+FP+FN).</item>
/// </list>
/// </summary>
public static class ExtractionScoring
{
    public readonly record struct ShingleCounts(double Tp, double Fp, double Fn)
    {
        public double? Precision => Tp + Fp > 0 ? (Fp == 0 && Fn == 0 ? 1 : Tp == 0 && Fp == 0 ? 0 : Tp / (Tp + Fp)) : null;
        public double? Recall => Tp + Fn > 0 ? (Fp == 0 && Fn == 0 ? 1 : Tp == 0 && Fn == 0 ? 0 : Tp / (Tp + Fn)) : null;
    }

    /// <summary>Python's <c>re.findall(r'\w+', text)</c> for str patterns.</summary>
    public static List<string> Tokenize(string? text)
    {
        var tokens = new List<string>();
        if (string.IsNullOrEmpty(text)) return tokens;
        int start = -1, i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var r, out int len);
            bool word = IsWord(r);
            if (word && start < 0) start = i;
            else if (!word && start >= 0) { tokens.Add(text[start..i]); start = -1; }
            i += len;
        }
        if (start >= 0) tokens.Add(text[start..]);
        return tokens;
    }

    private static bool IsWord(Rune r)
    {
        if (r.Value == '_') return true;
        switch (Rune.GetUnicodeCategory(r))
        {
            case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber:
                return true;
            default:
                return false;
        }
    }

    public static ShingleCounts ShingleMatch(string? truth, string? predicted, int n = 4)
    {
        var t = Shingles(truth, n);
        var p = Shingles(predicted, n);
        double tp = 0, fp = 0, fn = 0;
        foreach (var (k, tc) in t)
        {
            p.TryGetValue(k, out int pc);
            tp += Math.Min(tc, pc);
            fn += Math.Max(0, tc - pc);
        }
        foreach (var (k, pc) in p)
        {
            t.TryGetValue(k, out int tc);
            fp += Math.Max(0, pc - tc);
        }
        double s = tp + fp + fn;
        return s > 0 ? new ShingleCounts(tp / s, fp / s, fn / s) : new ShingleCounts(0, 0, 0);
    }

    private static Dictionary<string, int> Shingles(string? text, int n)
    {
        var tokens = Tokenize(text);
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Math.Max(1, tokens.Count - n + 1); i++)
        {
            int len = Math.Min(n, tokens.Count - i);
            if (len <= 0) continue;
            var key = string.Join('\u0001', tokens, i, len);
            d[key] = d.GetValueOrDefault(key) + 1;
        }
        return d;
    }

    /// <summary>Precision and recall averaged over pages as evaluate.py does, and F1 from the two averages.</summary>
    public static (double Precision, double Recall, double F1) ZyteAverage(IEnumerable<ShingleCounts> pages)
    {
        double ps = 0, rs = 0; int pn = 0, rn = 0;
        foreach (var c in pages)
        {
            if (c.Precision is { } p) { ps += p; pn++; }
            if (c.Recall is { } r) { rs += r; rn++; }
        }
        double prec = pn == 0 ? 0 : ps / pn, rec = rn == 0 ? 0 : rs / rn;
        return (prec, rec, prec + rec == 0 ? 0 : 2 * prec * rec / (prec + rec));
    }

    public readonly record struct SegmentCounts(int Tp, int Fp, int Fn, int Tn)
    {
        public static SegmentCounts operator +(SegmentCounts a, SegmentCounts b) => new(a.Tp + b.Tp, a.Fp + b.Fp, a.Fn + b.Fn, a.Tn + b.Tn);
        public double Precision => Tp + Fp == 0 ? 0 : (double)Tp / (Tp + Fp);
        public double Recall => Tp + Fn == 0 ? 0 : (double)Tp / (Tp + Fn);
        public double F => 2 * Tp + Fp + Fn == 0 ? 0 : 2.0 * Tp / (2 * Tp + Fp + Fn);
    }

    /// <summary>
    /// Metadata agreement on the trafilatura set's annotations (our own measure, not part of trafilatura's script):
    /// title equal after white-space and case folding; author equal, or one contains the other; date equal on its
    /// first 10 characters (YYYY-MM-DD). Returns (hits, annotated pages) per field.
    /// </summary>
    public static (int Hits, int Total) MetaAgreement(IEnumerable<(string? Gold, string? Ours)> pairs, string field)
    {
        int hits = 0, total = 0;
        foreach (var (gold, ours) in pairs)
        {
            if (string.IsNullOrWhiteSpace(gold)) continue;
            total++;
            if (string.IsNullOrWhiteSpace(ours)) continue;
            var g = NormalizeSpace(gold).ToLowerInvariant();
            var o = NormalizeSpace(ours).ToLowerInvariant();
            bool ok = field switch
            {
                "date" => o.Length >= 10 && g.Length >= 10 && o[..10] == g[..10],
                "author" => o == g || o.Contains(g, StringComparison.Ordinal) || g.Contains(o, StringComparison.Ordinal),
                _ => o == g,
            };
            if (ok) hits++;
        }
        return (hits, total);
    }

    /// <summary>Python's <c>re.sub(r"\s+", " ", text).strip()</c>.</summary>
    public static string NormalizeSpace(string text) => Spaces.Collapse(text);

    public static SegmentCounts SegmentMatch(string? output, IReadOnlyList<string> with, IReadOnlyList<string> without)
    {
        if (output is null) return new SegmentCounts(0, 0, with.Count, without.Count);
        var o = NormalizeSpace(output);
        int tp = with.Count(w => o.Contains(NormalizeSpace(w), StringComparison.Ordinal));
        int fp = without.Count(w => o.Contains(NormalizeSpace(w), StringComparison.Ordinal));
        return new SegmentCounts(tp, fp, with.Count - tp, without.Count - fp);
    }
}

/// <summary>One page of an extraction benchmark, decoded: which set, its id, the HTML and what it is scored against.</summary>
public sealed record BenchmarkPage(string Set, string Id, string Html, string? Truth, IReadOnlyList<string> With, IReadOnlyList<string> Without,
    string? Title = null, string? Author = null, string? Date = null);

/// <summary>Reads the Zyte and trafilatura benchmark folders (layout in docs/extraction.md).</summary>
public static class ExtractionBenchmark
{
    /// <summary>The sets under <paramref name="dir"/>: <c>zyte/</c> and <c>trafilatura/</c>, or the folder itself when it is one of them.</summary>
    public static List<(string Set, string Dir)> FindSets(string dir)
    {
        var sets = new List<(string, string)>();
        if (File.Exists(Path.Combine(dir, "ground-truth.json"))) sets.Add(("zyte", dir));
        else if (File.Exists(Path.Combine(dir, "evaldata.json"))) sets.Add(("trafilatura", dir));
        else
        {
            var z = Path.Combine(dir, "zyte");
            var t = Path.Combine(dir, "trafilatura");
            if (File.Exists(Path.Combine(z, "ground-truth.json"))) sets.Add(("zyte", z));
            if (File.Exists(Path.Combine(t, "evaldata.json"))) sets.Add(("trafilatura", t));
        }
        return sets;
    }

    /// <summary>Loads every page of a set, decoding each file once. Throws <see cref="InvalidDataException"/> naming the file on bad data.</summary>
    public static List<BenchmarkPage> Load(string set, string dir)
    {
        var pages = new List<BenchmarkPage>();
        if (set == "zyte")
        {
            var gtPath = Path.Combine(dir, "ground-truth.json");
            using var gt = ParseJson(gtPath);
            foreach (var p in gt.RootElement.EnumerateObject())
            {
                var truth = p.Value.TryGetProperty("articleBody", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : "";
                var file = Path.Combine(dir, "html", p.Name + ".html.gz");
                byte[] bytes;
                try
                {
                    using var fs = File.OpenRead(file);
                    using var gz = new GZipStream(fs, CompressionMode.Decompress);
                    using var ms = new MemoryStream();
                    gz.CopyTo(ms);
                    bytes = ms.ToArray();
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    throw new InvalidDataException($"{file}: {e.Message}");
                }
                pages.Add(new BenchmarkPage(set, p.Name, HtmlDecoder.Decode(bytes).Text, truth ?? "", [], []));
            }
        }
        else
        {
            var evalPath = Path.Combine(dir, "evaldata.json");
            using var ev = ParseJson(evalPath);
            IEnumerable<JsonElement> items = ev.RootElement.ValueKind == JsonValueKind.Array
                ? ev.RootElement.EnumerateArray()
                : ev.RootElement.EnumerateObject().Select(o => o.Value);
            foreach (var item in items)
            {
                var name = item.TryGetProperty("file", out var f) ? f.GetString() : null;
                if (string.IsNullOrEmpty(name)) throw new InvalidDataException($"{evalPath}: an item has no \"file\"");
                var file = Path.Combine(dir, "html", name);
                byte[] bytes;
                try { bytes = File.ReadAllBytes(file); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InvalidDataException($"{file}: {e.Message}"); }
                pages.Add(new BenchmarkPage(set, name, HtmlDecoder.Decode(bytes).Text, null, Strings(item, "with"), Strings(item, "without"),
                    Str(item, "title"), Str(item, "author"), Str(item, "date")));
            }
        }
        return pages;
    }

    private static JsonDocument ParseJson(string path)
    {
        try { return JsonDocument.Parse(File.ReadAllBytes(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InvalidDataException($"{path}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static string? Str(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString() : null;

    private static List<string> Strings(JsonElement item, string name)
    {
        var list = new List<string>();
        if (item.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array)
            foreach (var s in a.EnumerateArray())
                if (s.ValueKind == JsonValueKind.String && s.GetString() is { } v) list.Add(v);
        return list;
    }
}
