using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sitrep.Text.Tagging;

/// <summary>
/// The one linear sequence tagger of the library, used by named-entity recognition (<c>Text/Ner/NerModel</c>) and by
/// attribution (<c>Attribution/AttributionModel</c>); each brings its own features and tag set.
/// <list type="bullet">
/// <item><b>Weights</b> for (feature row, tag), <c>[row * Tags + tag]</c>, over 2^<see cref="Bits"/> rows of hashed
/// features. A caller gives either rows it has already reduced (<see cref="AddRows"/>) or 64-bit feature hashes that the
/// tagger reduces to their low bits (<see cref="Emissions"/>).</item>
/// <item><b>Constraints</b>: which tag may follow which (<c>[(prev + 1) * Tags + tag]</c>, prev −1 is the sentence
/// start) and which may end a sentence; decoding only ever yields well-formed sequences.</item>
/// <item><b>Decoding</b>: exact first-order Viterbi over emission scores plus learned <see cref="Transitions"/>, or one
/// greedy step at a time (<see cref="Best"/>) for a caller whose features depend on the tags chosen so far.</item>
/// <item><b>Learning</b>: the averaged perceptron (<see cref="BeginTraining"/>, <see cref="Update(ReadOnlySpan{int}, int, int)"/>,
/// <see cref="Tick"/>, <see cref="Averaged"/>), averaging exactly in double precision (weights change by whole units,
/// so the running sums are exact integers).</item>
/// <item><b>Persistence</b> in the two encodings the committed model files use (<see cref="WriteQuantisedRows"/>,
/// <see cref="WriteHalfWeights"/>).</item>
/// </list>
/// Immutable once trained or loaded; decoding allocates nothing but what the caller passes in, so one instance serves
/// every thread.
/// </summary>
internal sealed class LinearTagger
{
    /// <summary>Number of tags (K).</summary>
    public readonly int Tags;

    /// <summary>log2 of the number of weight rows.</summary>
    public readonly int Bits;

    /// <summary>Emission weights [row * Tags + tag].</summary>
    public readonly float[] Weights;

    /// <summary>First-order transition scores [(prev + 1) * Tags + tag]; null for a tagger decoded greedily.</summary>
    public readonly float[]? Transitions;

    private readonly bool[] _allowed;
    private readonly bool[] _canEnd;
    private readonly ulong _mask;

    // Training state (null once averaged or loaded): Σ over updates of (clock × change), per weight.
    private double[]? _wTime, _tTime;
    private double _clock;

    /// <param name="allowed">Whether tag t may follow prev: [(prev + 1) * tags + t], (tags + 1) × tags entries.</param>
    /// <param name="canEnd">Whether a sentence may end on each tag (null: any).</param>
    /// <param name="withTransitions">Learn and decode with transition scores (Viterbi); without, decode greedily.</param>
    public LinearTagger(int tags, int bits, bool[] allowed, bool[]? canEnd, bool withTransitions, float[]? weights = null, float[]? transitions = null)
    {
        if (tags is < 2 or > 255) throw new ArgumentOutOfRangeException(nameof(tags), tags, "a tagger has 2 to 255 tags");
        if (bits is < 8 or > 26) throw new ArgumentOutOfRangeException(nameof(bits), bits, "hash size must be 2^8 to 2^26 rows");
        if (allowed.Length != (tags + 1) * tags) throw new ArgumentException("allowed table size is not (tags + 1) × tags", nameof(allowed));
        if (canEnd != null && canEnd.Length != tags) throw new ArgumentException("can-end table size is not tags", nameof(canEnd));
        Tags = tags;
        Bits = bits;
        _mask = (1UL << bits) - 1;
        _allowed = allowed;
        _canEnd = canEnd ?? Enumerable.Repeat(true, tags).ToArray();
        Weights = weights ?? new float[(1 << bits) * tags];
        if (Weights.Length != (1 << bits) * tags) throw new ArgumentException("weight table size does not match bits × tags", nameof(weights));
        if (transitions != null && !withTransitions) throw new ArgumentException("transitions given to a greedy tagger", nameof(transitions));
        Transitions = withTransitions ? transitions ?? new float[(tags + 1) * tags] : null;
        if (Transitions != null && Transitions.Length != (tags + 1) * tags) throw new ArgumentException("transition table size is not (tags + 1) × tags", nameof(transitions));
    }

    /// <summary>A tagger of the same shape and constraints with other weights.</summary>
    public LinearTagger With(float[] weights, float[]? transitions) => new(Tags, Bits, _allowed, _canEnd, Transitions != null, weights, transitions);

    /// <summary>
    /// Constraints of a BIO tag set laid out as O, then (B-x, I-x) pairs: I-x may follow only B-x or I-x; any tag may
    /// end a sentence.
    /// </summary>
    public static bool[] BioAllowed(int tags)
    {
        var allowed = new bool[(tags + 1) * tags];
        for (int prev = -1; prev < tags; prev++)
            for (int t = 0; t < tags; t++)
            {
                bool inside = t > 0 && t % 2 == 0;
                allowed[(prev + 1) * tags + t] = !inside || prev == t || prev == t - 1;
            }
        return allowed;
    }

    /// <summary>Whether <paramref name="tag"/> may follow <paramref name="prev"/> (−1 = sentence start).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Allowed(int prev, int tag) => _allowed[(prev + 1) * Tags + tag];

    /// <summary>Whether a sentence may end on <paramref name="tag"/>.</summary>
    public bool CanEnd(int tag) => _canEnd[tag];

    // ------------------------------------------------------------------ scoring

    /// <summary>Adds the given rows' weights to <paramref name="scores"/> (Tags long).</summary>
    /// <remarks>For 9 and 17 tags (the NER tag sets) the rows are summed from zero in vector registers, then added.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddRows(ReadOnlySpan<int> rows, Span<float> scores)
    {
        int K = Tags;
        var weights = Weights;
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

    /// <summary>
    /// Writes the emission scores of n positions, <paramref name="scores"/>[k * Tags + t], from 64-bit feature hashes
    /// grouped by position (<paramref name="features"/>[<paramref name="offsets"/>[k] .. <paramref name="offsets"/>[k + 1]]
    /// are position k's); a hash selects the row of its low <see cref="Bits"/> bits.
    /// </summary>
    /// <remarks>
    /// Each tag's score is the sum of its weights in feature order, from 0 (the same floating-point sums as the plain
    /// loop); the 3- and 5-tag cases keep the sums in registers and read the weights without bounds checks (every row
    /// index is masked to the table, so r + t is always inside it).
    /// </remarks>
    public void Emissions(ReadOnlySpan<ulong> features, ReadOnlySpan<int> offsets, Span<float> scores)
    {
        int n = offsets.Length - 1;
        var w = Weights;
        if (n <= 0) return;
        if (scores.Length < n * Tags || offsets[n] > features.Length) throw new ArgumentException("scores or features too short");
        ref float w0 = ref MemoryMarshal.GetArrayDataReference(w);
        ref ulong f0 = ref MemoryMarshal.GetReference(features);
        ref float s0 = ref MemoryMarshal.GetReference(scores);
        ulong mask = _mask;
        if (Tags == 3)
        {
            for (int k = 0; k < n; k++)
            {
                float a = 0, b = 0, c = 0;
                for (int f = offsets[k], end = offsets[k + 1]; f < end; f++)
                {
                    ref float r = ref Unsafe.Add(ref w0, (nint)((Unsafe.Add(ref f0, f) & mask) * 3));
                    a += r;
                    b += Unsafe.Add(ref r, 1);
                    c += Unsafe.Add(ref r, 2);
                }
                ref float o = ref Unsafe.Add(ref s0, k * 3);
                o = a;
                Unsafe.Add(ref o, 1) = b;
                Unsafe.Add(ref o, 2) = c;
            }
            return;
        }
        if (Tags == 5)
        {
            for (int k = 0; k < n; k++)
            {
                float a = 0, b = 0, c = 0, d = 0, e = 0;
                for (int f = offsets[k], end = offsets[k + 1]; f < end; f++)
                {
                    ref float r = ref Unsafe.Add(ref w0, (nint)((Unsafe.Add(ref f0, f) & mask) * 5));
                    a += r;
                    b += Unsafe.Add(ref r, 1);
                    c += Unsafe.Add(ref r, 2);
                    d += Unsafe.Add(ref r, 3);
                    e += Unsafe.Add(ref r, 4);
                }
                ref float o = ref Unsafe.Add(ref s0, k * 5);
                o = a;
                Unsafe.Add(ref o, 1) = b;
                Unsafe.Add(ref o, 2) = c;
                Unsafe.Add(ref o, 3) = d;
                Unsafe.Add(ref o, 4) = e;
            }
            return;
        }
        for (int k = 0; k < n; k++)
        {
            var row = scores.Slice(k * Tags, Tags);
            row.Clear();
            for (int f = offsets[k]; f < offsets[k + 1]; f++)
            {
                int r = HashRow(features[f]);
                for (int t = 0; t < Tags; t++) row[t] += w[r + t];
            }
        }
    }

    /// <summary>The first weight of a hashed feature's row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int HashRow(ulong feature) => (int)(feature & _mask) * Tags;

    // ------------------------------------------------------------------ decoding

    /// <summary>Greedy step: the best tag that may follow <paramref name="prev"/> (and end the sentence when <paramref name="last"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Best(ReadOnlySpan<float> scores, int prev, bool last)
    {
        int best = 0;
        float bestScore = float.NegativeInfinity;
        var allowed = _allowed;
        int row = (prev + 1) * Tags;
        for (int k = 0; k < scores.Length; k++)
        {
            if (!allowed[row + k] || (last && !_canEnd[k])) continue;
            if (scores[k] > bestScore) { bestScore = scores[k]; best = k; }
        }
        return best;
    }

    /// <summary>Softmax probability of <paramref name="chosen"/> among the tags that may follow <paramref name="prev"/>, at <paramref name="temperature"/>.</summary>
    public float Probability(ReadOnlySpan<float> scores, int prev, int chosen, float temperature)
    {
        float inv = 1f / temperature, max = scores[chosen], sum = 0;
        int row = (prev + 1) * Tags;
        for (int k = 0; k < scores.Length; k++)
        {
            if (_allowed[row + k]) sum += MathF.Exp((scores[k] - max) * inv);
        }
        return 1f / sum;
    }

    /// <summary>Emission plus the transition from <paramref name="prev"/>, per tag.</summary>
    public void TransitionScores(ReadOnlySpan<float> emission, int prev, Span<float> scores)
    {
        var transitions = Transitions ?? throw new InvalidOperationException("a greedy tagger has no transitions");
        int K = Tags, row = (prev + 1) * K;
        for (int k = 0; k < K; k++) scores[k] = emission[k] + transitions[row + k];
    }

    /// <summary>
    /// The best well-formed tag sequence for <paramref name="n"/> positions under emission scores
    /// <paramref name="emit"/>[i * Tags + tag] and the transitions; writes it to <paramref name="tags"/> and returns its
    /// score. <paramref name="delta"/> and <paramref name="back"/> are work space of at least n × Tags.
    /// </summary>
    /// <remarks>Ties go to the lowest previous tag and the lowest last tag.</remarks>
    public float Viterbi(ReadOnlySpan<float> emit, int n, Span<byte> tags, Span<float> delta, Span<byte> back)
    {
        if (n == 0) return 0;
        var trans = Transitions ?? throw new InvalidOperationException("a greedy tagger has no transitions");
        int K = Tags;
        // transitions with −∞ where the constraints forbid the pair, so the inner loop needs no test
        Span<float> eff = stackalloc float[(K + 1) * K];
        for (int i = 0; i < eff.Length; i++) eff[i] = _allowed[i] ? trans[i] : float.NegativeInfinity;
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
            if (!_canEnd[k]) continue;
            if (delta[last + k] > bestScore) { bestScore = delta[last + k]; bestTag = k; }
        }
        for (int i = n - 1; i >= 0; i--)
        {
            tags[i] = (byte)bestTag;
            if (i > 0) bestTag = back[i * K + bestTag];
        }
        return bestScore;
    }

    // ------------------------------------------------------------------ learning (averaged perceptron)

    /// <summary>Starts learning: the clock at 1 and no updates yet.</summary>
    public void BeginTraining()
    {
        _wTime = new double[Weights.Length];
        _tTime = Transitions == null ? null : new double[Transitions.Length];
        _clock = 1;
    }

    /// <summary>Advances the averaging clock by <paramref name="steps"/> (after each token, or each sequence, as the caller counts time).</summary>
    public void Tick(int steps = 1) => _clock += steps;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Bump(float[] w, double[] time, int i, int delta)
    {
        w[i] += delta;
        time[i] += delta * _clock;
    }

    /// <summary>Perceptron update of one position: the rows' weights for <paramref name="gold"/> up by one, for <paramref name="predicted"/> down by one.</summary>
    public void Update(ReadOnlySpan<int> rows, int gold, int predicted)
    {
        var w = Weights;
        var time = _wTime ?? throw new InvalidOperationException("not training");
        int K = Tags;
        double c = _clock;
        foreach (int r in rows)
        {
            int g = r * K + gold, p = r * K + predicted;
            w[g] += 1;
            w[p] -= 1;
            time[g] += c;
            time[p] -= c;
        }
    }

    /// <summary>Transition update: (prevGold → gold) up by one, (prevPredicted → predicted) down by one (−1 is the start).</summary>
    public void UpdateTransition(int prevGold, int gold, int prevPredicted, int predicted)
    {
        var t = Transitions ?? throw new InvalidOperationException("a greedy tagger has no transitions");
        var time = _tTime ?? throw new InvalidOperationException("not training");
        Bump(t, time, (prevGold + 1) * Tags + gold, 1);
        Bump(t, time, (prevPredicted + 1) * Tags + predicted, -1);
    }

    /// <summary>
    /// Structured perceptron update of one sequence of hashed features (grouped by <paramref name="offsets"/>):
    /// emissions of the wrongly tagged positions and the transitions where gold and prediction differ.
    /// </summary>
    public void Update(ReadOnlySpan<ulong> features, ReadOnlySpan<int> offsets, ReadOnlySpan<byte> gold, ReadOnlySpan<byte> predicted)
    {
        var time = _wTime ?? throw new InvalidOperationException("not training");
        int n = offsets.Length - 1;
        for (int k = 0; k < n; k++)
        {
            int g = gold[k], p = predicted[k];
            int gp = k == 0 ? -1 : gold[k - 1], pp = k == 0 ? -1 : predicted[k - 1];
            if (g != p)
            {
                for (int f = offsets[k]; f < offsets[k + 1]; f++)
                {
                    int r = HashRow(features[f]);
                    Bump(Weights, time, r + g, 1);
                    Bump(Weights, time, r + p, -1);
                }
            }
            if (Transitions != null && (g != p || gp != pp)) UpdateTransition(gp, g, pp, p);
        }
    }

    /// <summary>
    /// The weights averaged over training time so far, as a new tagger (training goes on undisturbed): each weight's
    /// average is its value minus (Σ clock × change) / clock.
    /// </summary>
    public LinearTagger Averaged()
    {
        var wTime = _wTime ?? throw new InvalidOperationException("not training");
        double c = _clock;
        var w = new float[Weights.Length];
        for (int k = 0; k < w.Length; k++) w[k] = (float)(Weights[k] - wTime[k] / c);
        float[]? t = null;
        if (Transitions != null)
        {
            t = new float[Transitions.Length];
            for (int k = 0; k < t.Length; k++) t[k] = (float)(Transitions[k] - _tTime![k] / c);
        }
        return With(w, t);
    }

    /// <summary>The element-wise mean of taggers of the same shape (an ensemble folded into one model).</summary>
    public static LinearTagger Mean(IReadOnlyList<LinearTagger> taggers)
    {
        var first = taggers[0];
        var w = (float[])first.Weights.Clone();
        var t = (float[]?)first.Transitions?.Clone();
        for (int m = 1; m < taggers.Count; m++)
        {
            var x = taggers[m];
            if (x.Tags != first.Tags || x.Bits != first.Bits || (x.Transitions == null) != (t == null)) throw new ArgumentException("taggers differ in shape", nameof(taggers));
            for (int k = 0; k < w.Length; k++) w[k] += x.Weights[k];
            if (t != null) for (int k = 0; k < t.Length; k++) t[k] += x.Transitions![k];
        }
        for (int k = 0; k < w.Length; k++) w[k] /= taggers.Count;
        if (t != null) for (int k = 0; k < t.Length; k++) t[k] /= taggers.Count;
        return first.With(w, t);
    }

    // ------------------------------------------------------------------ persistence

    /// <summary>
    /// Quantisation scale the weights were loaded with (0 for a trained tagger), reused on save so that
    /// load → save → load is exact.
    /// </summary>
    public float LoadedScale { get; init; }

    /// <summary>The scale <see cref="WriteQuantisedRows"/> uses: the loaded one, else 32767 over the largest weight.</summary>
    public float QuantisationScale()
    {
        if (LoadedScale > 0) return LoadedScale;
        float maxAbs = 0;
        foreach (float x in Weights) maxAbs = Math.Max(maxAbs, Math.Abs(x));
        return maxAbs > 0 ? 32767f / maxAbs : 1f;
    }

    /// <summary>
    /// Row encoding (the NER model's): the number of non-zero rows, then each such row as its gap from the previous
    /// one (7-bit varint) and its weights quantised to 16 bits at <paramref name="scale"/>.
    /// </summary>
    public void WriteQuantisedRows(BinaryWriter w, float scale)
    {
        int K = Tags;
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

    /// <summary>Reads what <see cref="WriteQuantisedRows"/> wrote for a table of 2^bits rows of <paramref name="tags"/> tags.</summary>
    public static float[] ReadQuantisedRows(BinaryReader r, int bits, int tags, float scale)
    {
        int rowCount = 1 << bits;
        var weights = new float[rowCount * tags];
        int nonZero = r.ReadInt32();
        int row = -1;
        float inv = 1f / scale;
        for (int i = 0; i < nonZero; i++)
        {
            row += (int)Read7Bit(r);
            if ((uint)row >= (uint)rowCount) throw new InvalidDataException("weight row out of range");
            for (int k = 0; k < tags; k++) weights[row * tags + k] = r.ReadInt16() * inv;
        }
        return weights;
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

    /// <summary>Transitions as a presence flag and, if present, (Tags + 1) × Tags floats.</summary>
    public void WriteTransitions(BinaryWriter w)
    {
        w.Write(Transitions != null);
        if (Transitions == null) return;
        foreach (float x in Transitions) w.Write(x);
    }

    /// <summary>Reads what <see cref="WriteTransitions"/> wrote.</summary>
    public static float[]? ReadTransitions(BinaryReader r, int tags)
    {
        if (!r.ReadBoolean()) return null;
        var t = new float[(tags + 1) * tags];
        for (int i = 0; i < t.Length; i++) t[i] = r.ReadSingle();
        return t;
    }

    /// <summary>
    /// Self-contained encoding (the attribution model's): tags, bits, the allowed table, the transitions, then every
    /// weight that is at least 1e-4 in size as (gap-coded index, half-precision value). Any tag may end a sentence.
    /// </summary>
    public void WriteHalfWeights(BinaryWriter w)
    {
        var trans = Transitions ?? throw new InvalidOperationException("this encoding needs transitions");
        w.Write(Tags);
        w.Write(Bits);
        for (int i = 0; i < _allowed.Length; i++) w.Write(_allowed[i]);
        foreach (var v in trans) w.Write(v);
        int count = 0;
        for (int i = 0; i < Weights.Length; i++) if (Math.Abs(Weights[i]) >= 1e-4f) count++;
        w.Write(count);
        int last = 0;
        for (int i = 0; i < Weights.Length; i++)
        {
            if (Math.Abs(Weights[i]) < 1e-4f) continue;
            w.Write7BitEncodedInt(i - last);
            last = i;
            w.Write((Half)Weights[i]);
        }
    }

    /// <summary>Reads what <see cref="WriteHalfWeights"/> wrote.</summary>
    public static LinearTagger ReadHalfWeights(BinaryReader r)
    {
        int tags = r.ReadInt32(), bits = r.ReadInt32();
        if (tags is < 2 or > 16 || bits is < 8 or > 26) throw new InvalidDataException($"bad tagger header (tags {tags}, bits {bits})");
        var allowed = new bool[(tags + 1) * tags];
        for (int i = 0; i < allowed.Length; i++) allowed[i] = r.ReadBoolean();
        var trans = new float[(tags + 1) * tags];
        for (int i = 0; i < trans.Length; i++) trans[i] = r.ReadSingle();
        var weights = new float[(1 << bits) * tags];
        int count = r.ReadInt32();
        if (count < 0 || count > weights.Length) throw new InvalidDataException("bad weight count");
        int idx = 0;
        for (int k = 0; k < count; k++)
        {
            idx += r.Read7BitEncodedInt();
            if ((uint)idx >= (uint)weights.Length) throw new InvalidDataException("weight index out of range");
            weights[idx] = (float)r.ReadHalf();
        }
        return new LinearTagger(tags, bits, allowed, null, withTransitions: true, weights, trans);
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
