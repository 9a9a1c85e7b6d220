using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using Sitrep.Text;

namespace Sitrep.Time;

/// <summary>
/// Finds time expressions in tokenised text and normalises them to TIMEX3 type and value against a reference date
/// (the document's creation or publication date), rule-based in the manner of HeidelTime: a lexicon
/// (<see cref="TimeLexicon"/>) of months, weekdays, seasons, number words, units and modifiers, and a grammar over the
/// tokens that combines them ("the past two months", "Monday, Oct. 26", "a year earlier", "early next year").
/// Bare weekdays and months take their direction from the tense of the clause ("said Friday" is the last Friday,
/// "will meet Friday" the next). Relative expressions keep their meaning so they can be resolved again against
/// another reference (<see cref="Resolve(ImmutableArray{TimeExpression}, DateOnly?)"/>).
/// Immutable and thread-safe; no regular expressions, one pass over the tokens.
/// </summary>
public sealed class TimeTagger
{
    /// <summary>The English tagger.</summary>
    public static TimeTagger Default { get; } = new();

    /// <summary>Tags the given text (tokenised and split into sentences with the project tokenizer).</summary>
    public ImmutableArray<TimeExpression> Tag(string text, DateOnly? reference)
    {
        var tokens = Tokenizer.Tokenize(text);
        var sentences = new List<SentenceSpan>();
        SentenceSplitter.Split(text, tokens, sentences);
        return Tag(text, tokens, sentences, reference);
    }

    /// <summary>
    /// Finds and normalises the time expressions of <paramref name="text"/>. Sentences are matched to tokens by their
    /// offsets; expressions never cross a sentence. With no <paramref name="reference"/>, relative expressions get
    /// values with X placeholders (<c>XXXX-07</c>).
    /// </summary>
    /// <param name="ct">Checked every few sentences; cancellation throws <see cref="OperationCanceledException"/>.</param>
    public ImmutableArray<TimeExpression> Tag(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences, DateOnly? reference, CancellationToken ct = default)
    {
        var found = new List<TimeExpression>();
        var scan = new Scan(text, tokens);
        int t = 0, counted = 0;
        if (sentences.Count == 0) scan.Run(0, tokens.Count, found);
        else
        {
            foreach (var s in sentences)
            {
                if ((++counted & 63) == 0) ct.ThrowIfCancellationRequested();
                while (t < tokens.Count && tokens[t].End <= s.Start) t++;
                int first = t;
                while (t < tokens.Count && tokens[t].Start < s.End) t++;
                if (t > first) scan.Run(first, t, found);
            }
        }
        return Resolve([.. found], reference);
    }

    /// <summary>Resolves expressions (from <see cref="Tag(string, DateOnly?)"/>) again against another reference date.</summary>
    public ImmutableArray<TimeExpression> Resolve(ImmutableArray<TimeExpression> times, DateOnly? reference) => Resolve(times, reference, strictTense: false);

    /// <param name="strictTense">Let the tense decide bare months and dates however far away; with an exact reference,
    /// a tense-directed value more than ten months away gives way to the nearest instance (tense cues are often
    /// another clause's).</param>
    private static ImmutableArray<TimeExpression> Resolve(ImmutableArray<TimeExpression> times, DateOnly? reference, bool strictTense)
    {
        var b = ImmutableArray.CreateBuilder<TimeExpression>(times.Length);
        CalValue? last = null, lastQuarter = null;
        foreach (var x in times)
        {
            // "a year ago", "the year-ago period" compare with the quarter (or half) under discussion: the last one
            // mentioned that has ended by the reference (results are reported for past quarters, not forecast ones).
            // "the 1988 quarter" is the quarter under discussion, in 1988.
            var anchor = x.Meaning.QuarterAware && lastQuarter is { } pq && (last is null || (last is { Gran: Gran.Quarter or Gran.Half } lq && IsAfter(lq, reference))) ? pq
                : x.Meaning.MentionQuarter && x.Meaning.Unit == Gran.Quarter && last is not { Gran: Gran.Quarter } && lastQuarter is { Gran: Gran.Quarter } mq ? mq
                : last;
            var r = TimexResolver.Resolve(x.Meaning, reference, x.Tense, anchor, strictTense);
            // Explicit dates and reference-relative ones become the anchor of "a year earlier", "the following day";
            // values derived from the anchor itself do not move it.
            var mk = x.Meaning;
            bool anchors = mk.Kind == MeaningKind.Calendar || (mk.Kind == MeaningKind.Offset && !mk.QuarterAware
                && (mk.Anchor == Anchor.Reference || r.Cal is { Gran: Gran.Quarter or Gran.Half }));
            if (anchors && r.Cal is { } c && c.Gran >= Gran.Year && c.Gran <= Gran.Day)
            {
                last = c;
                if (c.Gran is Gran.Quarter or Gran.Half && !IsAfter(c, reference)) lastQuarter = c;
            }
            var iv = r.Interval;
            b.Add(x with
            {
                Type = r.Type,
                Value = r.Value,
                From = iv?.From,
                To = iv?.To,
                Relative = x.Meaning.IsRelative,
                ValueIfEarliest = null,
                ValueIfLatest = null,
            });
        }
        return b.MoveToImmutable();
    }

    private static bool IsAfter(CalValue c, DateOnly? reference) => reference is { } r && c.Interval.To > r;

    /// <summary>
    /// Resolves expressions against an inferred article date: the value comes from the date's most likely day
    /// (<see cref="ArticleDate.Reference"/>); when the value would differ at the earliest or the latest possible day,
    /// those values are kept in <see cref="TimeExpression.ValueIfEarliest"/> / <see cref="TimeExpression.ValueIfLatest"/>.
    /// With an inferred (inexact) date the tense decides bare months and dates: "the allies agreed during the July
    /// summit" is a past July whichever day of the interval is taken.
    /// </summary>
    public ImmutableArray<TimeExpression> Resolve(ImmutableArray<TimeExpression> times, ArticleDate date)
    {
        bool strict = !date.IsExact;
        var main = Resolve(times, date.Reference, strict);
        if (date.Reference is null || date.IsExact) return main;
        var lo = date.Earliest is { } e ? Resolve(times, e, strict) : default;
        var hi = date.Latest is { } l ? Resolve(times, l, strict) : default;
        var b = ImmutableArray.CreateBuilder<TimeExpression>(main.Length);
        for (int k = 0; k < main.Length; k++)
        {
            var x = main[k];
            string? vlo = !lo.IsDefault && lo[k].Value != x.Value ? lo[k].Value : null;
            string? vhi = !hi.IsDefault && hi[k].Value != x.Value ? hi[k].Value : null;
            b.Add(vlo is null && vhi is null ? x : x with { ValueIfEarliest = vlo ?? x.Value, ValueIfLatest = vhi ?? x.Value });
        }
        return b.MoveToImmutable();
    }

    // =====================================================================================================
    // Pieces: tokens with hyphenated compounds split ("two-year" → two, -, year), classified once.
    // =====================================================================================================

    private enum PieceKind : byte { Word, Number, Hyphen, Punct, Other }

    private enum Shape : byte { None, Int, Decimal, Decade, ShortDecade, ShortYear, Ordinal, Clock, IsoDate, SlashDate }

    private struct Piece
    {
        public int Start, End, Token;
        public PieceKind Kind;
        public Shape Shape;
        public LexEntry? Lex;
        public long Num;          // Int value, ordinal, decade (199), short decade (9), short year (98), clock hh*100+mm
        public int Y, M, D;       // dates; for clocks M = 1 am, 2 pm
        public bool Cap, Comma, LineStart;
        public double Dbl;
    }

    private readonly record struct Hit(int End, TimexMeaning M, bool TakesThe = true);

    /// <summary>The grammar, run sentence by sentence over one document. Not shared between threads.</summary>
    private sealed class Scan(string text, IReadOnlyList<Token> tokens)
    {
        private readonly List<Piece> _p = new(64);
        private int _sentFirstToken, _sentEndToken;

        public void Run(int firstToken, int endToken, List<TimeExpression> into)
        {
            _sentFirstToken = firstToken;
            _sentEndToken = endToken;
            BuildPieces(firstToken, endToken);
            int i = 0;
            while (i < _p.Count)
            {
                if (TryAt(i) is { } h && h.End > i)
                {
                    Emit(i, h, into);
                    i = h.End;
                }
                else i++;
            }
        }

        private void Emit(int i, Hit h, List<TimeExpression> into)
        {
            int start = _p[i].Start, end = _p[h.End - 1].End;
            var m = h.M;
            // "since Oct. 13", "since year-end": the last one, however far back
            if (m.Kind == MeaningKind.Calendar && m.Direction == Direction.Auto && m.IsRelative && W(i - 1, "since")) m = m with { Direction = Direction.Past };
            var tense = m.IsRelative || m.Kind == MeaningKind.Calendar
                ? TenseCues.Around(text, tokens, _p[i].Token, _p[h.End - 1].Token + 1, _sentFirstToken, _sentEndToken)
                : Tense.Unknown;
            into.Add(new TimeExpression(start, end, m.FixedType, m.FixedValue ?? "") { Meaning = m, Mod = m.Mod, Tense = tense, Relative = m.IsRelative });
        }

        // ------------------------------------------------------------------ pieces

        private void BuildPieces(int first, int end)
        {
            _p.Clear();
            for (int k = first; k < end; k++)
            {
                var t = tokens[k];
                bool lineStart = k == first || HasLineBreak(tokens[k - 1].End, t.Start);
                if ((t.Kind == TokenKind.Word || t.Kind == TokenKind.Number) && t.Length > 2 && HasInnerHyphen(t) && !IsIsoDate(t.AsSpan(text)))
                {
                    int s = t.Start;
                    for (int c = t.Start + 1; c < t.End - 1; c++)
                    {
                        if (!IsHyphen(text[c])) continue;
                        if (c > s) AddPiece(s, c, k, lineStart && s == t.Start);
                        _p.Add(new Piece { Start = c, End = c + 1, Token = k, Kind = PieceKind.Hyphen });
                        s = c + 1;
                    }
                    if (t.End > s) AddPiece(s, t.End, k, false);
                }
                else AddPiece(t.Start, t.End, k, lineStart, t.Kind);
            }
        }

        private bool HasLineBreak(int from, int to)
        {
            for (int c = from; c < to; c++) if (text[c] is '\n' or '\r' or '\u2028' or '\u2029') return true;
            return false;
        }

        private static bool IsHyphen(char c) => c is '-' or '–' or '‐' or '‑';

        private bool HasInnerHyphen(Token t)
        {
            for (int c = t.Start + 1; c < t.End - 1; c++) if (IsHyphen(text[c])) return true;
            return false;
        }

        private void AddPiece(int s, int e, int token, bool lineStart, TokenKind kind = TokenKind.Word)
        {
            var p = new Piece { Start = s, End = e, Token = token, LineStart = lineStart, Num = -1 };
            var span = text.AsSpan(s, e - s);
            if (kind is TokenKind.Punct or TokenKind.Quote or TokenKind.Dash or TokenKind.Ellipsis) p.Kind = PieceKind.Punct;
            else if (char.IsAsciiDigit(span[0]) || (span.Length > 1 && span[0] is '\'' or '’' && char.IsAsciiDigit(span[1]))) ClassifyNumber(span, ref p);
            else if (char.IsLetter(span[0]))
            {
                p.Kind = PieceKind.Word;
                p.Cap = char.IsUpper(span[0]);
                if (TimeLexicon.Lookup.TryGetValue(span, out var lex)) p.Lex = lex;
                else if (span.Length > 1 && span[^1] == '.' && TimeLexicon.Lookup.TryGetValue(span[..^1], out lex)) p.Lex = lex;
            }
            else p.Kind = kind == TokenKind.Number ? PieceKind.Number : kind == TokenKind.Word ? PieceKind.Word : PieceKind.Other;
            _p.Add(p);
        }

        private static bool IsIsoDate(ReadOnlySpan<char> s) =>
            s.Length == 10 && AsciiNumber.AllDigits(s[..4]) && s[4] is '-' or '/' && AsciiNumber.AllDigits(s.Slice(5, 2)) && s[7] is '-' or '/' && AsciiNumber.AllDigits(s.Slice(8, 2));

        private static void ClassifyNumber(ReadOnlySpan<char> s, ref Piece p)
        {
            p.Kind = PieceKind.Number;
            // '90s, ’98
            if (s[0] is '\'' or '’')
            {
                var rest = s[1..];
                if (rest.Length == 3 && char.IsAsciiDigit(rest[0]) && rest[1] == '0' && rest[2] is 's' or 'S') { p.Shape = Shape.ShortDecade; p.Num = rest[0] - '0'; }
                else if (rest.Length == 2 && char.IsAsciiDigit(rest[0]) && char.IsAsciiDigit(rest[1])) { p.Shape = Shape.ShortYear; p.Num = (rest[0] - '0') * 10 + rest[1] - '0'; }
                return;
            }
            int digits = 0;
            while (digits < s.Length && char.IsAsciiDigit(s[digits])) digits++;
            if (digits == s.Length)
            {
                if (digits <= 9) { p.Shape = Shape.Int; p.Num = AsciiNumber.ParseOr(s, -1); }
                return;
            }
            var tail = s[digits..];
            // 1990s, 1990's, 90s
            if ((tail.Equals("s", StringComparison.OrdinalIgnoreCase) || tail is "'s" or "’s") && s[digits - 1] == '0')
            {
                if (digits == 4) { p.Shape = Shape.Decade; p.Num = AsciiNumber.ParseOr(s[..3], -1); }
                else if (digits == 2) { p.Shape = Shape.ShortDecade; p.Num = s[0] - '0'; }
                return;
            }
            if (tail.Length == 2 && digits <= 3 && (tail.Equals("st", StringComparison.OrdinalIgnoreCase) || tail.Equals("nd", StringComparison.OrdinalIgnoreCase)
                || tail.Equals("rd", StringComparison.OrdinalIgnoreCase) || tail.Equals("th", StringComparison.OrdinalIgnoreCase)))
            {
                p.Shape = Shape.Ordinal;
                p.Num = AsciiNumber.ParseOr(s[..digits], -1);
                return;
            }
            // 3:30, 19:30, 3:30pm
            if (tail.Length >= 3 && tail[0] == ':' && digits <= 2 && char.IsAsciiDigit(tail[1]) && char.IsAsciiDigit(tail[2]))
            {
                int h = AsciiNumber.ParseOr(s[..digits], 99), m = (tail[1] - '0') * 10 + tail[2] - '0';
                var after = tail[3..];
                if (after.Length >= 3 && after[0] == ':' && char.IsAsciiDigit(after[1])) after = after[3..];
                int ampm = AmPm(after);
                if (h <= 24 && m < 60 && (after.Length == 0 || ampm > 0)) { p.Shape = Shape.Clock; p.Num = h * 100 + m; p.M = ampm; }
                return;
            }
            // 3pm, 10a.m.
            if (digits <= 2 && AmPm(tail) is > 0 and var ap)
            {
                int h = AsciiNumber.ParseOr(s[..digits], -1);
                if (h is >= 1 and <= 12) { p.Shape = Shape.Clock; p.Num = h * 100; p.M = ap; p.D = 1; }
                return;
            }
            // 1998-10-23, 1998/10/23
            if (IsIsoDate(s))
            {
                p.Y = AsciiNumber.ParseOr(s[..4], -1);
                p.M = AsciiNumber.ParseOr(s.Slice(5, 2), -1);
                p.D = AsciiNumber.ParseOr(s.Slice(8, 2), -1);
                if (Calendar.ValidDate(p.Y, p.M, p.D) is not null) p.Shape = Shape.IsoDate;
                return;
            }
            // 10/23/98, 10/23/1998
            if (digits <= 2 && tail.Length >= 4 && tail[0] == '/')
            {
                var parts = s.ToString().Split('/');
                if (parts.Length == 3 && AsciiNumber.TryParse(parts[0], out int mo) && AsciiNumber.TryParse(parts[1], out int da) && AsciiNumber.TryParse(parts[2], out int yr)
                    && parts[2].Length is 2 or 4 && parts[1].Length <= 2)
                {
                    if (parts[2].Length == 2) yr += yr < 50 ? 2000 : 1900;
                    if (Calendar.ValidDate(yr, mo, da) is not null) { p.Shape = Shape.SlashDate; p.Y = yr; p.M = mo; p.D = da; }
                }
                return;
            }
            // 1,000 (never a year), 1.5
            if (tail.Length > 1 && tail[0] == ',' && char.IsAsciiDigit(tail[1]))
            {
                if (long.TryParse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out long v)) { p.Shape = Shape.Int; p.Num = v; p.Comma = true; }
                return;
            }
            if (tail.Length > 1 && tail[0] == '.' && char.IsAsciiDigit(tail[1]))
            {
                if (double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v)) { p.Shape = Shape.Decimal; p.Dbl = v; }
            }
        }

        /// <summary>1 for a.m., 2 for p.m., 0 otherwise.</summary>
        private static int AmPm(ReadOnlySpan<char> s)
        {
            Span<char> buf = stackalloc char[4];
            int n = 0;
            foreach (char c in s)
            {
                if (c == '.') continue;
                if (n == 4) return 0;
                buf[n++] = char.ToLowerInvariant(c);
            }
            var w = buf[..n];
            return w is "am" ? 1 : w is "pm" ? 2 : 0;
        }

        // ------------------------------------------------------------------ piece helpers

        private int N => _p.Count;

        private bool Ok(int i) => i >= 0 && i < _p.Count;

        private ReadOnlySpan<char> S(int i) => text.AsSpan(_p[i].Start, _p[i].End - _p[i].Start);

        /// <summary>Piece i is the word <paramref name="w"/> (any case; curly and straight apostrophes alike).</summary>
        private bool W(int i, string w)
        {
            if (!Ok(i)) return false;
            var s = S(i);
            if (s.Length != w.Length) return false;
            for (int k = 0; k < s.Length; k++)
            {
                char a = char.ToLowerInvariant(s[k]), b = w[k];
                if (a == '’') a = '\'';
                if (a != b) return false;
            }
            return true;
        }

        private bool AnyW(int i, params ReadOnlySpan<string> words)
        {
            foreach (var w in words) if (W(i, w)) return true;
            return false;
        }

        private LexEntry? L(int i) => Ok(i) ? _p[i].Lex : null;

        private bool IsHyphenAt(int i) => Ok(i) && _p[i].Kind == PieceKind.Hyphen;

        private bool IsPunct(int i, char c) => Ok(i) && _p[i].Kind == PieceKind.Punct && _p[i].End - _p[i].Start == 1 && text[_p[i].Start] == c;

        private bool IsPossessive(int i) => W(i, "'s") || (Ok(i) && S(i) is "’" or "'");

        private bool IsEnd(int i) => !Ok(i) || _p[i].Kind == PieceKind.Punct;

        /// <summary>A four-digit year (1000–2199), not a count or an amount.</summary>
        private bool IsYear(int i, bool strict = false)
        {
            if (!Ok(i)) return false;
            var p = _p[i];
            if (p.Shape != Shape.Int || p.Comma || p.End - p.Start != 4 || p.Num < 1000 || p.Num > 2199) return false;
            if (Ok(i - 1) && _p[i - 1].Kind is PieceKind.Other or PieceKind.Punct && S(i - 1) is "$" or "€" or "£" or "#") return false;
            if (W(i - 1, "no.") || W(i - 1, "number") || W(i - 1, "page") || W(i - 1, "flight") || W(i - 1, "route") || W(i - 1, "article") || W(i - 1, "resolution")) return false;
            if (Ok(i + 1) && _p[i + 1].Kind == PieceKind.Word && !_p[i + 1].Cap)
            {
                var nx = S(i + 1);
                foreach (var bad in NotAfterYear) if (nx.Equals(bad, StringComparison.OrdinalIgnoreCase)) return false;
            }
            if (IsPunct(i + 1, '%')) return false;
            if (strict && p.Num < 1800) return false;
            return true;
        }

        private static readonly string[] NotAfterYear =
        [
            "percent", "people", "troops", "soldiers", "dollars", "euros", "points", "times", "miles", "kilometers", "kilometres", "km", "feet",
            "meters", "metres", "tons", "tonnes", "barrels", "units", "members", "jobs", "shares", "votes", "words", "pages", "deaths", "cases",
            "employees", "workers", "students", "men", "women", "children", "cars", "homes", "acres", "pounds", "yards", "hours", "minutes", "days",
            "weeks", "months", "years", "seats", "delegates", "lawmakers", "officers", "refugees", "prisoners", "residents", "copies", "users",
        ];

        private bool IsInt(int i, long lo, long hi) => Ok(i) && _p[i].Shape == Shape.Int && !_p[i].Comma && _p[i].Num >= lo && _p[i].Num <= hi;

        /// <summary>A day of the month: 1–31, "23rd", or "first"… as a word.</summary>
        private bool IsDayNumber(int i, out int day)
        {
            day = -1;
            if (!Ok(i)) return false;
            var p = _p[i];
            if (p.Shape is Shape.Int && !p.Comma && p.End - p.Start <= 2 && p.Num is >= 1 and <= 31) { day = (int)p.Num; return true; }
            if (p.Shape is Shape.Ordinal && p.Num is >= 1 and <= 31) { day = (int)p.Num; return true; }
            return false;
        }

        private bool IsUnit(int i, out Gran unit, out bool plural)
        {
            unit = Gran.None;
            plural = false;
            if (L(i) is not { Unit: not Gran.None } e) return false;
            unit = e.Unit;
            plural = e.UnitPlural;
            return true;
        }

        private bool IsMonth(int i, out int month)
        {
            month = -1;
            if (L(i) is not { Month: > 0 } e || !_p[i].Cap) return false;
            month = e.Month;
            return true;
        }

        /// <summary>A month name that may stand alone: "May" and "March" need a preposition or modifier before them, or a day or year after.</summary>
        private bool MonthCanStandAlone(int i)
        {
            var e = L(i)!;
            if (!e.MonthGuarded) return true;
            if (IsDayNumber(i + 1, out _) || IsYear(i + 1)) return true;
            if (e.Key.Length <= 4 && !e.Key.EndsWith('.') && e.Key != "may") return false; // "Jan", "Dec" without a period
            // "the March accession", "the May elections" (not "the March of Dimes", "the May Company")
            if (W(i - 1, "the") && Ok(i + 1) && _p[i + 1].Kind == PieceKind.Word && !_p[i + 1].Cap && !IsFunctionWord(i + 1)) return true;
            return Ok(i - 1) && (AnyW(i - 1, "in", "since", "by", "until", "till", "of", "early", "late", "mid", "last", "next", "this", "during",
                "from", "through", "before", "after", "between", "and", "or", "to", "each", "every", "since", "past", "coming", "end", "beginning", "-"));
        }

        /// <summary>A word capitalised inside a sentence (not its first word, not all capitals): part of a name or title.</summary>
        private bool IsTitleWord(int i)
        {
            if (!Ok(i) || !_p[i].Cap || _p[i].LineStart || FirstWordOfSentence(i)) return false;
            var s = S(i);
            foreach (char c in s[1..]) if (char.IsLower(c)) return true;
            return false;
        }

        private bool FirstWordOfSentence(int i)
        {
            for (int k = i - 1; k >= 0; k--) if (_p[k].Kind is not (PieceKind.Punct or PieceKind.Other)) return false;
            return true;
        }

        private bool IsWeekday(int i, out int wd, out bool plural)
        {
            wd = -1;
            plural = false;
            if (L(i) is not { Weekday: > 0 } e || !_p[i].Cap) return false;
            wd = e.Weekday;
            plural = e.WeekdayPlural;
            return true;
        }

        // ------------------------------------------------------------------ the grammar

        /// <summary>The longest expression starting at piece i, if any.</summary>
        private Hit? TryAt(int i)
        {
            var p = _p[i];
            if (p.Kind is PieceKind.Punct or PieceKind.Hyphen) return null;
            if (p.Kind == PieceKind.Word && p.Lex is null) return null;

            Hit? best = null;
            void Consider(Hit? h)
            {
                if (h is { } x && x.End > i && (best is null || x.End > best.Value.End)) best = x;
            }

            // "the" joins where TimeBank puts it: "the third quarter", "the past two months", "the weekend", "the 1990s";
            // not before a hyphenated adjective ("the two-week rally", "the third-quarter results").
            if (W(i, "the"))
            {
                var inner = Core(i + 1, afterThe: true);
                bool adjective = inner is { } hi && hi.End > i + 2 && IsHyphenAt(hi.End - 2) && !AnyW(hi.End - 1, "ago", "earlier", "end", "long")
                    && Ok(hi.End) && _p[hi.End].Kind == PieceKind.Word && !_p[hi.End].Cap;
                if (inner is { TakesThe: true } h && !adjective) Consider(h);
                if (WithPosition(i + 1) is { TakesThe: true } hp) Consider(hp);
                Consider(TheSpecial(i));
            }
            Consider(Core(i, afterThe: false));
            Consider(WithPosition(i));
            Consider(WithApprox(i));
            return best;
        }

        /// <summary>Every expression that can start at piece i (without a leading determiner or modifier).</summary>
        private Hit? Core(int i, bool afterThe)
        {
            if (!Ok(i)) return null;
            Hit? best = null;
            void Consider(Hit? h)
            {
                if (h is { } x && (best is null || x.End > best.Value.End)) best = x;
            }
            var p = _p[i];
            if (p.Kind == PieceKind.Number)
            {
                Consider(CenturyOrSpokenYear(i, afterThe));
                Consider(NumericDate(i));
                Consider(DayFirst(i));
                Consider(SecondDay(i));
                Consider(YearExpr(i));
                Consider(Decade(i));
                Consider(Clock(i));
                Consider(Quantity(i, afterThe));
                return best;
            }
            if (p.Kind != PieceKind.Word) return null;
            var e = p.Lex;
            if (e is null) return null;
            {
                if (e.Month > 0) Consider(MonthFirst(i));
                if (e.Weekday > 0) Consider(Weekday(i));
                if (e.Season > 0) Consider(Season(i, afterThe));
                if (e.Deictic is not null) Consider(Deictic(i));
                if (e.Ref is not null) Consider(Reference(i));
                if (e.Shift is not null) Consider(Shifted(i, afterThe));
                if (e.Number != -1 || e.Ordinal > 0 || W(i, "half") || W(i, "couple")) { Consider(Quantity(i, afterThe)); Consider(QuarterExpr(i)); Consider(DayFirst(i)); }
                if (W(i, "fiscal") || W(i, "last")) Consider(QuarterExpr(i));
                if (e.Unit != Gran.None) Consider(UnitAlone(i, afterThe));
                if (e.SetValue is not null && !IsAttributive(i)) Consider(Fixed(i + 1, TimexType.Set, e.SetValue));
                if (e.ClockHour > 0) Consider(Clock(i));
                if (e.PartOfDay is not null && afterThe) Consider(PodAlone(i));
            }
            Consider(Words(i, afterThe));
            Consider(CenturyOrSpokenYear(i, afterThe));
            return best;
        }

        /// <summary>the 20th century, the nineteenth century; nineteen ninety-six; the nineties.</summary>
        private Hit? CenturyOrSpokenYear(int i, bool afterThe)
        {
            int ord = Ok(i) && _p[i].Shape == Shape.Ordinal ? (int)_p[i].Num : L(i)?.Ordinal ?? -1;
            if (ord is >= 1 and <= 30 && W(i + 1, "century"))
                return new Hit(i + 2, new TimexMeaning { Kind = MeaningKind.Calendar, Century = ord - 1 });
            if (L(i) is { Number: 19 or 20 } && SpokenYear(i, out int y, out int end) && y >= 1900)
                return new Hit(end, Cal(year: y), false);
            if (afterThe && L(i) is { Key: var k } && DecadeWords.TryGetValue(k, out int dec))
                return new Hit(i + 1, new TimexMeaning { Kind = MeaningKind.Calendar, ShortDecade = dec });
            return null;
        }

        private static readonly Dictionary<string, int> DecadeWords = new(StringComparer.OrdinalIgnoreCase)
        {
            ["twenties"] = 2, ["thirties"] = 3, ["forties"] = 4, ["fifties"] = 5, ["sixties"] = 6, ["seventies"] = 7, ["eighties"] = 8, ["nineties"] = 9,
        };

        private bool IsFunctionWord(int i) => AnyW(i, "and", "or", "but", "is", "was", "will", "would", "could", "may", "might", "for", "in", "of", "as",
            "that", "if", "when", "where", "which", "who", "with", "at", "on", "to", "by", "from", "than", "remains", "looks", "holds", "lies", "belongs", "seems");

        /// <summary>
        /// "quarterly", "monthly", "yearly" before a noun are reporting adjectives ("quarterly dividend") and not tagged, as in
        /// TimeBank; "daily", "weekly", "hourly", "nightly" before a noun still say how often ("a daily rally").
        /// </summary>
        private bool IsAttributive(int i)
        {
            if (AnyW(i, "annually", "daily", "weekly", "hourly", "nightly")) return false;
            if (!Ok(i + 1) || _p[i + 1].Kind != PieceKind.Word || _p[i + 1].Cap) return false;
            return !AnyW(i + 1, "and", "or", "to", "in", "at", "for", "from", "by", "on", "with", "since", "until", "basis", "through", "during", "after", "before");
        }

        private static Hit Fixed(int end, TimexType type, string value, string? mod = null, bool takesThe = true) =>
            new(end, new TimexMeaning { Kind = MeaningKind.Fixed, FixedType = type, FixedValue = value, Mod = mod }, takesThe);

        private static TimexMeaning Cal(int year = -1, int month = -1, int day = -1) =>
            new() { Kind = MeaningKind.Calendar, Year = year, Month = month, Day = day };

        private static TimexMeaning Off(Gran unit, int amount, Gran outGran = Gran.None, Anchor anchor = Anchor.Reference) =>
            new() { Kind = MeaningKind.Offset, Unit = unit, Amount = amount, Out = outGran == Gran.None ? unit : outGran, Anchor = anchor };

        // ---- numeric dates: 1998-10-23, 10/23/98

        private Hit? NumericDate(int i)
        {
            var p = _p[i];
            if (p.Shape is not (Shape.IsoDate or Shape.SlashDate)) return null;
            return new Hit(i + 1, Cal(p.Y, p.M, p.D), false);
        }

        // ---- Oct. 23, 1998 / October 23 / January 1998 / January / June of 1998

        private Hit? MonthFirst(int i)
        {
            if (!IsMonth(i, out int month)) return null;
            int j = i + 1;
            if (IsPunct(j, '.')) j++;
            if (IsDayNumber(j, out int day))
            {
                // "June 24-25": the first day only.
                int k = j + 1;
                var m = Cal(month: month, day: day);
                int comma = IsPunct(k, ',') ? k + 1 : k;
                if (IsYear(comma)) { m = m with { Year = (int)_p[comma].Num }; k = comma + 1; }
                else if (Ok(comma) && _p[comma].Shape == Shape.ShortYear) { m = m with { ShortYear = (int)_p[comma].Num }; k = comma + 1; }
                return new Hit(k, m, false);
            }
            int y = j;
            if (IsPunct(y, ',') || W(y, "of")) y++;
            if (IsYear(y)) return new Hit(y + 1, Cal(year: (int)_p[y].Num, month: month), false);
            if (SpokenYear(y, out int sy, out int send)) return new Hit(send, Cal(year: sy, month: month), false);
            // June last year, January this year
            if (L(j) is { Shift: { } ys } && W(j + 1, "year") && !AnyW(j, "past", "coming", "following", "previous", "preceding", "prior", "current", "present"))
                return new Hit(j + 2, Cal(month: month) with { YearShift = ys }, false);
            if (Ok(y) && _p[y].Shape == Shape.ShortYear) return new Hit(y + 1, Cal(month: month) with { ShortYear = (int)_p[y].Num }, false);
            if (!MonthCanStandAlone(i)) return null;
            return new Hit(i + 1, Cal(month: month), false);
        }

        // ---- the second day of "April 24 and 25", "Oct. 5 or 6": that month's day

        private Hit? SecondDay(int i)
        {
            if (!IsDayNumber(i, out int day) || !AnyW(i - 1, "and", "or") || !IsDayNumber(i - 2, out _)) return null;
            int mo = IsPunct(i - 3, '.') ? i - 4 : i - 3;
            if (!IsMonth(mo, out int month)) return null;
            if (IsUnit(i + 1, out _, out _)) return null; // "May 5 and 6 weeks later"
            int k = i + 1;
            var m = Cal(month: month, day: day);
            int y = IsPunct(k, ',') ? k + 1 : k;
            if (IsYear(y)) { m = m with { Year = (int)_p[y].Num }; k = y + 1; }
            return new Hit(k, m, false);
        }

        // ---- 23 October 1998 / the 23rd of October

        private Hit? DayFirst(int i)
        {
            int day;
            if (!IsDayNumber(i, out day))
            {
                if (L(i) is { Ordinal: > 0 and <= 31 } o && W(i + 1, "of")) day = o.Ordinal;
                else return null;
            }
            int j = i + 1;
            if (W(j, "of")) j++;
            if (!IsMonth(j, out int month)) return null;
            int k = j + 1;
            if (IsPunct(k, '.')) k++;
            var m = Cal(month: month, day: day);
            int y = IsPunct(k, ',') ? k + 1 : k;
            if (IsYear(y)) { m = m with { Year = (int)_p[y].Num }; k = y + 1; }
            return new Hit(k, m, true);
        }

        // ---- years: 1998, fiscal 1989, the year 1998, post-1959, 1998's

        private Hit? YearExpr(int i)
        {
            if (!IsYear(i)) return null;
            int year = (int)_p[i].Num;
            // "Orion 1980", "Expo 2000": a year right after a name inside the sentence is part of the name
            if (IsTitleWord(i - 1) && _p[i - 1].Lex is null && text[_p[i - 1].End - 1] != '.') return null;
            // Only plausible calendar years stand alone.
            if (year < 1500 && !AnyW(i - 1, "in", "since", "of", "by", "from", "until", "year", "fiscal", "before", "after")) return null;
            var m = Cal(year: year);
            int k = i + 1;
            // "1990's first quarter" is handled by QuarterExpr through the possessive; here the year alone.
            // "the 1988 period", "the 1988 third quarter"
            if (AnyW(k, "period", "quarter") && W(i - 1, "the")) return new Hit(k + 1, m with { MentionQuarter = true, Unit = W(k, "quarter") ? Gran.Quarter : Gran.None }, true);
            if (QuarterCore(k) is { } q) return new Hit(q.End, q.M with { Year = year }, true);
            return new Hit(k, m, false);
        }

        private Hit? Decade(int i)
        {
            var p = _p[i];
            if (p.Shape == Shape.Decade) return new Hit(i + 1, new TimexMeaning { Kind = MeaningKind.Calendar, Decade = (int)p.Num });
            // "the '90s", "the 90s"; not an age ("in their 30s", "her early 40s")
            if (p.Shape == Shape.ShortDecade)
            {
                bool apostrophe = text[p.Start] is '\'' or '’';
                bool age = AnyW(i - 1, "his", "her", "their", "my", "your", "our") || (!apostrophe && !W(i - 1, "the"));
                return age ? null : new Hit(i + 1, new TimexMeaning { Kind = MeaningKind.Calendar, ShortDecade = (int)p.Num });
            }
            return null;
        }

        // ---- weekdays: Friday, Friday morning, Monday, Oct. 26, Mondays, Tuesday nights

        private Hit? Weekday(int i)
        {
            if (!IsWeekday(i, out int wd, out bool plural)) return null;
            if (plural)
            {
                if (L(i + 1) is { PartOfDay: { } pp }) return Fixed(i + 2, TimexType.Set, $"XXXX-WXX-{wd}T{pp}");
                return Fixed(i + 1, TimexType.Set, $"XXXX-WXX-{wd}");
            }
            int j = i + 1;
            if (IsPunct(j, ',')) j++;
            if (Ok(j) && (MonthFirst(j) is { M.Day: >= 0 } md)) return md with { TakesThe = false };
            if (Ok(j) && (DayFirst(j) is { } dm)) return dm with { TakesThe = false };
            var m = new TimexMeaning { Kind = MeaningKind.Calendar, Weekday = wd };
            // "Wednesday's ruling": an event already named, so in the past
            if (IsPossessive(i + 1)) m = m with { Direction = Direction.Past };
            if (L(i + 1) is { PartOfDay: { } pod } && !W(i + 1, "nights"))
            {
                if (L(i + 1)!.Key.EndsWith('s')) return Fixed(i + 2, TimexType.Set, $"XXXX-WXX-{wd}T{pod}");
                return new Hit(i + 2, m with { PartOfDay = pod }, false);
            }
            if (W(i + 1, "nights")) return Fixed(i + 2, TimexType.Set, $"XXXX-WXX-{wd}TNI");
            return new Hit(i + 1, m, false);
        }

        // ---- seasons: summer, summer 1998, the winter of 1994

        private Hit? Season(int i, bool afterThe)
        {
            var e = L(i)!;
            if (e.SeasonPlural) return null;
            int j = i + 1;
            if (W(j, "of") || IsPunct(j, ',')) j++;
            var m = new TimexMeaning { Kind = MeaningKind.Calendar, Season = e.Season };
            if (IsYear(j)) return new Hit(j + 1, m with { Year = (int)_p[j].Num });
            if (SpokenYear(j, out int sy, out int send)) return new Hit(send, m with { Year = sy });
            if (e.SeasonGuarded)
            {
                // "fall" and "spring" are seasons only after a determiner or modifier, and not as "the fall of X" / "the fall in prices".
                bool supported = afterThe || AnyW(i - 1, "last", "this", "next", "early", "late", "mid", "in", "during", "since", "until", "by", "past", "coming");
                if (!supported) return null;
                if (AnyW(i + 1, "of", "in", "from", "to", "by", "on", "for", "and") && !IsYear(i + 2)) return null;
            }
            return new Hit(i + 1, m);
        }

        /// <summary>"nineteen ninety-four", "two thousand": a year spelled out.</summary>
        private bool SpokenYear(int i, out int year, out int end)
        {
            year = -1;
            end = i;
            if (W(i, "two") && W(i + 1, "thousand"))
            {
                year = 2000;
                end = i + 2;
                int k = end;
                if (W(k, "and")) k++;
                if (L(k) is { Number: > 0 and < 100 } n) { year += n.Number; end = k + 1; }
                return true;
            }
            if (L(i) is { Number: 19 or 20 } c && L(i + 1) is { Number: >= 10 and < 100 } t)
            {
                int v = t.Number;
                end = i + 2;
                if (v % 10 == 0 && v >= 20 && IsHyphenAt(i + 2) && L(i + 3) is { Number: > 0 and < 10 } u) { v += u.Number; end = i + 4; }
                year = c.Number * 100 + v;
                return true;
            }
            return false;
        }

        // ---- deictic: today, yesterday afternoon, tomorrow, tonight, the day before yesterday

        private Hit? Deictic(int i)
        {
            var e = L(i)!;
            // "USA Today", "VOA Today": part of a name
            if (IsTitleWord(i) && Ok(i - 1) && i - 1 > 0 && _p[i - 1].Kind == PieceKind.Word && _p[i - 1].Cap && _p[i - 1].Lex is null) return null;
            var m = Off(Gran.Day, e.Deictic!.Value, Gran.Day) with { OffsetPartOfDay = e.DeicticPod };
            if (e.DeicticPod is null && L(i + 1) is { PartOfDay: { } pod } && !L(i + 1)!.Key.EndsWith('s'))
                return new Hit(i + 2, m with { OffsetPartOfDay = pod });
            // "yesterday at 3 p.m." is left to the clock rule ("3 p.m. yesterday").
            return new Hit(i + 1, m);
        }

        // ---- now, currently, recently, soon, the future, the past

        private Hit? Reference(int i)
        {
            var e = L(i)!;
            if (W(i, "now") && W(i - 1, "right")) return null; // "right now" starts at "right"
            if (W(i, "soon") && (W(i - 1, "as") || W(i + 1, "as") || W(i + 1, "after") || W(i + 1, "thereafter"))) return null; // as soon as, soon after
            return Fixed(i + 1, TimexType.Date, e.Ref!, takesThe: false);
        }

        // ---- this/last/next/past/coming/previous/following/current + unit, month, weekday, season, part of day, N units

        private Hit? Shifted(int i, bool afterThe)
        {
            var e = L(i)!;
            int shift = e.Shift!.Value;
            bool anchoredOnMention = AnyW(i, "previous", "preceding", "prior", "following", "ensuing", "subsequent") || (afterThe && W(i, "next"));
            int j = i + 1;
            // "this past spring", "this coming week"
            if (W(i, "this") && L(j) is { Shift: { } s2 } && s2 != 0) { shift = s2; j++; }
            // ABC's "This Week", "Next Year in Jerusalem": a unit capitalised mid-sentence is a title ("Last Friday" is not)
            if (IsTitleWord(i) && IsTitleWord(j) && L(j) is { Unit: not Gran.None }) return null;
            bool fiscal = W(j, "fiscal");
            if (fiscal) j++;

            // N units: the past two months, the next few days, last five years (durations)
            if (Count(j, out double amount, out bool fuzzy, out int afterCount) && shift != 0)
            {
                int u = afterCount;
                if (AnyW(u, "more", "additional", "full")) u++;
                if (IsUnit(u, out var unit, out bool plural) && (plural || amount <= 1))
                {
                    int end = u + 1;
                    if (W(end, "or") && W(end + 1, "so")) end += 2;
                    return Fixed(end, TimexType.Duration, DurationValue(amount, fuzzy, unit));
                }
                // the past three summers: a recurrence
                if (L(u) is { SeasonPlural: true, Season: var ss }) return Fixed(u + 1, TimexType.Set, "XXXX-" + Calendar.SeasonCode(ss));
                // the next 12 to 18 months
                if (AnyW(afterCount, "to", "or") && Count(afterCount + 1, out _, out _, out int after2) && IsUnit(after2, out var unit2, out bool pl2) && pl2)
                    return Fixed(after2 + 1, TimexType.Duration, DurationValue(0, true, unit2));
            }
            if (IsUnit(j, out var un, out bool plu))
            {
                if (plu)
                {
                    // coming years, the past few weeks → some time
                    if (shift == 0 && !W(i, "current")) return null;
                    if (W(i, "this")) return null;
                    return Fixed(j + 1, TimexType.Duration, DurationValue(0, true, un));
                }
                return UnitShift(i, j, un, shift, anchoredOnMention, afterThe);
            }
            if (IsMonth(j, out int month))
            {
                var dir = shift < 0 ? Direction.PastStrict : shift > 0 ? Direction.FutureStrict : Direction.This;
                // last Oct. 23
                if (MonthFirst(j) is { M.Day: >= 0 } md && md.M.Year < 0)
                    return new Hit(md.End, md.M with { Direction = shift < 0 ? Direction.Past : shift > 0 ? Direction.Future : Direction.Nearest }, false);
                return new Hit(j + 1, Cal(month: month) with { Direction = dir }, false);
            }
            // last Thanksgiving
            if (Ok(j) && _p[j].Cap && Words(j, false) is { M.HolidayNth: var hn } hol && (hn != 0 || hol.M.Day >= 0))
                return new Hit(hol.End, hol.M with { Direction = shift < 0 ? Direction.PastStrict : shift > 0 ? Direction.FutureStrict : Direction.This }, false);
            if (IsWeekday(j, out int wd, out bool wpl) && !wpl)
            {
                var dir = shift < 0 ? Direction.PastStrict : shift > 0 ? Direction.FutureStrict : Direction.This;
                var m = new TimexMeaning { Kind = MeaningKind.Calendar, Weekday = wd, Direction = dir };
                // "down 4.5% from the previous Friday": the Friday before the day last mentioned
                if (anchoredOnMention) m = m with { Anchor = Anchor.LastMention };
                if (L(j + 1) is { PartOfDay: { } pod }) return new Hit(j + 2, m with { PartOfDay = pod }, anchoredOnMention);
                return new Hit(j + 1, m, anchoredOnMention);
            }
            if (L(j) is { Season: > 0 } se && !se.SeasonPlural)
            {
                var dir = shift < 0 ? Direction.PastStrict : shift > 0 ? Direction.FutureStrict : Direction.This;
                return new Hit(j + 1, new TimexMeaning { Kind = MeaningKind.Calendar, Season = se.Season, Direction = dir });
            }
            if (L(j) is { PartOfDay: { } pod2 } && !L(j)!.Key.EndsWith('s') && !W(i, "past") && !W(i, "current"))
            {
                // this morning, last night, tomorrow night is the deictic rule's
                int day = shift < 0 ? -1 : shift > 0 ? 1 : 0;
                if (anchoredOnMention) return new Hit(j + 1, Off(Gran.Day, day, Gran.Day, Anchor.LastMention) with { OffsetPartOfDay = pod2 });
                return new Hit(j + 1, Off(Gran.Day, day, Gran.Day) with { OffsetPartOfDay = pod2 });
            }
            // "last year's third quarter" is QuarterExpr's; "the current" alone is a reference
            if (W(i, "current") && !afterThe) return Fixed(i + 1, TimexType.Date, "PRESENT_REF");
            if (W(i, "past") && afterThe && !IsUnit(j, out _, out _)) return Fixed(i + 1, TimexType.Date, "PAST_REF");
            return null;
        }

        private Hit? UnitShift(int i, int j, Gran unit, int shift, bool anchoredOnMention, bool afterThe)
        {
            // this/last/next + year, month, week, quarter, weekend, decade, century, day
            switch (unit)
            {
                case Gran.Weekend:
                    {
                        var dir = shift < 0 ? Direction.PastStrict : shift > 0 ? Direction.FutureStrict : Direction.This;
                        return new Hit(j + 1, new TimexMeaning { Kind = MeaningKind.Calendar, Weekend = true, Direction = dir });
                    }
                case Gran.Decade:
                case Gran.Century:
                case Gran.Millennium:
                    // "the last decade" is the previous one; "the past decade" the ten years up to now
                    if (shift == 0 || W(i, "last") || W(i, "next")) return new Hit(j + 1, Off(unit, shift));
                    return Fixed(j + 1, TimexType.Duration, DurationValue(1, false, unit));
                case Gran.Day:
                    if (!anchoredOnMention && !afterThe) return null;
                    return new Hit(j + 1, Off(Gran.Day, shift, Gran.Day, Anchor.LastMention));
                case Gran.Hour:
                case Gran.Minute:
                case Gran.Second:
                    if (shift == 0) return null;
                    return Fixed(j + 1, TimexType.Duration, DurationValue(1, false, unit));
            }
            var m = Off(unit, shift);
            if (anchoredOnMention) m = m with { Anchor = Anchor.LastMention, UnitGran = true };
            // this year's third quarter
            if (IsPossessive(j + 1) && unit == Gran.Year && QuarterCore(j + 2) is { } q)
                return new Hit(q.End, q.M with { YearShift = shift });
            // last year's quarter / period: the quarter under discussion, that year
            if (IsPossessive(j + 1) && unit == Gran.Year && shift != 0 && AnyW(j + 2, "quarter", "period"))
                return new Hit(j + 3, Off(Gran.Year, shift, Gran.Year, Anchor.LastMention) with { QuarterAware = true });
            return new Hit(j + 1, m);
        }

        // ---- quarters and halves: third-quarter, the fourth quarter of 1990, the first half, fiscal second-quarter

        private Hit? QuarterExpr(int i)
        {
            if (QuarterCore(i) is not { } q) return null;
            int k = q.End;
            // of 1990 / of this year / of next year / of the year
            if (W(k, "of"))
            {
                if (IsYear(k + 1)) return new Hit(k + 2, q.M with { Year = (int)_p[k + 1].Num });
                if (L(k + 1) is { Shift: { } s } && W(k + 2, "year")) return new Hit(k + 3, q.M with { YearShift = s });
                if (W(k + 1, "the") && W(k + 2, "year")) return new Hit(k + 3, q.M with { YearShift = 0 });
                // the last half of the '80s: within a decade, the decade is what can be said
                int d = W(k + 1, "the") ? k + 2 : k + 1;
                if (Decade(d) is { } dec) return new Hit(dec.End, dec.M with { Mod = q.M.Half == 1 || q.M.Quarter == 1 ? "START" : "END" });
            }
            if (IsYear(k) && _p[k].Cap == false) return new Hit(k + 1, q.M with { Year = (int)_p[k].Num });
            return q;
        }

        private Hit? QuarterCore(int i)
        {
            int j = i;
            if (W(j, "fiscal")) { j++; if (IsHyphenAt(j)) j++; }
            int ord;
            if (W(j, "last") && AnyW(j + 1, "quarter", "half") && W(j + 2, "of")) ord = W(j + 1, "half") ? 2 : 4;
            else if (L(j) is { Ordinal: >= 1 and <= 4 } o) ord = o.Ordinal;
            else if (Ok(j) && _p[j].Shape == Shape.Ordinal && _p[j].Num is >= 1 and <= 4) ord = (int)_p[j].Num;
            else return null;
            int k = j + 1;
            if (IsHyphenAt(k)) k++;
            if (W(k, "quarter"))
                return new Hit(k + 1, new TimexMeaning { Kind = MeaningKind.Calendar, Quarter = ord });
            if (W(k, "half") && ord <= 2)
                return new Hit(k + 1, new TimexMeaning { Kind = MeaningKind.Calendar, Half = ord });
            return null;
        }

        // ---- quantities: two years, 18 months ago, a year earlier, three days later, two-year, year-earlier

        private bool Count(int i, out double amount, out bool fuzzy, out int end)
        {
            amount = 0;
            fuzzy = false;
            end = i;
            if (!Ok(i)) return false;
            var p = _p[i];
            if (p.Shape == Shape.Int && !(p.End - p.Start == 4 && p.Num >= 1000 && !p.Comma && IsYear(i)) && p.Num < 100000)
            {
                amount = p.Num;
                end = i + 1;
                // 2 1/2
                if (Ok(end) && S(end) is "1/2" or "½") { amount += 0.5; end++; }
                return true;
            }
            if (p.Shape == Shape.Decimal) { amount = p.Dbl; end = i + 1; return true; }
            if (L(i) is not { } e) return false;
            if (W(i, "couple") && W(i + 1, "of")) { amount = 2; end = i + 2; return true; }
            if (W(i, "a") || W(i, "an"))
            {
                if (W(i + 1, "few") || W(i + 1, "couple"))
                {
                    end = W(i + 2, "of") ? i + 3 : i + 2;
                    if (W(i + 1, "couple")) { amount = 2; return true; }
                    fuzzy = true;
                    return true;
                }
                if (W(i + 1, "dozen")) { amount = 12; end = i + 2; return true; }
                if (W(i + 1, "hundred")) { amount = 100; end = i + 2; return true; }
                if (W(i + 1, "thousand")) { amount = 1000; end = i + 2; return true; }
                amount = 1;
                end = i + 1;
                return true;
            }
            if (e.Number == -2)
            {
                if (W(i, "some") && !(IsUnit(i + 1, out _, out bool pl) && pl)) return false;
                fuzzy = true;
                end = i + 1;
                if (W(i, "many") && W(i + 1, "more")) end++;
                return true;
            }
            if (e.Number < 0) return false;
            int v = e.Number;
            int k = i + 1;
            // twenty-five, twenty five
            if (v >= 20 && v < 100 && v % 10 == 0)
            {
                int u = IsHyphenAt(k) ? k + 1 : k;
                if (L(u) is { Number: >= 1 and <= 9 } one) { v += one.Number; k = u + 1; }
            }
            if (W(k, "hundred")) { v *= 100; k++; }
            else if (W(k, "thousand")) { v *= 1000; k++; }
            amount = v;
            end = k;
            // one and a half
            if (W(end, "and") && W(end + 1, "a") && W(end + 2, "half") && IsUnit(end + 3, out _, out _)) { amount += 0.5; end += 3; }
            return true;
        }

        private Hit? Quantity(int i, bool afterThe)
        {
            // half an hour, half a year
            if (W(i, "half") && AnyW(i + 1, "a", "an") && IsUnit(i + 2, out var hu, out _))
                return Fixed(i + 3, TimexType.Duration, DurationValue(0.5, false, hu));
            if (!Count(i, out double amount, out bool fuzzy, out int k)) return null;
            // two to three weeks, 12 to 18 months: the first figure (as TimeBank does)
            if (AnyW(k, "to", "or") && Count(k + 1, out _, out bool fz2, out int k2) && !fz2 && IsUnit(k2, out _, out bool rpl) && rpl) k = k2;
            bool hyphen = IsHyphenAt(k);
            int u = hyphen ? k + 1 : k;
            if (AnyW(u, "more", "additional", "full", "straight", "consecutive", "long", "extra", "other")) u++;
            if (!IsUnit(u, out var unit, out bool plural)) return null;
            if (_p[u].Cap && !_p[u].LineStart && !(Ok(u - 1) && _p[u - 1].Cap)) return null;   // "60 Minutes": a title
            if (unit == Gran.Quarter && (hyphen || W(u + 1, "of"))) return null;                  // three-quarters of
            // "a six year process", "a five year low": a number and a singular unit before a noun
            if (!plural && amount > 1 && !hyphen && !(Ok(u + 1) && _p[u + 1].Kind == PieceKind.Word && !_p[u + 1].Cap && !AnyW(u + 1, "and", "or", "ago", "earlier", "later", "of", "to", "in"))) return null;
            if (unit == Gran.Second && amount == 1 && !IsInt(i, 1, 1)) return null; // "a second" is an ordinal more often than a unit
            if (W(i, "a") && unit is Gran.Weekend or Gran.Quarter) return null;
            int end = u + 1;
            // a year and a half
            if (W(end, "and") && W(end + 1, "a") && W(end + 2, "half")) { amount += 0.5; end += 3; }

            // "a year-earlier period" is the year-earlier rule's
            if (IsHyphenAt(end) && AnyW(end + 1, "earlier", "ago") && unit == Gran.Year && !plural) return null;
            // ages are not time expressions: a 44-year-old, five years old
            if ((IsHyphenAt(end) && W(end + 1, "old")) || W(end, "old")) return null;

            if (W(end, "or") && W(end + 1, "so") && AnyW(end + 2, "ago", "earlier", "later")) end += 2;
            // ago / earlier / later / from now / hence
            if (W(end, "ago") || (IsHyphenAt(end) && W(end + 1, "ago") && unit == Gran.Year))
            {
                int after = W(end, "ago") ? end + 1 : end + 2;
                if (fuzzy) return Fixed(after, TimexType.Date, "PAST_REF", takesThe: false);
                return new Hit(after, Off(unit, -(int)Math.Round(amount), AgoGran(unit)) with { QuarterAware = amount == 1, UnitGran = true }, false);
            }
            if (W(end, "earlier") || (W(end, "before") && IsEnd(end + 1)))
            {
                if (fuzzy) return Fixed(end + 1, TimexType.Date, "PAST_REF", takesThe: false);
                return new Hit(end + 1, Off(unit, -(int)Math.Round(amount), AgoGran(unit), Anchor.LastMention) with { QuarterAware = amount == 1, UnitGran = unit >= Gran.Year && unit <= Gran.Month }, false);
            }
            if (W(end, "later") || (W(end, "after") && IsEnd(end + 1)) || W(end, "hence") || (W(end, "from") && W(end + 1, "now")))
            {
                int after = W(end, "from") ? end + 2 : end + 1;
                if (fuzzy) return Fixed(after, TimexType.Date, "FUTURE_REF", takesThe: false);
                var anchor = W(end, "later") || W(end, "after") ? Anchor.LastMention : Anchor.Reference;
                return new Hit(after, Off(unit, (int)Math.Round(amount), AgoGran(unit), anchor), false);
            }
            // $5 a year, 3% a month, twice a day: recurrences
            if ((W(i, "a") || W(i, "an")) && !plural && amount == 1 && IsRateContext(i - 1))
                return Fixed(end, TimexType.Set, DurationValue(1, false, unit), takesThe: false);
            // year-earlier, year-ago: handled in Words
            if (hyphen && (IsHyphenAt(end) && W(end + 1, "long"))) end += 2;
            else if (IsHyphenAt(end) && W(end + 1, "long")) end += 2;
            if (W(end, "or") && W(end + 1, "so")) end += 2;
            // "the first nine months": the caller adds "the"; "first" is read in TheSpecial.
            return Fixed(end, TimexType.Duration, DurationValue(amount, fuzzy, unit));
        }

        private bool IsRateContext(int i)
        {
            if (!Ok(i)) return false;
            var p = _p[i];
            if (p.Kind == PieceKind.Number) return true;
            if (AnyW(i, "twice", "once", "times", "percent", "cents", "dollars", "euros", "%")) return true;
            if (IsPunct(i, '%')) return true;
            if (Ok(i) && _p[i].Kind == PieceKind.Word && (AnyW(i, "million", "billion", "trillion"))) return true;
            return false;
        }

        private static Gran AgoGran(Gran unit) => unit switch
        {
            Gran.Decade or Gran.Century or Gran.Millennium => Gran.Year,
            Gran.Hour or Gran.Minute or Gran.Second => Gran.Day,
            Gran.Weekend => Gran.Week,
            _ => unit,
        };

        /// <summary>ISO 8601 duration: P2Y, PXM, PT3H, P18M for a year and a half.</summary>
        internal static string DurationValue(double amount, bool fuzzy, Gran unit)
        {
            string n = fuzzy ? "X" : amount.ToString("0.##", CultureInfo.InvariantCulture);
            if (!fuzzy && amount != Math.Floor(amount))
            {
                switch (unit)
                {
                    case Gran.Year:
                        {
                            // two and a half years: P2Y6M; half a year: P6M
                            int months = (int)Math.Round(amount * 12), y = months / 12, mo = months % 12;
                            return y > 0 ? $"P{y}Y{mo}M" : $"P{mo}M";
                        }
                    case Gran.Hour:
                        {
                            int h = (int)Math.Floor(amount), m = (int)Math.Round((amount - h) * 60);
                            return h > 0 ? $"PT{h}H{m}M" : $"PT{m}M";
                        }
                    case Gran.Minute:
                        {
                            int mi = (int)Math.Floor(amount), s = (int)Math.Round((amount - mi) * 60);
                            return mi > 0 ? $"PT{mi}M{s}S" : $"PT{s}S";
                        }
                    case Gran.Day when amount < 1: return $"PT{(int)Math.Round(amount * 24)}H";
                }
            }
            return unit switch
            {
                Gran.Second => $"PT{n}S",
                Gran.Minute => $"PT{n}M",
                Gran.Hour => $"PT{n}H",
                Gran.Day => $"P{n}D",
                Gran.Week => $"P{n}W",
                Gran.Weekend => fuzzy ? "PXWE" : $"P{amount * 2:0}D",
                Gran.Month => $"P{n}M",
                Gran.Quarter => $"P{n}Q",
                Gran.Half => fuzzy ? "PXM" : $"P{amount * 6:0}M",
                Gran.Year => $"P{n}Y",
                Gran.Decade => fuzzy ? "PXDE" : $"P{amount * 10:0}Y",
                Gran.Century => fuzzy ? "PXCE" : $"P{amount * 100:0}Y",
                Gran.Millennium => fuzzy ? "PXML" : $"P{amount * 1000:0}Y",
                _ => "PX",
            };
        }

        // ---- a unit alone: years, months (some time); the year, the quarter, the weekend

        private Hit? UnitAlone(int i, bool afterThe)
        {
            IsUnit(i, out var unit, out bool plural);
            if (W(i + 1, "old") || (IsHyphenAt(i + 1) && W(i + 2, "old"))) return null; // ages
            if (IsHyphenAt(i + 1) && W(i + 2, "to") && IsHyphenAt(i + 3) && IsUnit(i + 4, out var u2, out _) && u2 == unit) return null; // quarter-to-quarter

            // year-earlier, year-ago, year-end
            if (unit == Gran.Year && IsHyphenAt(i + 1))
            {
                if (AnyW(i + 2, "earlier", "ago"))
                {
                    int end = i + 3;
                    var m = Off(Gran.Year, -1, Gran.Year, Anchor.LastMention) with { QuarterAware = true };
                    // the year-earlier third quarter
                    if (afterThe && QuarterCore(end) is { } yq) return new Hit(yq.End, yq.M with { YearShift = -1 });
                    if (afterThe && W(end, "quarter"))
                        return new Hit(end + 1, Off(Gran.Year, -1, Gran.Quarter, Anchor.LastMention) with { QuarterAware = true, UnitGran = true });
                    if (afterThe && AnyW(end, "period", "level", "levels", "month", "week", "year", "results", "figure")) end++;
                    else if (afterThe) return null;
                    return new Hit(end, m);
                }
                // year-end: the last day of the year (by year-end = this one; since year-end = the last one)
                if (W(i + 2, "end")) return new Hit(i + 3, Cal(month: 12, day: 31), false);
            }
            if (unit == Gran.Year && !plural && (W(i + 1, "end") || (IsPossessive(i + 1) && W(i + 2, "end"))) && !afterThe)
            {
                return new Hit(W(i + 1, "end") ? i + 2 : i + 3, Off(Gran.Year, 0) with { Mod = "END" }, false);
            }
            if (IsHyphenAt(i + 1) && W(i + 2, "long") && unit is not Gran.None)
                return Fixed(i + 3, TimexType.Duration, DurationValue(plural ? 0 : 1, plural, unit));
            if (plural)
            {
                if (afterThe && AnyW(i + 1, "ahead")) return Fixed(i + 2, TimexType.Duration, DurationValue(0, true, unit));
                if (afterThe) return null;
                if (unit == Gran.Quarter) return null;
                if (W(i + 1, "ago")) return Fixed(i + 2, TimexType.Date, "PAST_REF");
                if (W(i + 1, "of") || !Ok(i - 1) || !AnyW(i - 1, "the", "those", "these"))
                    return W(i - 1, "for") || W(i + 1, "of") ? Fixed(i + 1, TimexType.Duration, DurationValue(0, true, unit), takesThe: false) : null;
                return null;
            }
            if (!afterThe) return null;
            switch (unit)
            {
                case Gran.Weekend:
                    return new Hit(i + 1, new TimexMeaning { Kind = MeaningKind.Calendar, Weekend = true });
                case Gran.Quarter:
                    // the quarter ended Sept. 30: the quarter of that date
                    if (AnyW(i + 1, "ended", "ending") && MonthFirst(i + 2) is { M: { Day: >= 0 } qd } qh)
                        return new Hit(i + 1, new TimexMeaning { Kind = MeaningKind.Calendar, Month = qd.Month, Year = qd.Year, Quarter = (qd.Month - 1) / 3 + 1, Day = -1 } with { Month = -1 });
                    return new Hit(i + 1, Off(Gran.Quarter, 0, Gran.Quarter, Anchor.LastMention) with { FallbackAmount = -1, SameGranMention = true });
                case Gran.Year:
                    {
                        // "the year ended March 31" is a twelve-month period; "for the year" (results) the current year
                        if (AnyW(i + 1, "ended", "ending", "through", "to")) return Fixed(i + 1, TimexType.Duration, "P1Y");
                        return new Hit(i + 1, Off(Gran.Year, 0));
                    }
            }
            return null;
        }

        /// <summary>"the morning", "the afternoon": that part of the reference day.</summary>
        private Hit? PodAlone(int i)
        {
            var e = L(i)!;
            if (e.Key.EndsWith('s') || !W(i - 1, "the")) return null;
            if (AnyW(i + 1, "of", "after", "before")) return null;
            return new Hit(i + 1, new TimexMeaning { Kind = MeaningKind.Calendar, PartOfDay = e.PartOfDay });
        }

        // ---- clock times: 3:30 p.m., 10 a.m. EST, noon, midnight Friday, 5 p.m. EST Nov. 9, 4 in the morning

        private Hit? Clock(int i)
        {
            var p = _p[i];
            int hour, minute = -1;
            int k;
            if (p.Shape == Shape.Clock)
            {
                hour = (int)(p.Num / 100);
                minute = p.D == 1 ? -1 : (int)(p.Num % 100);
                k = i + 1;
                int ap = p.M;
                if (ap == 0 && AmPmWord(k) is > 0 and var a) { ap = a; k++; }
                if (ap == 0 && hour <= 12 && !(Ok(k) && W(k, "gmt"))) { /* a 24-hour clock or an unmarked time */ }
                if (ap == 2 && hour < 12) hour += 12;
                if (ap == 1 && hour == 12) hour = 0;
                if (minute == 0 && p.D == 1) minute = -1;
            }
            else if (L(i) is { ClockHour: > 0 } ch && !W(i - 1, "high"))
            {
                hour = ch.ClockHour;
                minute = hour == 24 ? -1 : 0;
                k = i + 1;
            }
            else if (IsInt(i, 1, 12))
            {
                hour = (int)p.Num;
                k = i + 1;
                int ap = AmPmWord(k);
                if (ap > 0) k++;
                else if (W(k, "o'clock")) { k++; }
                else if (W(k, "in") && W(k + 1, "the") && L(k + 2) is { PartOfDay: { } pd }) { ap = pd is "MO" ? 1 : 2; k += 3; }
                else return null;
                if (ap == 2 && hour < 12) hour += 12;
                if (ap == 1 && hour == 12) hour = 0;
                minute = 0;
            }
            else return null;
            if (Ok(k) && _p[k].Kind == PieceKind.Word && TimeLexicon.TimeZones.Contains(S(k).ToString())) k++;
            var m = new TimexMeaning { Kind = MeaningKind.Calendar, Hour = hour, Minute = minute };
            // a date after the time: "noon Thursday", "5 p.m. EST, Nov. 6", "10 p.m. Wednesday", "3 p.m. yesterday"
            int d = k;
            if (IsPunct(d, ',')) d++;
            if (W(d, "on")) d++;
            if (Ok(d))
            {
                if (Weekday(d) is { M.Kind: MeaningKind.Calendar } wd && wd.M.Weekday > 0 && wd.M.PartOfDay is null)
                    return new Hit(wd.End, wd.M with { Hour = hour, Minute = minute }, false);
                if (MonthFirst(d) is { M.Day: >= 0 } md) return new Hit(md.End, md.M with { Hour = hour, Minute = minute }, false);
                if (L(d) is { Deictic: { } dd, DeicticPod: null })
                    return new Hit(d + 1, Off(Gran.Day, dd, Gran.Day) with { OffsetHour = hour, OffsetMinute = minute < 0 ? 0 : minute }, false);
            }
            return new Hit(k, m, false);
        }

        private int AmPmWord(int k)
        {
            if (!Ok(k) || _p[k].Kind != PieceKind.Word) return 0;
            var s = S(k);
            if (s.Length > 5) return 0;
            return AmPm(s);
        }

        // ---- other words: right now, the future, recent years, each July, per year, Christmas, …

        private Hit? Words(int i, bool afterThe)
        {
            if (L(i) is not { } lex || !WordTriggers.Contains(lex.Key)) return null;
            // the end / beginning / start / middle of X
            if (AnyW(i, "end", "beginning", "start", "middle") && W(i + 1, "of") && afterThe)
            {
                int j = i + 2;
                var inner = W(j, "the") ? (Core(j + 1, true) is { TakesThe: true } t ? t : null) : Core(j, false);
                if (inner is null && W(j, "the") && IsUnit(j + 1, out var eu0, out bool epl0) && !epl0 && eu0 is Gran.Month or Gran.Week or Gran.Day or Gran.Quarter)
                    inner = new Hit(j + 2, Off(eu0, 0));
                if (inner is { } h && h.M.Kind is MeaningKind.Calendar or MeaningKind.Offset)
                    return new Hit(h.End, h.M with { Mod = L(i)!.Position }, true);
            }
            // that year, that day, that quarter: the last date mentioned
            if (W(i, "that") && IsUnit(i + 1, out var tu0, out bool tpl0) && !tpl0 && tu0 is Gran.Year or Gran.Quarter or Gran.Month or Gran.Week or Gran.Day)
                return new Hit(i + 2, Off(tu0, 0, tu0, Anchor.LastMention) with { UnitGran = true }, false);
            if (W(i, "right") && W(i + 1, "now")) return Fixed(i + 2, TimexType.Date, "PRESENT_REF", takesThe: false);
            if (W(i, "future"))
            {
                // the future, the near future, future years; not the adjective ("future payments")
                if (IsUnit(i + 1, out _, out bool fp) && fp) return Fixed(i + 2, TimexType.Date, "FUTURE_REF", takesThe: false);
                if (afterThe && !(Ok(i + 1) && _p[i + 1].Kind == PieceKind.Word && !_p[i + 1].Cap && !IsFunctionWord(i + 1)))
                    return Fixed(i + 1, TimexType.Date, "FUTURE_REF");
                return null;
            }
            if (W(i, "recent"))
            {
                if (IsUnit(i + 1, out var ru, out bool rp) && rp) return Fixed(i + 2, TimexType.Duration, DurationValue(0, true, ru), takesThe: false);
                if (afterThe && W(i + 1, "past")) return Fixed(i + 2, TimexType.Date, "PAST_REF");
                return null;
            }
            // the near term, the short term, the long run
            if (afterThe && AnyW(i, "near", "short") && W(i + 1, "term") && !IsHyphenAt(i + 1))
                return Fixed(i + 2, TimexType.Date, "FUTURE_REF");
            if (afterThe && W(i, "near") && W(i + 1, "future")) return Fixed(i + 2, TimexType.Date, "FUTURE_REF");
            if (W(i, "these") && W(i + 1, "days")) return Fixed(i + 2, TimexType.Date, "PRESENT_REF", takesThe: false);
            if (W(i, "latest") || (W(i, "most") && W(i + 1, "recent")))
            {
                int j = W(i, "most") ? i + 2 : i + 1;
                if (afterThe && AnyW(j, "quarter", "period")) return new Hit(j + 1, Off(Gran.Quarter, -1));
                if (afterThe && W(j, "fiscal") && W(j + 1, "year")) return new Hit(j + 2, Off(Gran.Year, -1));
                if (afterThe && IsUnit(j, out var lu, out bool lpl) && !lpl && lu is Gran.Week or Gran.Month or Gran.Year)
                    return new Hit(j + 1, Off(lu, 0));
                return null;
            }
            if (W(i, "fiscal") && !afterThe)
            {
                int j = i + 1;
                if (W(j, "year")) j++;
                if (IsYear(j)) return new Hit(j + 1, Cal(year: (int)_p[j].Num), false);
            }
            if (W(i, "fiscal") && afterThe && W(i + 1, "year")) return Fixed(i + 2, TimexType.Duration, "P1Y");
            if (afterThe && W(i, "year") && IsYear(i + 1)) return new Hit(i + 2, Cal(year: (int)_p[i + 1].Num));
            if (W(i, "year") && afterThe && SpokenYear(i + 1, out int sy, out int send)) return new Hit(send, Cal(year: sy));
            // post-1959, pre-war is not
            if (AnyW(i, "post", "pre") && IsHyphenAt(i + 1) && (IsYear(i + 2) || (Ok(i + 2) && _p[i + 2].Shape == Shape.Decade)))
            {
                var inner = YearExpr(i + 2) ?? Decade(i + 2);
                if (inner is { } h) return new Hit(h.End, h.M with { Mod = W(i, "post") ? "AFTER" : "BEFORE" }, false);
            }
            // each/every + unit, weekday, month, season; per year; twice a week
            if (AnyW(i, "every", "each"))
            {
                int j = i + 1;
                if (W(j, "other")) j++;
                if (Count(j, out double amt, out bool fz, out int ce) && IsUnit(ce, out var cu, out bool cpl) && cpl && !fz)
                    return Fixed(ce + 1, TimexType.Set, DurationValue(amt, false, cu));
                if (IsUnit(j, out var eu, out bool epl) && !epl)
                    return Fixed(j + 1, TimexType.Set, W(i + 1, "other") ? DurationValue(2, false, eu) : DurationValue(1, false, eu));
                if (IsWeekday(j, out int ewd, out _))
                {
                    if (L(j + 1) is { PartOfDay: { } pp }) return Fixed(j + 2, TimexType.Set, $"XXXX-WXX-{ewd}T{pp}");
                    return Fixed(j + 1, TimexType.Set, $"XXXX-WXX-{ewd}");
                }
                if (IsMonth(j, out int em)) return Fixed(j + 1, TimexType.Set, $"XXXX-{em:00}");
                if (L(j) is { Season: > 0 } es) return Fixed(j + 1, TimexType.Set, "XXXX-" + Calendar.SeasonCode(es.Season));
                if (L(j) is { PartOfDay: { } ep }) return Fixed(j + 1, TimexType.Set, $"XXXX-XX-XXT{ep}");
                return null;
            }
            if (W(i, "per") && IsUnit(i + 1, out var pu, out bool ppl) && !ppl) return Fixed(i + 2, TimexType.Set, DurationValue(1, false, pu), takesThe: false);
            if (AnyW(i, "twice", "once") && AnyW(i + 1, "a", "an", "per") && IsUnit(i + 2, out var tu, out bool tpl) && !tpl)
                return Fixed(i + 3, TimexType.Set, DurationValue(1, false, tu), takesThe: false);
            // holidays
            if (_p[i].Cap) foreach (var (words, month, day, nth, wd) in TimeLexicon.Holidays)
                {
                    int k = i;
                    bool ok = true;
                    foreach (var w in words)
                    {
                        if (!W(k, w)) { ok = false; break; }
                        k++;
                    }
                    if (!ok) continue;
                    var m = new TimexMeaning { Kind = MeaningKind.Calendar, Month = month, Day = nth == 0 ? day : -1, HolidayNth = nth, HolidayWeekday = wd };
                    if (nth == 0) m = m with { Day = day };
                    int y = IsPunct(k, ',') ? k + 1 : k;
                    if (IsYear(y)) return new Hit(y + 1, m with { Year = (int)_p[y].Num }, false);
                    // Easter week, Thanksgiving week: the week that holds the day
                    if (W(k, "week")) return new Hit(k + 1, m with { WeekOf = true }, false);
                    return new Hit(k, m, false);
                }
            return null;
        }

        /// <summary>Words that start one of the patterns of <see cref="Words"/>.</summary>
        private static readonly FrozenSet<string> WordTriggers = new[]
        {
            "end", "beginning", "start", "middle", "that", "right", "future", "recent", "near", "short", "these", "latest", "most", "fiscal",
            "year", "post", "pre", "every", "each", "per", "twice", "once",
        }.Concat(TimeLexicon.Holidays.Select(h => h.Words[0])).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

        /// <summary>Patterns that need their determiner: "the first nine months", "the day before yesterday", "the past".</summary>
        private Hit? TheSpecial(int i)
        {
            int j = i + 1;
            // the corresponding period last year, the comparable year-ago quarter, the quarter a year earlier: the quarter
            // under discussion, a year before
            {
                int k = j;
                bool compared = AnyW(k, "corresponding", "comparable", "same", "like");
                if (compared) k++;
                bool yearAgo = W(k, "year") && IsHyphenAt(k + 1) && AnyW(k + 2, "ago", "earlier");
                if (yearAgo && compared) k += 3;
                if ((compared || !yearAgo) && AnyW(k, "period", "quarter"))
                {
                    int end = -1;
                    if (yearAgo) end = k + 1;
                    else if (W(k + 1, "last") && W(k + 2, "year")) end = k + 3;
                    else if (W(k + 1, "a") && W(k + 2, "year") && AnyW(k + 3, "ago", "earlier")) end = k + 4;
                    else if (W(k + 1, "of") && W(k + 2, "last") && W(k + 3, "year")) end = k + 4;
                    if (end > 0) return new Hit(end, Off(Gran.Year, -1, Gran.Quarter, Anchor.LastMention) with { QuarterAware = true, UnitGran = true });
                }
            }
            if (L(j) is null) return null;
            // the week of March 6
            if (W(j, "week") && W(j + 1, "of") && Core(j + 2, false) is { M: { Kind: MeaningKind.Calendar, Hour: < 0, PartOfDay: null } wm } wh
                && (wm.Day >= 0 || wm.HolidayNth != 0))
                return new Hit(wh.End, wm with { WeekOf = true });
            // the first/last/final nine months
            if (AnyW(j, "first", "final", "last", "initial", "latest") && Count(j + 1, out double amt, out bool fz, out int ce) && IsUnit(ce, out var u, out bool pl) && pl)
            {
                // the first two quarters of 1990, the last six months of 1989: a half of that year
                if (AnyW(j, "first", "last") && ((u == Gran.Quarter && amt == 2) || (u == Gran.Month && amt == 6)) && W(ce + 1, "of") && IsYear(ce + 2))
                    return new Hit(ce + 3, new TimexMeaning { Kind = MeaningKind.Calendar, Half = W(j, "first") ? 1 : 2, Year = (int)_p[ce + 2].Num });
                return Fixed(ce + 1, TimexType.Duration, DurationValue(amt, fz, u));
            }
            if (W(j, "day") && AnyW(j + 1, "before", "after") && AnyW(j + 2, "yesterday", "tomorrow"))
            {
                int off = W(j + 2, "yesterday") ? -1 : 1;
                off += W(j + 1, "before") ? -1 : 1;
                return new Hit(j + 3, Off(Gran.Day, off, Gran.Day));
            }
            if (W(j, "day") && AnyW(j + 1, "before", "after") && IsEnd(j + 2))
                return new Hit(j + 2, Off(Gran.Day, W(j + 1, "before") ? -1 : 1, Gran.Day, Anchor.LastMention));
            // the full year, the entire year
            if (AnyW(j, "full", "entire", "whole") && W(j + 1, "year")) return new Hit(j + 2, Off(Gran.Year, 0));
            // the same day/week: anchored on the last mention
            if (W(j, "same") && IsUnit(j + 1, out var su, out bool spl) && !spl && su is Gran.Day or Gran.Week or Gran.Month or Gran.Year)
                return new Hit(j + 2, Off(su, 0, su, Anchor.LastMention));
            return null;
        }

        // ---- modifiers before an expression: early next year, late November, mid-1990s, earlier this month

        private Hit? WithPosition(int i)
        {
            if (L(i) is not { Position: { } pos } || AnyW(i, "end", "beginning", "start")) return null;
            if (W(i, "middle")) return null;
            int j = i + 1;
            if (IsHyphenAt(j)) j++;
            var inner = Core(j, afterThe: false);
            if (inner is null && L(j) is { PartOfDay: { } pod } && !L(j)!.Key.EndsWith('s'))
            {
                // mid-afternoon, late morning, mid-afternoon yesterday
                if (L(j + 1) is { Deictic: { } dd, DeicticPod: null })
                    return new Hit(j + 2, Off(Gran.Day, dd, Gran.Day) with { OffsetPartOfDay = pod, Mod = pos }, true);
                return new Hit(j + 1, new TimexMeaning { Kind = MeaningKind.Calendar, PartOfDay = pod, Mod = pos }, true);
            }
            if (inner is not { } h) return null;
            var m = h.M;
            bool dateLike = m.Kind is MeaningKind.Calendar or MeaningKind.Offset;
            if (!dateLike) return null;
            // "earlier"/"later" only before this/last/next phrases; "late" not before a weekday ("late Friday" is fine, "later Friday" is not)
            if (AnyW(i, "earlier", "later") && !(m.Kind == MeaningKind.Offset && (m.Anchor == Anchor.Reference || m.UnitGran))) return null;
            if (m.Kind == MeaningKind.Offset && m.Unit == Gran.Day && m.Anchor == Anchor.LastMention && AnyW(i, "early", "late", "mid")) return null;
            return new Hit(h.End, m with { Mod = pos }, h.TakesThe);
        }

        // ---- approximations: about three years, nearly two months, more than four hours, at least 72 hours

        private Hit? WithApprox(int i)
        {
            string? mod;
            int j;
            if (AnyW(i, "about", "around", "approximately", "roughly", "nearly", "almost", "some") ) { mod = W(i, "nearly") || W(i, "almost") ? "LESS_THAN" : "APPROX"; j = i + 1; }
            else if (W(i, "over")) { mod = "MORE_THAN"; j = i + 1; }
            else if (W(i, "more") && W(i + 1, "than")) { mod = "MORE_THAN"; j = i + 2; }
            else if (W(i, "less") && W(i + 1, "than")) { mod = "LESS_THAN"; j = i + 2; }
            else if (W(i, "at") && W(i + 1, "least")) { mod = "EQUAL_OR_MORE"; j = i + 2; }
            else if (W(i, "up") && W(i + 1, "to")) { mod = "EQUAL_OR_LESS"; j = i + 2; }
            else if (W(i, "just") && AnyW(i + 1, "over", "under")) { mod = W(i + 1, "over") ? "MORE_THAN" : "LESS_THAN"; j = i + 2; }
            else return null;
            var h = Core(j, afterThe: false);
            if (h is not { } x) return null;
            bool ok = (x.M.Kind == MeaningKind.Fixed && x.M.FixedType == TimexType.Duration)
                || (x.M.Kind == MeaningKind.Offset && x.M.Amount is not null and not 0 && x.M.Anchor == Anchor.Reference && x.M.Unit is not Gran.Day)
                || (x.M.Kind == MeaningKind.Offset && x.M.Amount is not null and not 0 and not 1 and not -1)
                || (x.M.Kind == MeaningKind.Calendar && x.M.Hour >= 0);
            if (x.M.Kind == MeaningKind.Offset && W(i, "over")) ok = false;
            if (!ok) return null;
            if (W(i, "some") && !(x.M.Kind == MeaningKind.Fixed && Count(j, out _, out bool fz, out _) && !fz)) return null;
            return new Hit(x.End, x.M with { Mod = mod }, false);
        }
    }
}
