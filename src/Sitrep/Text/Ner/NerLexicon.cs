namespace Sitrep.Text.Ner;

/// <summary>
/// What the model knows about a word type (keyed by the hash of its lower-cased form) from unlabeled text:
/// its Brown cluster path and how often it is capitalised when not sentence-initial.
/// </summary>
internal sealed class NerLexicon
{
    /// <summary>Cap bucket for words never seen in the unlabeled text.</summary>
    public const byte CapUnseen = 0;

    private ulong[] _keys;
    private uint[] _paths;
    private byte[] _lens;
    private byte[] _caps;
    private int _mask;

    public NerLexicon(int capacityHint = 1024)
    {
        int cap = 1;
        while (cap < capacityHint * 2) cap <<= 1;
        _keys = new ulong[cap];
        _paths = new uint[cap];
        _lens = new byte[cap];
        _caps = new byte[cap];
        _mask = cap - 1;
    }

    public int Count { get; private set; }

    /// <summary>Sets the entry for a key; path length 0 means no cluster.</summary>
    public void Set(ulong key, uint path, byte pathLength, byte capBucket)
    {
        if (key == 0) key = 1;
        if ((Count + 1) * 2 > _keys.Length) Grow();
        int i = (int)(key & (ulong)_mask);
        while (_keys[i] != 0 && _keys[i] != key) i = (i + 1) & _mask;
        if (_keys[i] == 0) { _keys[i] = key; Count++; }
        _paths[i] = path;
        _lens[i] = pathLength;
        _caps[i] = capBucket;
    }

    public bool TryGet(ulong key, out uint path, out byte pathLength, out byte capBucket)
    {
        if (key == 0) key = 1;
        int i = (int)(key & (ulong)_mask);
        while (true)
        {
            ulong k = _keys[i];
            if (k == key) { path = _paths[i]; pathLength = _lens[i]; capBucket = _caps[i]; return true; }
            if (k == 0) { path = 0; pathLength = 0; capBucket = CapUnseen; return false; }
            i = (i + 1) & _mask;
        }
    }

    public IEnumerable<(ulong Key, uint Path, byte Length, byte Cap)> Entries()
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] != 0) yield return (_keys[i], _paths[i], _lens[i], _caps[i]);
        }
    }

    private void Grow()
    {
        var old = Entries().ToArray();
        int cap = _keys.Length * 2;
        _keys = new ulong[cap];
        _paths = new uint[cap];
        _lens = new byte[cap];
        _caps = new byte[cap];
        _mask = cap - 1;
        Count = 0;
        foreach (var (k, p, l, c) in old) Set(k, p, l, c);
    }

    /// <summary>Bucket of the share of capitalised non-initial occurrences (1 = rare word, 2..7 by share).</summary>
    public static byte CapBucket(int capitalised, int total)
    {
        if (total <= 0) return CapUnseen;
        if (total < 3) return 1;
        double r = capitalised / (double)total;
        return (byte)(2 + Math.Min(5, (int)(r * 6)));
    }

    public void Write(BinaryWriter w)
    {
        w.Write(Count);
        foreach (var (k, p, l, c) in Entries().OrderBy(e => e.Key))
        {
            w.Write(k);
            w.Write(p);
            w.Write(l);
            w.Write(c);
        }
    }

    public static NerLexicon Read(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > 50_000_000) throw new InvalidDataException("bad lexicon size " + n);
        var lex = new NerLexicon(n);
        for (int i = 0; i < n; i++)
        {
            ulong k = r.ReadUInt64();
            uint p = r.ReadUInt32();
            byte l = r.ReadByte();
            byte c = r.ReadByte();
            lex.Set(k, p, l, c);
        }
        return lex;
    }
}
