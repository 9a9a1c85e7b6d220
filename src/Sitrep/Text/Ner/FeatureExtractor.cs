using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sitrep.Text.Ner;

/// <summary>Feature groups, switchable for ablations. Stored in the model file.</summary>
[Flags]
public enum NerFeatures
{
    None = 0,
    /// <summary>Word form, lower-case form, prefixes and suffixes of the current word.</summary>
    Word = 1 << 0,
    /// <summary>Word shape (Xxxx, dd-dd ...) of the word and of its neighbours.</summary>
    Shape = 1 << 1,
    /// <summary>Neighbouring words (±2) and word bigrams.</summary>
    Context = 1 << 2,
    /// <summary>Brown-cluster bit-string prefixes of the word and its neighbours.</summary>
    Clusters = 1 << 3,
    /// <summary>How often the word is capitalised mid-sentence in unlabeled news text.</summary>
    CorpusCase = 1 << 4,
    /// <summary>How the word is cased elsewhere in the document (non-initially, outside ALL-CAPS lines).</summary>
    DocCase = 1 << 5,
    /// <summary>Sentence position and ALL-CAPS sentence flags.</summary>
    Sentence = 1 << 6,
    /// <summary>Previous tag, previous two tags, previous tag × word / shape.</summary>
    PrevTags = 1 << 7,
    /// <summary>Entity types already predicted for the same word earlier in the document.</summary>
    History = 1 << 8,
    /// <summary>Gazetteer matches (only when a gazetteer is given).</summary>
    Gazetteer = 1 << 9,
    /// <summary>Longer context: ±3 words, and word × previous cluster combinations.</summary>
    WideContext = 1 << 10,

    Default = Word | Shape | Context | Clusters | CorpusCase | DocCase | Sentence | PrevTags | History,
}

/// <summary>Per-token values computed once from the token's characters.</summary>
internal struct TokInfo
{
    public ulong Form, Lower, Shape, Short;
    public ulong P1, P2, P3, P4, S1, S2, S3, S4;
    public uint Path;
    public byte PathLen, Cap, Casing, DocCase, Sent, Gaz, Len;
}

/// <summary>Reusable buffers for tagging or training one document (not thread-safe; one per thread).</summary>
internal sealed class NerScratch
{
    public TokInfo[] Info = new TokInfo[256];
    public int[] Rows = new int[256 * FeatureExtractor.Stride];
    public byte[] Counts = new byte[256];
    public byte[] Tags = new byte[256];
    public float[] Probs = new float[256];
    public readonly Dictionary<ulong, byte> DocCase = new();
    public readonly Dictionary<ulong, History> Hist = new();
    public readonly List<Chunk> Chunks = new();

    public void Ensure(int n)
    {
        if (Info.Length >= n) return;
        int cap = Info.Length;
        while (cap < n) cap *= 2;
        Info = new TokInfo[cap];
        Rows = new int[cap * FeatureExtractor.Stride];
        Counts = new byte[cap];
        Tags = new byte[cap];
        Probs = new float[cap];
    }

    [ThreadStatic] private static NerScratch? _cached;

    public static NerScratch Rent() { var s = _cached ?? new NerScratch(); _cached = null; return s; }
    public static void Return(NerScratch s) => _cached = s;
}

/// <summary>Counts of the entity types predicted so far in a document for one word type.</summary>
internal struct History
{
    public ushort O, Per, Org, Loc, Misc;

    public readonly int Majority()
    {
        int best = -1, bestCount = O;
        if (Per > bestCount) { best = 0; bestCount = Per; }
        if (Org > bestCount) { best = 1; bestCount = Org; }
        if (Loc > bestCount) { best = 2; bestCount = Loc; }
        if (Misc > bestCount) { best = 3; }
        return best;
    }

    public void Add(int type)
    {
        switch (type)
        {
            case 0: Per++; break;
            case 1: Org++; break;
            case 2: Loc++; break;
            case 3: Misc++; break;
            default: O++; break;
        }
    }
}

/// <summary>
/// Turns tokens into hashed feature rows. <see cref="Prepare"/> computes per-token values for a whole document
/// (including the document-level casing table and gazetteer matches); <see cref="Static"/> emits the rows that do
/// not depend on predicted tags; <see cref="Dynamic"/> the ones that do.
/// </summary>
internal sealed class FeatureExtractor
{
    public const int Stride = 56;

    // casing classes
    private const byte CNone = 0, CLower = 1, CTitle = 2, CUpper = 3, CSingle = 4, CMixed = 5, CNumber = 6;
    // sentence flags
    private const byte SFirst = 1, SCaps = 2, SLast = 4, SShort = 8;

    private static readonly ulong Bos = FeatureHash.Of("<s>"), Eos = FeatureHash.Of("</s>");
    private static readonly ulong Bos2 = FeatureHash.Of("<s2>"), Eos2 = FeatureHash.Of("</s2>");
    private static readonly ulong Bos3 = FeatureHash.Of("<s3>"), Eos3 = FeatureHash.Of("</s3>");
    private static readonly ulong NoCluster = FeatureHash.Of("<nocluster>");

    private readonly NerLexicon _lex;
    private readonly int _bits;
    private readonly NerFeatures _f;

    public FeatureExtractor(NerLexicon lexicon, int bits, NerFeatures features)
    {
        _lex = lexicon;
        _bits = bits;
        _f = features;
    }

    public NerFeatures Features => _f;

    /// <summary>Computes per-token values for a document. Sentences must cover tokens in order.</summary>
    public void Prepare(string text, ReadOnlySpan<Token> tokens, ReadOnlySpan<SentenceSpan> sentences, NerScratch s, INerGazetteer? gazetteer)
    {
        int n = tokens.Length;
        s.Ensure(n);
        var info = s.Info;
        for (int i = 0; i < n; i++) Compute(text.AsSpan(tokens[i].Start, tokens[i].Length), ref info[i]);

        // Sentence flags.
        foreach (var sent in sentences)
        {
            int a = sent.FirstToken, b = sent.FirstToken + sent.TokenCount;
            int letters = 0, lowers = 0;
            for (int i = a; i < b; i++)
            {
                byte c = info[i].Casing;
                if (c is CLower or CTitle or CUpper or CSingle or CMixed) letters++;
                if (c is CLower or CTitle or CMixed) lowers++;
            }
            byte flags = (byte)((letters > 0 && lowers == 0 ? SCaps : 0) | (sent.TokenCount <= 3 ? SShort : 0));
            for (int i = a; i < b; i++) info[i].Sent = flags;
            if (b > a)
            {
                info[a].Sent |= SFirst;
                // the first word after an opening quote or bracket is also sentence-initial
                if (b > a + 1 && info[a].Casing == CNone) info[a + 1].Sent |= SFirst;
                info[b - 1].Sent |= SLast;
            }
        }

        // Document-level casing of each word type, from non-initial positions outside ALL-CAPS sentences.
        if ((_f & NerFeatures.DocCase) != 0)
        {
            var dc = s.DocCase;
            dc.Clear();
            for (int i = 0; i < n; i++)
            {
                ref var t = ref info[i];
                if ((t.Sent & (SFirst | SCaps)) != 0) continue;
                byte bit = t.Casing switch { CLower => 1, CTitle => 2, CUpper => 4, CSingle or CMixed => 8, _ => 0 };
                if (bit == 0) continue;
                ref byte v = ref CollectionsMarshal.GetValueRefOrAddDefault(dc, t.Lower, out _);
                v |= bit;
            }
            for (int i = 0; i < n; i++) info[i].DocCase = dc.TryGetValue(info[i].Lower, out var v) ? v : (byte)0;
        }

        if (gazetteer != null && (_f & NerFeatures.Gazetteer) != 0)
        {
            int max = Math.Max(1, gazetteer.MaxTokens);
            foreach (var sent in sentences)
            {
                int a = sent.FirstToken, b = sent.FirstToken + sent.TokenCount;
                for (int i = a; i < b; i++)
                {
                    for (int len = 1; len <= max && i + len <= b; len++)
                    {
                        var types = (byte)gazetteer.Lookup(text, tokens.Slice(i, len));
                        if (types == 0) continue;
                        info[i].Gaz |= types;
                        for (int j = i + 1; j < i + len; j++) info[j].Gaz |= (byte)(types << 4);
                    }
                }
            }
        }
    }

    private void Compute(ReadOnlySpan<char> w, ref TokInfo t)
    {
        ulong form = FeatureHash.Seed, lower = FeatureHash.Seed, shape = FeatureHash.Seed ^ 1, shrt = FeatureHash.Seed ^ 2;
        int upper = 0, lowerCount = 0, digits = 0, others = 0;
        char prevCls = '\0';
        int run = 0;
        ulong p = FeatureHash.Seed ^ 3;
        t.P1 = t.P2 = t.P3 = t.P4 = 0;
        for (int i = 0; i < w.Length; i++)
        {
            char c = FeatureHash.Normalize(w[i]);
            char lc = FeatureHash.Lower(c);
            form = FeatureHash.Step(form, c);
            lower = FeatureHash.Step(lower, lc);
            char cls;
            if (char.IsUpper(c)) { cls = 'X'; upper++; }
            else if (char.IsLower(c)) { cls = 'x'; lowerCount++; }
            else if (char.IsDigit(c)) { cls = 'd'; digits++; }
            else { cls = c; others++; }
            if (cls == prevCls) run++;
            else { run = 1; shrt = FeatureHash.Step(shrt, cls); prevCls = cls; }
            if (run <= 4) shape = FeatureHash.Step(shape, cls);
            if (i < 4)
            {
                p = FeatureHash.Step(p, lc);
                ulong ph = FeatureHash.Fmix(p + (ulong)i);
                switch (i)
                {
                    case 0: t.P1 = ph; break;
                    case 1: t.P2 = ph; break;
                    case 2: t.P3 = ph; break;
                    default: t.P4 = ph; break;
                }
            }
        }
        ulong sfx = FeatureHash.Seed ^ 4;
        t.S1 = t.S2 = t.S3 = t.S4 = 0;
        for (int i = 0; i < 4 && i < w.Length; i++)
        {
            sfx = FeatureHash.Step(sfx, FeatureHash.Lower(FeatureHash.Normalize(w[w.Length - 1 - i])));
            ulong sh = FeatureHash.Fmix(sfx + (ulong)i);
            switch (i)
            {
                case 0: t.S1 = sh; break;
                case 1: t.S2 = sh; break;
                case 2: t.S3 = sh; break;
                default: t.S4 = sh; break;
            }
        }
        t.Form = FeatureHash.Fmix(form ^ (ulong)w.Length ^ 0x77);
        t.Lower = FeatureHash.Fmix(lower ^ (ulong)w.Length);
        t.Shape = FeatureHash.Fmix(shape);
        t.Short = FeatureHash.Fmix(shrt);
        int letters = upper + lowerCount;
        t.Casing = letters == 0 ? (digits > 0 ? CNumber : CNone)
            : lowerCount == 0 ? (upper == 1 && letters == 1 ? CSingle : CUpper)
            : upper == 0 ? CLower
            : upper == 1 && char.IsUpper(FeatureHash.Normalize(w[0])) ? CTitle
            : CMixed;
        t.Len = (byte)Math.Min(w.Length, 12);
        _lex.TryGet(t.Lower, out t.Path, out t.PathLen, out t.Cap);
        t.Sent = 0;
        t.DocCase = 0;
        t.Gaz = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int R(ulong h) => FeatureHash.Row(h, _bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ClusterPrefix(in TokInfo t, int len) =>
        t.PathLen == 0 ? NoCluster : ((ulong)(t.Path >> (32 - Math.Min(len, (int)t.PathLen))) << 8) | (uint)Math.Min(len, (int)t.PathLen);

    /// <summary>Writes the rows of the tag-independent features of token i (sentence [a, b)) into dst; returns the count.</summary>
    public int Static(TokInfo[] info, int i, int a, int b, Span<int> dst)
    {
        int n = 0;
        ref readonly var t = ref info[i];
        var f = _f;
        dst[n++] = R(FeatureHash.Mix(0, 0));
        if ((f & NerFeatures.Word) != 0)
        {
            dst[n++] = R(FeatureHash.Mix(1, t.Form));
            dst[n++] = R(FeatureHash.Mix(2, t.Lower));
            if (t.P1 != 0) dst[n++] = R(FeatureHash.Mix(4, t.P1));
            if (t.P2 != 0) dst[n++] = R(FeatureHash.Mix(4, t.P2));
            if (t.P3 != 0) dst[n++] = R(FeatureHash.Mix(4, t.P3));
            if (t.P4 != 0) dst[n++] = R(FeatureHash.Mix(4, t.P4));
            if (t.S1 != 0) dst[n++] = R(FeatureHash.Mix(5, t.S1));
            if (t.S2 != 0) dst[n++] = R(FeatureHash.Mix(5, t.S2));
            if (t.S3 != 0) dst[n++] = R(FeatureHash.Mix(5, t.S3));
            if (t.S4 != 0) dst[n++] = R(FeatureHash.Mix(5, t.S4));
        }
        ulong lm1 = i > a ? info[i - 1].Lower : Bos, lp1 = i + 1 < b ? info[i + 1].Lower : Eos;
        ulong sm1 = i > a ? info[i - 1].Short : Bos, sp1 = i + 1 < b ? info[i + 1].Short : Eos;
        if ((f & NerFeatures.Shape) != 0)
        {
            dst[n++] = R(FeatureHash.Mix(3, t.Shape));
            dst[n++] = R(FeatureHash.Mix(6, t.Short, (ulong)t.Len));
            dst[n++] = R(FeatureHash.Mix(7, sm1, t.Short));
            dst[n++] = R(FeatureHash.Mix(8, t.Short, sp1));
            dst[n++] = R(FeatureHash.Mix(9, sm1, t.Short, sp1));
            ulong cm1 = i > a ? info[i - 1].Casing : 99UL, cp1 = i + 1 < b ? info[i + 1].Casing : 99UL;
            dst[n++] = R(FeatureHash.Mix(10, cm1, t.Casing, cp1));
        }
        if ((f & NerFeatures.Context) != 0)
        {
            ulong lm2 = i > a + 1 ? info[i - 2].Lower : Bos2, lp2 = i + 2 < b ? info[i + 2].Lower : Eos2;
            dst[n++] = R(FeatureHash.Mix(11, lm1));
            dst[n++] = R(FeatureHash.Mix(12, lp1));
            dst[n++] = R(FeatureHash.Mix(13, lm2));
            dst[n++] = R(FeatureHash.Mix(14, lp2));
            dst[n++] = R(FeatureHash.Mix(15, lm1, t.Lower));
            dst[n++] = R(FeatureHash.Mix(16, t.Lower, lp1));
            dst[n++] = R(FeatureHash.Mix(17, lm1, t.Short));
            dst[n++] = R(FeatureHash.Mix(18, t.Short, lp1));
            if (i > a) dst[n++] = R(FeatureHash.Mix(19, info[i - 1].Form));
            if (i + 1 < b) dst[n++] = R(FeatureHash.Mix(20, info[i + 1].Form));
        }
        if ((f & NerFeatures.WideContext) != 0)
        {
            ulong lm3 = i > a + 2 ? info[i - 3].Lower : Bos3, lp3 = i + 3 < b ? info[i + 3].Lower : Eos3;
            dst[n++] = R(FeatureHash.Mix(21, lm3));
            dst[n++] = R(FeatureHash.Mix(22, lp3));
            ulong lm2 = i > a + 1 ? info[i - 2].Lower : Bos2, lp2 = i + 2 < b ? info[i + 2].Lower : Eos2;
            dst[n++] = R(FeatureHash.Mix(23, lm2, lm1));
            dst[n++] = R(FeatureHash.Mix(24, lp1, lp2));
        }
        if ((f & NerFeatures.Clusters) != 0)
        {
            dst[n++] = R(FeatureHash.Mix(30, ClusterPrefix(t, 4)));
            dst[n++] = R(FeatureHash.Mix(31, ClusterPrefix(t, 6)));
            dst[n++] = R(FeatureHash.Mix(32, ClusterPrefix(t, 10)));
            dst[n++] = R(FeatureHash.Mix(33, ClusterPrefix(t, 20)));
            if (i > a)
            {
                dst[n++] = R(FeatureHash.Mix(34, ClusterPrefix(info[i - 1], 4)));
                dst[n++] = R(FeatureHash.Mix(35, ClusterPrefix(info[i - 1], 10)));
            }
            if (i + 1 < b)
            {
                dst[n++] = R(FeatureHash.Mix(36, ClusterPrefix(info[i + 1], 4)));
                dst[n++] = R(FeatureHash.Mix(37, ClusterPrefix(info[i + 1], 10)));
            }
            dst[n++] = R(FeatureHash.Mix(38, ClusterPrefix(t, 8), t.Casing));
        }
        if ((f & NerFeatures.CorpusCase) != 0)
        {
            dst[n++] = R(FeatureHash.Mix(40, t.Cap, t.Casing, (ulong)(t.Sent & (SFirst | SCaps))));
        }
        if ((f & NerFeatures.DocCase) != 0)
        {
            dst[n++] = R(FeatureHash.Mix(41, t.DocCase, t.Casing, (ulong)(t.Sent & (SFirst | SCaps))));
        }
        if ((f & NerFeatures.Sentence) != 0)
        {
            dst[n++] = R(FeatureHash.Mix(42, t.Sent, t.Casing));
            if ((t.Sent & SCaps) != 0) dst[n++] = R(FeatureHash.Mix(43, t.Lower));
        }
        if ((f & NerFeatures.Gazetteer) != 0 && t.Gaz != 0)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                if ((t.Gaz & (1 << bit)) != 0) dst[n++] = R(FeatureHash.Mix(44, (ulong)bit));
            }
            dst[n++] = R(FeatureHash.Mix(45, t.Gaz, t.Casing));
        }
        return n;
    }

    /// <summary>Number of tag-dependent rows (at most).</summary>
    public const int MaxDynamic = 6;

    /// <summary>Writes the rows of the features that depend on previous tags and on the document history.</summary>
    public int Dynamic(in TokInfo t, int prev1, int prev2, NerScratch s, TagSet tags, Span<int> dst)
    {
        int n = 0;
        var f = _f;
        if ((f & NerFeatures.PrevTags) != 0)
        {
            ulong p1 = (ulong)(prev1 + 1), p2 = (ulong)(prev2 + 1);
            dst[n++] = R(FeatureHash.Mix(50, p1));
            dst[n++] = R(FeatureHash.Mix(51, p2, p1));
            dst[n++] = R(FeatureHash.Mix(52, p1, t.Lower));
            dst[n++] = R(FeatureHash.Mix(53, p1, t.Short));
        }
        if ((f & NerFeatures.History) != 0 && t.Casing is CTitle or CUpper or CMixed or CSingle)
        {
            if (s.Hist.TryGetValue(t.Lower, out var h))
            {
                int maj = h.Majority();
                dst[n++] = R(FeatureHash.Mix(54, (ulong)(maj + 1)));
                dst[n++] = R(FeatureHash.Mix(55, (ulong)(maj + 1), t.Casing, (ulong)(t.Sent & (SFirst | SCaps))));
            }
        }
        return n;
    }

    /// <summary>Records the predicted tag of a token in the document history.</summary>
    public void Record(in TokInfo t, int type, NerScratch s)
    {
        if ((_f & NerFeatures.History) == 0 || t.Casing is not (CTitle or CUpper or CMixed or CSingle)) return;
        ref var h = ref CollectionsMarshal.GetValueRefOrAddDefault(s.Hist, t.Lower, out _);
        h.Add(type);
    }
}
