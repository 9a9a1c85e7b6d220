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
    /// <summary>Second stage: what a first-stage model predicted for this word elsewhere in the document, and around it.</summary>
    Stacked = 1 << 11,
    /// <summary>Runs of capitalised words: position and length of the run, its first and last words, the words around it.</summary>
    CapsRun = 1 << 12,
    /// <summary>Bag of words 2–4 positions to the left and right.</summary>
    Window = 1 << 13,
    /// <summary>Context aggregation: the words before and after other occurrences of a capitalised word in the document.</summary>
    ContextAgg = 1 << 14,
    /// <summary>Matches against the names seen in the training data (the model's own list; jackknifed in training).</summary>
    TrainNames = 1 << 15,

    /// <summary>The configuration the committed model is trained with (see docs/ner.md for the ablations).</summary>
    Default = Word | Shape | Context | Clusters | CorpusCase | DocCase | Sentence | PrevTags | History | Window | TrainNames | Stacked,
}

/// <summary>Per-token values computed once from the token's characters.</summary>
internal struct TokInfo
{
    public ulong Form, Lower, Shape, Short;
    public ulong P1, P2, P3, P4, S1, S2, S3, S4;
    public uint Path;
    public byte PathLen, Cap, Casing, DocCase, Sent, Gaz, Gaz2, Len;
    // second stage: first-stage tag of this token (0 = O, else 1 + type*2 + inside) and, for the other occurrences
    // of the word in the document: majority type + 1, set of types, set of types where it was inside a longer entity
    public byte StTag, SMaj, STypes, SInside;
    public int RunA, RunB, Occ, NextOcc;
}

/// <summary>First-stage predictions for one word type in a document.</summary>
internal struct StackCounts
{
    public ushort O, Per, Org, Loc, Misc;
    public byte Inside;
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
    public readonly Dictionary<ulong, StackCounts> Stack = new();
    public readonly Dictionary<ulong, int> First = new();
    public readonly List<Chunk> Chunks = new();
    // Viterbi buffers (per sentence)
    public float[] Emit = new float[256 * 17];
    public float[] Delta = new float[256 * 17];
    public byte[] Back = new byte[256 * 17];
    public int[] DynRows = new int[256 * FeatureExtractor.MaxDynamic];
    public byte[] DynCounts = new byte[256];
    // per-token lower-case keys for name-list lookups
    public ulong[] NameKeys = new ulong[256];

    public void EnsureSentence(int n, int K)
    {
        if (Emit.Length < n * K)
        {
            Emit = new float[n * K * 2];
            Delta = new float[n * K * 2];
            Back = new byte[n * K * 2];
        }
        if (DynCounts.Length < n)
        {
            DynRows = new int[n * 2 * FeatureExtractor.MaxDynamic];
            DynCounts = new byte[n * 2];
        }
    }

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
    public const int Stride = 100;

    // casing classes
    private const byte CNone = 0, CLower = 1, CTitle = 2, CUpper = 3, CSingle = 4, CMixed = 5, CNumber = 6;
    // sentence flags
    private const byte SFirst = 1, SCaps = 2, SLast = 4, SShort = 8, STable = 16;

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
    /// <param name="ct">Checked every few thousand tokens and sentences (a huge document can be stopped).</param>
    public void Prepare(string text, ReadOnlySpan<Token> tokens, ReadOnlySpan<SentenceSpan> sentences, NerScratch s, INerGazetteer? gazetteer,
        NerNameList? names, CancellationToken ct = default)
    {
        int n = tokens.Length;
        s.Ensure(n);
        var info = s.Info;
        for (int i = 0; i < n; i++)
        {
            if ((i & 4095) == 4095) ct.ThrowIfCancellationRequested();
            Compute(text.AsSpan(tokens[i].Start, tokens[i].Length), ref info[i]);
        }

        // Sentence flags.
        int counted = 0;
        foreach (var sent in sentences)
        {
            if ((++counted & 255) == 0) ct.ThrowIfCancellationRequested();
            int a = sent.FirstToken, b = sent.FirstToken + sent.TokenCount;
            int letters = 0, lowers = 0, numbers = 0;
            for (int i = a; i < b; i++)
            {
                byte c = info[i].Casing;
                if (c is CLower or CTitle or CUpper or CSingle or CMixed) letters++;
                if (c is CLower or CTitle or CMixed) lowers++;
                if (c == CNumber) numbers++;
            }
            byte flags = (byte)((letters > 0 && lowers == 0 ? SCaps : 0) | (sent.TokenCount <= 3 ? SShort : 0)
                | (numbers >= 2 && numbers * 10 >= sent.TokenCount * 3 ? STable : 0));
            for (int i = a; i < b; i++) info[i].Sent = flags;
            if (b > a)
            {
                info[a].Sent |= SFirst;
                // the first word after an opening quote or bracket is also sentence-initial
                if (b > a + 1 && info[a].Casing == CNone) info[a + 1].Sent |= SFirst;
                info[b - 1].Sent |= SLast;
            }
            // runs of capitalised words (not in ALL-CAPS lines)
            for (int i = a; i < b; i++) { info[i].RunA = -1; info[i].RunB = -1; }
            if ((flags & SCaps) == 0)
            {
                for (int i = a; i < b;)
                {
                    if (!IsCap(info[i].Casing)) { i++; continue; }
                    int j = i;
                    while (j < b && IsCap(info[j].Casing)) j++;
                    for (int k = i; k < j; k++) { info[k].RunA = i; info[k].RunB = j; }
                    i = j;
                }
            }
        }

        // occurrence lists of capitalised words
        if ((_f & NerFeatures.ContextAgg) != 0)
        {
            var first = s.First;
            first.Clear();
            for (int i = n - 1; i >= 0; i--)
            {
                info[i].Occ = -1;
                info[i].NextOcc = -1;
                if (!IsCap(info[i].Casing)) continue;
                ref int head = ref CollectionsMarshal.GetValueRefOrAddDefault(first, info[i].Lower, out bool exists);
                info[i].NextOcc = exists ? head : -1;
                head = i;
            }
            for (int i = 0; i < n; i++)
            {
                if (IsCap(info[i].Casing)) info[i].Occ = first[info[i].Lower];
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

        if (names != null && (_f & NerFeatures.TrainNames) != 0)
        {
            int max = names.MaxTokens;
            // Each token's key once; an n-gram's key is then extended token by token (the same keys as
            // NerNameList.Lookup of the slice, which would hash every token again for every length).
            if (s.NameKeys.Length < n) s.NameKeys = new ulong[Math.Max(n, s.Info.Length)];
            var keys = s.NameKeys;
            for (int i = 0; i < n; i++) keys[i] = FeatureHash.LowerKey(text.AsSpan(tokens[i].Start, tokens[i].Length));
            foreach (var sent in sentences)
            {
                int a = sent.FirstToken, b = sent.FirstToken + sent.TokenCount;
                for (int i = a; i < b; i++)
                {
                    if (!IsCap(info[i].Casing)) continue;
                    ulong key = NerNameList.KeyStart;
                    for (int len = 1; len <= max && i + len <= b; len++)
                    {
                        key = NerNameList.KeyNext(key, keys[i + len - 1]);
                        var types = (byte)names.LookupKey(key, len);
                        if (types == 0) continue;
                        info[i].Gaz2 |= types;
                        for (int j = i + 1; j < i + len; j++) info[j].Gaz2 |= (byte)(types << 4);
                    }
                }
            }
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
        t.Gaz2 = 0;
    }

    private static bool IsCap(byte casing) => casing is CTitle or CUpper or CMixed or CSingle;

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
        if ((f & NerFeatures.CapsRun) != 0 && t.RunA >= 0)
        {
            int len = t.RunB - t.RunA;
            ulong pos = (ulong)(len == 1 ? 0 : i == t.RunA ? 1 : i == t.RunB - 1 ? 2 : 3);
            ulong lenB = (ulong)Math.Min(len, 4);
            ulong before = t.RunA > a ? info[t.RunA - 1].Lower : Bos, after = t.RunB < b ? info[t.RunB].Lower : Eos;
            dst[n++] = R(FeatureHash.Mix(70, pos, lenB));
            if (len > 1)
            {
                dst[n++] = R(FeatureHash.Mix(71, info[t.RunB - 1].Lower, pos));
                dst[n++] = R(FeatureHash.Mix(72, info[t.RunA].Lower, pos));
            }
            dst[n++] = R(FeatureHash.Mix(73, before, pos));
            dst[n++] = R(FeatureHash.Mix(74, after, pos));
        }
        if ((f & NerFeatures.Window) != 0)
        {
            for (int j = Math.Max(a, i - 4); j <= i - 2; j++) dst[n++] = R(FeatureHash.Mix(75, info[j].Lower));
            for (int j = i + 2; j <= i + 4 && j < b; j++) dst[n++] = R(FeatureHash.Mix(76, info[j].Lower));
        }
        if ((f & NerFeatures.ContextAgg) != 0 && t.Occ >= 0)
        {
            int taken = 0;
            for (int j = t.Occ; j >= 0 && taken < 3; j = info[j].NextOcc)
            {
                if (j == i) continue;
                taken++;
                ref readonly var o = ref info[j];
                ulong pl = (o.Sent & SFirst) != 0 || j == 0 ? Bos : info[j - 1].Lower;
                ulong nl = (o.Sent & SLast) != 0 || j + 1 >= info.Length ? Eos : info[j + 1].Lower;
                dst[n++] = R(FeatureHash.Mix(77, pl));
                dst[n++] = R(FeatureHash.Mix(78, nl));
            }
        }
        if ((f & NerFeatures.Stacked) != 0) n += Stacked(info, i, a, b, dst[n..]);
        if ((f & NerFeatures.TrainNames) != 0 && t.Gaz2 != 0)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                if ((t.Gaz2 & (1 << bit)) != 0) dst[n++] = R(FeatureHash.Mix(46, (ulong)bit));
            }
            dst[n++] = R(FeatureHash.Mix(47, t.Gaz2, t.Casing));
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

    /// <summary>
    /// Second stage: fills the S* fields of each token from first-stage tags <paramref name="stage1"/> (in the first
    /// stage's tag set): its own tag, and what the other occurrences of its word in the document were tagged.
    /// </summary>
    public static void Stack(TokInfo[] info, int n, ReadOnlySpan<byte> stage1, TagSet tags, NerScratch s)
    {
        var table = s.Stack;
        table.Clear();
        for (int i = 0; i < n; i++)
        {
            int tag = stage1[i], type = tags.Type(tag);
            var part = tags.Part(tag);
            bool inside = part is TagPart.I or TagPart.L;
            info[i].StTag = (byte)(type < 0 ? 0 : 1 + type * 2 + (inside ? 1 : 0));
            if (info[i].Casing is not (CTitle or CUpper or CMixed or CSingle)) continue;
            ref var c = ref CollectionsMarshal.GetValueRefOrAddDefault(table, info[i].Lower, out _);
            Count(ref c, type, +1);
            if (inside) c.Inside |= (byte)(1 << type);
        }
        for (int i = 0; i < n; i++)
        {
            ref var t = ref info[i];
            t.SMaj = t.STypes = t.SInside = 0;
            if (t.Casing is not (CTitle or CUpper or CMixed or CSingle)) continue;
            var c = table[t.Lower];
            int own = t.StTag == 0 ? -1 : (t.StTag - 1) / 2;
            Count(ref c, own, -1);
            int best = -1, bestCount = c.O;
            ReadOnlySpan<int> counts = [c.Per, c.Org, c.Loc, c.Misc];
            for (int k = 0; k < 4; k++)
            {
                if (counts[k] > 0) t.STypes |= (byte)(1 << k);
                if (counts[k] > bestCount) { best = k; bestCount = counts[k]; }
            }
            if (c.O > 0) t.STypes |= 16;
            // 0 = no other occurrence, 1 = mostly O, 2.. = majority type + 2
            t.SMaj = bestCount == 0 ? (byte)0 : (byte)(best + 2);
            t.SInside = c.Inside;
        }
    }

    private static void Count(ref StackCounts c, int type, int delta)
    {
        switch (type)
        {
            case 0: c.Per = (ushort)(c.Per + delta); break;
            case 1: c.Org = (ushort)(c.Org + delta); break;
            case 2: c.Loc = (ushort)(c.Loc + delta); break;
            case 3: c.Misc = (ushort)(c.Misc + delta); break;
            default: c.O = (ushort)(c.O + delta); break;
        }
    }

    /// <summary>Writes the rows of the second-stage (stacked) features of token i; returns the count.</summary>
    public int Stacked(TokInfo[] info, int i, int a, int b, Span<int> dst)
    {
        int n = 0;
        ref readonly var t = ref info[i];
        ulong s1m = i > a ? info[i - 1].StTag : 99UL, s1p = i + 1 < b ? info[i + 1].StTag : 99UL;
        dst[n++] = R(FeatureHash.Mix(60, t.StTag));
        dst[n++] = R(FeatureHash.Mix(61, s1m, t.StTag, s1p));
        dst[n++] = R(FeatureHash.Mix(62, t.SMaj, t.Casing, (ulong)(t.Sent & (SFirst | SCaps))));
        dst[n++] = R(FeatureHash.Mix(63, t.STypes, t.StTag));
        if (t.SInside != 0) dst[n++] = R(FeatureHash.Mix(64, t.SInside, t.StTag));
        dst[n++] = R(FeatureHash.Mix(65, t.SMaj, t.Lower));
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
