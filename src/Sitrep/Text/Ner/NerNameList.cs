namespace Sitrep.Text.Ner;

/// <summary>
/// A list of names (token n-grams, compared lower-cased) with their entity types; an <see cref="INerGazetteer"/>.
/// The trainer derives one from the gold entities of the training documents: the model uses it as its own
/// "seen in training" gazetteer, built for each training document from the other folds only, so that the feature
/// is as reliable in training as on new text.
/// </summary>
public sealed class NerNameList : INerGazetteer
{
    private const int Longest = 6;
    private readonly Dictionary<ulong, EntityTypes> _map = new();

    public int MaxTokens { get; private set; }
    public int Count => _map.Count;

    /// <summary>Adds a name given as tokens.</summary>
    public void Add(IReadOnlyList<string> tokens, EntityType type)
    {
        if (tokens.Count == 0 || tokens.Count > Longest) return;
        ulong h = Start;
        foreach (var t in tokens) h = Next(h, FeatureHash.LowerKey(t));
        Add(h, tokens.Count, (EntityTypes)(1 << (int)type));
    }

    internal void Add(string text, ReadOnlySpan<Token> tokens, EntityType type)
    {
        if (tokens.Length == 0 || tokens.Length > Longest) return;
        Add(Key(text, tokens), tokens.Length, (EntityTypes)(1 << (int)type));
    }

    private void Add(ulong key, int length, EntityTypes types)
    {
        _map[key] = _map.GetValueOrDefault(key) | types;
        MaxTokens = Math.Max(MaxTokens, length);
    }

    public EntityTypes Lookup(string text, ReadOnlySpan<Token> tokens) =>
        tokens.Length == 0 || tokens.Length > MaxTokens ? EntityTypes.None : _map.GetValueOrDefault(Key(text, tokens));

    /// <summary>
    /// The entry for a key built token by token (<see cref="KeyStart"/>, then <see cref="KeyNext"/> with each token's
    /// <see cref="FeatureHash.LowerKey"/>): the same as <see cref="Lookup"/> of those tokens, for callers that extend
    /// an n-gram one token at a time instead of hashing every token again for each length.
    /// </summary>
    internal EntityTypes LookupKey(ulong key, int length) =>
        length == 0 || length > MaxTokens ? EntityTypes.None : _map.GetValueOrDefault(key);

    internal const ulong KeyStart = Start;

    internal static ulong KeyNext(ulong h, ulong tokenKey) => Next(h, tokenKey);

    private const ulong Start = 0x2545F4914F6CDD1DUL;

    private static ulong Next(ulong h, ulong tokenKey) => FeatureHash.Fmix(h * 0x9E3779B97F4A7C15UL + tokenKey);

    private static ulong Key(string text, ReadOnlySpan<Token> tokens)
    {
        ulong h = Start;
        foreach (var t in tokens) h = Next(h, FeatureHash.LowerKey(text.AsSpan(t.Start, t.Length)));
        return h;
    }

    internal void Write(BinaryWriter w)
    {
        w.Write(MaxTokens);
        w.Write(_map.Count);
        foreach (var (k, v) in _map.OrderBy(e => e.Key))
        {
            w.Write(k);
            w.Write((byte)v);
        }
    }

    internal static NerNameList Read(BinaryReader r)
    {
        var list = new NerNameList { MaxTokens = r.ReadInt32() };
        int n = r.ReadInt32();
        if (n < 0 || list.MaxTokens < 0 || list.MaxTokens > Longest) throw new InvalidDataException("bad name list");
        for (int i = 0; i < n; i++) list._map[r.ReadUInt64()] = (EntityTypes)r.ReadByte();
        return list;
    }

    /// <summary>The names of the gold entities of some documents.</summary>
    internal static NerNameList FromGold(IEnumerable<NerDocument> docs)
    {
        var list = new NerNameList();
        foreach (var d in docs)
        {
            foreach (var c in d.Gold) list.Add(d.Text, d.Tokens.AsSpan(c.First, c.Count), (EntityType)c.Type);
        }
        return list;
    }
}
