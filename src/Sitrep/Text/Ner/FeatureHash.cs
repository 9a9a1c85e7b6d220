using System.Runtime.CompilerServices;

namespace Sitrep.Text.Ner;

/// <summary>
/// 64-bit hashing of character spans and of feature tuples. Features are never materialised as strings: a token's
/// hashes are computed once from its span, and a feature is a mix of a template id and one or more such hashes,
/// reduced to a row of the weight table.
/// </summary>
internal static class FeatureHash
{
    private const ulong FnvBasis = 0xcbf29ce484222325UL;
    private const ulong FnvPrime = 0x100000001b3UL;
    private const ulong K1 = 0x9E3779B97F4A7C15UL;
    private const ulong K2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong K3 = 0x165667B19E3779F9UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Fmix(ulong k)
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdUL;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53UL;
        k ^= k >> 33;
        return k;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Step(ulong h, char c) => (h ^ c) * FnvPrime;

    public const ulong Seed = FnvBasis;

    /// <summary>Maps typographic variants to the ASCII forms CoNLL uses (quotes, apostrophes, dashes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char Normalize(char c)
    {
        if (c < 0x80) return c;
        return c switch
        {
            '\u2018' or '\u2019' or '\u201B' or '\u2032' => '\'',
            '\u201C' or '\u201D' or '\u201E' or '\u00AB' or '\u00BB' => '"',
            '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
            '\u00A0' => ' ',
            _ => c,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char Lower(char c)
    {
        if (c < 0x80) return (uint)(c - 'A') <= 'Z' - 'A' ? (char)(c | 0x20) : c;
        return char.ToLowerInvariant(Normalize(c));
    }

    /// <summary>Hash of the lower-cased, normalised span (the key of the lexicon).</summary>
    public static ulong LowerKey(ReadOnlySpan<char> s)
    {
        ulong h = FnvBasis;
        foreach (char c in s) h = Step(h, Lower(Normalize(c)));
        return Fmix(h ^ (ulong)s.Length);
    }

    /// <summary>Hash of a string (e.g. a marker such as sentence start).</summary>
    public static ulong Of(string s)
    {
        ulong h = FnvBasis ^ 0x5bd1e995UL;
        foreach (char c in s) h = Step(h, c);
        return Fmix(h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(int template, ulong a) => (a * K1) ^ ((ulong)(template + 1) * K3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(int template, ulong a, ulong b) => (a * K1) ^ ((b + 0x632BE59BD9B4E019UL) * K2) ^ ((ulong)(template + 1) * K3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(int template, ulong a, ulong b, ulong c) =>
        (a * K1) ^ ((b + 0x632BE59BD9B4E019UL) * K2) ^ (((c << 17) | (c >> 47)) * 0xD6E8FEB86659FD93UL) ^ ((ulong)(template + 1) * K3);

    /// <summary>Reduces a feature hash to a row index in [0, 2^bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Row(ulong h, int bits)
    {
        h ^= h >> 31;
        h *= 0xbf58476d1ce4e5b9UL;
        h ^= h >> 29;
        return (int)(h >> (64 - bits));
    }
}
