using System.Text.RegularExpressions;

namespace Sitrep.Ingest;

/// <summary>What a piece of a raw document is.</summary>
public enum PieceKind
{
    Title,
    Article,
    Byline,
    Credit,
    Label,
    Dateline,
    Subheading,
    Teaser,
    Headline,
    Dek,
    HeadlineList,
    Chrome,
}

public static class PieceKinds
{
    public static string Name(PieceKind kind) => kind switch
    {
        PieceKind.HeadlineList => "headline_list",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static PieceKind Parse(string name) => name switch
    {
        "headline_list" => PieceKind.HeadlineList,
        _ => Enum.Parse<PieceKind>(name, ignoreCase: true),
    };
}

/// <summary>A typed piece [Start, End) of a document's text. <see cref="Article"/> is the index of the article it belongs to, or -1.</summary>
public readonly record struct Piece(PieceKind Kind, int Start, int End, int Article, string Reason);

/// <summary>One article found in a document: its body range and what the page says about it.</summary>
public sealed record ArticleLayout(
    int Index,
    int TextStart,
    int TextEnd,
    string? Title,
    string? Dek,
    string? Byline,
    string? Dateline,
    string? Outlet,
    bool IsMain);

/// <summary>A document cut into pieces (in text order, not overlapping) and the articles among them.</summary>
public sealed record Segmentation(IReadOnlyList<Piece> Pieces, IReadOnlyList<ArticleLayout> Articles);

/// <summary>
/// Cuts one scraped document into typed pieces. The rules read the shape of each line (length, punctuation,
/// casing), its position relative to the body, and how many of its terms the body shares: a body is a run of
/// prose paragraphs with single heading lines between them; what sits above it is title, label, byline, dek;
/// what follows it is credit, chrome, headlines, headline lists and teasers; edge paragraphs that share little
/// vocabulary with the rest of the run are peeled off as teasers of other stories.
/// </summary>
public static partial class Segmenter
{
    /// <summary>Below this share of terms found in the rest of the body, an edge paragraph is not part of the article.</summary>
    public const double CoherenceThreshold = 0.25;

    /// <summary>A secondary prose run becomes an article of its own from this many words (and two paragraphs) up.</summary>
    public const int MinArticleWords = 150;

    public static Segmentation Segment(string text, PageMetadata? page = null)
    {
        var lines = Lines.Split(text);
        if (lines.Count == 0) return new Segmentation([], []);
        var runs = FindRuns(text, lines);
        var bags = new BagCache(text, lines);
        MergeAcrossInterruptions(lines, runs, bags);
        SplitAtTopicShifts(text, lines, runs, bags);
        PeelIncoherentEdges(lines, runs, bags);

        // Choose the articles: the largest run, and any other run big enough to stand alone.
        var articleRuns = new List<Run>();
        Run? main = runs.Count == 0 ? null : runs.MaxBy(r => r.Words);
        foreach (var r in runs)
            if (r == main || (r.Words >= MinArticleWords && r.ParagraphCount >= 2))
                articleRuns.Add(r);

        var kinds = new Assignment[lines.Count];
        var articles = new List<ArticleLayout>();
        var builder = new List<Piece>();

        for (int a = 0; a < articleRuns.Count; a++)
        {
            var run = articleRuns[a];
            foreach (var li in run.Lines) kinds[li] = new Assignment(run.IsSubheading(li) ? PieceKind.Subheading : PieceKind.Article, a, run.IsSubheading(li) ? "heading line between paragraphs of the body" : "body");
        }
        var isArticle = new HashSet<Run>(articleRuns, ReferenceEqualityComparer.Instance);
        foreach (var r in runs)
        {
            if (isArticle.Contains(r)) continue;
            foreach (var li in r.Lines)
                kinds[li] = new Assignment(r.IsSubheading(li) ? PieceKind.Headline : PieceKind.Teaser, -1, r.WhyNotArticle ?? $"prose too short to be an article ({r.Words} words)");
        }

        var layouts = new ArticleDraft[articleRuns.Count];
        for (int a = 0; a < articleRuns.Count; a++) layouts[a] = new ArticleDraft();

        // Datelines and deks at the head of each article.
        for (int a = 0; a < articleRuns.Count; a++)
            FindDatelineAndDek(text, lines, articleRuns[a], a, kinds, layouts[a]);

        // Everything else: front matter above each article, tail matter below it.
        AssignFrontAndTail(text, lines, articleRuns, kinds, layouts, bags);

        // Emit pieces in order, merging consecutive body paragraphs and headline-list lines.
        for (int i = 0; i < lines.Count; i++)
        {
            var k = kinds[i];
            var line = lines[i];
            if (k.Kind == PieceKind.Article && layouts[k.Article].DatelineEnd > line.Start && layouts[k.Article].DatelineEnd < line.End)
            {
                int dEnd = layouts[k.Article].DatelineEnd;
                int bodyStart = SkipSpaces(text, dEnd, line.End);
                builder.Add(new Piece(PieceKind.Dateline, line.Start, dEnd, k.Article, "place and dash opening the first paragraph"));
                line = line with { Start = bodyStart };
            }
            if (builder.Count > 0)
            {
                var last = builder[^1];
                bool mergeable = k.Kind is PieceKind.Article or PieceKind.HeadlineList or PieceKind.Teaser;
                if (mergeable && last.Kind == k.Kind && last.Article == k.Article && k.Group == LastGroup(kinds, i))
                {
                    builder[^1] = last with { End = line.End };
                    continue;
                }
            }
            builder.Add(new Piece(k.Kind, line.Start, line.End, k.Article, k.Reason));
        }

        // Each article's body extent, in one pass over the pieces.
        var bodyFrom = new int[articleRuns.Count];
        var bodyTo = new int[articleRuns.Count];
        Array.Fill(bodyFrom, int.MaxValue);
        Array.Fill(bodyTo, int.MinValue);
        foreach (var p in builder)
        {
            if (p.Article < 0 || p.Article >= articleRuns.Count || p.Kind is not (PieceKind.Article or PieceKind.Subheading)) continue;
            bodyFrom[p.Article] = Math.Min(bodyFrom[p.Article], p.Start);
            bodyTo[p.Article] = Math.Max(bodyTo[p.Article], p.End);
        }
        for (int a = 0; a < articleRuns.Count; a++)
        {
            if (bodyFrom[a] == int.MaxValue) continue;
            var d = layouts[a];
            string? outlet = d.Outlet ?? page?.SiteName;
            string? title = d.Title ?? (articleRuns[a] == main ? page?.Title : null);
            articles.Add(new ArticleLayout(a, bodyFrom[a], bodyTo[a], title, d.Dek, d.Byline, d.Dateline, outlet, articleRuns[a] == main));
        }
        return new Segmentation(builder, articles);
    }

    private static int LastGroup(Assignment[] kinds, int i) => i > 0 ? kinds[i - 1].Group : -1;

    private static int SkipSpaces(string text, int i, int end)
    {
        while (i < end && char.IsWhiteSpace(text[i])) i++;
        return i;
    }

    /// <summary>Each line's terms, computed once per document and shared by every step that compares lines.</summary>
    private sealed class BagCache(string text, List<Line> lines)
    {
        private readonly TermBag?[] _bags = new TermBag?[lines.Count];
        public TermBag Of(int line) => _bags[line] ??= TermBag.Of(text, lines[line]);
    }

    private record struct Assignment(PieceKind Kind, int Article, string Reason, int Group = 0);

    private sealed class ArticleDraft
    {
        public string? Title, Dek, Byline, Dateline, Outlet;
        public int DatelineEnd = -1;
    }

    // ---------------------------------------------------------------- runs

    private sealed class Run
    {
        public readonly List<int> Lines = [];
        public readonly HashSet<int> Subheadings = [];
        public List<int> Paragraphs => Lines.Where(l => !Subheadings.Contains(l)).ToList();
        public int ParagraphCount => Lines.Count - Subheadings.Count;
        public int Words;
        public string? WhyNotArticle;
        /// <summary>Split from the run before it at a change of subject: never joined back.</summary>
        public bool StartsNewStory;
        public bool IsSubheading(int line) => Subheadings.Contains(line);
    }

    /// <summary>Maximal runs of prose lines, letting a lone heading line sit between two prose lines.</summary>
    private static List<Run> FindRuns(string text, List<Line> lines)
    {
        var runs = new List<Run>();
        Run? cur = null;
        for (int i = 0; i < lines.Count; i++)
        {
            var shape = lines[i].Shape;
            if (shape == Shape.Prose)
            {
                cur ??= new Run();
                cur.Lines.Add(i);
                cur.Words += lines[i].Words;
                continue;
            }
            bool lone = shape is Shape.Heading or Shape.Short
                && cur != null
                && i + 1 < lines.Count && lines[i + 1].Shape == Shape.Prose
                && !(shape == Shape.Short && IsTag(text, lines[i]));
            if (lone)
            {
                cur!.Lines.Add(i);
                cur.Subheadings.Add(i);
                continue;
            }
            if (cur != null) runs.Add(cur);
            cur = null;
        }
        if (cur != null) runs.Add(cur);
        return runs;
    }

    /// <summary>A lone all-capitals token such as "NFL" or "AD": a tag, never a heading.</summary>
    private static bool IsTag(string text, Line line)
    {
        var s = text.AsSpan(line.Start, line.End - line.Start);
        if (s.Length > 6 || s.Contains(' ')) return false;
        foreach (var c in s) if (char.IsLetter(c) && !char.IsUpper(c)) return false;
        return true;
    }

    /// <summary>
    /// Splits a run at a heading line where what follows is a different story: both sides long enough to be
    /// articles, and either the side after shares few terms and at most two names with the side before, or the
    /// heading matches the side after (half its terms) and not the side before while the two sides share under 20% of their terms (names aside).
    /// The heading then titles the second article.
    /// </summary>
    private static void SplitAtTopicShifts(string text, List<Line> lines, List<Run> runs, BagCache cache)
    {
        for (int r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            if (run.Subheadings.Count == 0 || run.Words < 2 * MinArticleWords) continue;
            for (int k = 1; k < run.Lines.Count - 1; k++)
            {
                int li = run.Lines[k];
                if (!run.Subheadings.Contains(li)) continue;
                var before = run.Lines.Take(k).Where(l => !run.Subheadings.Contains(l)).ToList();
                var after = run.Lines.Skip(k + 1).Where(l => !run.Subheadings.Contains(l)).ToList();
                if (before.Sum(l => lines[l].Words) < MinArticleWords || after.Sum(l => lines[l].Words) < MinArticleWords || before.Count < 2 || after.Count < 2) continue;
                // Measured from the shorter side into the longer: a long text covers more of anything.
                var (small, large) = before.Sum(l => lines[l].Words) < after.Sum(l => lines[l].Words) ? (before, after) : (after, before);
                var (share, names, _) = TermBag.Compare(small.Select(cache.Of), large.Select(cache.Of));
                bool unrelated = share < TopicShiftShare && names <= MaxSharedNamesAcrossShift;
                // A heading that names what follows and not what came before is the next story's title.
                var heading = cache.Of(li);
                double toAfter = TermBag.Coherence([heading], after.Select(cache.Of));
                double toBefore = TermBag.Coherence([heading], before.Select(cache.Of));
                bool titlesWhatFollows = share < TitledShiftShare && toAfter >= 0.5 && toBefore <= 0.5 * toAfter;
                if (!unrelated && !titlesWhatFollows) continue;
                var second = Split(run, k, run.Lines.Count, lines);
                second.StartsNewStory = true;
                second.Subheadings.Remove(li);
                second.Lines.Remove(li); // the heading becomes the title, found as front matter
                runs.Insert(r + 1, second);
                break; // the second part is examined on the next iteration
            }
        }
    }

    /// <summary>With a heading that matches only the text after it, a shift is accepted up to this share of common terms.</summary>
    private const double TitledShiftShare = 0.2;

    /// <summary>Long texts share a name or two by chance (a weekday, "U.S."); more than this means the same story.</summary>
    private const int MaxSharedNamesAcrossShift = 2;

    /// <summary>Below this share of terms in common, the text after a heading is another story.</summary>
    private const double TopicShiftShare = 0.2;

    /// <summary>Lines that interrupt a body without ending it: headings, short lines, chrome (related-links boxes, captions, ads).</summary>
    private const int MaxInterruptionLines = 8;

    /// <summary>
    /// Joins the largest run with neighbouring runs of two or more paragraphs that continue its subject, when only
    /// headings, short lines or chrome stand between them (a related-links box, a caption, an ad). A byline, a credit
    /// or a single paragraph after a headline (a teaser card) is not joined.
    /// </summary>
    private static void MergeAcrossInterruptions(List<Line> lines, List<Run> runs, BagCache cache)
    {
        if (runs.Count < 2) return;
        var main = runs.MaxBy(r => r.Words)!;
        bool merged = true;
        while (merged)
        {
            merged = false;
            int idx = runs.IndexOf(main);
            foreach (int n in new[] { idx + 1, idx - 1 })
            {
                if (n < 0 || n >= runs.Count) continue;
                var other = runs[n];
                var (before, after) = n > idx ? (main, other) : (other, main);
                int gapFrom = before.Lines[^1] + 1, gapTo = after.Lines[0];
                if (gapTo - gapFrom > MaxInterruptionLines || after.StartsNewStory) continue;
                bool soft = true;
                for (int i = gapFrom; i < gapTo; i++)
                    if (lines[i].Shape is Shape.Byline or Shape.Credit || (lines[i].Shape == Shape.Prose && lines[i].Words >= MinEvidenceWords)) soft = false;
                if (!soft || other.ParagraphCount < 2) continue;
                var (share, names, anaphor) = TermBag.Compare(
                    other.Paragraphs.Select(cache.Of),
                    main.Paragraphs.Select(cache.Of));
                if (share < CoherenceThreshold && names < 1 && !anaphor) continue;
                var joined = new Run();
                joined.Lines.AddRange(before.Lines);
                joined.Lines.AddRange(after.Lines);
                joined.Subheadings.UnionWith(before.Subheadings);
                joined.Subheadings.UnionWith(after.Subheadings);
                joined.Words = before.Words + after.Words;
                runs.Remove(other);
                runs.RemoveAll(r => r != main && r.Lines[0] > before.Lines[^1] && r.Lines[0] < after.Lines[0]);
                runs[runs.IndexOf(main)] = joined;
                main = joined;
                merged = true;
                break;
            }
        }
    }

    /// <summary>
    /// Peels paragraphs (or trailing heading sections) off the end of each run while they share too few
    /// terms with the rest of it; each peeled stretch becomes a run of its own.
    /// </summary>
    private static void PeelIncoherentEdges(List<Line> lines, List<Run> runs, BagCache cache)
    {
        var extra = new List<Run>();
        foreach (var run in runs)
        {
            if (run.ParagraphCount < 3) continue;
            TermBag Bag(int li) => cache.Of(li);

            // Trailing units: a heading section (subheading + its paragraphs) or a lone last paragraph.
            while (run.ParagraphCount >= 3)
            {
                int last = run.Lines.Count - 1;
                int unitStart = last;
                int sub = run.Lines.FindLastIndex(l => run.Subheadings.Contains(l));
                if (sub > 0 && sub >= run.Lines.Count - 4 && run.Lines.Count - sub <= 4) unitStart = sub;
                var unit = run.Lines.GetRange(unitStart, run.Lines.Count - unitStart);
                var rest = run.Lines.GetRange(0, unitStart).Where(l => !run.Subheadings.Contains(l)).ToList();
                if (rest.Count < 2 || unit.Sum(l => lines[l].Words) < MinEvidenceWords) break;
                var (c, names, anaphor) = TermBag.Compare(unit.Select(Bag), rest.Select(Bag));
                if (!Foreign(c, names, anaphor)) break;
                var peeled = Split(run, unitStart, run.Lines.Count, lines);
                peeled.WhyNotArticle = $"after the body, sharing {c * 100:F0}% of its terms and none of its names with it";
                extra.Add(peeled);
            }
            // The head is not peeled: a lede often summarises in words of its own, and teasers of other stories follow a body.
        }
        runs.AddRange(extra);
        runs.Sort((a, b) => a.Lines[0].CompareTo(b.Lines[0]));
    }

    /// <summary>Fewer words than this are too little evidence to call a paragraph foreign to the body.</summary>
    private const int MinEvidenceWords = 20;

    /// <summary>An edge stretch is foreign to the body when it shares few terms, no names, and does not point back.</summary>
    private static bool Foreign(double share, int sharedNames, bool anaphor) =>
        share < CoherenceThreshold && sharedNames == 0 && !anaphor;

    private static Run Split(Run run, int from, int to, List<Line> lines)
    {
        var peeled = new Run();
        for (int k = from; k < to; k++)
        {
            int li = run.Lines[k];
            peeled.Lines.Add(li);
            if (run.Subheadings.Remove(li)) peeled.Subheadings.Add(li);
            else { peeled.Words += lines[li].Words; run.Words -= lines[li].Words; }
        }
        run.Lines.RemoveRange(from, to - from);
        return peeled;
    }

    // ---------------------------------------------------------------- head of the article

    [GeneratedRegex(@"^(?<place>\p{Lu}[\p{L}.'’\-]*(?:\s+(?:\p{Lu}[\p{L}.'’\-]*|de|da|am|upon|on|of)){0,3}(?:,\s+\p{Lu}[\p{L}.'’\-]*(?:\s+\p{Lu}[\p{L}.'’\-]*){0,2}){0,2})(?:,\s+(?<date>\p{Lu}\p{Ll}{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?|\d{1,2}\s+\p{Lu}\p{Ll}{2,8}\.?(?:\s+\d{4})?))?\s*(?<agency>\(\p{Lu}[\p{L}.&\- ]{0,30}\))?\s*(?<dash>—|–|--|-)\s+(?=\S)")]
    private static partial Regex DatelineRegex();

    private static void FindDatelineAndDek(string text, List<Line> lines, Run run, int article, Assignment[] kinds, ArticleDraft draft)
    {
        // A dateline opens one of the first three paragraphs; prose above it is the dek (standfirst).
        var paras = run.Paragraphs;
        for (int p = 0; p < Math.Min(3, paras.Count); p++)
        {
            var line = lines[paras[p]];
            var m = DatelineRegex().Match(text, line.Start, Math.Min(line.End - line.Start, 120));
            if (!m.Success || !IsDateline(m)) continue;
            draft.Dateline = text.Substring(line.Start, m.Groups["dash"].Index - line.Start).Trim();
            draft.DatelineEnd = m.Groups["dash"].Index + m.Groups["dash"].Length;
            for (int q = 0; q < p; q++)
            {
                int li = paras[q];
                if (lines[li].Words > 60) return;
            }
            for (int q = 0; q < p; q++)
            {
                int li = paras[q];
                kinds[li] = new Assignment(PieceKind.Dek, article, "summary line above the dateline");
                draft.Dek ??= text[lines[li].Start..lines[li].End];
                run.Lines.Remove(li);
                run.Words -= lines[li].Words;
            }
            return;
        }
    }

    private static bool IsDateline(Match m)
    {
        var place = m.Groups["place"].Value;
        if (place.Length > 45) return false;
        bool allCaps = place.Any(char.IsLetter) && place.Where(char.IsLetter).All(char.IsUpper) && place.Count(char.IsLetter) >= 3;
        bool region = place.Contains(',');
        bool agency = m.Groups["agency"].Success;
        bool date = m.Groups["date"].Success;
        // A hyphen needs stronger evidence than a dash: it also joins ordinary words.
        if (m.Groups["dash"].Value == "-" && !(agency || allCaps)) return false;
        return allCaps || region || agency || date;
    }

    // ---------------------------------------------------------------- front and tail matter

    private static void AssignFrontAndTail(string text, List<Line> lines, List<Run> articleRuns, Assignment[] kinds, ArticleDraft[] drafts, BagCache cache)
    {
        var firstLine = articleRuns.Select(r => r.Lines.Count > 0 ? r.Lines.Min() : int.MaxValue).ToArray();
        var firstBody = new int[articleRuns.Count];
        // Each article's first dek line, in one pass over the lines.
        var firstDek = new int[articleRuns.Count];
        Array.Fill(firstDek, int.MaxValue);
        for (int i = 0; i < lines.Count; i++)
            if (kinds[i].Kind == PieceKind.Dek && kinds[i].Reason != null && kinds[i].Article is int da && da >= 0 && da < articleRuns.Count)
                firstDek[da] = Math.Min(firstDek[da], i);
        for (int a = 0; a < articleRuns.Count; a++)
            firstBody[a] = Math.Min(firstLine[a], firstDek[a]);
        // The owner of a line after the bodies: the last article whose body starts at or before it.
        var starts = Enumerable.Range(0, articleRuns.Count).OrderBy(a => firstBody[a]).ThenBy(a => a).ToArray();
        // Max article index among those with firstBody <= i (as the loop "for a: if (firstBody[a] <= i) owner = a" found).
        var prefixMax = new int[starts.Length];
        for (int k = 0; k < starts.Length; k++) prefixMax[k] = Math.Max(starts[k], k > 0 ? prefixMax[k - 1] : -1);
        int OwnerOf(int line)
        {
            int lo = 0, hi = starts.Length;
            while (lo < hi) { int m = (lo + hi) >>> 1; if (firstBody[starts[m]] <= line) lo = m + 1; else hi = m; }
            return lo == 0 ? -1 : prefixMax[lo - 1];
        }
        var bodyTerms = articleRuns.Select(r => TermBag.Union(r.Paragraphs.Take(8).Select(cache.Of))).ToArray();
        int group = 1;

        // Front matter: walk upwards from each article's first line until the previous article's material.
        for (int a = 0; a < articleRuns.Count; a++)
        {
            int stop = a == 0 ? -1 : articleRuns[a - 1].Lines.Max();
            for (int i = firstBody[a] - 1; i > stop; i--)
            {
                if (kinds[i].Reason != null) break; // owned by a run (teaser, dek, body)
                var line = lines[i];
                var shape = line.Shape;
                if (shape == Shape.Byline) { kinds[i] = new(PieceKind.Byline, a, "author line above the body"); drafts[a].Byline ??= BylineNames(text, line); continue; }
                if (shape == Shape.Credit) { kinds[i] = new(PieceKind.Credit, a, "publication credit"); drafts[a].Outlet ??= CreditOutlet(text, line); continue; }
                if (shape == Shape.Chrome) { kinds[i] = new(PieceKind.Chrome, a, ChromeReason(text, line)); continue; }
                if (shape is Shape.Heading or Shape.Short)
                {
                    bool tagLike = shape == Shape.Short && (IsTag(text, line) || TermBag.Coherence([cache.Of(i)], [bodyTerms[a]]) < 0.5);
                    if (drafts[a].Title == null && !tagLike)
                    {
                        kinds[i] = new(PieceKind.Title, a, "headline-shaped line above the body");
                        drafts[a].Title = text[line.Start..line.End];
                        continue;
                    }
                    if (shape == Shape.Short) { kinds[i] = new(PieceKind.Label, -1, $"stray tag above the article ({line.Words} word{(line.Words == 1 ? "" : "s")}), not part of the body"); continue; }
                    // A second heading above the title: in a multi-article page it belongs to the previous tail.
                    if (a > 0) break;
                    kinds[i] = new(PieceKind.Headline, -1, "headline-shaped line above the title");
                    continue;
                }
                break;
            }
        }

        // Tail matter: everything still unassigned after each article, up to the next article's front matter.
        for (int i = 0; i < lines.Count; i++)
        {
            if (kinds[i].Reason != null) continue;
            int owner = OwnerOf(i);
            var line = lines[i];
            switch (line.Shape)
            {
                case Shape.Byline:
                    kinds[i] = new(PieceKind.Byline, owner, "author line");
                    if (owner >= 0) drafts[owner].Byline ??= BylineNames(text, line);
                    break;
                case Shape.Credit:
                    kinds[i] = new(PieceKind.Credit, owner, "publication credit after the body");
                    if (owner >= 0) drafts[owner].Outlet ??= CreditOutlet(text, line);
                    break;
                case Shape.Chrome:
                    kinds[i] = new(PieceKind.Chrome, -1, ChromeReason(text, line));
                    break;
                case Shape.Heading or Shape.Short:
                {
                    // A run of headline-shaped lines (blank lines allowed, anything else breaks it).
                    int j = i;
                    while (j + 1 < lines.Count && kinds[j + 1].Reason == null && lines[j + 1].Shape is Shape.Heading or Shape.Short) j++;
                    int n = j - i + 1;
                    group++;
                    for (int k = i; k <= j; k++)
                    {
                        if (n >= 3)
                            kinds[k] = new(PieceKind.HeadlineList, -1, $"run of {n} headline-shaped lines", group);
                        else if (lines[k].Shape == Shape.Short && (IsTag(text, lines[k]) || owner < 0 || TermBag.Coherence([cache.Of(k)], [bodyTerms[owner]]) < 0.5))
                            kinds[k] = new(PieceKind.Label, -1, "stray short line outside the body");
                        else
                            kinds[k] = new(PieceKind.Headline, -1, owner >= 0 ? "headline-shaped line after the body (another story)" : "headline-shaped line outside any article");
                    }
                    i = j;
                    break;
                }
                default:
                    kinds[i] = new(PieceKind.Teaser, -1, "prose outside the articles");
                    break;
            }
        }

        // Teaser runs: each peeled run is one piece; give each its own group so they do not merge with neighbours.
        for (int i = 0; i < lines.Count; i++)
            if (kinds[i].Kind == PieceKind.Teaser && (i == 0 || kinds[i - 1].Kind != PieceKind.Teaser || !SameRunGroup(lines, i)))
                kinds[i] = kinds[i] with { Group = ++group };
            else if (kinds[i].Kind == PieceKind.Teaser)
                kinds[i] = kinds[i] with { Group = kinds[i - 1].Group };
    }

    /// <summary>Two adjacent teaser lines are one piece when no blank line separates them.</summary>
    private static bool SameRunGroup(List<Line> lines, int i) => lines[i].BlankBefore == 0;

    // ---------------------------------------------------------------- bylines, credits, chrome

    [GeneratedRegex(@"^(?:by|written by|words by|reporting by|author:?)\s+(?<names>\p{Lu}[\p{L}.'’\- ]*(?:(?:,|\s+and|\s*&)\s+\p{Lu}[\p{L}.'’\- ]*)*)(?:\s*[,|·•]\s*.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex BylineRegex();

    [GeneratedRegex(@"^[\*\s]*(?:(?:first|originally)\s+(?:published|appeared|posted)\s+(?:in|on|at|by)|(?:this|the)\s+(?:article|story|piece|post)\s+(?:was\s+)?(?:first\s+|originally\s+)?(?:published|appeared|posted)\s+(?:in|on|at|by)|source\s*:|via\s*:|©|\(c\)\s|copyright\b|(?:additional\s+)?(?:reporting|editing|writing)\s+by\b)\s*(?<src>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex CreditRegex();

    [GeneratedRegex(@"\b(?<sld>[a-z0-9][a-z0-9\-]*)\.(?:com|org|net|eu|info|news|co\.uk|co|io|de|fr|ru|ua|uk|int|gov|dk|gl|nl|be)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DomainRegex();

    [GeneratedRegex(@"^(?:\d+\s*(?:min|mins|minute|minutes)\.?\s+read|read\s+time\s*:?.*|\d+\s+(?:comments?|shares?|views?|likes?)|read more|share|share this( article| story)?|advertisement|ad|sponsored|subscribe( now)?|sign up|log in|sign in|comments?|print|email|tweet|related( articles| stories| news)?|more|continue reading|click here|listen( to this article)?|follow us.*|skip to (?:main )?content|menu|home|back to top|loading\.*|watch|video|photo|top stories|most read|trending|see also|(?:facebook|twitter|linkedin|whatsapp|telegram)(?:\s*[|/]\s*\w+)*)$", RegexOptions.IgnoreCase)]
    private static partial Regex ChromeRegex();

    private static string BylineNames(string text, Line line) =>
        BylineRegex().Match(text[line.Start..line.End]) is { Success: true } m ? m.Groups["names"].Value.Trim() : text[line.Start..line.End];

    /// <summary>The outlet a credit line names: a domain's name ("euractiv.com" → "Euractiv") or the words after the cue.</summary>
    public static string? CreditOutlet(string text, Line line) => CreditOutlet(text[line.Start..line.End]);

    public static string? CreditOutlet(string credit)
    {
        var m = CreditRegex().Match(credit);
        var src = m.Success ? m.Groups["src"].Value : credit;
        var d = DomainRegex().Match(src);
        if (d.Success)
        {
            var sld = d.Groups["sld"].Value;
            return char.ToUpperInvariant(sld[0]) + sld[1..];
        }
        src = src.Trim().TrimEnd('.', ',', ';', ':', '*').Trim();
        if (src.Length == 0 || src.Length > 60 || !char.IsUpper(src[0])) return null;
        return src;
    }

    private static string ChromeReason(string text, Line line)
    {
        var s = text.AsSpan(line.Start, line.End - line.Start);
        int letters = 0;
        foreach (var c in s) if (char.IsLetter(c)) letters++;
        if (letters < 2) return "symbol or punctuation only";
        // A reason is one short line: a long furniture line (a megabyte of symbols) is quoted by its start.
        return "page furniture (\"" + Sitrep.Text.TextCut.Ellipsis(s.Length > 200 ? s[..201].ToString() : s.ToString(), 80) + "\")";
    }

    // ---------------------------------------------------------------- lines and their shapes

    public enum Shape : byte { Prose, Heading, Short, Byline, Credit, Chrome }

    /// <summary>A non-blank line [Start, End) with surrounding white space trimmed, and what it looks like.</summary>
    public readonly record struct Line(int Start, int End, int BlankBefore, int Words, Shape Shape);

    public static class Lines
    {
        public static List<Line> Split(string text)
        {
            var result = new List<Line>();
            int i = 0, blanks = 0;
            while (i < text.Length)
            {
                int s = i;
                int br = text.AsSpan(i).IndexOfAny(LineBreaks);
                i = br < 0 ? text.Length : i + br;
                int e = i;
                if (i < text.Length)
                {
                    if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i += 2; else i++;
                }
                while (s < e && IsSpace(text[s])) s++;
                while (e > s && IsSpace(text[e - 1])) e--;
                if (e == s) { blanks++; continue; }
                var (words, shape) = Classify(text, s, e);
                result.Add(new Line(s, e, blanks, words, shape));
                blanks = 0;
            }
            return result;
        }

        private static readonly System.Buffers.SearchValues<char> LineBreaks = System.Buffers.SearchValues.Create("\n\r\u2028\u2029");

        private static bool IsSpace(char c) => char.IsWhiteSpace(c) || c == '\uFEFF' || c == '\u200B';

        private static readonly HashSet<string> Minor = new(StringComparer.OrdinalIgnoreCase)
        {
            "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by", "with", "from", "as",
            "vs", "vs.", "via", "into", "over", "than", "per", "is", "are", "its", "up", "out", "off", "amid", "after", "before",
        };

        private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> MinorLookup = Minor.GetAlternateLookup<ReadOnlySpan<char>>();

        /// <summary>No word longer than this is minor: longer ones skip the set lookup.</summary>
        private static readonly int LongestMinor = Minor.Max(m => m.Length);

        public static (int Words, Shape Shape) Classify(string text, int s, int e)
        {
            var span = text.AsSpan(s, e - s);
            int letters = 0, words = 0, capital = 0, major = 0;
            int i = 0;
            while (i < span.Length)
            {
                while (i < span.Length && char.IsWhiteSpace(span[i])) i++;
                int ws = i;
                while (i < span.Length && !char.IsWhiteSpace(span[i])) i++;
                if (i == ws) break;
                var w = span[ws..i];
                int firstLetter = -1;
                for (int k = 0; k < w.Length; k++)
                {
                    if (char.IsLetterOrDigit(w[k])) { if (firstLetter < 0) firstLetter = k; letters += char.IsLetter(w[k]) ? 1 : 0; }
                }
                if (firstLetter < 0) continue;
                words++;
                var core = w.Trim("\"'“”‘’()[]:,;.!?*");
                if (core.Length == 0 || (core.Length <= LongestMinor && MinorLookup.Contains(core))) continue;
                major++;
                char f = w[firstLetter];
                if (char.IsUpper(f) || char.IsDigit(f)) capital++;
            }
            if (letters < 2 || (words <= 8 && ChromeRegex().IsMatch(span))) return (words, Shape.Chrome);
            if (words <= 14 && BylineRegex().IsMatch(span) && LooksLikeNames(span)) return (words, Shape.Byline);
            if (words <= 25 && CreditRegex().IsMatch(span)) return (words, Shape.Credit);

            double capRatio = major == 0 ? 0 : (double)capital / major;
            char last = LastMeaningful(span);
            bool terminal = last is '.' or '!' or '?' or '…' or ':' or ';';
            bool headlineQuestion = (last is '?' or '!') && capRatio >= 0.75 && words <= 20;
            if ((terminal && !headlineQuestion && words >= 3) || (words >= 40 && capRatio < 0.6))
                return (words, Shape.Prose);
            if (words <= 3 && span.Length <= 30) return (words, Shape.Short);
            return (words, Shape.Heading);
        }

        private static bool LooksLikeNames(ReadOnlySpan<char> span)
        {
            // After the cue, the words that matter are capitalised (names), not a sentence.
            var rest = span.ToString();
            int sp = rest.IndexOf(' ');
            var tail = sp < 0 ? "" : rest[(sp + 1)..];
            var ws = tail.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int lower = ws.Count(w => char.IsLower(w[0]) && w is not ("and" or "de" or "van" or "von" or "der" or "da" or "in" or "for" or "the"));
            return lower <= 1 && !tail.TrimEnd().EndsWith('.');
        }

        private static char LastMeaningful(ReadOnlySpan<char> span)
        {
            for (int k = span.Length - 1; k >= 0; k--)
            {
                char c = span[k];
                if (c is '"' or '\'' or '”' or '’' or ')' or ']' or '*' || char.IsWhiteSpace(c)) continue;
                return c;
            }
            return '\0';
        }
    }
}
