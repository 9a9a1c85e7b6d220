using System.Text.RegularExpressions;

namespace Sitrep.Ingest.Dedup;

/// <summary>How the text credits a news agency.</summary>
public enum WireCreditKind { Dateline, Byline, Contributed, Copyright, Signoff }

/// <summary>A news-agency credit found in an article: the agency's canonical short name and the span that says so.</summary>
public sealed record WireCredit(string Agency, WireCreditKind Kind, int Start, int End, string Evidence);

/// <summary>
/// Finds credits that mark an article as (based on) an agency story: a dateline credit ("WASHINGTON (AP) —",
/// "LONDON (Reuters) -"), a byline ("By The Associated Press", "By AFP"), "… contributed to this report", a copyright
/// line, or a sign-off ("— AFP", "(Reporting by …; Editing by …)"). Only the head (first 600 characters) and the tail
/// (last 1,000) are searched, where credits stand; "Reuters reported" in the middle of a story is a source, not a credit.
/// </summary>
public static partial class WireCredits
{
    private static readonly (string Agency, string Pattern)[] Agencies =
    [
        ("AP", @"AP|The Associated Press|Associated Press"),
        ("Reuters", @"Reuters|Thomson Reuters"),
        ("AFP", @"AFP|Agence France[- ]Presse"),
        ("UPI", @"UPI|United Press International"),
        ("dpa", @"dpa|DPA|Deutsche Presse-Agentur"),
        ("PA", @"PA Media|Press Association"),
        ("Xinhua", @"Xinhua"),
        ("EFE", @"EFE"),
        ("ANSA", @"ANSA"),
        ("Kyodo", @"Kyodo(?: News)?"),
        ("Yonhap", @"Yonhap"),
        ("AAP", @"AAP|Australian Associated Press"),
        ("CP", @"The Canadian Press|Canadian Press"),
        ("PTI", @"PTI|Press Trust of India"),
        ("Bloomberg", @"Bloomberg"),
    ];

    private static readonly string AnyAgency = "(?<agency>" + string.Join("|", Agencies.Select(a => a.Pattern)) + ")";

    private static readonly (WireCreditKind Kind, Regex Regex, bool Head)[] Rules =
    [
        (WireCreditKind.Dateline, new Regex(@"\(" + AnyAgency + @"\)\s*(?:[-—–]{1,2}|:)", RegexOptions.CultureInvariant), true),
        (WireCreditKind.Byline, new Regex(@"(?m)^\s*(?:By\s+)?(?:[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*(?:,|\||/|-|—)\s*)?" + AnyAgency + @"\s*$", RegexOptions.CultureInvariant), true),
        (WireCreditKind.Byline, new Regex(@"(?m)^\s*By\s+(?:the\s+)?" + AnyAgency + @"\b", RegexOptions.CultureInvariant), true),
        (WireCreditKind.Contributed, new Regex(AnyAgency + @"(?:\s+(?:writers?|reporters?|correspondents?)\b[^.\n]{0,120}?)?\s+contributed\b", RegexOptions.CultureInvariant), false),
        (WireCreditKind.Copyright, new Regex(@"(?:Copyright|©|\(c\))\s*(?:\d{4}\s*)?" + AnyAgency + @"\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase), false),
        (WireCreditKind.Signoff, new Regex(@"\((?:Reporting|Additional reporting|Writing) by [^)\n]{2,200}(?:Editing by [^)\n]{2,200})?\)", RegexOptions.CultureInvariant), false),
        (WireCreditKind.Signoff, new Regex(@"(?:^|\s)[-—–]{1,2}\s*" + AnyAgency + @"\s*$", RegexOptions.CultureInvariant), false),
        (WireCreditKind.Signoff, new Regex(@"\(" + AnyAgency + @"\)\s*$", RegexOptions.CultureInvariant), false),
    ];

    /// <summary>The first credit found (head before tail), or null.</summary>
    public static WireCredit? Detect(string text) => DetectAll(text).FirstOrDefault();

    /// <summary>Every credit found in the head and the tail, in text order.</summary>
    public static IReadOnlyList<WireCredit> DetectAll(string text)
    {
        var found = new List<WireCredit>();
        int headEnd = Math.Min(text.Length, 600);
        int tailStart = Math.Max(0, text.Length - 1000);
        var trimmedEnd = text.AsSpan().TrimEnd().Length;
        foreach (var (kind, regex, head) in Rules)
        {
            int from = head ? 0 : tailStart;
            int to = head ? headEnd : trimmedEnd;
            if (to <= from) continue;
            foreach (Match m in regex.Matches(text[from..to]))
            {
                var agencyText = m.Groups["agency"].Success ? m.Groups["agency"].Value : "Reuters"; // "(Reporting by …)" is Reuters' sign-off
                var agency = Canonical(agencyText);
                int start = from + m.Index, end = start + m.Length;
                if (found.Any(f => f.Start < end && start < f.End)) continue;
                found.Add(new WireCredit(agency, kind, start, end, m.Value.Trim()));
            }
        }
        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        return found;
    }

    private static string Canonical(string name)
    {
        foreach (var (agency, pattern) in Agencies)
            if (Regex.IsMatch(name, "^(?:" + pattern + ")$", RegexOptions.CultureInvariant)) return agency;
        return name;
    }
}
