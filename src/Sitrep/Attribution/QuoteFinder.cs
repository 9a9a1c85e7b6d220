using Sitrep.Text;

namespace Sitrep.Attribution;

/// <summary>
/// Pairs quotation marks into quotations, paragraph by paragraph. Curly and straight marks of one family (double:
/// “ ” " „ « »; single: ‘ ’ ' ‹ ›) pair with each other in any mix (the seeds write <c>“on hold,"</c> and
/// <c>"develop … environment”</c>). Whether a mark opens or closes comes from its shape (“ opens, ” closes) and, for a
/// straight mark or a misused curly one, from what it is glued to: <c>word"</c> closes, <c>"word</c> opens. A
/// quotation left open at the end of a paragraph runs to that paragraph's end; when the next paragraph opens with a
/// quotation mark (the newspaper convention for a quotation over several paragraphs) the next quotation continues it.
/// Single quotation marks pair inside a double quotation (a quote within a quote) or, outside one, within a sentence.
/// </summary>
internal static class QuoteFinder
{
    private enum Role : byte { Open, Close, Either }

    public static QuoteSpan[] Find(AttributionDocument doc)
    {
        var spans = new List<QuoteSpan>();
        int n = doc.Count;
        int i = 0;
        int pendingContinuation = -1;
        while (i < n)
        {
            int para = doc.Paragraph[i];
            int end = i;
            while (end < n && doc.Paragraph[end] == para) end++;
            pendingContinuation = Paragraph(doc, i, end, spans, pendingContinuation);
            i = end;
        }
        spans.Sort((a, b) => a.Open.CompareTo(b.Open));
        // Opening/closing marks get their shapes from their role (a straight mark is either).
        foreach (var q in spans)
        {
            doc.Shapes[q.Open] = Shape.OpenQuote;
            if (q.Close >= 0) doc.Shapes[q.Close] = Shape.CloseQuote;
        }
        return [.. spans];
    }

    /// <summary>Pairs the marks of one paragraph [from, to). Returns the index of an unclosed double quotation at its end, or -1.</summary>
    private static int Paragraph(AttributionDocument doc, int from, int to, List<QuoteSpan> spans, int previousUnclosed)
    {
        int dOpen = -1, sOpen = -1;
        int continued = -1;
        // A paragraph that opens with a quotation mark after an unclosed one continues it.
        if (previousUnclosed >= 0 && doc.Tokens[from].Kind == TokenKind.Quote && IsDouble(doc, from)) continued = previousUnclosed;
        for (int i = from; i < to; i++)
        {
            if (doc.Tokens[i].Kind != TokenKind.Quote) continue;
            var role = RoleOf(doc, i, from, to);
            if (IsDouble(doc, i))
            {
                if (dOpen < 0)
                {
                    if (role != Role.Close) dOpen = i;
                    continue;
                }
                if (role == Role.Open && i > dOpen + 1 && StartsSentence(doc, i) && EndsSentenceBefore(doc, i))
                {
                    // “A. “B — the first quotation was never closed; it ends where the next one opens.
                    Add(doc, spans, dOpen, -1, i, false, dOpen == from ? continued : -1);
                    dOpen = i;
                    continue;
                }
                if (sOpen > dOpen) { Add(doc, spans, sOpen, -1, i, true, -1); sOpen = -1; }
                Add(doc, spans, dOpen, i, i, false, dOpen == from ? continued : -1);
                dOpen = -1;
            }
            else
            {
                if (sOpen < 0)
                {
                    if (role == Role.Open || (role == Role.Either && GluedRight(doc, i, to) && !GluedLeft(doc, i, from))) sOpen = i;
                    continue;
                }
                if (role == Role.Open && !GluedLeft(doc, i, from)) { sOpen = i; continue; }
                // Outside a double quotation, single marks pair only within a sentence.
                if (dOpen < 0 && doc.SentenceOf[i] != doc.SentenceOf[sOpen]) { sOpen = role == Role.Close ? -1 : i; continue; }
                Add(doc, spans, sOpen, i, i, true, -1);
                sOpen = -1;
            }
        }
        if (dOpen >= 0 && to - dOpen > 2)
        {
            Add(doc, spans, dOpen, -1, to, false, dOpen == from ? continued : -1);
            return spans.Count - 1;
        }
        return -1;
    }

    private static void Add(AttributionDocument doc, List<QuoteSpan> spans, int open, int close, int endInner, bool single, int continuedFrom)
    {
        var t = doc.Tokens;
        int start = t[open].Start;
        int end = close >= 0 ? t[close].End : t[Math.Max(open, endInner - 1)].End;
        var span = new QuoteSpan(open, close, open + 1, endInner, start, end, single, continuedFrom, false);
        spans.Add(span with { Speech = continuedFrom >= 0 || IsSpeech(doc, span) });
    }

    private static bool IsDouble(AttributionDocument doc, int i)
    {
        var s = doc.Span(i);
        if (s.Length == 2) return true; // `` and ''
        return s[0] is '"' or '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u00AB' or '\u00BB' or '\uFF02';
    }

    private static Role RoleOf(AttributionDocument doc, int i, int from, int to)
    {
        var s = doc.Span(i);
        bool left = GluedLeft(doc, i, from), right = GluedRight(doc, i, to);
        bool opener = s is "``" || s[0] is '\u201C' or '\u201E' or '\u201F' or '\u00AB' or '\u2018' or '\u201A' or '\u201B' or '\u2039';
        bool closer = s is "''" || s[0] is '\u201D' or '\u00BB' or '\u2019' or '\u203A';
        if (opener) return left && !right ? Role.Close : Role.Open;
        if (closer) return right && !left ? Role.Open : Role.Close;
        if (left && !right) return Role.Close;
        if (right && !left) return Role.Open;
        return Role.Either;
    }

    /// <summary>The mark is attached to what precedes it (a word, a number or closing punctuation).</summary>
    private static bool GluedLeft(AttributionDocument doc, int i, int from)
    {
        if (i <= from || doc.Tokens[i - 1].End != doc.Tokens[i].Start) return false;
        var prev = doc.Tokens[i - 1];
        if (prev.Kind is TokenKind.Dash) return false;
        if (prev.Kind == TokenKind.Punct) return doc.Text[prev.Start] is not ('(' or '[' or '{' or ':');
        return true;
    }

    /// <summary>The mark is attached to what follows it (a word or number; not closing punctuation).</summary>
    private static bool GluedRight(AttributionDocument doc, int i, int to)
    {
        if (i + 1 >= to || doc.Tokens[i + 1].Start != doc.Tokens[i].End) return false;
        var next = doc.Tokens[i + 1];
        if (next.Kind == TokenKind.Punct) return doc.Text[next.Start] is '(' or '[' or '{';
        if (next.Kind is TokenKind.Dash or TokenKind.Quote) return false;
        return true;
    }

    private static bool StartsSentence(AttributionDocument doc, int i) =>
        i + 1 < doc.Count && doc.Tokens[i + 1].Kind == TokenKind.Word && char.IsUpper(doc.First(i + 1));

    private static bool EndsSentenceBefore(AttributionDocument doc, int i) =>
        i > 0 && doc.Shapes[i - 1] == Shape.Terminal;

    // ------------------------------------------------------------------ speech or label

    private static readonly HashSet<string> ClauseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "i", "we", "you", "he", "she", "they", "it", "me", "us", "my", "our", "your", "is", "are", "was", "were", "be", "been",
        "am", "have", "has", "had", "will", "would", "can", "could", "should", "must", "may", "might", "do", "does", "did",
        "not", "n't", "n’t", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'m", "’m", "'d", "’d", "there", "no", "never", "let",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ClauseLookup = ClauseWords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Quoted speech rather than a scare quote, label or title: a quotation holding a sentence mark, ending in a comma
    /// inside the marks (“on hold,” a source said), running to four words or more, or holding a clause word (a
    /// pronoun, an auxiliary, a negation: “no one else can”). A title-case quotation of up to six words with no
    /// sentence mark (the “Founding Act”, “Very Good Talks”) is a name or title.
    /// </summary>
    internal static bool IsSpeech(AttributionDocument doc, QuoteSpan q)
    {
        int words = 0, capitalised = 0, lowerContent = 0;
        bool clause = false, mark = false;
        for (int i = q.First; i < q.EndInner; i++)
        {
            var t = doc.Tokens[i];
            if (t.Kind is TokenKind.Word or TokenKind.Number)
            {
                words++;
                var s = doc.Span(i);
                if (char.IsUpper(s[0])) capitalised++;
                else if (s.Length > 3) lowerContent++;
                if (!clause && ClauseLookup.Contains(s)) clause = true;
            }
            else if (t.Kind == TokenKind.Punct && doc.Text[t.Start] is '.' or '?' or '!') mark = true;
            else if (t.Kind == TokenKind.Punct && doc.Text[t.Start] == ',' && i == q.EndInner - 1 && q.Close >= 0) mark = true;
        }
        if (words == 0) return false;
        bool title = capitalised == words || (capitalised >= 2 && lowerContent == 0);
        if (title && words <= 6 && !mark) return false;
        return mark || clause || words >= 4;
    }
}
