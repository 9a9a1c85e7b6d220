using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;

namespace Sitrep.Attribution;

/// <summary>
/// A first-order linear sequence tagger over hashed features: weights for (feature bucket, tag) and tag-to-tag
/// transitions, exact Viterbi decoding with a mask of allowed transitions (BIO). Learned with the averaged structured
/// perceptron (<see cref="Update"/>, <see cref="Average"/>). Immutable once trained; decoding allocates nothing but
/// what the caller passes in, so one instance serves every thread.
/// </summary>
internal sealed class LinearTagger
{
    public readonly int Tags;
    public readonly int Bits;
    private readonly ulong _mask;
    private float[] _w;
    private float[] _trans; // [(prev + 1) * Tags + tag], prev = -1 is the start
    private readonly bool[] _allowed;

    // Training state (null once averaged or loaded).
    private float[]? _wSum, _transSum;
    private int[]? _wStamp, _transStamp;
    private int _clock;

    public LinearTagger(int tags, int bits, bool[] allowed)
    {
        Tags = tags;
        Bits = bits;
        _mask = (1UL << bits) - 1;
        _w = new float[(1 << bits) * tags];
        _trans = new float[(tags + 1) * tags];
        _allowed = allowed;
    }

    public static bool[] BioAllowed(int tags)
    {
        // Tag 0 is O; then pairs (B-x, I-x). I-x may follow only B-x or I-x.
        var allowed = new bool[(tags + 1) * tags];
        for (int prev = -1; prev < tags; prev++)
            for (int t = 0; t < tags; t++)
            {
                bool inside = t > 0 && t % 2 == 0;
                allowed[(prev + 1) * tags + t] = !inside || prev == t || prev == t - 1;
            }
        return allowed;
    }

    public void BeginTraining()
    {
        _wSum = new float[_w.Length];
        _wStamp = new int[_w.Length];
        _transSum = new float[_trans.Length];
        _transStamp = new int[_trans.Length];
        _clock = 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Row(ulong feature) => (int)(feature & _mask) * Tags;

    /// <summary>Fills <paramref name="scores"/>[k * Tags + t] with the emission score of tag t at position k.</summary>
    /// <remarks>
    /// Each tag's score is the sum of its weights in feature order, from 0 (the same floating-point sums as the plain
    /// loop); the 3- and 5-tag cases keep the sums in registers and read the weights without bounds checks (every row
    /// index is masked to the table, so r + t is always inside it).
    /// </remarks>
    public void Emissions(ReadOnlySpan<ulong> features, ReadOnlySpan<int> offsets, Span<float> scores)
    {
        int n = offsets.Length - 1;
        var w = _w;
        if (n <= 0) return;
        if (scores.Length < n * Tags || offsets[n] > features.Length) throw new ArgumentException("scores or features too short");
        ref float w0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(w);
        ref ulong f0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(features);
        ref float s0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(scores);
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
                int r = Row(features[f]);
                for (int t = 0; t < Tags; t++) row[t] += w[r + t];
            }
        }
    }

    /// <summary>Best tag sequence for n positions given emission scores; writes tags into <paramref name="tags"/>.</summary>
    public float Viterbi(ReadOnlySpan<float> scores, int n, Span<int> tags, Span<float> delta, Span<int> back)
    {
        int T = Tags;
        if (n == 0) return 0;
        for (int t = 0; t < T; t++)
            delta[t] = _allowed[t] ? scores[t] + _trans[t] : float.NegativeInfinity;
        for (int k = 1; k < n; k++)
        {
            for (int t = 0; t < T; t++)
            {
                float best = float.NegativeInfinity;
                int arg = 0;
                for (int p = 0; p < T; p++)
                {
                    int ti = (p + 1) * T + t;
                    if (!_allowed[ti]) continue;
                    float v = delta[(k - 1) * T + p] + _trans[ti];
                    if (v > best) { best = v; arg = p; }
                }
                delta[k * T + t] = best + scores[k * T + t];
                back[k * T + t] = arg;
            }
        }
        float bestEnd = float.NegativeInfinity;
        int last = 0;
        for (int t = 0; t < T; t++)
            if (delta[(n - 1) * T + t] > bestEnd) { bestEnd = delta[(n - 1) * T + t]; last = t; }
        tags[n - 1] = last;
        for (int k = n - 1; k > 0; k--) tags[k - 1] = back[k * T + tags[k]];
        return bestEnd;
    }

    /// <summary>Perceptron update towards <paramref name="gold"/> and away from <paramref name="predicted"/>.</summary>
    public void Update(ReadOnlySpan<ulong> features, ReadOnlySpan<int> offsets, ReadOnlySpan<int> gold, ReadOnlySpan<int> predicted)
    {
        int n = offsets.Length - 1;
        for (int k = 0; k < n; k++)
        {
            int g = gold[k], p = predicted[k];
            int gp = k == 0 ? -1 : gold[k - 1], pp = k == 0 ? -1 : predicted[k - 1];
            if (g != p)
            {
                for (int f = offsets[k]; f < offsets[k + 1]; f++)
                {
                    int r = Row(features[f]);
                    Bump(_w, _wSum!, _wStamp!, r + g, 1);
                    Bump(_w, _wSum!, _wStamp!, r + p, -1);
                }
            }
            if (g != p || gp != pp)
            {
                Bump(_trans, _transSum!, _transStamp!, (gp + 1) * Tags + g, 1);
                Bump(_trans, _transSum!, _transStamp!, (pp + 1) * Tags + p, -1);
            }
        }
    }

    /// <summary>Advances the averaging clock (once per training instance).</summary>
    public void Tick() => _clock++;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Bump(float[] w, float[] sum, int[] stamp, int i, float delta)
    {
        // Lazy averaging: sum holds Σ over time of w, brought up to date when w changes.
        sum[i] += (_clock - stamp[i]) * w[i];
        stamp[i] = _clock;
        w[i] += delta;
    }

    /// <summary>Replaces the weights by their average over training time and drops the training state.</summary>
    public void Average()
    {
        if (_wSum == null) return;
        Finish(_w, _wSum, _wStamp!);
        Finish(_trans, _transSum!, _transStamp!);
        _wSum = null;
        _transSum = null;
        _wStamp = null;
        _transStamp = null;
    }

    private void Finish(float[] w, float[] sum, int[] stamp)
    {
        for (int i = 0; i < w.Length; i++)
        {
            float total = sum[i] + (_clock - stamp[i]) * w[i];
            w[i] = total / _clock;
        }
    }

    /// <summary>A copy of the current weights averaged so far, leaving training state intact (for choosing epochs).</summary>
    public LinearTagger SnapshotAverage()
    {
        var copy = new LinearTagger(Tags, Bits, _allowed);
        if (_wSum == null)
        {
            Array.Copy(_w, copy._w, _w.Length);
            Array.Copy(_trans, copy._trans, _trans.Length);
            return copy;
        }
        for (int i = 0; i < _w.Length; i++) copy._w[i] = (_wSum[i] + (_clock - _wStamp![i]) * _w[i]) / _clock;
        for (int i = 0; i < _trans.Length; i++) copy._trans[i] = (_transSum![i] + (_clock - _transStamp![i]) * _trans[i]) / _clock;
        return copy;
    }

    /// <summary>The element-wise mean of trained taggers of the same shape (an ensemble folded into one model).</summary>
    public static LinearTagger Mean(IReadOnlyList<LinearTagger> taggers)
    {
        var first = taggers[0];
        var mean = new LinearTagger(first.Tags, first.Bits, first._allowed);
        foreach (var t in taggers)
        {
            if (t.Tags != first.Tags || t.Bits != first.Bits) throw new ArgumentException("taggers differ in shape", nameof(taggers));
            for (int i = 0; i < mean._w.Length; i++) mean._w[i] += t._w[i] / taggers.Count;
            for (int i = 0; i < mean._trans.Length; i++) mean._trans[i] += t._trans[i] / taggers.Count;
        }
        return mean;
    }

    // ------------------------------------------------------------------ persistence

    /// <summary>Writes the weights sparsely: (gap-coded index, value) for every weight that rounds to non-zero.</summary>
    public void Write(BinaryWriter w)
    {
        w.Write(Tags);
        w.Write(Bits);
        for (int i = 0; i < _allowed.Length; i++) w.Write(_allowed[i]);
        foreach (var v in _trans) w.Write(v);
        int count = 0;
        for (int i = 0; i < _w.Length; i++) if (Math.Abs(_w[i]) >= 1e-4f) count++;
        w.Write(count);
        int last = 0;
        for (int i = 0; i < _w.Length; i++)
        {
            if (Math.Abs(_w[i]) < 1e-4f) continue;
            w.Write7BitEncodedInt(i - last);
            last = i;
            w.Write((Half)_w[i]);
        }
    }

    public static LinearTagger Read(BinaryReader r)
    {
        int tags = r.ReadInt32(), bits = r.ReadInt32();
        if (tags is < 2 or > 16 || bits is < 8 or > 26) throw new InvalidDataException($"bad tagger header (tags {tags}, bits {bits})");
        var allowed = new bool[(tags + 1) * tags];
        for (int i = 0; i < allowed.Length; i++) allowed[i] = r.ReadBoolean();
        var tagger = new LinearTagger(tags, bits, allowed);
        for (int i = 0; i < tagger._trans.Length; i++) tagger._trans[i] = r.ReadSingle();
        int count = r.ReadInt32();
        if (count < 0 || count > tagger._w.Length) throw new InvalidDataException("bad weight count");
        int idx = 0;
        for (int k = 0; k < count; k++)
        {
            idx += r.Read7BitEncodedInt();
            if ((uint)idx >= (uint)tagger._w.Length) throw new InvalidDataException("weight index out of range");
            tagger._w[idx] = (float)r.ReadHalf();
        }
        return tagger;
    }

    internal static void WriteCompressed(string path, Action<BinaryWriter> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp";
        using (var fs = File.Create(tmp))
        using (var z = new GZipStream(fs, CompressionLevel.SmallestSize))
        using (var w = new BinaryWriter(z, Encoding.UTF8))
            write(w);
        File.Move(tmp, full, overwrite: true);
    }
}
