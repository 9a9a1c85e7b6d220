namespace Sitrep.Output;

/// <summary>
/// Converts UTF-16 offsets (how .NET indexes strings) to Unicode code-point offsets (how the export counts
/// characters, as Python does). For text without surrogate pairs the two are the same and nothing is allocated.
/// </summary>
public sealed class OffsetMap
{
    private readonly int[]? _surrogates; // UTF-16 index of each low surrogate, ascending

    public OffsetMap(string text)
    {
        List<int>? lows = null;
        for (int i = 1; i < text.Length; i++)
            if (char.IsLowSurrogate(text[i]) && char.IsHighSurrogate(text[i - 1])) (lows ??= []).Add(i);
        _surrogates = lows?.ToArray();
    }

    public int ToCodePoint(int utf16)
    {
        if (_surrogates == null) return utf16;
        int idx = Array.BinarySearch(_surrogates, utf16);
        int before = idx >= 0 ? idx : ~idx; // low surrogates strictly before utf16
        return utf16 - before;
    }
}
