using System.Text.RegularExpressions;
using Sitrep.Store;
using Sitrep.Stories;
using Sitrep.Text;

namespace Sitrep.Output;

/// <summary>
/// What the brief accepts as a headline, a lead and a thread's subject: text a page carries around its article (photo
/// credits, dates and times, share bars, cookie and app prompts, bracketed labels) is refused, so that the brief's
/// titles are what happened, not chrome.
/// </summary>
public static partial class BriefText
{
    /// <summary>Openings of page chrome: credits, prompts, labels and stamps (compared case-insensitively).</summary>
    private static readonly string[] ChromeOpenings =
    [
        "photo", "image", "picture:", "pictured", "video:", "watch:", "listen", "audio:", "credit", "getty", "file photo", "advertisement", "sponsored",
        "subscribe", "sign up", "sign in", "log in", "cookie", "we use cookies", "accept all", "share this", "share on", "share:", "follow us",
        "read more", "read next", "related", "most read", "most popular", "trending", "updated", "published", "posted", "last modified",
        "copyright", "©", "all rights reserved", "skip to", "menu", "newsletter", "download the app", "get the app", "age verification",
        "click here", "privacy policy", "terms of use", "loading", "javascript", "please enable", "you may also like", "more from",
    ];

    /// <summary>A line that is only a date and maybe a time ("Feb 26, 2026 | 9:05 AM", "Updated 10:41 AM February 5, 2026").</summary>
    [GeneratedRegex(@"^(?:(?:updated|published|posted)\s*:?\s*)?(?:[\d:.apmAPM\s]+\s)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s*)?(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s*\d{4}\b|^\d{4}-\d{2}-\d{2}|^\d{1,2}[./]\d{1,2}[./]\d{2,4}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DateLine();

    /// <summary>A dateline opening a line: "BRUSSELS, January 11, 2024 (Reuters) — ", "KYIV (AP) - ".</summary>
    [GeneratedRegex(@"^\p{Lu}[\p{Lu} .'’-]{2,40}(?:,[^()\n]{3,40}?)?\s*\([^()\n]{2,40}\)\s*[—–-]+\s*", RegexOptions.CultureInvariant)]
    private static partial Regex Dateline();

    /// <summary>A photo credit or a caption's wording ("is pictured", "pictured above") anywhere in a line: a caption, not a headline.</summary>
    [GeneratedRegex(@"\b(?:photo|image|picture|credit)s?\s*:|getty images|\(photo\b|\b(?:is|are|was|were) pictured\b|\bpictured (?:above|below|left|right|here|with|at|in|during)\b|\(pictured\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credit();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();

    /// <summary>
    /// Whether <paramref name="title"/> reads as a headline: three or more words, mostly letters, not a date or time
    /// stamp, no photo credit or caption, not a handle or hashtag, not bracketed, not an all-capitals label of four words or fewer, and not opening like page chrome.
    /// </summary>
    public static bool IsHeadline(string? title)
    {
        if (string.IsNullOrWhiteSpace(title)) return false;
        var t = title.Trim();
        if (t.Length < 10 || t.Length > 300 || t[0] is '[' or '{' or '<' or '|' or '@' or '#') return false;
        if (Credit().IsMatch(t)) return false;
        var words = Word().Matches(t);
        if (words.Count < 3) return false;
        int letters = t.Count(char.IsLetter);
        if (letters < 0.5 * t.Count(c => !char.IsWhiteSpace(c))) return false;
        if (DateLine().IsMatch(t) && letters < 40) return false;
        if (words.Count <= 4 && t.All(c => !char.IsLetter(c) || char.IsUpper(c))) return false;
        return !IsChrome(t);
    }

    /// <summary>Whether a line opens like page chrome ("Photo: …", "Sign up for …", "© 2026 …").</summary>
    public static bool IsChrome(string line)
    {
        var t = line.TrimStart();
        foreach (var o in ChromeOpenings)
            if (t.StartsWith(o, StringComparison.OrdinalIgnoreCase) && (t.Length == o.Length || !char.IsLetter(t[o.Length]) || !char.IsLetter(o[^1])))
                return true;
        return false;
    }

    /// <summary>
    /// A headline without a leading dateline ("KYIV (AP) — ") and without the page's self-name: a trailing "| Outlet" of at most five words, or a trailing "- Outlet"
    /// / "– Outlet" when it is the article's outlet or site.
    /// </summary>
    public static string CleanHeadline(string title, string? outlet, string? site)
    {
        var t = title.ReplaceLineEndings(" ").Trim();
        if (Dateline().Match(t) is { Success: true } d && d.Length < t.Length) t = t[d.Length..];
        int bar = t.LastIndexOf(" | ", StringComparison.Ordinal);
        if (bar > 0 && Word().Matches(t[(bar + 3)..]).Count <= 5) t = t[..bar].TrimEnd();
        foreach (var dash in new[] { " - ", " – ", " — " })
        {
            int at = t.LastIndexOf(dash, StringComparison.Ordinal);
            if (at <= 0) continue;
            var tail = t[(at + dash.Length)..].Trim();
            if (Same(tail, outlet) || Same(tail, site)) { t = t[..at].TrimEnd(); break; }
        }
        return t;

        static bool Same(string tail, string? name) => !string.IsNullOrWhiteSpace(name) &&
            (tail.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase) || tail.Replace(" ", "").Equals(name.Replace(" ", ""), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The lead: the dek when it is a sentence (not the headline again, no chrome), else the body's opening
    /// sentences up to about 300 characters; null when there is neither.
    /// </summary>
    public static string? Lead(BriefLead l, string? title)
    {
        if (l.Dek is { } dek && dek.Trim().Length >= 40 && !IsChrome(dek) && !SameText(dek, title))
            return TextCut.Ellipsis(dek.ReplaceLineEndings(" ").Trim(), 320);
        var parts = new List<string>();
        int length = 0;
        foreach (var s in l.Sentences)
        {
            if (SameText(s, title) || (title != null && title.EndsWith('…') && s.StartsWith(title[..^1], StringComparison.Ordinal)) || IsChrome(s) || (s.Length < 40 && DateLine().IsMatch(s))) continue;
            parts.Add(s);
            length += s.Length + 1;
            if (length >= 160) break;
        }
        return parts.Count == 0 ? null : TextCut.Ellipsis(string.Join(" ", parts), 320);
    }

    private static bool SameText(string a, string? b) => b != null && string.Equals(a.Trim().TrimEnd('.'), b.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>The first sentence of a lead (up to its first ". ").</summary>
    public static string FirstSentence(string lead)
    {
        int at = lead.IndexOf(". ", StringComparison.Ordinal);
        return at > 0 ? lead[..(at + 1)] : lead;
    }

    /// <summary>A thread's title: its stored title unless some subject in it is chrome, else its subjects that are not.</summary>
    public static string ThreadTitle(ThreadView t)
    {
        if (!string.IsNullOrWhiteSpace(t.Title) && !t.Title.Split(" / ").Any(IsSubjectChrome)) return t.Title.Trim();
        return string.Join(" / ", t.Actors.Select(a => a.Name.Trim()).Where(n => !IsSubjectChrome(n)).Distinct().Take(3));
    }

    /// <summary>A subject name that is no subject: chrome, a date, or no word of two letters.</summary>
    private static bool IsSubjectChrome(string name) =>
        string.IsNullOrWhiteSpace(name) || IsChrome(name) || DateLine().IsMatch(name) || !Word().Matches(name).Any(m => m.Length >= 2);
}
