using System.Security.Cryptography;
using System.Text;

namespace Sitrep.Ingest.Dedup;

/// <summary>
/// Normalised text for duplicate detection: lower-cased letters and digits, every other run of characters one space,
/// apostrophes inside words dropped ("don't" = "dont"), so the same words in another wrapper, with other line breaks,
/// quotes or dashes, normalise alike.
/// </summary>
public static class TextFingerprint
{
    /// <summary>The normalised text (words separated by single spaces).</summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var (start, length) in Words(text))
        {
            if (sb.Length > 0) sb.Append(' ');
            for (int i = start; i < start + length; i++)
            {
                char c = text[i];
                if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
            }
        }
        return sb.ToString();
    }

    /// <summary>First 128 bits of the SHA-256 of the normalised text, hex: equal for the same words in another wrapper.</summary>
    public static string NormalizedHash(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(Normalize(text));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>The words of a text as (start, length) spans: runs of letters and digits, joined across apostrophes.</summary>
    public static IEnumerable<(int Start, int Length)> Words(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i])) i++;
            if (i >= text.Length) yield break;
            int start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) ||
                   (IsApostrophe(text[i]) && i + 1 < text.Length && char.IsLetter(text[i + 1]) && i > start))) i++;
            yield return (start, i - start);
        }
    }

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019' or '\u02BC';

    /// <summary>64-bit hash of the normalised word at [start, start+length) (FNV-1a over lower-cased letters and digits).</summary>
    public static ulong WordHash(string text, int start, int length)
    {
        ulong h = 14695981039346656037UL;
        for (int i = start; i < start + length; i++)
        {
            char c = text[i];
            if (!char.IsLetterOrDigit(c)) continue;
            c = char.ToLowerInvariant(c);
            h = (h ^ c) * 1099511628211UL;
        }
        return h;
    }
}
