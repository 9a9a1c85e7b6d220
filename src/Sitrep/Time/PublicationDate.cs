using System.Globalization;

namespace Sitrep.Time;

/// <summary>
/// Reads publication dates as pages and feeds give them, for <see cref="ArticleDater"/>'s <c>published</c>:
/// HTML meta (<c>article:published_time</c>, <c>date</c>: ISO 8601), feeds (RSS <c>pubDate</c>: RFC 822; Atom: ISO 8601)
/// and anything the tagger reads as one day ("March 26, 2025"). The day is the calendar day where it was published
/// (the date as written, before any time-zone conversion). A WARC record's <c>WARC-Date</c> is when the page was
/// fetched, not published: give it to the dater as <c>notAfter</c>.
/// </summary>
public static class PublicationDate
{
    private static readonly string[] Rfc822 =
    [
        "ddd, d MMM yyyy HH:mm:ss zzz", "ddd, d MMM yyyy HH:mm zzz", "d MMM yyyy HH:mm:ss zzz", "ddd, dd MMM yyyy HH:mm:ss zzz",
    ];

    /// <summary>The day, or null when <paramref name="raw"/> is empty, unreadable, or outside 1900..2200.</summary>
    public static DateOnly? Parse(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var s = raw.Trim();
        // ISO 8601: the date part is the local day.
        if (s.Length >= 10 && char.IsAsciiDigit(s[0]) && s[4] == '-' && s[7] == '-'
            && DateOnly.TryParseExact(s.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
            return Plausible(iso);
        // RFC 822 with a numeric offset ("+0100") or a universal zone name ("GMT", "UT", "Z").
        var rfcText = s;
        foreach (var zone in (ReadOnlySpan<string>)[" GMT", " UTC", " UT", " Z"])
            if (rfcText.EndsWith(zone, StringComparison.OrdinalIgnoreCase)) rfcText = rfcText[..^zone.Length] + " +00:00";
        if (rfcText.Length > 5 && rfcText[^5] is '+' or '-' && char.IsAsciiDigit(rfcText[^1]) && rfcText[^3] != ':') rfcText = rfcText[..^2] + ":" + rfcText[^2..];
        if (DateTimeOffset.TryParseExact(rfcText, Rfc822, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var rfc))
            return Plausible(DateOnly.FromDateTime(rfc.DateTime));
        // Anything else the tagger reads as a whole day: "March 26, 2025", "26 March 2025".
        foreach (var x in TimeTagger.Default.Tag(s, null))
            if (!x.Relative && x.From is { } f && x.To is { } t && t.DayNumber - f.DayNumber == 1) return Plausible(f);
        return null;
    }

    private static DateOnly? Plausible(DateOnly d) => d.Year is >= 1900 and <= 2200 ? d : null;
}
