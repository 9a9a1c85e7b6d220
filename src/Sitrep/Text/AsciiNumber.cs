namespace Sitrep.Text;

/// <summary>
/// Reads numbers written with ASCII digits only, and never throws. Text is full of digits that are not ASCII
/// (Arabic-Indic "١٥", Devanagari "१५", fullwidth "１５"): char.IsDigit and a regex's \d accept them, int.Parse with
/// the invariant culture rejects them with an exception. Every number a stage reads out of text goes through here.
/// </summary>
public static class AsciiNumber
{
    /// <summary>The value of <paramref name="s"/> when it is 1 to 9 ASCII digits and nothing else; otherwise false.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        if (s.Length is 0 or > 9) return false;
        foreach (char c in s)
        {
            if ((uint)(c - '0') > 9) { value = 0; return false; }
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>The value of <paramref name="s"/> (1 to 9 ASCII digits), or <paramref name="fallback"/>.</summary>
    public static int ParseOr(ReadOnlySpan<char> s, int fallback) => TryParse(s, out int v) ? v : fallback;

    /// <summary>True when every char of <paramref name="s"/> is an ASCII digit (and there is at least one).</summary>
    public static bool AllDigits(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (char c in s) if ((uint)(c - '0') > 9) return false;
        return true;
    }
}
