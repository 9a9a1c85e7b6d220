using System.Text;

namespace Sitrep.Ingest.Html;

/// <summary>Chooses the main content of a mirror tree and writes it out as text, one paragraph per line.</summary>
internal static class ContentPicker
{
    public static string Pick(CNode body, string? title, CancellationToken ct) => Pick(body, title, null, ct);

    /// <summary>
    /// Picks the content; when <paramref name="explain"/> is given, writes the top candidates and the choice to it.
    /// A first pass leaves out unlikely candidates and cleans boilerplate blocks; when that leaves little text (a page
    /// whose content sits in blocks named like boilerplate, e.g. a live blog's "comments"), a relaxed pass without
    /// those two steps runs too, and the longer text wins (Readability's retry, in spirit).
    /// </summary>
    public static string Pick(CNode body, string? title, StringBuilder? explain, CancellationToken ct)
    {
        var scored = new List<CNode>();
        var text = PickOnce(body, title, explain, strict: true, scored);
        if (Letters(text) >= RelaxBelow) return text;
        ct.ThrowIfCancellationRequested();
        ResetProse(body);
        foreach (var n in scored) { n.Score = 0; n.Scored = false; }
        scored.Clear();
        explain?.Append("relaxed pass\n");
        var relaxed = PickOnce(body, title, explain, strict: false, scored);
        return Letters(relaxed) > Letters(text) ? relaxed : text;
    }

    private static void ResetProse(CNode n)
    {
        n.ProseChars = 0;
        foreach (var c in n.Children) ResetProse(c);
    }

    /// <summary>Below this many letters the strict pass is retried relaxed.</summary>
    private const int RelaxBelow = 250;

    private static int Letters(string s)
    {
        int n = 0;
        foreach (var c in s) if (char.IsLetterOrDigit(c)) n++;
        return n;
    }

    private static string PickOnce(CNode body, string? title, StringBuilder? explain, bool strict, List<CNode> scored)
    {
        ScoreParagraphs(body, scored, strict ? body.Chars : -1);
        if (scored.Count == 0) return Write([body], body, title, strict);

        CNode top = scored[0];
        double best = double.MinValue;
        foreach (var n in scored)
        {
            double f = Final(n);
            if (f > best) { best = f; top = n; }
        }

        if (explain is not null)
            foreach (var n in scored.OrderByDescending(Final).Take(8))
                explain.Append("candidate ").Append(Final(n).ToString("0.0")).Append(' ').Append(Path(n)).Append(" chars=").Append(n.Chars).Append(" ld=").Append(n.LinkDensity.ToString("0.00")).Append('\n');
        top = Widen(top, best);
        var roots = WithSiblings(top);
        AddLead(top, roots);
        if (explain is not null)
            foreach (var r in roots) explain.Append("root ").Append(Path(r)).Append(" chars=").Append(r.Chars).Append('\n');
        return Write(roots, top, title, strict);
    }

    internal static string Path(CNode n)
    {
        var parts = new List<string>();
        for (var a = n; a is not null; a = a.Parent)
        {
            var e = a.Element;
            var name = e?.LocalName ?? "?";
            if (!string.IsNullOrEmpty(e?.Id)) name += "#" + e!.Id;
            var c = e?.GetAttribute("class");
            if (!string.IsNullOrWhiteSpace(c)) name += "." + string.Join('.', c.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3));
            parts.Add(name);
        }
        parts.Reverse();
        return string.Join(" > ", parts);
    }

    /// <summary>The candidate's score with its tag, vocabulary and link density taken into account.</summary>
    private static double Final(CNode n)
    {
        double s = n.Score + TagScore(n.Tag) + n.ClassWeight;
        if (n.BodyMarker && n.Chars >= 250) s += 30;
        return s * (1 - n.LinkDensity);
    }

    private static double TagScore(Tag t) => t switch
    {
        Tag.Div or Tag.Article or Tag.Main or Tag.Section => 5,
        Tag.Pre or Tag.Td or Tag.Blockquote => 3,
        Tag.Address or Tag.Ol or Tag.Ul or Tag.Dl or Tag.Dd or Tag.Dt or Tag.Li or Tag.Form => -3,
        Tag.H1 or Tag.H2 or Tag.H3 or Tag.H4 or Tag.H5 or Tag.H6 or Tag.Th => -5,
        _ => 0,
    };

    /// <summary>Each paragraph-like block gives 1 + commas + length/100 (at most 3) to its parent, half to its grandparent, less further up.</summary>
    private static void ScoreParagraphs(CNode n, List<CNode> scored, int pageChars)
    {
        foreach (var c in n.Children)
        {
            // Unlikely candidates (comments, dialogs, sharing, related links...) neither score nor hold the article,
            // unless the block holds most of the page (a wrapper whose class happens to contain such a word).
            if (c.Boilerplate && !c.BodyMarker && c.Chars < pageChars / 2) continue;
            ScoreParagraphs(c, scored, pageChars);
            if (!ContentTree.IsParagraph(c) || c.Chars < 25) continue;
            double s = 1 + c.Commas + Math.Min(c.Chars / 100.0, 3);
            if (c.LinkDensity < 0.3)
                for (var up = c.Parent; up is not null; up = up.Parent) up.ProseChars += c.Chars;
            var a = c.Parent;
            for (int level = 0; a is not null && level < 5; level++, a = a.Parent)
            {
                if (!a.Scored) { a.Scored = true; scored.Add(a); }
                a.Score += level == 0 ? s : level == 1 ? s / 2 : s / (level * 3);
            }
        }
    }

    private const double WidenProseRatio = 1.5;

    /// <summary>Moves up to a parent that holds the candidate and scores at least as well (the body split over siblings).</summary>
    private static CNode Widen(CNode top, double topScore)
    {
        double threshold = topScore / 3, last = topScore;
        for (var p = top.Parent; p is not null && p.Tag != Tag.Body; p = p.Parent)
        {
            if (!p.Scored) continue;
            double ps = Final(p);
            if (ps < threshold) break;
            if (ps > last) { top = p; break; }
            last = ps;
        }
        // Prose split over sibling blocks (page builders put each paragraph group in its own row): widen to the
        // ancestor whose prose is clearly larger, as long as it is not link-heavy.
        for (var p = top.Parent; p is not null && p.Tag != Tag.Body; p = p.Parent)
        {
            if (p.ProseChars >= top.ProseChars * WidenProseRatio && p.ProseChars - top.ProseChars >= 200 && p.LinkDensity < 0.35) top = p;
        }
        // A lone child adds nothing: take the parent, which may hold the headline and lead too.
        while (top.Parent is { } parent && parent.Tag != Tag.Body && parent.Chars <= top.Chars * 1.02 + 10) top = parent;
        return top;
    }

    /// <summary>The candidate plus its siblings that look like content.</summary>
    private static List<CNode> WithSiblings(CNode top)
    {
        var parent = top.Parent;
        if (parent is null) return [top];
        double topScore = Final(top);
        double threshold = Math.Max(10, topScore * 0.2);
        var cls = top.Element?.GetAttribute("class");
        var list = new List<CNode>();
        foreach (var s in parent.Children)
        {
            if (s == top) { list.Add(s); continue; }
            if (s.Boilerplate || s.Tag is Tag.Footer or Tag.Aside or Tag.Header) continue;
            double bonus = 0;
            if (!string.IsNullOrEmpty(cls) && cls == s.Element?.GetAttribute("class")) bonus = topScore * 0.2;
            if (s.Scored && Final(s) + bonus >= threshold) { list.Add(s); continue; }
            if (s.Tag == Tag.P || (ContentTree.IsParagraph(s) && s.BlockChildren == 0))
            {
                double ld = s.LinkDensity;
                if (s.Chars > 80 && ld < 0.25) list.Add(s);
                else if (s.Chars > 0 && s.Chars <= 80 && ld == 0 && EndsSentence(s)) list.Add(s);
            }
        }
        return list;
    }

    /// <summary>
    /// Templates often put the lead (standfirst, dek) in the article header, outside the body container. A prose
    /// block named like a lead, before the body and inside the same article (or within three levels above the
    /// body), is put in front of it.
    /// </summary>
    private static void AddLead(CNode top, List<CNode> roots)
    {
        CNode? scope = null;
        int up = 0;
        for (var a = top.Parent; a is not null && a.Tag != Tag.Body; a = a.Parent)
        {
            up++;
            if (a.Tag is Tag.Article or Tag.Main || (a.Element?.GetAttribute("itemtype") is { } it && it.Contains("Article", StringComparison.Ordinal))) { scope = a; break; }
            if (up == 3) scope ??= a;
        }
        if (scope is null) return;
        var leads = new List<CNode>();
        bool before = true;
        FindLeads(scope, top, roots, leads, ref before);
        if (leads.Count > 0) roots.InsertRange(0, leads);
    }

    private static void FindLeads(CNode n, CNode top, List<CNode> roots, List<CNode> leads, ref bool before)
    {
        foreach (var c in n.Children)
        {
            if (!before) return;
            if (c == top || roots.Contains(c)) { before = false; return; }
            if (c.Lead && !c.Boilerplate && c.Chars >= 40 && c.LinkDensity < 0.3 && c.Tag is not (Tag.H1 or Tag.Ul or Tag.Ol or Tag.Nav or Tag.Footer or Tag.Aside)) { leads.Add(c); continue; }
            FindLeads(c, top, roots, leads, ref before);
        }
    }

    private static bool EndsSentence(CNode n)
    {
        for (int i = n.Items.Count - 1; i >= 0; i--)
        {
            if (n.Items[i] is string t)
            {
                var s = t.TrimEnd();
                if (s.Length == 0) continue;
                return s[^1] is '.' or '!' or '?' or '"' or '”' or '。';
            }
            return false;
        }
        return false;
    }

    private static string Write(List<CNode> roots, CNode main, string? title, bool strict)
    {
        var sb = new StringBuilder(main.Chars + main.Chars / 4 + 16);
        var w = new Writer(sb, main.Chars, title, strict);
        foreach (var r in roots) w.Emit(r, isRoot: true);
        return Finish(sb);
    }

    /// <summary>Collapses the raw output into trimmed, non-empty lines.</summary>
    private static string Finish(StringBuilder sb)
    {
        var lines = new List<(int Start, int Length)>();
        int start = 0;
        for (int i = 0; i <= sb.Length; i++)
        {
            if (i < sb.Length && sb[i] != '\n') continue;
            int a = start, b = i;
            while (a < b && char.IsWhiteSpace(sb[a])) a++;
            while (b > a && char.IsWhiteSpace(sb[b - 1])) b--;
            if (b > a && !Vocabulary.IsBoilerplateLine(sb, a, b - a)) lines.Add((a, b - a));
            start = i + 1;
        }
        // Edges: a dateline or "posted by ... on <date>" line above the body, and short label-like lines after it
        // ("Tags", "Contact:", "More on this topic") are page furniture, not prose. Only when real prose remains.
        int first = 0, last = lines.Count - 1;
        while (first < last && first < 2 && IsDateLine(sb, lines[first])) first++;
        int promos = 0;
        while (last > first)
        {
            if (lines[last].Length < 50 && !EndsLikeSentence(sb, lines[last])) last--;
            else if (promos < 3 && Vocabulary.IsPlatformPromo(sb, lines[last].Start, lines[last].Length)) { last--; promos++; }
            else break;
        }
        var outp = new StringBuilder(sb.Length);
        for (int k = first; k <= last; k++)
        {
            if (outp.Length > 0) outp.Append('\n');
            outp.Append(sb, lines[k].Start, lines[k].Length);
        }
        return outp.ToString();
    }

    private static bool EndsLikeSentence(StringBuilder sb, (int Start, int Length) line)
    {
        char c = sb[line.Start + line.Length - 1];
        return c is '.' or '!' or '?' or '"' or '”' or '“' or '»' or '«' or ')' or '。' or '…' or '\'' or '’';
    }

    /// <summary>A short line (under 100 characters) holding a year and at most a dozen words: a date or "by X, 12 May 2020".</summary>
    private static bool IsDateLine(StringBuilder sb, (int Start, int Length) line)
    {
        if (line.Length >= 100) return false;
        int digits = 0, words = 1;
        bool year = false;
        for (int i = line.Start; i < line.Start + line.Length; i++)
        {
            char c = sb[i];
            if (char.IsAsciiDigit(c))
            {
                digits++;
                if (i + 3 < line.Start + line.Length && (c is '1' or '2') && char.IsAsciiDigit(sb[i + 1]) && char.IsAsciiDigit(sb[i + 2]) && char.IsAsciiDigit(sb[i + 3])
                    && (i == line.Start || !char.IsAsciiDigit(sb[i - 1])) && (i + 4 == line.Start + line.Length || !char.IsAsciiDigit(sb[i + 4])))
                    year = true;
            }
            else if (c == ' ') words++;
        }
        return year && words <= 12 && digits <= 16;
    }

    private sealed class Writer(StringBuilder sb, int rootChars, string? title, bool strict)
    {
        private bool _pending;

        public void Emit(CNode n, bool isRoot)
        {
            if (!isRoot && Skip(n)) return;
            bool block = n.IsBlock;
            if (block) Break();
            for (int i = 0; i < n.Items.Count; i++)
            {
                var item = n.Items[i];
                if (item is string s) { _pending = Spaces.AppendCollapsed(sb, s, _pending); continue; }
                var c = (CNode)item;
                if (c.Tag == Tag.Br) { Break(); continue; }
                if ((IsHeading(c.Tag) || IsBoldLine(c)) && c.Chars < MaxOrphanHeading && OnlySkippedBelow(n, i)) continue;
                Emit(c, false);
            }
            if (block) Break();
        }

        private void Break()
        {
            if (sb.Length > 0 && sb[^1] != '\n') sb.Append('\n');
            _pending = false;
        }

        /// <summary>Headings longer than this are kept even when nothing below them is (they read as text of their own).</summary>
        private const int MaxOrphanHeading = 80;

        private static bool IsHeading(Tag t) => t is Tag.H2 or Tag.H3 or Tag.H4 or Tag.H5 or Tag.H6;

        /// <summary>A paragraph that is one bold run and nothing else: a heading in editors that have none.</summary>
        private static bool IsBoldLine(CNode n)
        {
            if (n.Tag != Tag.P || n.OwnChars > 0) return false;
            CNode? only = null;
            foreach (var c in n.Children)
            {
                if (c.Chars == 0) continue;
                if (only is not null) return false;
                only = c;
            }
            return only is { Tag: Tag.Inline, LinkChars: 0 } && only.Element?.LocalName is "strong" or "b";
        }

        /// <summary>
        /// A heading whose section (its following siblings up to the next heading) holds at least one block and
        /// nothing that will be written: the title of a "related articles" or teaser block whose links were skipped.
        /// A heading with no following element at all is kept: what it headed may have been a button or a form
        /// control (dropped from the tree), or may sit in the next container.
        /// </summary>
        private bool OnlySkippedBelow(CNode parent, int index)
        {
            int skipped = 0;
            for (int j = index + 1; j < parent.Items.Count; j++)
            {
                var item = parent.Items[j];
                if (item is string t)
                {
                    if (!string.IsNullOrWhiteSpace(t)) return false;
                    continue;
                }
                var c = (CNode)item;
                if (IsHeading(c.Tag) || c.Tag == Tag.H1 || IsBoldLine(c)) break;
                if (c.Chars == 0) continue;
                if (c.Tag is Tag.Table or Tag.Tr or Tag.Td or Tag.Th or Tag.Figure || WritesText(c)) return false;
                if (c.LinkDensity < 0.5 && !c.Boilerplate) return false; // a picture, a caption: not a block of links
                skipped++;
            }
            return skipped > 0;
        }

        /// <summary>Whether emitting the node would write any text (it is not skipped and something inside it is not).</summary>
        private bool WritesText(CNode n)
        {
            if (Skip(n)) return false;
            foreach (var item in n.Items)
            {
                if (item is string t) { if (!string.IsNullOrWhiteSpace(t)) return true; continue; }
                var c = (CNode)item;
                if (c.Chars > 0 && WritesText(c)) return true;
            }
            return false;
        }

        /// <summary>Boilerplate inside the chosen content.</summary>
        private bool Skip(CNode n)
        {
            switch (n.Tag)
            {
                case Tag.H1: return true; // the title, reported as metadata
                case Tag.Footer: return true;
                case Tag.Aside or Tag.Form when n.Chars < rootChars / 2: return true; // unless it holds the content
                case Tag.Figcaption: return true; // captions and photo credits are not the article's prose
            }
            if (strict && n.Boilerplate && n.Chars < rootChars / 2) return true;
            // A short block that is nothing but a link: "read more", "print", "back to the list", a teaser title.
            if (strict && n.IsBlock && n.Tag is not (Tag.H2 or Tag.H3 or Tag.H4 or Tag.H5 or Tag.H6 or Tag.Td or Tag.Th or Tag.Tr) && n.LinkChars >= n.Chars && n.Chars < 60) return true;
            if (!strict) return false; // the relaxed pass keeps link-dense blocks too (a post that is a list of links)
            if (n.IsBlock && n.Tag is not (Tag.P or Tag.Blockquote or Tag.Pre))
            {
                double ld = n.LinkDensity;
                if (n.Tag is Tag.Ul or Tag.Ol or Tag.Dl && ld > 0.5) return true;
                if (ld > 0.5 && n.Chars < 600 && n.Commas < 5 && n.Chars < rootChars / 2) return true;
                if (n.ClassWeight < 0 && n.Commas < 10 && n.Chars < 300 && ld > 0.2) return true;
            }
            else if (n.Tag == Tag.P && n.LinkDensity > 0.8 && n.Chars < 200) return true;
            return false;
        }
    }
}
