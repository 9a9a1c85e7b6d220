using System.Collections.Immutable;
using System.Globalization;

namespace Sitrep.Attribution;

/// <summary>One gold attribution: source (possibly absent), cue and content, each a set of character ranges.</summary>
public sealed record GoldAttribution(ImmutableArray<TextSpan> Source, ImmutableArray<TextSpan> Cue, ImmutableArray<TextSpan> Content);

/// <summary>
/// A PolNeAR article: its text, its attributions, and the ranges the annotators set aside (<c>Discard</c>: bylines,
/// editor's notes; <c>Discuss</c>: cases they flagged as unsure), which scoring ignores.
/// </summary>
public sealed record PolNearArticle(string Name, string Text, ImmutableArray<GoldAttribution> Attributions, ImmutableArray<TextSpan> Ignored);

/// <summary>
/// Reads the PolNeAR corpus (brat standoff): <c>DIR/text/NAME.txt</c> and <c>DIR/attributions/NAME_ANNOTATOR.ann</c>
/// with text-bound <c>Source</c>, <c>Cue</c>, <c>Content</c> annotations (fragments separated by ';') and
/// <c>Attribution</c>/<c>Attribution-no-source</c> events linking them. An article annotated by several annotators is
/// read once, from the annotator whose id sorts first.
/// </summary>
public static class PolNear
{
    /// <summary>Reads every annotated article of a split folder (one that holds <c>text/</c> and <c>attributions/</c>).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder or its <c>text/</c> or <c>attributions/</c> subfolder is missing.</exception>
    /// <exception cref="InvalidDataException">An annotation file is malformed (message names the file and line).</exception>
    public static List<PolNearArticle> ReadSplit(string dir)
    {
        var textDir = Path.Combine(dir, "text");
        var annDir = Path.Combine(dir, "attributions");
        if (!Directory.Exists(textDir)) throw new DirectoryNotFoundException($"{textDir}: no such folder (expected a PolNeAR split with text/ and attributions/)");
        if (!Directory.Exists(annDir)) throw new DirectoryNotFoundException($"{annDir}: no such folder (expected a PolNeAR split with text/ and attributions/)");
        var byArticle = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(annDir, "*.ann").Order(StringComparer.Ordinal))
        {
            var stem = Path.GetFileNameWithoutExtension(file);
            int us = stem.LastIndexOf('_');
            var name = us > 0 ? stem[..us] : stem;
            byArticle.TryAdd(name, file);
        }
        var list = new List<PolNearArticle>(byArticle.Count);
        foreach (var (name, ann) in byArticle)
        {
            var txt = Path.Combine(textDir, name + ".txt");
            if (!File.Exists(txt)) throw new FileNotFoundException($"{txt}: text of annotated article not found", txt);
            var text = File.ReadAllText(txt);
            list.Add(Parse(name, text, File.ReadAllLines(ann), ann));
        }
        return list;
    }

    /// <summary>Parses one brat annotation file against its text.</summary>
    public static PolNearArticle Parse(string name, string text, IReadOnlyList<string> lines, string fileForErrors = "")
    {
        var bound = new Dictionary<string, (string Type, ImmutableArray<TextSpan> Spans)>(StringComparer.Ordinal);
        var events = new List<(Dictionary<string, List<string>> Args, int Line)>();
        for (int ln = 0; ln < lines.Count; ln++)
        {
            var line = lines[ln];
            int tab = line.IndexOf('\t');
            if (tab < 2) continue; // continuation of a multi-line span text, a note, or blank
            var id = line[..tab];
            if (id[0] == 'T' && IsDigits(id.AsSpan(1)))
            {
                int tab2 = line.IndexOf('\t', tab + 1);
                var head = tab2 < 0 ? line[(tab + 1)..] : line[(tab + 1)..tab2];
                int sp = head.IndexOf(' ');
                if (sp < 0) throw Bad(fileForErrors, ln, "text-bound annotation without offsets");
                var type = head[..sp];
                var spans = ImmutableArray.CreateBuilder<TextSpan>();
                foreach (var frag in head[(sp + 1)..].Split(';'))
                {
                    var parts = frag.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int a) ||
                        !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int b) || a > b || b > text.Length)
                        throw Bad(fileForErrors, ln, $"bad offsets '{frag}'");
                    spans.Add(new TextSpan(a, b));
                }
                bound[id] = (type, spans.ToImmutable());
            }
            else if (id[0] == 'E' && IsDigits(id.AsSpan(1)))
            {
                var args = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                foreach (var part in line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    int colon = part.IndexOf(':');
                    if (colon <= 0) throw Bad(fileForErrors, ln, $"bad event argument '{part}'");
                    var role = part[..colon].TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
                    if (!args.TryGetValue(role, out var ids)) args[role] = ids = [];
                    ids.Add(part[(colon + 1)..]);
                }
                events.Add((args, ln));
            }
        }

        var attributions = ImmutableArray.CreateBuilder<GoldAttribution>();
        foreach (var (args, ln) in events)
        {
            ImmutableArray<TextSpan> Collect(string role)
            {
                if (!args.TryGetValue(role, out var ids)) return [];
                var b = ImmutableArray.CreateBuilder<TextSpan>();
                foreach (var id in ids)
                {
                    if (!bound.TryGetValue(id, out var t)) throw Bad(fileForErrors, ln, $"event refers to unknown annotation {id}");
                    b.AddRange(t.Spans);
                }
                return [.. b.OrderBy(s => s.Start)];
            }
            var content = Collect("Content");
            var cue = Collect("Cue");
            if (content.IsEmpty || cue.IsEmpty) continue; // incomplete annotations (a handful) are not scored
            attributions.Add(new GoldAttribution(Collect("Source"), cue, content));
        }
        var ignored = bound.Values.Where(v => v.Type is "Discard" or "Discuss").SelectMany(v => v.Spans).OrderBy(s => s.Start).ToImmutableArray();
        return new PolNearArticle(name, text, [.. attributions.OrderBy(a => a.Cue[0].Start)], ignored);
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (char c in s) if (c is < '0' or > '9') return false;
        return true;
    }

    private static InvalidDataException Bad(string file, int line, string reason) => new($"{file}:{line + 1}: {reason}");
}
