using System.Text;

namespace Sitrep.Text.Ner;

/// <summary>
/// Unlabeled news text for learning word clusters and casing statistics: FNC-1 article bodies, PolNeAR article
/// texts and the tokens of the CoNLL training file (labels ignored). Raw text is split into sentences and
/// Penn-Treebank-like tokens (punctuation and clitics split off, as in CoNLL).
/// </summary>
internal static class UnlabeledCorpus
{
    /// <summary>Reads whichever of the standard sources exist under the data root; returns tokenised sentences and a description.</summary>
    public static (List<string[]> Sentences, string Description) Load(string dataRoot, IReadOnlyList<ConllDocument>? conllTrain)
    {
        var sentences = new List<string[]>();
        var parts = new List<string>();
        if (conllTrain != null)
        {
            int before = sentences.Count;
            foreach (var d in conllTrain)
            {
                foreach (var s in d.Sentences) sentences.Add(s.Tokens);
            }
            parts.Add($"CoNLL train text {sentences.Count - before} sentences");
        }
        string fnc = Path.Combine(dataRoot, "stance", "fnc1", "train_bodies.csv");
        if (File.Exists(fnc))
        {
            int before = sentences.Count;
            foreach (var body in ReadCsvColumn(fnc, 1)) Split(body, sentences);
            parts.Add($"FNC-1 bodies {sentences.Count - before} sentences");
        }
        string polnear = Path.Combine(dataRoot, "attribution", "polnear");
        if (Directory.Exists(polnear))
        {
            int before = sentences.Count;
            var files = Directory.GetDirectories(polnear).OrderBy(d => d, StringComparer.Ordinal)
                .SelectMany(d => Directory.Exists(Path.Combine(d, "text")) ? Directory.GetFiles(Path.Combine(d, "text"), "*.txt").OrderBy(f => f, StringComparer.Ordinal).ToArray() : Array.Empty<string>())
                .ToList();
            foreach (var f in files) Split(File.ReadAllText(f), sentences);
            parts.Add($"PolNeAR {files.Count} texts {sentences.Count - before} sentences");
        }
        return (sentences, string.Join(", ", parts));
    }

    /// <summary>Yields one column of a CSV file with a header row (RFC 4180 quoting, multi-line fields).</summary>
    public static IEnumerable<string> ReadCsvColumn(string path, int column)
    {
        string text = File.ReadAllText(path);
        var field = new StringBuilder();
        int col = 0, i = 0;
        bool header = true;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '"')
            {
                i++;
                while (i < text.Length)
                {
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(text[i++]);
                }
                continue;
            }
            if (c == ',')
            {
                if (col == column && !header) yield return field.ToString();
                field.Clear();
                col++;
                i++;
                continue;
            }
            if (c == '\n' || c == '\r')
            {
                if (col == column && !header) yield return field.ToString();
                field.Clear();
                col = 0;
                header = false;
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                i++;
                continue;
            }
            field.Append(c);
            i++;
        }
        if (col == column && !header && field.Length > 0) yield return field.ToString();
    }

    private static readonly string[] Clitics = ["n't", "'s", "'re", "'ve", "'ll", "'d", "'m"];

    /// <summary>Splits raw text into sentences of tokens (lines break sentences; so do . ! ? tokens).</summary>
    public static void Split(string text, List<string[]> into)
    {
        var cur = new List<string>();
        foreach (var rawLine in text.Split('\n'))
        {
            foreach (var chunk in rawLine.Split([' ', '\t', '\r', '\u00A0'], StringSplitOptions.RemoveEmptyEntries))
            {
                Tokenize(chunk, cur);
                if (cur.Count > 0 && cur[^1] is "." or "!" or "?")
                {
                    into.Add([.. cur]);
                    cur.Clear();
                }
            }
            if (cur.Count > 0) { into.Add([.. cur]); cur.Clear(); }
        }
    }

    /// <summary>Tokenises one whitespace-free chunk.</summary>
    public static void Tokenize(string chunk, List<string> into)
    {
        string w = chunk.Replace('\u2019', '\'').Replace('\u2018', '\'').Replace('\u201C', '"').Replace('\u201D', '"');
        int s = 0, e = w.Length;
        // leading punctuation
        while (s < e && "\"'([{".IndexOf(w[s]) >= 0) { into.Add(w[s].ToString()); s++; }
        var trailing = new Stack<string>();
        while (e > s)
        {
            char c = w[e - 1];
            if (",;:!?\")]}".IndexOf(c) >= 0) { trailing.Push(c.ToString()); e--; continue; }
            if (c == '\'' && e - s > 1 && w[e - 2] != 's') { trailing.Push("'"); e--; continue; }
            if (c == '.')
            {
                var body = w.AsSpan(s, e - s - 1);
                bool abbrev = body.Contains('.') || (body.Length == 1 && char.IsUpper(body[0])) || body.Length == 0;
                if (body.Length > 0 && (body[^1] == '.' || !abbrev)) { trailing.Push("."); e--; continue; }
                if (body.Length == 0) { trailing.Push("."); e--; continue; }
            }
            break;
        }
        if (e > s)
        {
            string core = w[s..e];
            bool split = false;
            foreach (var cl in Clitics)
            {
                if (core.Length > cl.Length && core.EndsWith(cl, StringComparison.OrdinalIgnoreCase))
                {
                    into.Add(core[..^cl.Length]);
                    into.Add(core[^cl.Length..]);
                    split = true;
                    break;
                }
            }
            if (!split)
            {
                // split dashes between words: "word--word" / "word—word"
                foreach (var piece in core.Split("--"))
                {
                    if (piece.Length > 0) into.Add(piece);
                }
            }
        }
        while (trailing.Count > 0) into.Add(trailing.Pop());
    }
}
