using System.Diagnostics;

namespace Sitrep.Text.Ner;

/// <summary>
/// Brown et al. (1992) hierarchical word clustering by greedy merging that loses the least average mutual
/// information between adjacent clusters, with the windowed variant: the <c>C</c> most frequent words start as
/// clusters, then each further word (by frequency) enters as its own cluster and the best pair among the C+1 is
/// merged; at the end the remaining clusters are merged down to one. Merge losses are kept in a table updated in
/// O(1) per pair after each merge, so a step costs O(C²). The merge tree gives each word a bit string (0 = left).
/// </summary>
internal sealed class BrownClusterer
{
    private readonly int _c;      // active clusters in the window phase
    private readonly int _s;      // slots = C + 1
    private double _total;        // bigram count (normaliser)
    private double[] _n = [];     // bigram counts between slots [s * S + t], s followed by t
    private double[] _q = [];     // q(s,t) = p(s,t) log p(s,t) / (p(s) p(t))
    private double[] _after = []; // [i * S + j] (i < j): AMI terms between the merged i∪j and every other cluster
    private double[] _row = [];   // AMI terms involving slot s (self once)
    private double[] _cnt = [];
    private int[] _node = [];     // slot -> tree node (−1 = free)

    public BrownClusterer(int clusters)
    {
        _c = clusters;
        _s = clusters + 1;
    }

    /// <summary>
    /// Clusters the words (ids 0..V-1 ordered by decreasing frequency) of the corpus given as sentences of ids
    /// (−1 = out of vocabulary, breaks bigrams). Returns each word's path: up to 32 bits left-aligned, and its length.
    /// </summary>
    public (uint[] Paths, byte[] Lengths) Run(IReadOnlyList<int[]> sentences, int vocab, TextWriter? log = null)
    {
        var sw = Stopwatch.StartNew();
        // word bigram counts, as CSR adjacency (right and left neighbours)
        var pairs = new Dictionary<long, int>();
        var unigram = new double[vocab];
        foreach (var sent in sentences)
        {
            for (int i = 0; i < sent.Length; i++)
            {
                if (sent[i] < 0) continue;
                unigram[sent[i]]++;
                if (i + 1 < sent.Length && sent[i + 1] >= 0)
                {
                    long key = (long)sent[i] * vocab + sent[i + 1];
                    pairs[key] = pairs.GetValueOrDefault(key) + 1;
                }
            }
        }
        _total = pairs.Values.Sum(v => (double)v);
        var (rStart, rNbr, rCnt) = Csr(pairs, vocab, right: true);
        var (lStart, lNbr, lCnt) = Csr(pairs, vocab, right: false);
        log?.WriteLine($"brown: {vocab} words, {pairs.Count} bigram types, {_total} bigrams, {_c} clusters");

        int S = _s;
        _n = new double[S * S];
        _q = new double[S * S];
        _after = new double[S * S];
        _row = new double[S];
        _cnt = new double[S];
        _node = new int[S];
        Array.Fill(_node, -1);
        var slotOf = new int[vocab];
        Array.Fill(slotOf, -1);
        var members = new List<int>[S];
        for (int i = 0; i < S; i++) members[i] = new List<int>();
        int nodes = vocab;
        var parent = new int[2 * vocab];
        var bit = new byte[2 * vocab];
        Array.Fill(parent, -1);

        void Place(int word, int slot)
        {
            _node[slot] = word;
            slotOf[word] = slot;
            members[slot].Clear();
            members[slot].Add(word);
            _cnt[slot] = unigram[word];
            for (int t = 0; t < S; t++) { _n[slot * S + t] = 0; _n[t * S + slot] = 0; }
            for (int k = rStart[word]; k < rStart[word + 1]; k++)
            {
                int t = slotOf[rNbr[k]];
                if (t >= 0) _n[slot * S + t] += rCnt[k];
            }
            for (int k = lStart[word]; k < lStart[word + 1]; k++)
            {
                int t = slotOf[lNbr[k]];
                if (t >= 0 && t != slot) _n[t * S + slot] += lCnt[k];
            }
        }

        // initial clusters: the C most frequent words
        int initial = Math.Min(_c, vocab);
        for (int w = 0; w < initial; w++) Place(w, w);
        for (int i = 0; i < S; i++)
        {
            for (int j = 0; j < S; j++) _q[i * S + j] = _node[i] >= 0 && _node[j] >= 0 ? Q(_n[i * S + j], _cnt[i], _cnt[j]) : 0;
        }
        for (int i = 0; i < S; i++) _row[i] = _node[i] >= 0 ? RowSum(i) : 0;
        for (int i = 0; i < S; i++)
        {
            if (_node[i] < 0) continue;
            for (int j = i + 1; j < S; j++)
            {
                if (_node[j] >= 0) _after[i * S + j] = After(i, j);
            }
        }

        int next = initial;
        int active = initial;
        long step = 0;
        int[]? leaf = null; // each word's cluster node when the window phase ends: words share their cluster's path
        while (active > 1)
        {
            if (next >= vocab && leaf == null)
            {
                leaf = new int[vocab];
                for (int w = 0; w < vocab; w++) leaf[w] = _node[slotOf[w]];
            }
            if (next < vocab)
            {
                int free = Array.IndexOf(_node, -1);
                AddWord(next, free, Place);
                next++;
                active++;
            }
            else if (active <= 1) break;
            // best merge
            int ba = -1, bb = -1;
            double best = double.MaxValue;
            for (int i = 0; i < S; i++)
            {
                if (_node[i] < 0) continue;
                for (int j = i + 1; j < S; j++)
                {
                    if (_node[j] < 0) continue;
                    double loss = _row[i] + _row[j] - _q[i * S + j] - _q[j * S + i] - _after[i * S + j];
                    if (loss < best) { best = loss; ba = i; bb = j; }
                }
            }
            if (ba < 0) break;
            int na = _node[ba], nb = _node[bb], nm = nodes++;
            parent[na] = nm; bit[na] = 0;
            parent[nb] = nm; bit[nb] = 1;
            Merge(ba, bb);
            _node[ba] = nm;
            _node[bb] = -1;
            foreach (int w in members[bb]) slotOf[w] = ba;
            members[ba].AddRange(members[bb]);
            members[bb].Clear();
            active--;
            step++;
            if (log != null && step % 5000 == 0) log.WriteLine($"brown: {step} merges, {sw.Elapsed.TotalSeconds:F0}s");
        }
        log?.WriteLine($"brown: done in {sw.Elapsed.TotalSeconds:F0}s");

        var paths = new uint[vocab];
        var lens = new byte[vocab];
        Span<byte> stack = stackalloc byte[512];
        leaf ??= Enumerable.Range(0, vocab).Select(w => slotOf[w] >= 0 ? _node[slotOf[w]] : w).ToArray();
        for (int w = 0; w < vocab; w++)
        {
            int depth = 0;
            for (int v = leaf[w]; parent[v] >= 0 && depth < stack.Length; v = parent[v]) stack[depth++] = bit[v];
            uint p = 0;
            int len = Math.Min(depth, 32);
            for (int k = 0; k < len; k++) p |= (uint)stack[depth - 1 - k] << (31 - k);
            paths[w] = p;
            lens[w] = (byte)Math.Max(1, len);
        }
        return (paths, lens);
    }

    private double Q(double n, double ca, double cb) => n > 0 ? n / _total * Math.Log(n * _total / (ca * cb)) : 0;

    private double RowSum(int i)
    {
        int S = _s;
        double r = 0;
        for (int x = 0; x < S; x++)
        {
            if (_node[x] < 0) continue;
            r += _q[i * S + x] + _q[x * S + i];
        }
        return r - _q[i * S + i];
    }

    /// <summary>AMI terms of the hypothetical cluster i∪j (with every other cluster and itself).</summary>
    private double After(int i, int j)
    {
        int S = _s;
        double cij = _cnt[i] + _cnt[j];
        double r = Q(_n[i * S + i] + _n[i * S + j] + _n[j * S + i] + _n[j * S + j], cij, cij);
        for (int x = 0; x < S; x++)
        {
            if (_node[x] < 0 || x == i || x == j) continue;
            r += Q(_n[i * S + x] + _n[j * S + x], cij, _cnt[x]) + Q(_n[x * S + i] + _n[x * S + j], _cnt[x], cij);
        }
        return r;
    }

    private void AddWord(int word, int slot, Action<int, int> place)
    {
        int S = _s;
        place(word, slot);
        for (int t = 0; t < S; t++)
        {
            if (_node[t] < 0) continue;
            _q[slot * S + t] = Q(_n[slot * S + t], _cnt[slot], _cnt[t]);
            _q[t * S + slot] = Q(_n[t * S + slot], _cnt[t], _cnt[slot]);
        }
        for (int t = 0; t < S; t++)
        {
            if (_node[t] < 0 || t == slot) continue;
            _row[t] += _q[t * S + slot] + _q[slot * S + t];
        }
        _row[slot] = RowSum(slot);
        double cz = _cnt[slot];
        // existing pairs gain the terms with the new cluster
        for (int i = 0; i < S; i++)
        {
            if (_node[i] < 0 || i == slot) continue;
            double niz = _n[i * S + slot], nzi = _n[slot * S + i];
            for (int j = i + 1; j < S; j++)
            {
                if (_node[j] < 0 || j == slot) continue;
                double a = niz + _n[j * S + slot], b = nzi + _n[slot * S + j];
                if (a == 0 && b == 0) continue;
                double cij = _cnt[i] + _cnt[j];
                _after[i * S + j] += Q(a, cij, cz) + Q(b, cz, cij);
            }
        }
        for (int t = 0; t < S; t++)
        {
            if (_node[t] < 0 || t == slot) continue;
            int i = Math.Min(t, slot), j = Math.Max(t, slot);
            _after[i * S + j] = After(i, j);
        }
    }

    /// <summary>Merges slot b into slot a, updating counts, q, row sums and the pair table.</summary>
    private void Merge(int a, int b)
    {
        int S = _s;
        double ca = _cnt[a], cb = _cnt[b], cm = ca + cb;
        // pair table: replace the terms with a and b by the terms with m = a∪b
        for (int i = 0; i < S; i++)
        {
            if (_node[i] < 0 || i == a || i == b) continue;
            double nia = _n[i * S + a], nai = _n[a * S + i], nib = _n[i * S + b], nbi = _n[b * S + i];
            for (int j = i + 1; j < S; j++)
            {
                if (_node[j] < 0 || j == a || j == b) continue;
                double xa = nia + _n[j * S + a], ax = nai + _n[a * S + j];
                double xb = nib + _n[j * S + b], bx = nbi + _n[b * S + j];
                if (xa == 0 && ax == 0 && xb == 0 && bx == 0) continue;
                double cij = _cnt[i] + _cnt[j];
                _after[i * S + j] += -Q(xa, cij, ca) - Q(ax, ca, cij) - Q(xb, cij, cb) - Q(bx, cb, cij)
                    + Q(xa + xb, cij, cm) + Q(ax + bx, cm, cij);
            }
        }
        // row sums of the other clusters lose their terms with a and b
        for (int i = 0; i < S; i++)
        {
            if (_node[i] < 0 || i == a || i == b) continue;
            _row[i] -= _q[i * S + a] + _q[a * S + i] + _q[i * S + b] + _q[b * S + i];
        }
        // counts
        double naa = _n[a * S + a] + _n[a * S + b] + _n[b * S + a] + _n[b * S + b];
        for (int x = 0; x < S; x++)
        {
            _n[a * S + x] += _n[b * S + x];
            _n[x * S + a] += _n[x * S + b];
        }
        _n[a * S + a] = naa;
        for (int x = 0; x < S; x++) { _n[b * S + x] = 0; _n[x * S + b] = 0; _q[b * S + x] = 0; _q[x * S + b] = 0; }
        _cnt[a] = cm;
        _cnt[b] = 0;
        _row[b] = 0;
        _node[b] = -1; // temporarily, so loops skip it
        for (int x = 0; x < S; x++)
        {
            if (_node[x] < 0) continue;
            _q[a * S + x] = Q(_n[a * S + x], cm, _cnt[x]);
            _q[x * S + a] = Q(_n[x * S + a], _cnt[x], cm);
        }
        for (int i = 0; i < S; i++)
        {
            if (_node[i] < 0 || i == a) continue;
            _row[i] += _q[i * S + a] + _q[a * S + i];
        }
        _row[a] = RowSum(a);
        for (int t = 0; t < S; t++)
        {
            if (_node[t] < 0 || t == a) continue;
            int i = Math.Min(t, a), j = Math.Max(t, a);
            _after[i * S + j] = After(i, j);
        }
    }

    private static (int[] Start, int[] Nbr, double[] Cnt) Csr(Dictionary<long, int> pairs, int vocab, bool right)
    {
        var start = new int[vocab + 1];
        foreach (var key in pairs.Keys) start[(right ? key / vocab : key % vocab) + 1]++;
        for (int i = 0; i < vocab; i++) start[i + 1] += start[i];
        var fill = (int[])start.Clone();
        var nbr = new int[pairs.Count];
        var cnt = new double[pairs.Count];
        foreach (var (key, c) in pairs.OrderBy(p => p.Key))
        {
            int from = (int)(right ? key / vocab : key % vocab), to = (int)(right ? key % vocab : key / vocab);
            int k = fill[from]++;
            nbr[k] = to;
            cnt[k] = c;
        }
        return (start, nbr, cnt);
    }
}
