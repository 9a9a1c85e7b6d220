using System.Runtime.CompilerServices;
using Sitrep.Text;

namespace Sitrep.Attribution;

/// <summary>A growable buffer of hashed features, grouped by position ([offsets[k], offsets[k+1]) are position k's).</summary>
internal sealed class FeatureBuffer
{
    public ulong[] Features = new ulong[1024];
    public int[] Offsets = new int[129];
    public int Positions;
    private int _count;

    public void Clear()
    {
        Positions = 0;
        _count = 0;
        Offsets[0] = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ulong feature)
    {
        if (_count == Features.Length) Array.Resize(ref Features, Features.Length * 2);
        Features[_count++] = feature;
    }

    public void EndPosition()
    {
        if (Positions + 2 > Offsets.Length) Array.Resize(ref Offsets, Offsets.Length * 2);
        Offsets[++Positions] = _count;
    }

    public ReadOnlySpan<ulong> FeatureSpan => Features.AsSpan(0, _count);

    public ReadOnlySpan<int> OffsetSpan => Offsets.AsSpan(0, Positions + 1);
}

/// <summary>
/// Feature templates of the two taggers. Stage 1 (cue) tags each token of a sentence O / B-cue / I-cue from its word,
/// neighbours, shapes, quotation context and membership in the reporting lexicon. Stage 2 (arguments) tags each
/// token of a window around one cue O / B-source / I-source / B-content / I-content from its position relative to
/// the cue (side, distance, what lies between: commas, quotation marks, sentence ends, "that", other cues), its
/// word and shape, and the cue's words.
/// </summary>
internal static class Features
{
    private static readonly System.Collections.Frozen.FrozenSet<ulong> Pronouns =
        System.Collections.Frozen.FrozenSet.ToFrozenSet("he she they it we i his her their its our my who which".Split(' ').Select(w => AttributionDocument.HashLower(w)));

    /// <summary>Bumped whenever a feature template changes; part of <see cref="Fingerprint"/>.</summary>
    private const ulong TemplateVersion = 1;

    /// <summary>
    /// Identifies the feature definitions: the template version and every word list a feature reads. A model stores
    /// the fingerprint it was trained with and is refused by code whose features differ (its weights would be read
    /// against other features).
    /// </summary>
    public static ulong Fingerprint { get; } = ComputeFingerprint();

    private static ulong ComputeFingerprint()
    {
        ulong h = AttributionDocument.Mix(AttributionDocument.Seed, TemplateVersion);
        foreach (var set in new IEnumerable<ulong>[] { ReportingLexicon.Verbs, ReportingLexicon.Nouns, Pronouns, SpeakerResolver.RoleNounKeys })
        {
            h = AttributionDocument.Mix(h, 0xABCDUL);
            foreach (var w in set.Order()) h = AttributionDocument.Mix(h, w);
        }
        return h;
    }

    private static readonly ulong Bos = AttributionDocument.HashLower("<s>"), Eos = AttributionDocument.HashLower("</s>");
    private static readonly ulong That = AttributionDocument.HashLower("that");

    // Feature keys: a multiply-xor chain over the template number and the values (each step a bijection, so distinct
    // (template, values) tuples rarely collide), folded once at the end. Cheaper than a full mix per value.
    private const ulong K0 = 0x9E3779B97F4A7C15UL, K1 = 0xC2B2AE3D27D4EB4FUL, K2 = 0x165667B19E3779F9UL, K3 = 0xD6E8FEB86659FD93UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fold(ulong h) => h ^ (h >> 31) ^ (h >> 17);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong F(ulong template, ulong a) => Fold((template * K0 ^ a) * K1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong F(ulong template, ulong a, ulong b) => Fold(((template * K0 ^ a) * K1 ^ b) * K2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong F(ulong template, ulong a, ulong b, ulong c) => Fold((((template * K0 ^ a) * K1 ^ b) * K2 ^ c) * K3);

    private static ulong W(AttributionDocument d, int i, int from, int to) => i < from ? Bos : i >= to ? Eos : d.Word[i];

    private static ulong S(AttributionDocument d, int i, int from, int to) => i < from ? 100 : i >= to ? 101 : (ulong)d.Shapes[i];

    // ------------------------------------------------------------------ stage 1: cues

    /// <summary>Features of every token of the sentence [from, to) for the cue tagger.</summary>
    public static void Cue(AttributionDocument d, int from, int to, FeatureBuffer buf)
    {
        buf.Clear();
        for (int i = from; i < to; i++)
        {
            ulong w0 = d.Word[i], wm1 = W(d, i - 1, from, to), wp1 = W(d, i + 1, from, to);
            ulong wm2 = W(d, i - 2, from, to), wp2 = W(d, i + 2, from, to);
            ulong s0 = (ulong)d.Shapes[i], sm1 = S(d, i - 1, from, to), sp1 = S(d, i + 1, from, to);
            ulong inq = d.InQuote(i) ? 1UL : 0UL;
            ulong lex = ReportingLexicon.Class(w0);
            ulong quoteNear = QuoteNear(d, i, from, to);
            buf.Add(F(1, 0));
            buf.Add(F(2, w0));
            buf.Add(F(3, wm1));
            buf.Add(F(4, wp1));
            buf.Add(F(5, wm2));
            buf.Add(F(6, wp2));
            buf.Add(F(7, wm1, w0));
            buf.Add(F(8, w0, wp1));
            buf.Add(F(9, d.Stem[i]));
            buf.Add(F(10, s0));
            buf.Add(F(11, sm1, sp1));
            buf.Add(F(12, inq, s0));
            buf.Add(F(13, inq, w0));
            buf.Add(F(14, w0, sp1));
            buf.Add(F(15, w0, sm1));
            buf.Add(F(16, quoteNear, lex));
            buf.Add(F(17, d.Stem[i], quoteNear));
            buf.Add(F(18, wp1, wp2));
            buf.Add(F(19, wm2, wm1));
            buf.Add(F(20, i == from ? 1UL : 0UL, lex));
            buf.Add(F(21, lex, s0, inq));
            buf.Add(F(22, lex, sm1, sp1));
            buf.Add(F(23, d.Stem[i], sp1));
            buf.Add(F(24, Prefix(d, i)));
            ulong afterQuote = AfterClosingQuote(d, i, from);
            buf.Add(F(25, afterQuote, sp1));
            buf.Add(F(26, afterQuote, lex, s0));
            buf.Add(F(27, lex, wp1));
            buf.Add(F(28, lex, wm1));
            buf.Add(F(29, ReportingLexicon.Class(wm1), lex, sp1));
            buf.EndPosition();
        }
    }

    /// <summary>0: no quotation mark within three tokens; 1: a closing mark just before; 2: an opening mark just after; 3: both.</summary>
    private static ulong QuoteNear(AttributionDocument d, int i, int from, int to)
    {
        ulong v = 0;
        for (int k = Math.Max(from, i - 3); k < i; k++) if (d.Shapes[k] == Shape.CloseQuote) v |= 1;
        for (int k = i + 1; k < Math.Min(to, i + 4); k++) if (d.Shapes[k] == Shape.OpenQuote) v |= 2;
        return v;
    }

    /// <summary>Tokens since the last closing quotation mark in the sentence (1–4, 5 for more), or 0 when there is none.</summary>
    private static ulong AfterClosingQuote(AttributionDocument d, int i, int from)
    {
        for (int k = i - 1, n = 1; k >= from; k--, n++)
        {
            if (d.Shapes[k] == Shape.CloseQuote) return n >= 5 ? 5UL : (ulong)n;
            if (n > 6) break;
        }
        return 0;
    }

    /// <summary>Hash of the first four characters, lower-cased: a cheap stand-in for the lemma of irregular verbs.</summary>
    private static ulong Prefix(AttributionDocument d, int i)
    {
        var s = d.Span(i);
        return AttributionDocument.HashLower(s.Length > 4 ? s[..4] : s) ^ 0xABCDEFUL;
    }

    // ------------------------------------------------------------------ stage 2: source and content

    /// <summary>Context of one cue for the argument tagger: the cue span and the window with running counts.</summary>
    internal sealed class ArgWindow
    {
        public int From, To, CueFirst, CueEnd;
        public ulong CueWord, CueLast, AfterCue, BeforeCue;
        public bool CueInQuote;

        // Prefix counts over the window: value at k counts tokens [From, From + k).
        public int[] Commas = new int[256], Terminals = new int[256], Marks = new int[256], Cues = new int[256], Thats = new int[256], Colons = new int[256];
        public bool[] IsOtherCue = new bool[256];

        public void Ensure(int n)
        {
            if (Commas.Length > n + 1) return;
            int size = Math.Max(n + 1, Commas.Length * 2);
            Commas = new int[size];
            Terminals = new int[size];
            Marks = new int[size];
            Cues = new int[size];
            Thats = new int[size];
            Colons = new int[size];
            IsOtherCue = new bool[size];
        }
    }

    /// <summary>Sets up <paramref name="win"/> for the cue [cueFirst, cueEnd) over the window [from, to); <paramref name="cueOf"/> gives each token's cue number or -1.</summary>
    public static void PrepareWindow(AttributionDocument d, int from, int to, int cueFirst, int cueEnd, int[] cueOf, ArgWindow win)
    {
        int n = to - from;
        win.Ensure(n);
        win.From = from;
        win.To = to;
        win.CueFirst = cueFirst;
        win.CueEnd = cueEnd;
        ulong cw = 77;
        for (int i = cueFirst; i < cueEnd; i++) cw = AttributionDocument.Mix(cw, d.Word[i]);
        win.CueWord = cw;
        win.CueLast = d.Word[cueEnd - 1];
        win.AfterCue = W(d, cueEnd, from, to);
        win.BeforeCue = W(d, cueFirst - 1, from, to);
        win.CueInQuote = d.InQuote(cueFirst);
        win.Commas[0] = win.Terminals[0] = win.Marks[0] = win.Cues[0] = win.Thats[0] = win.Colons[0] = 0;
        for (int k = 0; k < n; k++)
        {
            int i = from + k;
            var sh = d.Shapes[i];
            bool other = (i < cueFirst || i >= cueEnd) && cueOf[i] >= 0;
            win.IsOtherCue[k] = other;
            win.Commas[k + 1] = win.Commas[k] + (sh == Shape.Comma ? 1 : 0);
            win.Terminals[k + 1] = win.Terminals[k] + (sh == Shape.Terminal && !d.InQuote(i) ? 1 : 0);
            win.Marks[k + 1] = win.Marks[k] + (sh is Shape.OpenQuote or Shape.CloseQuote ? 1 : 0);
            win.Cues[k + 1] = win.Cues[k] + (other && (k == 0 || !win.IsOtherCue[k - 1]) ? 1 : 0);
            win.Thats[k + 1] = win.Thats[k] + (d.Word[i] == That ? 1 : 0);
            win.Colons[k + 1] = win.Colons[k] + (sh == Shape.Colon ? 1 : 0);
        }
    }

    /// <summary>What kind of speaker word a token could be: 1 pronoun, 2 role noun ("official", "spokesperson"), 3 capitalised word, 0 other.</summary>
    private static ulong SpeakerClass(AttributionDocument d, int i)
    {
        ulong w = d.Word[i];
        if (Pronouns.Contains(w)) return 1;
        if (SpeakerResolver.IsRoleNoun(w)) return 2;
        return d.Capitalised(i) ? 3UL : 0UL;
    }

    private static ulong Bucket(int dist) => dist switch
    {
        <= 4 => (ulong)dist,
        <= 6 => 5,
        <= 10 => 6,
        <= 15 => 7,
        <= 25 => 8,
        <= 40 => 9,
        _ => 10,
    };

    private static ulong Count3(int c) => c >= 3 ? 3UL : (ulong)c;

    /// <summary>Features of every token of the window for the argument tagger.</summary>
    public static void Arg(AttributionDocument d, ArgWindow win, FeatureBuffer buf)
    {
        buf.Clear();
        int from = win.From, to = win.To, cs = win.CueFirst, ce = win.CueEnd;
        int cueSentence = d.SentenceOf[cs];
        int cueQuote = d.QuoteOf[cs];
        for (int j = from; j < to; j++)
        {
            int k = j - from;
            ulong dir;
            int dist;
            int lo, hi; // window-relative range strictly between j and the cue
            if (j < cs) { dir = 1; dist = cs - j; lo = k + 1; hi = cs - from; }
            else if (j >= ce) { dir = 2; dist = j - ce + 1; lo = ce - from; hi = k; }
            else { dir = 3; dist = 0; lo = hi = k; }
            ulong db = Bucket(dist);
            ulong w = d.Word[j];
            ulong sh = (ulong)d.Shapes[j];
            bool inQ = d.InQuote(j);
            ulong inq = inQ ? 1UL : 0UL;
            int qj = d.QuoteOf[j];
            ulong adj = 0;
            if (qj >= 0 && qj != cueQuote)
            {
                var q = d.Quotes[qj];
                if (q.EndToken <= cs && cs - q.EndToken <= 10) adj = 1;
                else if (q.Open >= ce && q.Open - ce <= 10) adj = 2;
                else adj = 3;
                if (q.Speech) adj += 4;
            }
            ulong commas = Count3(hi > lo ? win.Commas[hi] - win.Commas[lo] : 0);
            ulong terms = Count3(hi > lo ? win.Terminals[hi] - win.Terminals[lo] : 0);
            ulong marks = Count3(hi > lo ? win.Marks[hi] - win.Marks[lo] : 0);
            ulong cues = Count3(hi > lo ? win.Cues[hi] - win.Cues[lo] : 0);
            ulong thats = hi > lo && win.Thats[hi] - win.Thats[lo] > 0 ? 1UL : 0UL;
            ulong colons = hi > lo && win.Colons[hi] - win.Colons[lo] > 0 ? 1UL : 0UL;
            ulong otherSentence = d.SentenceOf[j] != cueSentence ? 1UL : 0UL;
            ulong para = d.Paragraph[j] != d.Paragraph[cs] ? 1UL : 0UL;
            ulong isOther = win.IsOtherCue[k] ? 1UL : 0UL;
            ulong cap = d.Capitalised(j) ? 1UL : 0UL;
            ulong wm1 = W(d, j - 1, from, to), wp1 = W(d, j + 1, from, to);

            buf.Add(F(101, dir));
            buf.Add(F(102, dir, db));
            buf.Add(F(103, dir, w));
            buf.Add(F(104, dir, sh));
            buf.Add(F(105, dir, wm1));
            buf.Add(F(106, dir, wp1));
            buf.Add(F(107, dir, win.CueWord));
            buf.Add(F(108, dir, db, win.CueWord));
            buf.Add(F(109, dir, inq, adj));
            buf.Add(F(110, dir, commas, db));
            buf.Add(F(111, dir, terms, inq));
            buf.Add(F(112, dir, cues, isOther));
            buf.Add(F(113, dir, marks, inq));
            buf.Add(F(114, dir, sh, db));
            buf.Add(F(115, dir, win.CueLast, w));
            buf.Add(F(116, dir, win.AfterCue, db));
            buf.Add(F(117, dir, win.BeforeCue, db));
            buf.Add(F(118, dir, d.Stem[j]));
            buf.Add(F(119, dir, thats, colons));
            buf.Add(F(120, dir, otherSentence, para));
            buf.Add(F(121, dir, cap, sh));
            buf.Add(F(122, dir, win.CueInQuote ? 1UL : 0UL, inq));
            buf.Add(F(123, dir, win.AfterCue, inq));
            buf.Add(F(124, dir, win.CueLast, commas));
            buf.Add(F(125, dir, wm1, w));
            buf.Add(F(126, dir, sh, (ulong)(j > from ? d.Shapes[j - 1] : (Shape)99)));
            buf.Add(F(127, dir, commas, terms));
            buf.Add(F(128, dir, win.CueLast, db));
            buf.Add(F(129, dir, SpeakerClass(d, j), db));
            buf.Add(F(130, dir, SpeakerClass(d, j), SpeakerClass(d, j - 1 >= from ? j - 1 : j)));
            buf.EndPosition();
        }
    }
}
