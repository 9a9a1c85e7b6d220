namespace Sitrep.Ingest.Dedup;

public enum DuplicateKind { Exact, Near }

/// <summary>
/// An article found to repeat an earlier one. <see cref="OriginId"/> is the earliest article of its group (what the
/// matched article itself links to, if anything); <see cref="MatchedId"/> is the article it was most similar to.
/// <see cref="Similarity"/> is the estimated Jaccard similarity of the word shingles, <see cref="Containment"/> the
/// estimated share of the shorter text's shingles found in the other (1 for exact duplicates).
/// </summary>
public sealed record DuplicateMatch(string OriginId, string MatchedId, double Similarity, double Containment, DuplicateKind Kind);

/// <summary>
/// What the index needs of a text, computed by <see cref="NearDuplicateIndex.Prepare"/> (pure and thread-safe, so it can
/// run on the workers that analyse documents while one writer adds the keys in order).
/// </summary>
public sealed record DuplicateKey(string ExactHash, uint[]? Signature, int Shingles);

/// <summary>Tuning of <see cref="NearDuplicateIndex"/>; the defaults were chosen on a development split (docs/benchmarks.md).</summary>
public sealed record NearDuplicateOptions
{
    /// <summary>Words per shingle.</summary>
    public int ShingleWords { get; init; } = 4;
    /// <summary>LSH bands × rows per band = MinHash functions.</summary>
    public int Bands { get; init; } = 42;
    public int RowsPerBand { get; init; } = 3;
    /// <summary>Least estimated containment (shared shingles over the shorter text's) to call a near duplicate.</summary>
    public double MinContainment { get; init; } = 0.5;
    /// <summary>Least estimated Jaccard similarity as well (guards against a short text swallowed by a long one).</summary>
    public double MinSimilarity { get; init; } = 0.2;
    /// <summary>Texts with fewer distinct shingles are matched only exactly.</summary>
    public int MinShingles { get; init; } = 8;
    /// <summary>Most candidates verified per band bucket (bounds the work on boilerplate-heavy buckets).</summary>
    public int MaxBucket { get; init; } = 200;
}

/// <summary>
/// Streaming duplicate detection. <see cref="Add"/> one article at a time in the order seen: an exact duplicate has the
/// same normalised text (<see cref="TextFingerprint.NormalizedHash"/>); a near duplicate (edited copy, wire story
/// re-run with another headline, a trimmed end or an added paragraph) shares enough word shingles, found with MinHash
/// and LSH banding and checked on the signatures. Each duplicate links to the origin of the group: the first article
/// added. Memory per article: the signature (4 bytes × bands × rows) plus its bucket entries. Thread-safe.
/// </summary>
public sealed class NearDuplicateIndex
{
    private readonly NearDuplicateOptions _o;
    private readonly int _hashes;
    private readonly ulong[] _mul, _add;
    private readonly Dictionary<string, int> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, List<int>> _buckets = new();
    private readonly List<Entry> _entries = new();
    private readonly Lock _gate = new();

    private sealed record Entry(string Id, int Origin, int Shingles, uint[]? Signature, bool Indexed)
    {
        /// <summary>The link made when the entry was added (null for an origin).</summary>
        public DuplicateMatch? Match { get; init; }
    }

    public NearDuplicateIndex(NearDuplicateOptions? options = null)
    {
        _o = options ?? new NearDuplicateOptions();
        _hashes = _o.Bands * _o.RowsPerBand;
        _mul = new ulong[_hashes];
        _add = new ulong[_hashes];
        ulong s = 0x9E3779B97F4A7C15UL;
        for (int i = 0; i < _hashes; i++)
        {
            _mul[i] = SplitMix(ref s) | 1; // multiply-shift hashing: odd multiplier, high 32 bits
            _add[i] = SplitMix(ref s);
        }
    }

    public NearDuplicateOptions Options => _o;
    public int Count { get { lock (_gate) return _entries.Count; } }

    /// <summary>Adds an article and returns what it duplicates, or null when it is the first of its kind.</summary>
    public DuplicateMatch? Add(string articleId, string text) => Add(articleId, Prepare(text));

    /// <summary>The key of a text (normalised hash and MinHash signature). Pure; call it from any thread.</summary>
    public DuplicateKey Prepare(string text)
    {
        var (sig, size) = Signature(text);
        return new DuplicateKey(TextFingerprint.NormalizedHash(text), sig, size);
    }

    /// <summary>Adds an article by its prepared key; returns what it duplicates, or null when it is the first of its kind.</summary>
    public DuplicateMatch? Add(string articleId, DuplicateKey key)
    {
        var (exactKey, sig, size) = (key.ExactHash, key.Signature, key.Shingles);
        if (sig != null && sig.Length != _hashes) throw new ArgumentException("the key was prepared by an index with other options", nameof(key));
        lock (_gate)
        {
            int self = _entries.Count;
            if (_ids.TryGetValue(articleId, out int known))
            {
                // Seen before (the same article ingested again): its link stands; nothing is added.
                return _entries[known].Match;
            }
            _ids[articleId] = self;
            if (_exact.TryGetValue(exactKey, out int same))
            {
                var origin = _entries[same].Origin;
                var exact = new DuplicateMatch(_entries[origin].Id, _entries[same].Id, 1, 1, DuplicateKind.Exact);
                _entries.Add(new Entry(articleId, origin, size, sig, false) { Match = exact });
                return exact;
            }
            _exact[exactKey] = self;
            var match = sig == null ? null : BestCandidate(sig, size);
            int originOf = match is { } m ? _entries[m.Index].Origin : self;
            var near = match is { } best
                ? new DuplicateMatch(_entries[originOf].Id, _entries[best.Index].Id, best.Jaccard, best.Containment, DuplicateKind.Near)
                : null;
            _entries.Add(new Entry(articleId, originOf, size, sig, sig != null) { Match = near });
            if (sig != null) AddToBuckets(sig, self);
            return near;
        }
    }

    /// <summary>
    /// Keeps only the articles <paramref name="keep"/> accepts (a window of recent ones), with the first copies of their
    /// groups, so the index, and what is saved of it, stays the size of the window however many articles came before.
    /// Returns how many were dropped. An article dropped can no longer be found as what a later one duplicates.
    /// </summary>
    public int Retain(Func<string, bool> keep)
    {
        lock (_gate)
        {
            var kept = new bool[_entries.Count];
            for (int i = 0; i < _entries.Count; i++)
                if (keep(_entries[i].Id)) { kept[i] = true; kept[_entries[i].Origin] = true; }
            int dropped = kept.Count(k => !k);
            if (dropped == 0) return 0;
            var map = new int[_entries.Count];
            var entries = new List<Entry>(_entries.Count - dropped);
            for (int i = 0; i < _entries.Count; i++)
            {
                if (!kept[i]) { map[i] = -1; continue; }
                map[i] = entries.Count;
                entries.Add(_entries[i] with { Origin = map[_entries[i].Origin] }); // an origin comes before its copies
            }
            var exact = _exact.Where(kv => kept[kv.Value]).ToList();
            _entries.Clear(); _entries.AddRange(entries);
            _ids.Clear(); _exact.Clear(); _buckets.Clear();
            for (int i = 0; i < _entries.Count; i++)
            {
                _ids[_entries[i].Id] = i;
                if (_entries[i] is { Indexed: true, Signature: { } sig }) AddToBuckets(sig, i);
            }
            foreach (var (hash, index) in exact) _exact[hash] = map[index];
            return dropped;
        }
    }

    /// <summary>What the text would duplicate, without adding it.</summary>
    public DuplicateMatch? Find(string text)
    {
        var exactKey = TextFingerprint.NormalizedHash(text);
        var (sig, size) = Signature(text);
        lock (_gate)
        {
            if (_exact.TryGetValue(exactKey, out int same))
                return new DuplicateMatch(_entries[_entries[same].Origin].Id, _entries[same].Id, 1, 1, DuplicateKind.Exact);
            if (sig == null || BestCandidate(sig, size) is not { } best) return null;
            return new DuplicateMatch(_entries[_entries[best.Index].Origin].Id, _entries[best.Index].Id, best.Jaccard, best.Containment, DuplicateKind.Near);
        }
    }

    /// <summary>Estimated Jaccard similarity and containment of two texts (the index's measure, for evaluation and tests).</summary>
    public (double Jaccard, double Containment) Compare(string a, string b)
    {
        var (sa, na) = Signature(a);
        var (sb, nb) = Signature(b);
        if (sa == null || sb == null) return (0, 0);
        return Estimate(sa, na, sb, nb);
    }

    private const uint Magic = 0x44445253; // "SRDD"

    /// <summary>
    /// Writes the index (articles in order, their origins, shingle counts, signatures and exact hashes) so a later run
    /// links to articles of earlier ones. Buckets are rebuilt on load.
    /// </summary>
    public async Task SaveAsync(string path, CancellationToken ct = default)
    {
        var full = Path.GetFullPath(path);
        var tmp = full + ".tmp-" + Environment.ProcessId;
        try
        {
            await using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                using var ms = new MemoryStream();
                Save(ms);
                ms.Position = 0;
                await ms.CopyToAsync(file, ct).ConfigureAwait(false);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Writes the index to a stream (see <see cref="SaveAsync"/>; the store keeps it this way).</summary>
    public void Save(Stream output)
    {
        lock (_gate)
        {
            using var w = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(1);
            w.Write(_o.ShingleWords); w.Write(_o.Bands); w.Write(_o.RowsPerBand);
            w.Write(_entries.Count);
            foreach (var e in _entries)
            {
                w.Write(e.Id); w.Write(e.Origin); w.Write(e.Shingles); w.Write(e.Indexed);
                w.Write(e.Match != null);
                if (e.Match is { } m) { w.Write(m.MatchedId); w.Write(m.Similarity); w.Write(m.Containment); w.Write((byte)m.Kind); }
                w.Write(e.Signature != null);
                if (e.Signature != null) foreach (var v in e.Signature) w.Write(v);
            }
            w.Write(_exact.Count);
            foreach (var (hash, index) in _exact) { w.Write(hash); w.Write(index); }
        }
    }

    /// <summary>Reads an index written by <see cref="SaveAsync"/>; a missing file is an empty index. A file written with other
    /// options, or not an index, is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static NearDuplicateIndex Load(string path, NearDuplicateOptions? options = null)
    {
        if (!File.Exists(path)) return new NearDuplicateIndex(options);
        using var stream = new BufferedStream(File.OpenRead(path), 1 << 16);
        return Load(stream, path, options);
    }

    /// <summary>Reads an index written by <see cref="Save(Stream)"/>; <paramref name="name"/> names it in errors.</summary>
    public static NearDuplicateIndex Load(Stream input, string name, NearDuplicateOptions? options = null)
    {
        var index = new NearDuplicateIndex(options);
        var path = name;
        try
        {
            using var r = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
            if (r.ReadUInt32() != Magic || r.ReadInt32() != 1) throw new InvalidDataException($"{path}: not a duplicate index file");
            var o = index._o;
            if (r.ReadInt32() != o.ShingleWords || r.ReadInt32() != o.Bands || r.ReadInt32() != o.RowsPerBand)
                throw new InvalidDataException($"{path}: duplicate index written with other settings; delete it to start afresh");
            int n = r.ReadInt32();
            for (int i = 0; i < n; i++)
            {
                var id = r.ReadString();
                int origin = r.ReadInt32(), shingles = r.ReadInt32();
                bool indexed = r.ReadBoolean();
                (string Matched, double J, double C, DuplicateKind K)? link = r.ReadBoolean()
                    ? (r.ReadString(), r.ReadDouble(), r.ReadDouble(), (DuplicateKind)r.ReadByte()) : null;
                uint[]? sig = null;
                if (r.ReadBoolean())
                {
                    sig = new uint[index._hashes];
                    for (int k = 0; k < sig.Length; k++) sig[k] = r.ReadUInt32();
                }
                if (origin < 0 || origin > i) throw new InvalidDataException($"{path}: corrupt duplicate index (entry {i})");
                index._entries.Add(new Entry(id, origin, shingles, sig, indexed && sig != null)
                {
                    Match = link is { } l ? new DuplicateMatch(index._entries.Count > origin ? index._entries[origin].Id : id, l.Matched, l.J, l.C, l.K) : null,
                });
                index._ids.TryAdd(id, i);
                if (indexed && sig != null) index.AddToBuckets(sig, i);
            }
            int exact = r.ReadInt32();
            for (int i = 0; i < exact; i++)
            {
                var hash = r.ReadString();
                int at = r.ReadInt32();
                if (at < 0 || at >= n) throw new InvalidDataException($"{path}: corrupt duplicate index (exact hash {i})");
                index._exact[hash] = at;
            }
            return index;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: truncated duplicate index; delete it to start afresh");
        }
    }

    private (int Index, double Jaccard, double Containment)? BestCandidate(uint[] sig, int size)
    {
        (int Index, double Jaccard, double Containment)? best = null;
        var seen = new HashSet<int>();
        for (int b = 0; b < _o.Bands; b++)
        {
            if (!_buckets.TryGetValue(BandKey(sig, b), out var list)) continue;
            int from = Math.Max(0, list.Count - _o.MaxBucket); // the most recent ones
            for (int i = list.Count - 1; i >= from; i--)
            {
                int c = list[i];
                if (!seen.Add(c)) continue;
                var e = _entries[c];
                var (j, cont) = Estimate(sig, size, e.Signature!, e.Shingles);
                if (cont < _o.MinContainment || j < _o.MinSimilarity) continue;
                if (best == null || cont + j > best.Value.Containment + best.Value.Jaccard || (cont + j == best.Value.Containment + best.Value.Jaccard && c < best.Value.Index))
                    best = (c, j, cont);
            }
        }
        return best;
    }

    private static (double Jaccard, double Containment) Estimate(uint[] a, int na, uint[] b, int nb)
    {
        int same = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] == b[i]) same++;
        double j = (double)same / a.Length;
        // |A∩B| = J(|A|+|B|)/(1+J); containment = |A∩B| / min(|A|,|B|).
        double inter = j * (na + nb) / (1 + j);
        double cont = Math.Min(1, inter / Math.Max(1, Math.Min(na, nb)));
        return (j, cont);
    }

    private void AddToBuckets(uint[] sig, int index)
    {
        for (int b = 0; b < _o.Bands; b++)
        {
            var key = BandKey(sig, b);
            if (!_buckets.TryGetValue(key, out var list)) _buckets[key] = list = new List<int>(1);
            list.Add(index);
        }
    }

    private ulong BandKey(uint[] sig, int band)
    {
        ulong h = (ulong)band * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL;
        for (int r = 0; r < _o.RowsPerBand; r++) h = Mix(h ^ sig[band * _o.RowsPerBand + r]);
        return h;
    }

    /// <summary>MinHash signature over the distinct word shingles, and their number; null when too short.</summary>
    private (uint[]? Signature, int Shingles) Signature(string text)
    {
        var words = new List<ulong>();
        foreach (var (s, l) in TextFingerprint.Words(text)) words.Add(TextFingerprint.WordHash(text, s, l));
        int k = _o.ShingleWords;
        var shingles = new HashSet<ulong>();
        if (words.Count < k) { if (words.Count > 0) shingles.Add(Combine(words, 0, words.Count)); }
        else for (int i = 0; i + k <= words.Count; i++) shingles.Add(Combine(words, i, k));
        if (shingles.Count < _o.MinShingles) return (null, shingles.Count);
        var sig = new uint[_hashes];
        Array.Fill(sig, uint.MaxValue);
        foreach (var sh in shingles)
        {
            for (int i = 0; i < sig.Length; i++)
            {
                uint v = (uint)((_mul[i] * sh + _add[i]) >> 32);
                if (v < sig[i]) sig[i] = v;
            }
        }
        return (sig, shingles.Count);
    }

    private static ulong Combine(List<ulong> words, int start, int count)
    {
        ulong h = 0xCBF29CE484222325UL;
        for (int i = start; i < start + count; i++) h = Mix(h ^ words[i]) + (ulong)i - (ulong)start;
        return h;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong SplitMix(ref ulong s)
    {
        s += 0x9E3779B97F4A7C15UL;
        return Mix(s);
    }
}
