namespace Sitrep.Text.Ner;

/// <summary>How entity spans are encoded as per-token tags.</summary>
public enum TagScheme : byte
{
    /// <summary>B-X first token, I-X following tokens, O outside.</summary>
    Bio = 0,
    /// <summary>B-X first, I-X inside, L-X last, U-X single-token entity, O outside.</summary>
    Bilou = 1,
}

/// <summary>Position of a token inside an entity.</summary>
internal enum TagPart : byte { O, B, I, L, U }

/// <summary>
/// Tag inventory for a scheme. Tag 0 is O; entity tags follow grouped by type. Also knows which tag may follow
/// which (decoding is constrained to well-formed sequences).
/// </summary>
internal sealed class TagSet
{
    private readonly TagPart[] _parts;
    private readonly sbyte[] _types;
    private readonly bool[] _allowed; // [(prev+1) * Count + cur], prev = -1 is sentence start

    public TagSet(TagScheme scheme)
    {
        Scheme = scheme;
        int per = scheme == TagScheme.Bio ? 2 : 4;
        Count = 1 + 4 * per;
        _parts = new TagPart[Count];
        _types = new sbyte[Count];
        _types[0] = -1;
        var order = scheme == TagScheme.Bio ? new[] { TagPart.B, TagPart.I } : new[] { TagPart.B, TagPart.I, TagPart.L, TagPart.U };
        for (int t = 0; t < 4; t++)
        {
            for (int p = 0; p < per; p++)
            {
                _parts[1 + t * per + p] = order[p];
                _types[1 + t * per + p] = (sbyte)t;
            }
        }
        _allowed = new bool[(Count + 1) * Count];
        for (int prev = -1; prev < Count; prev++)
        {
            for (int cur = 0; cur < Count; cur++) _allowed[(prev + 1) * Count + cur] = ComputeAllowed(prev, cur);
        }
    }

    public TagScheme Scheme { get; }
    public int Count { get; }

    public TagPart Part(int tag) => _parts[tag];
    public int Type(int tag) => _types[tag];

    public int Tag(TagPart part, int type)
    {
        if (part == TagPart.O) return 0;
        int per = Scheme == TagScheme.Bio ? 2 : 4;
        int p = part switch
        {
            TagPart.B => 0,
            TagPart.I => 1,
            TagPart.L => Scheme == TagScheme.Bio ? 1 : 2,
            _ => Scheme == TagScheme.Bio ? 0 : 3,
        };
        return 1 + type * per + p;
    }

    /// <summary>Whether <paramref name="cur"/> may follow <paramref name="prev"/> (-1 = sentence start).</summary>
    public bool Allowed(int prev, int cur) => _allowed[(prev + 1) * Count + cur];

    private bool ComputeAllowed(int prev, int cur)
    {
        TagPart cp = _parts[cur];
        bool prevOpen = prev >= 0 && (_parts[prev] == TagPart.B || _parts[prev] == TagPart.I);
        if (Scheme == TagScheme.Bio)
        {
            if (cp == TagPart.I) return prevOpen && _types[prev] == _types[cur];
            return true;
        }
        if (prevOpen) return (cp == TagPart.I || cp == TagPart.L) && _types[prev] == _types[cur];
        return cp == TagPart.O || cp == TagPart.B || cp == TagPart.U;
    }

    /// <summary>Whether a sentence may end after <paramref name="last"/>.</summary>
    public bool CanEnd(int last) => Scheme == TagScheme.Bio || last < 0 || (_parts[last] != TagPart.B && _parts[last] != TagPart.I);

    /// <summary>A copy of the constraints for the linear tagger: [(prev + 1) * Count + cur] is <see cref="Allowed"/>(prev, cur).</summary>
    public bool[] AllowedTable() => (bool[])_allowed.Clone();

    /// <summary><see cref="CanEnd"/> of each tag.</summary>
    public bool[] CanEndTable() => Enumerable.Range(0, Count).Select(CanEnd).ToArray();

    /// <summary>Writes the tags of <paramref name="count"/> tokens given entity spans (token ranges, non-overlapping).</summary>
    public void Encode(ReadOnlySpan<Chunk> chunks, int first, int count, Span<byte> tags)
    {
        tags[..count].Clear();
        foreach (var c in chunks)
        {
            int s = c.First - first, e = s + c.Count;
            if (s < 0 || e > count) continue;
            if (Scheme == TagScheme.Bilou && c.Count == 1) { tags[s] = (byte)Tag(TagPart.U, c.Type); continue; }
            tags[s] = (byte)Tag(TagPart.B, c.Type);
            for (int i = s + 1; i < e; i++) tags[i] = (byte)Tag(TagPart.I, c.Type);
            if (Scheme == TagScheme.Bilou) tags[e - 1] = (byte)Tag(TagPart.L, c.Type);
        }
    }

    /// <summary>Extracts chunks from tags with conlleval's lenient rules (an I after O or another type starts a chunk).</summary>
    public void Decode(ReadOnlySpan<byte> tags, int first, List<Chunk> into)
    {
        Span<int> types = tags.Length <= 512 ? stackalloc int[tags.Length] : new int[tags.Length];
        Span<TagPart> parts = tags.Length <= 512 ? stackalloc TagPart[tags.Length] : new TagPart[tags.Length];
        for (int i = 0; i < tags.Length; i++) { types[i] = _types[tags[i]]; parts[i] = _parts[tags[i]]; }
        Chunks.Extract(types, parts, first, into);
    }
}

/// <summary>An entity as a token range.</summary>
internal readonly record struct Chunk(int First, int Count, int Type);

internal static class Chunks
{
    /// <summary>
    /// conlleval chunk extraction over (type, part) per token; type -1 = O. Works for IOB1, IOB2, BIOES/BILOU.
    /// </summary>
    public static void Extract(ReadOnlySpan<int> types, ReadOnlySpan<TagPart> parts, int first, List<Chunk> into)
    {
        int start = -1, type = -1;
        for (int i = 0; i < types.Length; i++)
        {
            int t = types[i];
            TagPart p = parts[i];
            bool begins = t >= 0 && (p == TagPart.B || p == TagPart.U || start < 0 || type != t
                || (i > 0 && (parts[i - 1] == TagPart.L || parts[i - 1] == TagPart.U)));
            if (start >= 0 && (t < 0 || begins))
            {
                into.Add(new Chunk(first + start, i - start, type));
                start = -1;
                type = -1;
            }
            if (begins) { start = i; type = t; }
        }
        if (start >= 0) into.Add(new Chunk(first + start, types.Length - start, type));
    }

    /// <summary>Parses a CoNLL tag like B-PER, I-LOC, O, E-ORG, S-MISC, L-PER, U-ORG.</summary>
    public static bool ParseTag(ReadOnlySpan<char> tag, out int type, out TagPart part)
    {
        type = -1;
        part = TagPart.O;
        if (tag.Length == 1 && tag[0] == 'O') return true;
        if (tag.Length < 3 || tag[1] != '-') return false;
        part = tag[0] switch
        {
            'B' => TagPart.B,
            'I' => TagPart.I,
            'L' or 'E' => TagPart.L,
            'U' or 'S' => TagPart.U,
            _ => TagPart.O,
        };
        if (part == TagPart.O) return false;
        if (!EntityTypeNames.TryParse(tag[2..], out var et)) return false;
        type = (int)et;
        return true;
    }
}
