using System.Text;

namespace Sitrep.Text;

/// <summary>
/// Quotes untrusted text (article text, titles, file names, speaker names) into Markdown so that any renderer — CommonMark,
/// GitHub, or one that passes raw HTML through — shows it as the same text and nothing else: no tags, no links, no
/// images, no emphasis, no headings, no table breaks. One line always: line breaks and other control characters become
/// spaces. Surrogate pairs are kept whole; lone surrogate halves become U+FFFD.
/// </summary>
public static class Markdown
{
    /// <summary>
    /// Text for a heading, a paragraph, a list item or a table cell: <c>&lt; &gt; &amp;</c> become entities (no tag, no
    /// autolink, no entity survives), <c>\ ` * _ [ ] ( ) ! # | ~</c> are backslash-escaped everywhere (no emphasis, code,
    /// link, image, heading, table break or strike-through), and a leading <c>- + =</c> or "123." is escaped (no list,
    /// no setext heading).
    /// </summary>
    public static string Escape(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var sb = new StringBuilder(s.Length + 16);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '!' or '#' or '|' or '~':
                    sb.Append('\\').Append(c);
                    break;
                case '-' or '+' or '=' or '.' when OpensBlock(s, i):
                    sb.Append('\\').Append(c);
                    break;
                case '\r':
                    if (i + 1 < s.Length && s[i + 1] == '\n') i++;
                    sb.Append(' ');
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(c).Append(s[i + 1]); i++; }
                    else if (char.IsSurrogate(c)) sb.Append('\uFFFD');
                    else if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085') sb.Append(' ');
                    else sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// A list marker, setext underline or ordered-list number at the start of the text ("- x", "+ x", "== x", "1984. x"):
    /// inside a list item or at a line start it would open a block.
    /// </summary>
    private static bool OpensBlock(string s, int i)
    {
        int first = 0;
        while (first < s.Length && s[first] is ' ' or '\t') first++;
        if (s[i] == '.')
        {
            if (i == first || i - first > 9) return false;
            for (int k = first; k < i; k++) if (s[k] is < '0' or > '9') return false;
            return true;
        }
        return i == first;
    }
}
