using Sitrep.Text;

namespace Sitrep.Stories;

/// <summary>A text prepared for stance features: its content words (stemmed), all its words lower-cased, and its
/// sentences as ranges of both.</summary>
internal sealed class StanceText
{
    public required string[] Content { get; init; }
    public required string[] Lower { get; init; }
    /// <summary>Per sentence: [start, end) into <see cref="Content"/> and into <see cref="Lower"/>.</summary>
    public required (int CStart, int CEnd, int LStart, int LEnd)[] Sentences { get; init; }
    public required HashSet<string> Names { get; init; }
    public required int Questions { get; init; }
    public required int Quotes { get; init; }

    public static StanceText Analyze(string text)
    {
        var tokens = Tokenizer.Tokenize(text);
        var spans = new List<SentenceSpan>();
        SentenceSplitter.Split(text, tokens, spans);
        if (spans.Count == 0) spans.Add(new SentenceSpan(0, text.Length, 0, tokens.Count));
        var content = new List<string>();
        var lower = new List<string>();
        var sentences = new List<(int, int, int, int)>();
        int questions = 0, quotes = 0;
        foreach (var s in spans)
        {
            int c0 = content.Count, l0 = lower.Count;
            for (int i = s.FirstToken; i < s.EndToken; i++)
            {
                var t = tokens[i];
                if (t.Kind == TokenKind.Quote) quotes++;
                if (t.Kind == TokenKind.Punct && text[t.Start] == '?') questions++;
                if (t.Kind != TokenKind.Word && t.Kind != TokenKind.Number) continue;
                string w = TextTerms.Normalize(t.AsSpan(text));
                if (w.Length == 0) continue;
                lower.Add(w);
                if ((w.Length >= 2 || t.Kind == TokenKind.Number) && !TextTerms.Stopwords.Contains(w)) content.Add(TextTerms.Stem(w));
            }
            if (lower.Count > l0) sentences.Add((c0, content.Count, l0, lower.Count));
        }
        if (sentences.Count == 0) sentences.Add((0, 0, 0, 0));
        var names = new List<string>();
        TextTerms.ProperNouns(text, names);
        return new StanceText
        {
            Content = content.ToArray(), Lower = lower.ToArray(), Sentences = sentences.ToArray(),
            Names = names.Where(n => !n.Contains('_')).ToHashSet(StringComparer.Ordinal), Questions = questions, Quotes = quotes,
        };
    }
}

/// <summary>Document frequencies for stance features (from the training headlines and bodies).</summary>
internal sealed class StanceIdf(Dictionary<string, float> idf, float unseen, float averageBodyLength)
{
    public Dictionary<string, float> Table => idf;
    public float Unseen => unseen;
    public float AverageBodyLength => averageBodyLength;

    public float this[string term] => idf.TryGetValue(term, out float v) ? v : unseen;

    public static StanceIdf Build(IEnumerable<StanceText> documents, IEnumerable<StanceText> bodies)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        int n = 0;
        foreach (var d in documents)
        {
            n++;
            foreach (var t in d.Content.Distinct()) df[t] = df.GetValueOrDefault(t) + 1;
        }
        var idf = new Dictionary<string, float>(df.Count, StringComparer.Ordinal);
        foreach (var (t, c) in df.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            if (c >= 2) idf[t] = (float)(Math.Log((1.0 + n) / (1.0 + c)) + 1);
        float unseen = (float)(Math.Log((1.0 + n) / 2.0) + 1);
        var lengths = bodies.Select(b => b.Content.Length).ToArray();
        return new StanceIdf(idf, unseen, lengths.Length == 0 ? 300f : (float)lengths.Average());
    }
}

/// <summary>The dense feature vector of a headline–body pair.</summary>
internal static class StanceFeatures
{
    private static readonly HashSet<string> Refute = new(StringComparer.Ordinal)
    {
        "fake", "fraud", "hoax", "false", "deny", "denies", "denied", "denial", "despite", "nope", "doubt", "doubts", "bogus", "debunk",
        "debunked", "debunks", "prank", "pranks", "retract", "retracted", "retraction", "untrue", "misleading", "satire", "satirical",
        "fabricated", "myth", "baseless", "incorrect", "wrong", "dismissed", "dismisses", "refuted", "refutes", "refute", "rejected", "rejects",
        "contrary", "photoshopped", "scam", "unfounded", "unsubstantiated", "falsely", "fiction", "fictional", "joke", "spoof", "parody",
        "hoaxes", "debunking", "lie", "lies", "lied", "erroneous", "mistaken", "mistakenly", "clarified", "clarify", "not", "no", "never",
        "nothing", "n't", "none", "neither",
    };

    private static readonly HashSet<string> Hedge = new(StringComparer.Ordinal)
    {
        "reportedly", "allegedly", "alleged", "alleges", "claims", "claimed", "claim", "claiming", "purportedly", "purported", "rumor", "rumors",
        "rumour", "rumours", "rumored", "rumoured", "unconfirmed", "unverified", "may", "might", "could", "possibly", "possible", "apparently",
        "appears", "appear", "appeared", "seems", "seem", "suggests", "suggested", "speculation", "speculate", "speculated", "sources", "source",
        "report", "reports", "reported", "according", "believed", "supposedly", "unclear", "if", "whether", "perhaps", "likely", "unlikely",
        "would", "circulating", "viral", "claiming", "purport", "questions", "question", "skeptical", "sceptical",
    };

    private static readonly HashSet<string> Support = new(StringComparer.Ordinal)
    {
        "confirmed", "confirms", "confirm", "confirming", "confirmation", "announced", "announces", "official", "officially", "indeed",
        "revealed", "reveals", "shows", "showed", "proves", "proved", "proof", "verified", "true", "statement", "actually", "now", "has",
        "have", "did", "will", "told", "said", "says", "spokesman", "spokeswoman", "spokesperson", "evidence", "footage", "died", "dead",
        "killed", "arrested", "found",
    };

    private static readonly HashSet<string>[] Lexicons = [Refute, Hedge, Support];

    public const int Count = 22 + 3 * 6 + 4;

    public static float[] Compute(StanceText h, StanceText b, StanceIdf idf)
    {
        var f = new float[Count];
        int k = 0;
        var hset = h.Content.Distinct().ToArray();
        var bcount = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in b.Content) bcount[t] = bcount.GetValueOrDefault(t) + 1;
        double hIdfSum = hset.Sum(t => (double)idf[t]);

        // TF-IDF cosine headline–body.
        f[k++] = (float)Cosine(h.Content, 0, h.Content.Length, b.Content, 0, b.Content.Length, idf);
        // Lead (first three sentences) cosine and coverage.
        int leadEnd = b.Sentences[Math.Min(2, b.Sentences.Length - 1)].CEnd;
        f[k++] = (float)Cosine(h.Content, 0, h.Content.Length, b.Content, 0, leadEnd, idf);
        // Best sentence cosine and best sentence idf coverage; the three best sentences for lexicon features.
        var sentenceScores = new double[b.Sentences.Length];
        double bestCos = 0, bestCov = 0;
        for (int s = 0; s < b.Sentences.Length; s++)
        {
            var (c0, c1, _, _) = b.Sentences[s];
            double c = Cosine(h.Content, 0, h.Content.Length, b.Content, c0, c1, idf);
            sentenceScores[s] = c;
            bestCos = Math.Max(bestCos, c);
            bestCov = Math.Max(bestCov, Coverage(hset, b.Content, c0, c1, idf, hIdfSum));
        }
        f[k++] = (float)bestCos;
        f[k++] = (float)bestCov;
        f[k++] = (float)(hIdfSum == 0 ? 0 : hset.Where(bcount.ContainsKey).Sum(t => (double)idf[t]) / hIdfSum);
        f[k++] = (float)Coverage(hset, b.Content, 0, leadEnd, idf, hIdfSum);
        f[k++] = hset.Length == 0 ? 0 : (float)hset.Count(bcount.ContainsKey) / hset.Length;
        // Bigrams of content words.
        var hb = Bigrams(h.Content, 0, h.Content.Length);
        var bb = Bigrams(b.Content, 0, b.Content.Length);
        f[k++] = hb.Count == 0 ? 0 : (float)hb.Count(bb.Contains) / hb.Count;
        var bbLead = Bigrams(b.Content, 0, leadEnd);
        f[k++] = hb.Count == 0 ? 0 : (float)hb.Count(bbLead.Contains) / hb.Count;
        // Proper nouns.
        f[k++] = h.Names.Count == 0 ? -1 : (float)h.Names.Count(b.Names.Contains) / h.Names.Count;
        f[k++] = h.Names.Count;
        // BM25 of the headline against the body.
        double bm25 = 0, len = b.Content.Length;
        foreach (var t in hset)
            if (bcount.TryGetValue(t, out int tf)) bm25 += idf[t] * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len / idf.AverageBodyLength));
        f[k++] = (float)bm25;
        f[k++] = (float)(hIdfSum == 0 ? 0 : bm25 / hIdfSum);
        f[k++] = hset.Length;
        f[k++] = (float)Math.Log(1 + b.Content.Length);
        f[k++] = (float)(hset.Sum(t => (double)bcount.GetValueOrDefault(t)) / Math.Max(1, b.Content.Length));
        // Rare headline words (high idf) found in the body.
        var rare = hset.Where(t => idf[t] > 4).ToArray();
        f[k++] = rare.Length == 0 ? -1 : (float)rare.Count(bcount.ContainsKey) / rare.Length;
        f[k++] = (float)hIdfSum;
        f[k++] = h.Questions > 0 ? 1 : 0;
        f[k++] = (float)b.Questions / b.Sentences.Length;
        f[k++] = (float)b.Quotes / Math.Max(1, b.Lower.Length) * 100;
        f[k++] = b.Sentences.Length;

        // Lexicons: rate in the body, in the lead, in the three sentences most like the headline, near headline words,
        // in the headline, and in the best sentence.
        var top = Enumerable.Range(0, b.Sentences.Length).OrderByDescending(s => sentenceScores[s]).ThenBy(s => s).Take(3).ToArray();
        var hwords = hset.ToHashSet(StringComparer.Ordinal);
        foreach (var lex in Lexicons)
        {
            int all = 0, lead = 0, inTop = 0, near = 0, best = 0;
            var leadLEnd = b.Sentences[Math.Min(2, b.Sentences.Length - 1)].LEnd;
            for (int i = 0; i < b.Lower.Length; i++)
                if (lex.Contains(b.Lower[i])) { all++; if (i < leadLEnd) lead++; }
            foreach (int s in top)
            {
                var (_, _, l0, l1) = b.Sentences[s];
                for (int i = l0; i < l1; i++) if (lex.Contains(b.Lower[i])) { inTop++; if (s == top[0]) best++; }
            }
            // Near: within 8 words of a headline content word.
            var matchPos = new List<int>();
            for (int i = 0; i < b.Lower.Length; i++)
                if (hwords.Contains(TextTerms.Stem(b.Lower[i]))) matchPos.Add(i);
            int mp = 0;
            for (int i = 0; i < b.Lower.Length; i++)
            {
                if (!lex.Contains(b.Lower[i])) continue;
                while (mp < matchPos.Count && matchPos[mp] < i - 8) mp++;
                if (mp < matchPos.Count && Math.Abs(matchPos[mp] - i) <= 8) near++;
            }
            f[k++] = (float)all / Math.Max(1, b.Lower.Length) * 100;
            f[k++] = lead;
            f[k++] = inTop;
            f[k++] = (float)near / Math.Max(1, matchPos.Count);
            f[k++] = h.Lower.Count(lex.Contains);
            f[k++] = best;
        }
        // Question marks and quotes in the best sentences; position of the best sentence.
        f[k++] = top.Length == 0 ? 0 : top[0];
        f[k++] = (float)top[0] / b.Sentences.Length;
        f[k++] = (float)sentenceScores.Average();
        f[k++] = sentenceScores.Count(s => s > 0.2f);
        if (k != Count) throw new InvalidOperationException($"feature count {k} != {Count}");
        return f;
    }

    private static double Coverage(string[] hset, string[] body, int start, int end, StanceIdf idf, double hIdfSum)
    {
        if (hIdfSum == 0) return 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = start; i < end; i++) seen.Add(body[i]);
        return hset.Where(seen.Contains).Sum(t => (double)idf[t]) / hIdfSum;
    }

    private static HashSet<string> Bigrams(string[] words, int start, int end)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (int i = start; i + 1 < end; i++) set.Add(words[i] + " " + words[i + 1]);
        return set;
    }

    private static double Cosine(string[] a, int a0, int a1, string[] b, int b0, int b1, StanceIdf idf)
    {
        var va = Weights(a, a0, a1, idf);
        var vb = Weights(b, b0, b1, idf);
        if (va.Count == 0 || vb.Count == 0) return 0;
        double dot = 0, na = 0, nb = 0;
        foreach (var (t, w) in va) { na += w * w; if (vb.TryGetValue(t, out double x)) dot += w * x; }
        foreach (var (_, w) in vb) nb += w * w;
        return dot / Math.Sqrt(na * nb);
    }

    private static Dictionary<string, double> Weights(string[] words, int start, int end, StanceIdf idf)
    {
        var tf = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = start; i < end; i++) tf[words[i]] = tf.GetValueOrDefault(words[i]) + 1;
        foreach (var t in tf.Keys.ToArray()) tf[t] = (1 + Math.Log(tf[t])) * idf[t];
        return tf;
    }
}
