namespace Sitrep.Text;

/// <summary>
/// Cuts strings to a length without ever splitting a surrogate pair (an emoji, a rare CJK character): a cut that would
/// fall between a high and a low surrogate moves one char earlier (or later, for the start of a slice). A lone
/// surrogate half would make every UTF-8 encoder with an exception fallback throw, and show as U+FFFD elsewhere.
/// </summary>
public static class TextCut
{
    /// <summary>True when a cut at <paramref name="index"/> would split a surrogate pair of <paramref name="s"/>.</summary>
    public static bool SplitsPair(ReadOnlySpan<char> s, int index) =>
        index > 0 && index < s.Length && char.IsHighSurrogate(s[index - 1]) && char.IsLowSurrogate(s[index]);

    /// <summary>The largest cut position ≤ <paramref name="index"/> (clamped to [0, length]) that splits no pair.</summary>
    public static int Floor(ReadOnlySpan<char> s, int index)
    {
        index = Math.Clamp(index, 0, s.Length);
        return SplitsPair(s, index) ? index - 1 : index;
    }

    /// <summary>The smallest cut position ≥ <paramref name="index"/> (clamped to [0, length]) that splits no pair.</summary>
    public static int Ceiling(ReadOnlySpan<char> s, int index)
    {
        index = Math.Clamp(index, 0, s.Length);
        return SplitsPair(s, index) ? index + 1 : index;
    }

    /// <summary>At most <paramref name="max"/> chars from the start of <paramref name="s"/>, ending on a whole character.</summary>
    public static string Prefix(string s, int max) => s.Length <= max ? s : s[..Floor(s, Math.Max(0, max))];

    /// <summary>[start, end) of <paramref name="s"/> (clamped), both ends moved inward so that no pair is split.</summary>
    public static string Slice(string s, int start, int end)
    {
        start = Ceiling(s, start);
        end = Floor(s, end);
        return end <= start ? "" : s[start..end];
    }

    /// <summary>
    /// <paramref name="s"/> when it has at most <paramref name="max"/> chars; otherwise its first whole characters,
    /// trailing white space trimmed, and "…", <paramref name="max"/> chars in all at most.
    /// </summary>
    public static string Ellipsis(string s, int max)
    {
        if (s.Length <= max) return s;
        if (max <= 1) return max == 1 ? "…" : "";
        return Prefix(s, max - 1).TrimEnd() + "…";
    }
}
