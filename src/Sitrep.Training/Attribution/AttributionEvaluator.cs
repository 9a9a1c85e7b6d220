using System.Diagnostics;
using System.Globalization;
using Sitrep.Text;

namespace Sitrep.Attribution;

/// <summary>Precision, recall and F1 from counts.</summary>
public readonly record struct Prf(int Correct, int Predicted, int Gold)
{
    public double Precision => Predicted == 0 ? 0 : Correct / (double)Predicted;
    public double Recall => Gold == 0 ? 0 : Correct / (double)Gold;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public static Prf operator +(Prf a, Prf b) => new(a.Correct + b.Correct, a.Predicted + b.Predicted, a.Gold + b.Gold);
}

/// <summary>Figures of one evaluation run (see <see cref="AttributionEvaluator"/> for the definitions).</summary>
public sealed record AttributionScores(
    int Articles, int GoldAttributions, int PredictedAttributions,
    Prf CueExact, Prf CueOverlap, Prf SourceExact, Prf SourceOverlap, Prf ContentExact, Prf ContentOverlap,
    Prf Pairing, Prf Attribution, double Seconds)
{
    /// <summary><c>name: value</c> lines, the headline figure (content-span overlap F1) last.</summary>
    public IEnumerable<string> Lines()
    {
        var inv = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("F4", inv);
        yield return $"articles: {Articles}";
        yield return $"gold_attributions: {GoldAttributions}";
        yield return $"predicted_attributions: {PredictedAttributions}";
        foreach (var (name, p) in new[]
                 {
                     ("cue_exact", CueExact), ("cue_overlap", CueOverlap), ("source_exact", SourceExact), ("source_overlap", SourceOverlap),
                     ("content_exact", ContentExact), ("pairing", Pairing), ("attribution", Attribution),
                 })
        {
            yield return $"{name}_precision: {F(p.Precision)}";
            yield return $"{name}_recall: {F(p.Recall)}";
            yield return $"{name}_f1: {F(p.F1)}";
        }
        yield return $"content_overlap_precision: {F(ContentOverlap.Precision)}";
        yield return $"content_overlap_recall: {F(ContentOverlap.Recall)}";
        yield return string.Create(inv, $"seconds: {Seconds:F2}");
        yield return string.Create(inv, $"articles_per_second: {(Seconds > 0 ? Articles / Seconds : 0):F0}");
        yield return $"content_overlap_f1: {F(ContentOverlap.F1)}";
    }
}

/// <summary>
/// Scores the extractor against PolNeAR-style gold attributions. Spans are compared as sets of word tokens (our
/// <see cref="Tokenizer"/>'s Word and Number tokens; punctuation and quotation marks do not count, since the corpus is
/// inconsistent about them at span edges):
/// <list type="bullet">
/// <item><b>exact</b>: a predicted span matches a gold span of the same role when their word-token sets are equal;</item>
/// <item><b>overlap</b>: when they share at least one word token; predictions and gold spans are matched one-to-one,
/// greedily by the number of shared tokens (largest first), so one long prediction cannot match two gold spans;</item>
/// <item><b>pairing</b>: over attributions that have both a source and a content, a predicted (source, content) pair
/// matches a gold one when both its source and its content overlap-match that gold attribution's (one-to-one);</item>
/// <item><b>attribution</b>: every attribution, a predicted one matches a gold one when the contents overlap-match and
/// either both have no source or the sources overlap-match.</item>
/// </list>
/// A content in several pieces is one span (the union of its pieces). Predictions that lie in ranges the annotators
/// set aside (Discard, Discuss) and match nothing are not counted.
/// </summary>
public static class AttributionEvaluator
{
    private sealed record Item(int[] Source, int[] Cue, int[] Content);

    /// <summary>Runs <paramref name="extractor"/> on every article (tokenised and split as one body, no entities) and scores it.</summary>
    public static AttributionScores Evaluate(AttributionExtractor extractor, IReadOnlyList<PolNearArticle> articles)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(articles);
        var total = new Counts();
        double extracting = 0;
        foreach (var a in articles)
        {
            var tokens = Tokenizer.Tokenize(a.Text);
            var t0 = Stopwatch.GetTimestamp();
            var sentences = new List<SentenceSpan>();
            SentenceSplitter.Split(a.Text, tokens, sentences);
            var quotes = extractor.Extract(a.Text, [(0, a.Text.Length)], tokens, sentences, []);
            extracting += Stopwatch.GetElapsedTime(t0).TotalSeconds;
            total.Add(Score(a, tokens.ToArray(), quotes));
        }
        return new AttributionScores(articles.Count, total.Gold, total.Predicted, total.CueExact, total.CueOverlap, total.SourceExact, total.SourceOverlap,
            total.ContentExact, total.ContentOverlap, total.Pairing, total.Attribution, extracting);
    }

    /// <summary>Counts of one article or a sum of them.</summary>
    internal sealed class Counts
    {
        public int Gold, Predicted;
        public Prf CueExact, CueOverlap, SourceExact, SourceOverlap, ContentExact, ContentOverlap, Pairing, Attribution;

        public void Add(Counts c)
        {
            Gold += c.Gold;
            Predicted += c.Predicted;
            CueExact += c.CueExact;
            CueOverlap += c.CueOverlap;
            SourceExact += c.SourceExact;
            SourceOverlap += c.SourceOverlap;
            ContentExact += c.ContentExact;
            ContentOverlap += c.ContentOverlap;
            Pairing += c.Pairing;
            Attribution += c.Attribution;
        }
    }

    /// <summary>
    /// Scores the quotes of one article against its gold attributions. A statement (the quotes sharing a
    /// <see cref="Quote.Statement"/>) is one prediction: its source is the speaker's <see cref="Speaker.Mention"/> (the
    /// words at the cue, which is what PolNeAR annotates, not the antecedent a back-reference resolves to), its cue the
    /// quote's cue, its content the union of its pieces.
    /// </summary>
    internal static Counts Score(PolNearArticle a, Token[] tokens, IReadOnlyList<Quote> quotes)
    {
        int[] Words(IEnumerable<TextSpan> spans) => WordTokens(a.Text, tokens, spans);
        var g = a.Attributions.Select(x => new Item(Words(x.Source), Words(x.Cue), Words(x.Content))).Where(x => x.Content.Length > 0).ToList();
        var p = quotes.GroupBy(q => q.Statement).Select(grp =>
        {
            var first = grp.First();
            var src = first.Speaker.Mention is { } m ? Words([m]) : [];
            var cue = first.Cue is { } c ? Words([new TextSpan(c.Start, c.End)]) : [];
            return new Item(src, cue, Words(grp.Select(q => new TextSpan(q.Start, q.End))));
        }).Where(x => x.Content.Length > 0).ToList();
        var ignored = Words(a.Ignored).ToHashSet();
        // Predictions wholly inside set-aside ranges are dropped unless they match something.
        p = p.Where(x => !x.Content.All(ignored.Contains) || g.Any(y => Shares(x.Content, y.Content))).ToList();
        return new Counts
        {
            Gold = g.Count,
            Predicted = p.Count,
            CueExact = Exact(p.Select(x => x.Cue), g.Select(x => x.Cue)),
            CueOverlap = Overlap(p.Select(x => x.Cue), g.Select(x => x.Cue)),
            SourceExact = Exact(p.Select(x => x.Source), g.Select(x => x.Source)),
            SourceOverlap = Overlap(p.Select(x => x.Source), g.Select(x => x.Source)),
            ContentExact = Exact(p.Select(x => x.Content), g.Select(x => x.Content)),
            ContentOverlap = Overlap(p.Select(x => x.Content), g.Select(x => x.Content)),
            Pairing = Pairs(p.Where(x => x.Source.Length > 0).ToList(), g.Where(x => x.Source.Length > 0).ToList(), requireSource: true),
            Attribution = Pairs(p, g, requireSource: false),
        };
    }

    /// <summary>Indices of the word tokens that overlap any of the spans, sorted.</summary>
    internal static int[] WordTokens(string text, Token[] tokens, IEnumerable<TextSpan> spans)
    {
        var set = new SortedSet<int>();
        foreach (var sp in spans)
        {
            for (int i = AttributionDocument.LowerBound(tokens, sp.Start); i < tokens.Length && tokens[i].Start < sp.End; i++)
                if (tokens[i].End > sp.Start && tokens[i].Kind is TokenKind.Word or TokenKind.Number) set.Add(i);
        }
        return [.. set];
    }

    private static bool Shares(int[] a, int[] b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) return true;
            if (a[i] < b[j]) i++; else j++;
        }
        return false;
    }

    private static int Shared(int[] a, int[] b)
    {
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { n++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return n;
    }

    private static Prf Exact(IEnumerable<int[]> predicted, IEnumerable<int[]> gold)
    {
        var p = predicted.Where(x => x.Length > 0).ToList();
        var g = gold.Where(x => x.Length > 0).ToList();
        var used = new bool[g.Count];
        int correct = 0;
        foreach (var x in p)
        {
            for (int k = 0; k < g.Count; k++)
            {
                if (used[k] || !x.AsSpan().SequenceEqual(g[k])) continue;
                used[k] = true;
                correct++;
                break;
            }
        }
        return new Prf(correct, p.Count, g.Count);
    }

    private static Prf Overlap(IEnumerable<int[]> predicted, IEnumerable<int[]> gold)
    {
        var p = predicted.Where(x => x.Length > 0).ToList();
        var g = gold.Where(x => x.Length > 0).ToList();
        var candidates = new List<(int Shared, int P, int G)>();
        for (int i = 0; i < p.Count; i++)
            for (int k = 0; k < g.Count; k++)
            {
                int s = Shared(p[i], g[k]);
                if (s > 0) candidates.Add((s, i, k));
            }
        return new Prf(Greedy(candidates, p.Count, g.Count), p.Count, g.Count);
    }

    private static int Greedy(List<(int Shared, int P, int G)> candidates, int np, int ng)
    {
        candidates.Sort((a, b) => b.Shared != a.Shared ? b.Shared.CompareTo(a.Shared) : a.P != b.P ? a.P.CompareTo(b.P) : a.G.CompareTo(b.G));
        var usedP = new bool[np];
        var usedG = new bool[ng];
        int correct = 0;
        foreach (var (_, i, k) in candidates)
        {
            if (usedP[i] || usedG[k]) continue;
            usedP[i] = usedG[k] = true;
            correct++;
        }
        return correct;
    }

    private static Prf Pairs(List<Item> p, List<Item> g, bool requireSource)
    {
        var candidates = new List<(int Shared, int P, int G)>();
        for (int i = 0; i < p.Count; i++)
            for (int k = 0; k < g.Count; k++)
            {
                int s = Shared(p[i].Content, g[k].Content);
                if (s == 0) continue;
                bool sourceOk = requireSource || p[i].Source.Length > 0 || g[k].Source.Length > 0
                    ? p[i].Source.Length > 0 && g[k].Source.Length > 0 && Shares(p[i].Source, g[k].Source)
                    : true;
                if (sourceOk) candidates.Add((s, i, k));
            }
        return new Prf(Greedy(candidates, p.Count, g.Count), p.Count, g.Count);
    }
}
