using nietras.SeparatedValues;

namespace Sitrep.Stories;

/// <summary>
/// An RFC 4180 CSV reader over Sep (nietras.SeparatedValues): comma-separated fields, fields optionally enclosed in
/// double quotes, a doubled quote inside a quoted field is one quote, quoted fields may span lines (CR, LF or CRLF are
/// kept as they are inside quotes). Records end at CRLF, LF or CR outside quotes; a final line break is optional; a
/// blank line is not a record. Sep accepts malformed quoting silently, so each field's raw text is checked here: a
/// quote inside an unquoted field, text after a closing quote or an unterminated quoted field raises a
/// <see cref="FormatException"/> naming the line.
/// </summary>
public static class CsvReader
{
    private static readonly SepReaderOptions Options = Sep.New(',').Reader() with
    {
        HasHeader = false,
        DisableColCountCheck = true, // callers check the number of fields with their own message
    };

    /// <summary>Reads every record of the text; each record is its list of fields.</summary>
    public static IEnumerable<string[]> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using var csv = Options.From(reader);
        int line = 1; // Sep's own line numbers are off for the first row, so lines are counted here
        while (csv.MoveNext())
        {
            var fields = Fields(csv, ref line);
            if (fields is not null) yield return fields;
        }
    }

    /// <summary>
    /// The current row's fields, unescaped; null for a blank line. <paramref name="line"/> is the row's first line on
    /// entry and the next row's on return.
    /// </summary>
    private static string[]? Fields(SepReader csv, ref int line)
    {
        var row = csv.Current;
        int n = row.ColCount, recordLine = line;
        if (n == 1 && row[0].Span.IsEmpty) { line++; return null; }
        var fields = new string[n];
        for (int i = 0; i < n; i++)
        {
            var raw = row[i].Span;
            if (raw.Length > 0 && raw[0] == '"') fields[i] = Quoted(raw, recordLine, ref line);
            else if (raw.Contains('"')) throw new FormatException($"line {line}: quote inside an unquoted field");
            else fields[i] = new string(raw);
        }
        line++;
        return fields;
    }

    /// <summary>A quoted field: the text between the outer quotes, doubled quotes made single; counts its line breaks.</summary>
    private static string Quoted(ReadOnlySpan<char> raw, int recordLine, ref int line)
    {
        var inner = raw[1..];
        int pos = 0, doubled = 0;
        while (true)
        {
            int q = inner[pos..].IndexOf('"');
            if (q < 0) throw new FormatException($"line {recordLine}: unterminated quoted field");
            pos += q;
            if (pos + 1 < inner.Length && inner[pos + 1] == '"') { doubled++; pos += 2; continue; }
            line += Breaks(inner[..pos]);
            if (pos != inner.Length - 1) throw new FormatException($"line {line}: text after the closing quote of a field");
            var text = inner[..pos];
            return doubled == 0 ? new string(text) : text.ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
        }
    }

    /// <summary>Line breaks in the text: LF, CRLF and a lone CR each count once.</summary>
    private static int Breaks(ReadOnlySpan<char> s)
    {
        int lf = s.Count('\n');
        if (!s.Contains('\r')) return lf;
        int crlf = 0;
        for (int i = s.IndexOf('\r'); i >= 0 && i < s.Length; i++)
            if (s[i] == '\r' && i + 1 < s.Length && s[i + 1] == '\n') crlf++;
        return lf + s.Count('\r') - crlf;
    }
}
