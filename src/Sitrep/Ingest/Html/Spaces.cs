using System.Text;

namespace Sitrep.Ingest.Html;

/// <summary>White-space helpers shared by the extractor and the metadata reader.</summary>
internal static class Spaces
{
    /// <summary>Runs of white space (any Unicode space, including no-break) become one space; the ends are trimmed.</summary>
    public static string Collapse(string s)
    {
        int i = 0;
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        int end = s.Length;
        while (end > i && char.IsWhiteSpace(s[end - 1])) end--;
        bool clean = true;
        for (int k = i; k < end; k++)
        {
            char c = s[k];
            if (char.IsWhiteSpace(c) && (c != ' ' || char.IsWhiteSpace(s[k + 1]))) { clean = false; break; }
        }
        if (clean) return i == 0 && end == s.Length ? s : s[i..end];
        var sb = new StringBuilder(end - i);
        AppendCollapsed(sb, s.AsSpan(i, end - i), false);
        return sb.ToString();
    }

    /// <summary>Appends <paramref name="s"/> with white-space runs as one space; <paramref name="pendingSpace"/> carries a space across calls.</summary>
    public static bool AppendCollapsed(StringBuilder sb, ReadOnlySpan<char> s, bool pendingSpace)
    {
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c)) { pendingSpace = true; continue; }
            if (pendingSpace && sb.Length > 0 && sb[^1] != '\n') sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return pendingSpace;
    }
}
