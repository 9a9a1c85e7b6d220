using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Sitrep.Text.Ner;

/// <summary>
/// A trained named-entity recogniser (PER, ORG, LOC, MISC): an averaged perceptron over hashed features, decoded
/// greedily left to right with previous-tag and document-history features. Immutable after loading; tagging is
/// thread-safe (each thread uses its own scratch buffers).
/// </summary>
public sealed class NerModel
{
    private const uint Magic = 0x52454E53; // "SNER"
    private const int FormatVersion = 2;

    internal readonly TagSet Tags;
    internal readonly int Bits;
    internal readonly float[] Weights;
    internal readonly NerLexicon Lexicon;
    internal readonly FeatureExtractor Extractor;

    /// <summary>First-stage model whose predictions feed this one's <see cref="NerFeatures.Stacked"/> features (null for a single-stage model).</summary>
    internal readonly NerModel? Stage1;

    /// <summary>
    /// First-order transition scores [(prev + 1) * K + cur] (prev −1 = sentence start) when the model decodes each
    /// sentence with Viterbi (structured perceptron); null for greedy left-to-right decoding.
    /// </summary>
    internal float[]? Transitions { get; init; }

    /// <summary>Names seen in the training data (for <see cref="NerFeatures.TrainNames"/>).</summary>
    internal readonly NerNameList? Names;

    internal NerModel(TagScheme scheme, int bits, NerFeatures features, NerLexicon lexicon, float[] weights, float temperature, string description,
        NerModel? stage1 = null, NerNameList? names = null)
    {
        Stage1 = stage1;
        Names = names;
        if ((features & NerFeatures.Stacked) != 0 && (stage1 == null || stage1.Features != (features & ~NerFeatures.Stacked) || stage1.Scheme != scheme))
            throw new ArgumentException("a stacked model needs a first stage with the same features (less Stacked) and scheme");
        Tags = new TagSet(scheme);
        Bits = bits;
        Features = features;
        Lexicon = lexicon;
        Weights = weights;
        Temperature = temperature;
        Description = description;
        Extractor = new FeatureExtractor(lexicon, bits, features);
        if (weights.Length != (1 << bits) * Tags.Count) throw new ArgumentException("weight table size does not match bits × tags");
    }

    /// <summary>Feature groups the model was trained with.</summary>
    public NerFeatures Features { get; }

    /// <summary>Tag scheme used internally (entities are returned as spans either way).</summary>
    public TagScheme Scheme => Tags.Scheme;

    /// <summary>Softmax temperature applied to perceptron scores for <see cref="EntitySpan.Score"/> (fitted on dev data).</summary>
    public float Temperature { get; internal set; }

    /// <summary>Free text recorded at training time (data, epochs, dev F1).</summary>
    public string Description { get; }

    /// <summary>Gazetteer used for gazetteer features, if the model was trained with them.</summary>
    public INerGazetteer? Gazetteer
    {
        get => _gazetteer;
        set
        {
            _gazetteer = value;
            if (Stage1 != null) Stage1.Gazetteer = value;
        }
    }

    private INerGazetteer? _gazetteer;

    /// <summary>Tags a document: <paramref name="tokens"/> are spans of <paramref name="text"/>, grouped by <paramref name="sentences"/>
    /// (if empty, all tokens form one sentence). Returns entities in text order.</summary>
    public IReadOnlyList<EntitySpan> Tag(string text, ReadOnlySpan<Token> tokens, ReadOnlySpan<SentenceSpan> sentences, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (tokens.IsEmpty) return [];
        SentenceSpan[]? whole = null;
        if (sentences.IsEmpty)
        {
            whole = [new SentenceSpan(tokens[0].Start, tokens[^1].End, 0, tokens.Length)];
            sentences = whole;
        }
        var s = NerScratch.Rent();
        try
        {
            Decode(text, tokens, sentences, s, withProbs: true, ct: ct);
            var result = new List<EntitySpan>();
            foreach (var sent in sentences)
            {
                s.Chunks.Clear();
                Tags.Decode(s.Tags.AsSpan(sent.FirstToken, sent.TokenCount), sent.FirstToken, s.Chunks);
                foreach (var c in s.Chunks)
                {
                    float p = 0;
                    for (int i = c.First; i < c.First + c.Count; i++) p += s.Probs[i];
                    result.Add(new EntitySpan(tokens[c.First].Start, tokens[c.First + c.Count - 1].End, (EntityType)c.Type, p / c.Count, c.First, c.Count));
                }
            }
            return result;
        }
        finally
        {
            NerScratch.Return(s);
        }
    }

    /// <inheritdoc cref="Tag(string, ReadOnlySpan{Token}, ReadOnlySpan{SentenceSpan})"/>
    public IReadOnlyList<EntitySpan> Tag(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences, CancellationToken ct = default) =>
        Tag(text, AsSpan(tokens), AsSpan(sentences), ct);

    /// <summary>Tags pre-tokenised sentences of one document (tokens joined by single spaces, sentences by newlines);
    /// spans' offsets refer to that joined text, and <see cref="EntitySpan.FirstToken"/> counts tokens across the document.</summary>
    public IReadOnlyList<EntitySpan> Tag(IReadOnlyList<IReadOnlyList<string>> sentences)
    {
        var doc = Join(sentences);
        return Tag(doc.Text, doc.Tokens, doc.Sentences);
    }

    /// <summary>Tags one pre-tokenised sentence.</summary>
    public IReadOnlyList<EntitySpan> Tag(IReadOnlyList<string> tokens) => Tag([tokens]);

    /// <summary>BIO tags (B-PER, I-ORG, O ...) for each token of pre-tokenised sentences of one document.</summary>
    public string[][] TagBio(IReadOnlyList<IReadOnlyList<string>> sentences)
    {
        var doc = Join(sentences);
        var spans = Tag(doc.Text, doc.Tokens, doc.Sentences);
        var flat = new string[doc.Tokens.Length];
        Array.Fill(flat, "O");
        foreach (var e in spans)
        {
            string name = e.Type.ToConll();
            flat[e.FirstToken] = "B-" + name;
            for (int i = e.FirstToken + 1; i < e.FirstToken + e.TokenCount; i++) flat[i] = "I-" + name;
        }
        var result = new string[sentences.Count][];
        int k = 0;
        for (int i = 0; i < sentences.Count; i++)
        {
            result[i] = flat.AsSpan(k, sentences[i].Count).ToArray();
            k += sentences[i].Count;
        }
        return result;
    }

    private static NerDocument Join(IReadOnlyList<IReadOnlyList<string>> sentences)
    {
        var sb = new StringBuilder();
        var toks = new List<Token>();
        var sents = new List<SentenceSpan>();
        foreach (var s in sentences)
        {
            if (sb.Length > 0) sb.Append('\n');
            int start = sb.Length, first = toks.Count;
            for (int i = 0; i < s.Count; i++)
            {
                if (i > 0) sb.Append(' ');
                int st = sb.Length;
                sb.Append(s[i]);
                toks.Add(new Token(st, sb.Length, TokenKind.Word));
            }
            sents.Add(new SentenceSpan(start, sb.Length, first, s.Count));
        }
        return new NerDocument(sb.ToString(), [.. toks], [.. sents], null);
    }

    private static ReadOnlySpan<T> AsSpan<T>(IReadOnlyList<T> list) => list switch
    {
        T[] a => a,
        List<T> l => CollectionsMarshal.AsSpan(l),
        _ => list.ToArray(),
    };

    /// <summary>Greedy decoding of a whole document into <c>s.Tags</c> (and per-token probabilities into <c>s.Probs</c>).</summary>
    /// <param name="ct">Checked every few sentences (a watchdog or the user can stop a huge document).</param>
    internal void Decode(string text, ReadOnlySpan<Token> tokens, ReadOnlySpan<SentenceSpan> sentences, NerScratch s, bool withProbs, ScoreSink? sink = null, CancellationToken ct = default)
    {
        if (Stage1 != null)
        {
            Stage1.Decode(text, tokens, sentences, s, withProbs: false, ct: ct);
            ct.ThrowIfCancellationRequested();
            FeatureExtractor.Stack(s.Info, tokens.Length, s.Tags, Stage1.Tags, s);
            DecodePrepared(sentences, s, withProbs, sink, reuseStage1Rows: true, ct);
        }
        else
        {
            Extractor.Prepare(text, tokens, sentences, s, Gazetteer, Names, ct);
            ct.ThrowIfCancellationRequested();
            DecodePrepared(sentences, s, withProbs, sink, reuseStage1Rows: false, ct);
        }
    }

    /// <summary>Receives each token's scores during decoding (calibration).</summary>
    internal delegate void ScoreSink(int token, ReadOnlySpan<float> scores, int prev);

    /// <remarks>
    /// The first stage leaves each token's static rows in <c>s.Rows</c>; the second stage has the same templates plus
    /// the stacked ones (same hash size, so the same rows), so it reuses them and only adds the stacked rows.
    /// </remarks>
    private void DecodePrepared(ReadOnlySpan<SentenceSpan> sentences, NerScratch s, bool withProbs, ScoreSink? sink, bool reuseStage1Rows, CancellationToken ct = default)
    {
        int counted = 0;
        var fx = Extractor;
        s.Hist.Clear();
        int K = Tags.Count;
        Span<float> scores = stackalloc float[K];
        Span<int> dyn = stackalloc int[FeatureExtractor.MaxDynamic];
        var info = s.Info;
        var allRows = s.Rows;
        foreach (var sent in sentences)
        {
            if ((++counted & 31) == 0) ct.ThrowIfCancellationRequested();
            int a = sent.FirstToken, b = a + sent.TokenCount;
            if (sent.TokenCount <= 0) continue;
            if (Transitions != null)
            {
                DecodeSentenceViterbi(a, b, s, withProbs, sink, reuseStage1Rows);
                continue;
            }
            int prev1 = -1, prev2 = -1;
            for (int i = a; i < b; i++)
            {
                var rows = allRows.AsSpan(i * FeatureExtractor.Stride, FeatureExtractor.Stride);
                int ns;
                if (reuseStage1Rows)
                {
                    ns = s.Counts[i];
                    ns += fx.Stacked(info, i, a, b, rows[ns..]);
                }
                else
                {
                    ns = fx.Static(info, i, a, b, rows);
                    s.Counts[i] = (byte)ns;
                }
                int nd = fx.Dynamic(info[i], prev1, prev2, s, Tags, dyn);
                scores.Clear();
                Accumulate(Weights, rows[..ns], K, scores);
                Accumulate(Weights, dyn[..nd], K, scores);
                int best = Best(scores, prev1, i == b - 1);
                sink?.Invoke(i, scores, prev1);
                s.Tags[i] = (byte)best;
                if (withProbs && best != 0) s.Probs[i] = Probability(scores, prev1, best);
                fx.Record(info[i], Tags.Type(best), s);
                prev2 = prev1;
                prev1 = best;
            }
        }
    }

    private void DecodeSentenceViterbi(int a, int b, NerScratch s, bool withProbs, ScoreSink? sink, bool reuseStage1Rows)
    {
        var fx = Extractor;
        int K = Tags.Count, n = b - a;
        s.EnsureSentence(n, K);
        Span<int> dyn = stackalloc int[FeatureExtractor.MaxDynamic];
        var info = s.Info;
        var emit = s.Emit.AsSpan(0, n * K);
        emit.Clear();
        for (int i = a; i < b; i++)
        {
            var rows = s.Rows.AsSpan(i * FeatureExtractor.Stride, FeatureExtractor.Stride);
            int ns;
            if (reuseStage1Rows)
            {
                ns = s.Counts[i];
                ns += fx.Stacked(info, i, a, b, rows[ns..]);
            }
            else
            {
                ns = fx.Static(info, i, a, b, rows);
                s.Counts[i] = (byte)ns;
            }
            int nd = fx.Dynamic(info[i], -1, -1, s, Tags, dyn);
            var e = emit.Slice((i - a) * K, K);
            Accumulate(Weights, rows[..ns], K, e);
            Accumulate(Weights, dyn[..nd], K, e);
        }
        Viterbi(emit, n, Transitions!, s, s.Tags.AsSpan(a, n));
        Span<float> scores = stackalloc float[K];
        for (int i = a; i < b; i++)
        {
            int prev = i == a ? -1 : s.Tags[i - 1], tag = s.Tags[i];
            if (sink != null || (withProbs && tag != 0))
            {
                TransitionScores(emit.Slice((i - a) * K, K), prev, Transitions!, scores);
                sink?.Invoke(i, scores, prev);
                if (withProbs && tag != 0) s.Probs[i] = Probability(scores, prev, tag);
            }
        }
        for (int i = a; i < b; i++) fx.Record(info[i], Tags.Type(s.Tags[i]), s);
    }

    /// <summary>Emission plus the transition from <paramref name="prev"/>, per tag.</summary>
    internal void TransitionScores(ReadOnlySpan<float> emission, int prev, float[] transitions, Span<float> scores)
    {
        int K = Tags.Count, row = (prev + 1) * K;
        for (int k = 0; k < K; k++) scores[k] = emission[k] + transitions[row + k];
    }

    /// <summary>Best well-formed tag sequence under emission scores [i * K + tag] and first-order transitions.</summary>
    internal void Viterbi(ReadOnlySpan<float> emit, int n, float[] trans, NerScratch s, Span<byte> tags)
    {
        int K = Tags.Count;
        // transitions with −∞ where the tag scheme forbids the pair, so the inner loop needs no test
        Span<float> eff = stackalloc float[(K + 1) * K];
        for (int r = -1; r < K; r++)
        {
            for (int k = 0; k < K; k++) eff[(r + 1) * K + k] = Tags.Allowed(r, k) ? trans[(r + 1) * K + k] : float.NegativeInfinity;
        }
        var delta = s.Delta;
        var back = s.Back;
        for (int k = 0; k < K; k++) delta[k] = emit[k] + eff[k];
        Span<float> best = stackalloc float[K];
        Span<int> arg = stackalloc int[K];
        ref float effRef = ref MemoryMarshal.GetReference(eff);
        ref float bestRef = ref MemoryMarshal.GetReference(best);
        ref int argRef = ref MemoryMarshal.GetReference(arg);
        // Vectorised over the current tag k, previous tags j in the same order as the scalar loop: the same sums, the
        // same strict "greater than" (the first best j wins), so the same path.
        int wide = Vector256.IsHardwareAccelerated ? K & ~7 : 0;
        for (int i = 1; i < n; i++)
        {
            int pi = (i - 1) * K, ci = i * K;
            best.Fill(float.NegativeInfinity);
            arg.Clear();
            for (int j = 0; j < K; j++)
            {
                float d = delta[pi + j];
                if (float.IsNegativeInfinity(d)) continue;
                ref float row = ref Unsafe.Add(ref effRef, (j + 1) * K);
                int k = 0;
                if (wide > 0)
                {
                    var dv = Vector256.Create(d);
                    var jv = Vector256.Create(j);
                    for (; k < wide; k += 8)
                    {
                        var v = dv + Vector256.LoadUnsafe(ref row, (nuint)k);
                        var b = Vector256.LoadUnsafe(ref bestRef, (nuint)k);
                        var m = Vector256.GreaterThan(v, b);
                        Vector256.ConditionalSelect(m, v, b).StoreUnsafe(ref bestRef, (nuint)k);
                        Vector256.ConditionalSelect(m.AsInt32(), jv, Vector256.LoadUnsafe(ref argRef, (nuint)k)).StoreUnsafe(ref argRef, (nuint)k);
                    }
                }
                for (; k < K; k++)
                {
                    float v = d + Unsafe.Add(ref row, k);
                    if (v > Unsafe.Add(ref bestRef, k)) { Unsafe.Add(ref bestRef, k) = v; Unsafe.Add(ref argRef, k) = j; }
                }
            }
            for (int k = 0; k < K; k++)
            {
                delta[ci + k] = best[k] + emit[ci + k];
                back[ci + k] = (byte)arg[k];
            }
        }
        int last = (n - 1) * K, bestTag = 0;
        float bestScore = float.NegativeInfinity;
        for (int k = 0; k < K; k++)
        {
            if (!Tags.CanEnd(k)) continue;
            if (delta[last + k] > bestScore) { bestScore = delta[last + k]; bestTag = k; }
        }
        for (int i = n - 1; i >= 0; i--)
        {
            tags[i] = (byte)bestTag;
            if (i > 0) bestTag = back[i * K + bestTag];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Best(ReadOnlySpan<float> scores, int prev, bool last)
    {
        int best = 0;
        float bestScore = float.NegativeInfinity;
        for (int k = 0; k < scores.Length; k++)
        {
            if (!Tags.Allowed(prev, k) || (last && !Tags.CanEnd(k))) continue;
            if (scores[k] > bestScore) { bestScore = scores[k]; best = k; }
        }
        return best;
    }

    internal float Probability(ReadOnlySpan<float> scores, int prev, int chosen)
    {
        float inv = 1f / Temperature, max = scores[chosen], sum = 0;
        for (int k = 0; k < scores.Length; k++)
        {
            if (Tags.Allowed(prev, k)) sum += MathF.Exp((scores[k] - max) * inv);
        }
        return 1f / sum;
    }

    /// <summary>Adds the weight rows to the score vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Accumulate(float[] weights, ReadOnlySpan<int> rows, int K, Span<float> scores)
    {
        ref float w0 = ref MemoryMarshal.GetArrayDataReference(weights);
        if (K == 9)
        {
            var acc = Vector256<float>.Zero;
            float tail = 0;
            foreach (int r in rows)
            {
                nuint off = (nuint)(uint)r * 9;
                acc += Vector256.LoadUnsafe(ref w0, off);
                tail += Unsafe.Add(ref w0, off + 8);
            }
            acc += Vector256.Create(scores[..8]);
            acc.CopyTo(scores);
            scores[8] += tail;
            return;
        }
        if (K == 17)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            float tail = 0;
            foreach (int r in rows)
            {
                nuint off = (nuint)(uint)r * 17;
                acc0 += Vector256.LoadUnsafe(ref w0, off);
                acc1 += Vector256.LoadUnsafe(ref w0, off + 8);
                tail += Unsafe.Add(ref w0, off + 16);
            }
            acc0 += Vector256.Create(scores[..8]);
            acc1 += Vector256.Create(scores[8..16]);
            acc0.CopyTo(scores);
            acc1.CopyTo(scores[8..]);
            scores[16] += tail;
            return;
        }
        foreach (int r in rows)
        {
            var w = weights.AsSpan(r * K, K);
            for (int k = 0; k < K; k++) scores[k] += w[k];
        }
    }

    // ---------------------------------------------------------------- persistence

    /// <summary>Loads a model written by <see cref="Save(string)"/>.</summary>
    public static NerModel Load(string path)
    {
        using var fs = File.OpenRead(path);
        return Load(fs);
    }

    /// <summary>Loads a model from a stream (read to its end).</summary>
    public static NerModel Load(Stream stream)
    {
        using var head = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (head.ReadUInt32() != Magic) throw new InvalidDataException("not a Sitrep NER model (bad magic)");
        int version = head.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"unsupported NER model version {version}");
        using var br = new BrotliStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var r = new BinaryReader(br, Encoding.UTF8);
        var scheme = (TagScheme)r.ReadByte();
        int bits = r.ReadInt32();
        if (bits < 8 || bits > 26) throw new InvalidDataException("bad hash size " + bits);
        var features = (NerFeatures)r.ReadInt32();
        float temperature = r.ReadSingle();
        float scale = r.ReadSingle();
        string description = r.ReadString();
        var lexicon = NerLexicon.Read(r);
        var names = r.ReadBoolean() ? NerNameList.Read(r) : null;
        int K = new TagSet(scheme).Count;
        var weights = ReadWeights(r, bits, K, scale);
        var transitions = ReadTransitions(r, K);
        NerModel? stage1 = null;
        if (r.ReadBoolean())
        {
            var f1 = (NerFeatures)r.ReadInt32();
            float t1 = r.ReadSingle(), s1 = r.ReadSingle();
            var w1 = ReadWeights(r, bits, K, s1);
            stage1 = new NerModel(scheme, bits, f1, lexicon, w1, t1, "first stage", null, names) { _loadedScale = s1, Transitions = ReadTransitions(r, K) };
        }
        if (r.ReadUInt32() != Magic) throw new InvalidDataException("truncated NER model");
        return new NerModel(scheme, bits, features, lexicon, weights, temperature, description, stage1, names) { _loadedScale = scale, Transitions = transitions };
    }

    private static float[]? ReadTransitions(BinaryReader r, int K)
    {
        if (!r.ReadBoolean()) return null;
        var t = new float[(K + 1) * K];
        for (int i = 0; i < t.Length; i++) t[i] = r.ReadSingle();
        return t;
    }

    private void WriteTransitions(BinaryWriter w)
    {
        w.Write(Transitions != null);
        if (Transitions == null) return;
        foreach (float x in Transitions) w.Write(x);
    }

    private static float[] ReadWeights(BinaryReader r, int bits, int K, float scale)
    {
        int rowCount = 1 << bits;
        var weights = new float[rowCount * K];
        int nonZero = r.ReadInt32();
        int row = -1;
        float inv = 1f / scale;
        for (int i = 0; i < nonZero; i++)
        {
            row += (int)Read7Bit(r);
            if ((uint)row >= (uint)rowCount) throw new InvalidDataException("weight row out of range");
            for (int k = 0; k < K; k++) weights[row * K + k] = r.ReadInt16() * inv;
        }
        return weights;
    }

    /// <summary>Writes the model: weights quantised to 16 bits, only non-zero rows, Brotli-compressed.</summary>
    public void Save(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using var fs = File.Create(path);
        Save(fs);
    }

    public void Save(Stream stream)
    {
        using (var head = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            head.Write(Magic);
            head.Write(FormatVersion);
        }
        using var bs = new BrotliStream(stream, CompressionLevel.Optimal, leaveOpen: true);
        using var w = new BinaryWriter(bs, Encoding.UTF8);
        w.Write((byte)Tags.Scheme);
        w.Write(Bits);
        w.Write((int)Features);
        w.Write(Temperature);
        w.Write(Scale());
        w.Write(Description);
        Lexicon.Write(w);
        w.Write(Names != null);
        Names?.Write(w);
        WriteWeights(w);
        WriteTransitions(w);
        w.Write(Stage1 != null);
        if (Stage1 != null)
        {
            w.Write((int)Stage1.Features);
            w.Write(Stage1.Temperature);
            w.Write(Stage1.Scale());
            Stage1.WriteWeights(w);
            Stage1.WriteTransitions(w);
        }
        w.Write(Magic);
    }

    /// <summary>Quantisation scale the weights were loaded with (0 for a freshly trained model), reused on save so that
    /// load → save → load is exact.</summary>
    private float _loadedScale;

    private float Scale()
    {
        if (_loadedScale > 0) return _loadedScale;
        float maxAbs = 0;
        foreach (float x in Weights) maxAbs = Math.Max(maxAbs, Math.Abs(x));
        return maxAbs > 0 ? 32767f / maxAbs : 1f;
    }

    private void WriteWeights(BinaryWriter w)
    {
        int K = Tags.Count;
        float scale = Scale();
        int rowCount = 1 << Bits;
        var q = new short[K];
        int nonZero = 0;
        for (int row = 0; row < rowCount; row++)
        {
            if (Quantise(row, scale, q)) nonZero++;
        }
        w.Write(nonZero);
        int last = -1;
        for (int row = 0; row < rowCount; row++)
        {
            if (!Quantise(row, scale, q)) continue;
            Write7Bit(w, (uint)(row - last));
            last = row;
            foreach (short v in q) w.Write(v);
        }
    }

    private bool Quantise(int row, float scale, short[] q)
    {
        int K = q.Length;
        bool any = false;
        for (int k = 0; k < K; k++)
        {
            q[k] = (short)Math.Clamp(MathF.Round(Weights[row * K + k] * scale), -32767, 32767);
            any |= q[k] != 0;
        }
        return any;
    }

    private static void Write7Bit(BinaryWriter w, uint v)
    {
        while (v >= 0x80) { w.Write((byte)(v | 0x80)); v >>= 7; }
        w.Write((byte)v);
    }

    private static uint Read7Bit(BinaryReader r)
    {
        uint v = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            byte b = r.ReadByte();
            v |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
        throw new InvalidDataException("bad varint");
    }
}
