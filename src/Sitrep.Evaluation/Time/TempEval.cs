using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Sitrep.Text;

namespace Sitrep.Time;

/// <summary>A gold TIMEX3 of a TimeML document: span [Start, End) in the plain text, type and value.</summary>
public sealed record TimexAnnotation(int Start, int End, TimexType Type, string Value);

/// <summary>A TimeML (.tml) document reduced to what TempEval-3 task A needs: plain text, creation time, gold TIMEX3s.</summary>
public sealed record TmlDocument(string Name, string Text, DateOnly CreationDate, ImmutableArray<TimexAnnotation> Timexes);

/// <summary>Counts of a TempEval-3 task A evaluation, summed over documents.</summary>
public sealed class TempEvalScore
{
    public int Files { get; set; }
    public int Gold { get; set; }
    public int System { get; set; }
    public int StrictMatches { get; set; }
    public int RelaxedMatches { get; set; }
    public int TypeMatches { get; set; }
    public int ValueMatches { get; set; }

    public double StrictPrecision => Ratio(StrictMatches, System);
    public double StrictRecall => Ratio(StrictMatches, Gold);
    public double StrictF1 => F1(StrictPrecision, StrictRecall);
    public double RelaxedPrecision => Ratio(RelaxedMatches, System);
    public double RelaxedRecall => Ratio(RelaxedMatches, Gold);
    public double RelaxedF1 => F1(RelaxedPrecision, RelaxedRecall);
    /// <summary>Share of relaxed matches with the gold type.</summary>
    public double TypeAccuracy => Ratio(TypeMatches, RelaxedMatches);
    /// <summary>Share of relaxed matches with the gold value.</summary>
    public double ValueAccuracy => Ratio(ValueMatches, RelaxedMatches);
    /// <summary>Type accuracy × relaxed F1, as the TempEval-3 scorer reports it.</summary>
    public double TypeF1 => TypeAccuracy * RelaxedF1;
    /// <summary>Value accuracy × relaxed F1: TempEval-3's headline figure for task A.</summary>
    public double ValueF1 => ValueAccuracy * RelaxedF1;

    private static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;
    private static double F1(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);
}

/// <summary>One difference between the system and the gold standard, for error reports.</summary>
/// <param name="Kind">missed, spurious, span, type or value.</param>
public sealed record TempEvalDifference(string File, string Kind, DateOnly CreationDate, string GoldText, string GoldType, string GoldValue,
    string SystemText, string SystemType, string SystemValue, string Context);

/// <summary>
/// TempEval-3 task A (time expression extraction and normalisation), scored as the official toolkit does: the
/// document creation time is given; a system expression matches a gold one when they overlap (relaxed) or have the
/// same extent (strict); type and value are compared on relaxed matches; value F1 = value accuracy × relaxed F1.
/// Each gold expression is matched to at most one system expression and vice versa, in text order.
/// </summary>
public static class TempEval
{
    /// <summary>Reads a .tml file.</summary>
    /// <exception cref="FormatException">The file is not TimeML with a DCT and a TEXT element.</exception>
    public static TmlDocument Read(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>Parses TimeML: the TEXT element's characters (tags removed, entities decoded) and its TIMEX3 elements; the DCT's date.</summary>
    /// <exception cref="FormatException">No DCT with a date value, or no TEXT element.</exception>
    public static TmlDocument Parse(string xml, string name)
    {
        int dct = xml.IndexOf("<DCT>", StringComparison.Ordinal);
        if (dct < 0) throw new FormatException("no <DCT> element");
        int dctEnd = xml.IndexOf("</DCT>", dct, StringComparison.Ordinal);
        if (dctEnd < 0) throw new FormatException("unclosed <DCT>");
        var dctValue = Attribute(xml.AsSpan(dct, dctEnd - dct), "value");
        if (dctValue is null || dctValue.Length < 10 || !DateOnly.TryParseExact(dctValue[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new FormatException("the <DCT> has no date value");
        int textOpen = xml.IndexOf("<TEXT>", StringComparison.Ordinal);
        if (textOpen < 0) throw new FormatException("no <TEXT> element");
        int textStart = textOpen + "<TEXT>".Length;
        int textEnd = xml.IndexOf("</TEXT>", textStart, StringComparison.Ordinal);
        if (textEnd < 0) throw new FormatException("unclosed <TEXT>");

        var sb = new StringBuilder(textEnd - textStart);
        var timexes = ImmutableArray.CreateBuilder<TimexAnnotation>();
        int openStart = -1;
        TimexType openType = TimexType.Date;
        string openValue = "";
        int k = textStart;
        while (k < textEnd)
        {
            char c = xml[k];
            if (c == '<')
            {
                int close = xml.IndexOf('>', k);
                if (close < 0 || close > textEnd) throw new FormatException("unclosed tag in <TEXT>");
                var tag = xml.AsSpan(k + 1, close - k - 1);
                if (tag.StartsWith("TIMEX3"))
                {
                    if (openStart >= 0) throw new FormatException("nested <TIMEX3>");
                    openStart = sb.Length;
                    var type = Attribute(tag, "type") ?? "DATE";
                    if (!TimexTypeExtensions.TryParse(type, out openType)) throw new FormatException($"unknown TIMEX3 type '{type}'");
                    openValue = Attribute(tag, "value") ?? "";
                    if (tag.EndsWith("/"))
                    {
                        openStart = -1; // an empty (non-consuming) TIMEX3 has no extent to find
                    }
                }
                else if (tag.SequenceEqual("/TIMEX3"))
                {
                    if (openStart < 0) throw new FormatException("</TIMEX3> without <TIMEX3>");
                    timexes.Add(new TimexAnnotation(openStart, sb.Length, openType, openValue));
                    openStart = -1;
                }
                k = close + 1;
            }
            else if (c == '&')
            {
                int semi = xml.IndexOf(';', k);
                if (semi < 0 || semi - k > 10) { sb.Append(c); k++; continue; }
                var ent = xml.AsSpan(k + 1, semi - k - 1);
                string? rep = ent switch
                {
                    "amp" => "&", "lt" => "<", "gt" => ">", "quot" => "\"", "apos" => "'",
                    _ when ent.Length > 1 && ent[0] == '#' => DecodeNumeric(ent[1..]),
                    _ => null,
                };
                if (rep is null) { sb.Append(c); k++; continue; }
                sb.Append(rep);
                k = semi + 1;
            }
            else
            {
                sb.Append(c);
                k++;
            }
        }
        if (openStart >= 0) throw new FormatException("unclosed <TIMEX3>");
        return new TmlDocument(name, sb.ToString(), date, timexes.ToImmutable());
    }

    private static string? DecodeNumeric(ReadOnlySpan<char> s)
    {
        bool hex = s.Length > 1 && s[0] is 'x' or 'X';
        if (!int.TryParse(hex ? s[1..] : s, hex ? NumberStyles.HexNumber : NumberStyles.None, CultureInfo.InvariantCulture, out int cp)) return null;
        try { return char.ConvertFromUtf32(cp); }
        catch (ArgumentOutOfRangeException) { return null; }
    }

    private static string? Attribute(ReadOnlySpan<char> tag, string name)
    {
        int k = 0;
        while (true)
        {
            int at = tag[k..].IndexOf(name);
            if (at < 0) return null;
            at += k;
            int eq = at + name.Length;
            bool boundary = at == 0 || char.IsWhiteSpace(tag[at - 1]);
            if (boundary && eq + 1 < tag.Length && tag[eq] == '=' && tag[eq + 1] is '"' or '\'')
            {
                char q = tag[eq + 1];
                int end = tag[(eq + 2)..].IndexOf(q);
                if (end < 0) return null;
                return tag.Slice(eq + 2, end).ToString();
            }
            k = at + name.Length;
        }
    }

    /// <summary>Tags a document's text with its creation date as reference.</summary>
    public static ImmutableArray<TimeExpression> Tag(TimeTagger tagger, TmlDocument doc)
    {
        var tokens = Tokenizer.Tokenize(doc.Text);
        var sentences = new List<SentenceSpan>();
        SentenceSplitter.Split(doc.Text, tokens, sentences);
        return tagger.Tag(doc.Text, tokens, sentences, doc.CreationDate);
    }

    /// <summary>Adds one document's counts to <paramref name="score"/>; differences go to <paramref name="differences"/> when given.</summary>
    public static void Score(TmlDocument doc, IReadOnlyList<TimeExpression> system, TempEvalScore score, List<TempEvalDifference>? differences = null)
    {
        score.Files++;
        score.Gold += doc.Timexes.Length;
        score.System += system.Count;
        var used = new bool[system.Count];
        var text = doc.Text;
        foreach (var g in doc.Timexes)
        {
            var (gs, ge) = Trim(text, g.Start, g.End);
            int match = -1;
            for (int k = 0; k < system.Count; k++)
            {
                if (used[k]) continue;
                var (ss, se) = Trim(text, system[k].Start, system[k].End);
                if (ss < ge && gs < se) { match = k; break; }
            }
            if (match < 0)
            {
                differences?.Add(Diff(doc, "missed", g, null));
                continue;
            }
            used[match] = true;
            var s = system[match];
            var (ms, me) = Trim(text, s.Start, s.End);
            score.RelaxedMatches++;
            bool strict = ms == gs && me == ge;
            if (strict) score.StrictMatches++;
            bool type = s.Type == g.Type, value = s.Value == g.Value;
            if (type) score.TypeMatches++;
            if (value) score.ValueMatches++;
            if (!value) differences?.Add(Diff(doc, "value", g, s));
            else if (!type) differences?.Add(Diff(doc, "type", g, s));
            else if (!strict) differences?.Add(Diff(doc, "span", g, s));
        }
        for (int k = 0; k < system.Count; k++)
            if (!used[k]) differences?.Add(Diff(doc, "spurious", null, system[k]));
    }

    private static (int, int) Trim(string text, int s, int e)
    {
        while (s < e && char.IsWhiteSpace(text[s])) s++;
        while (e > s && char.IsWhiteSpace(text[e - 1])) e--;
        return (s, e);
    }

    private static TempEvalDifference Diff(TmlDocument doc, string kind, TimexAnnotation? g, TimeExpression? s)
    {
        int at = g?.Start ?? s!.Start, end = g?.End ?? s!.End;
        int cs = Math.Max(0, at - 60), ce = Math.Min(doc.Text.Length, end + 60);
        string context = doc.Text[cs..ce].Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');
        return new TempEvalDifference(doc.Name, kind, doc.CreationDate,
            g is null ? "" : Flat(doc.Text[g.Start..g.End]), g?.Type.ToTimeML() ?? "", g?.Value ?? "",
            s is null ? "" : Flat(doc.Text[s.Start..s.End]), s?.TypeName ?? "", s?.Value ?? "", context);
    }

    private static string Flat(string s) => s.Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');

    /// <summary>Every .tml file under <paramref name="dir"/>, recursively, in ordinal path order.</summary>
    public static IReadOnlyList<string> FindFiles(string dir) =>
        [.. Directory.EnumerateFiles(dir, "*.tml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>Runs task A over files: reads each, tags it with its DCT, scores it.</summary>
    /// <exception cref="FormatException">A file is not usable TimeML; the message names the file.</exception>
    public static TempEvalScore Evaluate(IEnumerable<string> files, TimeTagger tagger, List<TempEvalDifference>? differences = null)
    {
        var score = new TempEvalScore();
        foreach (var f in files)
        {
            TmlDocument doc;
            try { doc = Read(f); }
            catch (FormatException e) { throw new FormatException($"{f}: {e.Message}", e); }
            Score(doc, Tag(tagger, doc), score, differences);
        }
        return score;
    }
}
