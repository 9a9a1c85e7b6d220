using System.Text;

namespace Sitrep.Stories;

/// <summary>
/// An RFC 4180 CSV reader: comma-separated fields, fields optionally enclosed in double quotes, a doubled quote
/// inside a quoted field is one quote, quoted fields may span lines (CR, LF or CRLF are kept as they are inside
/// quotes). Records end at CRLF, LF or CR outside quotes; a final line break is optional. Malformed input (a quote
/// inside an unquoted field, text after a closing quote, an unterminated quoted field) raises a
/// <see cref="FormatException"/> naming the line.
/// </summary>
public static class CsvReader
{
    /// <summary>Reads every record of the text; each record is its list of fields.</summary>
    public static IEnumerable<string[]> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var field = new StringBuilder();
        var fields = new List<string>();
        int line = 1, recordLine = 1;
        bool any = false; // anything read for the current record
        while (true)
        {
            int c = reader.Read();
            if (c < 0)
            {
                if (any) { fields.Add(field.ToString()); yield return fields.ToArray(); }
                yield break;
            }
            if (!any) recordLine = line;
            if (c == '"' && field.Length == 0)
            {
                // A quoted field.
                any = true;
                while (true)
                {
                    int q = reader.Read();
                    if (q < 0) throw new FormatException($"line {recordLine}: unterminated quoted field");
                    if (q == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); field.Append('"'); continue; }
                        break;
                    }
                    if (q == '\n') line++;
                    else if (q == '\r' && reader.Peek() != '\n') line++;
                    field.Append((char)q);
                }
                int after = reader.Peek();
                if (after >= 0 && after != ',' && after != '\r' && after != '\n')
                    throw new FormatException($"line {line}: text after the closing quote of a field");
                continue;
            }
            switch (c)
            {
                case ',':
                    any = true;
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                case '\n':
                    if (c == '\r' && reader.Peek() == '\n') reader.Read();
                    line++;
                    if (any)
                    {
                        fields.Add(field.ToString());
                        yield return fields.ToArray();
                    }
                    // A blank line is not a record.
                    fields.Clear();
                    field.Clear();
                    any = false;
                    break;
                case '"':
                    throw new FormatException($"line {line}: quote inside an unquoted field");
                default:
                    any = true;
                    field.Append((char)c);
                    break;
            }
        }
    }
}
