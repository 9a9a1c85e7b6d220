using System.Collections.Frozen;

namespace Sitrep.Time;

/// <summary>What a word can mean to the time tagger. A word may have several readings ("second": ordinal and unit).</summary>
internal sealed class LexEntry(string key)
{
    public string Key { get; } = key;
    /// <summary>1–12.</summary>
    public int Month { get; set; } = -1;
    /// <summary>The month reading needs support from context ("May", "March" at a sentence start, "Jan" without period).</summary>
    public bool MonthGuarded { get; set; }
    /// <summary>1 = Monday … 7 = Sunday.</summary>
    public int Weekday { get; set; } = -1;
    public bool WeekdayPlural { get; set; }
    /// <summary>1 spring, 2 summer, 3 fall, 4 winter.</summary>
    public int Season { get; set; } = -1;
    public bool SeasonGuarded { get; set; }
    public bool SeasonPlural { get; set; }
    /// <summary>MO, AF, EV, NI.</summary>
    public string? PartOfDay { get; set; }
    /// <summary>A number word: "two" = 2, "a" = 1; -2 = some unknown number ("several", "few", "many").</summary>
    public int Number { get; set; } = -1;
    public int Ordinal { get; set; } = -1;
    public Gran Unit { get; set; }
    public bool UnitPlural { get; set; }
    /// <summary>"yesterday" = -1, "today" = 0, "tomorrow" = +1 (days), with <see cref="DeicticPod"/> for "tonight".</summary>
    public int? Deictic { get; set; }
    public string? DeicticPod { get; set; }
    /// <summary>PRESENT_REF, PAST_REF or FUTURE_REF.</summary>
    public string? Ref { get; set; }
    /// <summary>+1 next, -1 last/past/previous, 0 this/current.</summary>
    public int? Shift { get; set; }
    /// <summary>START, MID or END: "early", "mid", "late".</summary>
    public string? Position { get; set; }
    /// <summary>A recurrence adverb: "daily" = P1D.</summary>
    public string? SetValue { get; set; }
    /// <summary>Fixed hour (noon = 12, midnight = 24).</summary>
    public int ClockHour { get; set; } = -1;
}

/// <summary>
/// The English lexicon of the time tagger: months, weekdays, seasons, parts of the day, number words, ordinals, units,
/// deictic words, references, modifiers and recurrences. Data, in the spirit of HeidelTime's resource files; the
/// grammar that combines the words is in <see cref="TimeTagger"/>.
/// </summary>
internal static class TimeLexicon
{
    public static readonly FrozenDictionary<string, LexEntry> Entries = Build();

    public static readonly FrozenDictionary<string, LexEntry>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Entries.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Every month name and abbreviation the lexicon knows, lower case and without a period ("september", "sept",
    /// "sep", "may"), with its month (1–12); for readers of dates outside the tagger (datelines).
    /// </summary>
    public static readonly FrozenDictionary<string, int> MonthNames = Entries.Values
        .Where(e => e.Month > 0)
        .Select(e => (Name: e.Key.TrimEnd('.'), e.Month))
        .DistinctBy(x => x.Name, StringComparer.OrdinalIgnoreCase)
        .ToFrozenDictionary(x => x.Name, x => x.Month, StringComparer.OrdinalIgnoreCase);

    /// <summary>Time-zone abbreviations allowed after a clock time (they join the expression, the value ignores them).</summary>
    public static readonly FrozenSet<string> TimeZones = new[]
    {
        "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "gmt", "utc", "bst", "cet", "cest", "et", "pt", "ct", "mt", "msk",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Holidays: token sequences (lower case) → month, day, or the n-th weekday of the month (negative: from the end; 99: Easter).</summary>
    public static readonly (string[] Words, int Month, int Day, int Nth, int Weekday)[] Holidays =
    [
        (["christmas", "eve"], 12, 24, 0, -1),
        (["christmas", "day"], 12, 25, 0, -1),
        (["christmas"], 12, 25, 0, -1),
        (["new", "year", "'s", "eve"], 12, 31, 0, -1),
        (["new", "year", "'s", "day"], 1, 1, 0, -1),
        (["new", "year", "'s"], 1, 1, 0, -1),
        (["thanksgiving", "day"], 11, 0, 4, 4),
        (["thanksgiving"], 11, 0, 4, 4),
        (["independence", "day"], 7, 4, 0, -1),
        (["labor", "day"], 9, 0, 1, 1),
        (["memorial", "day"], 5, 0, -1, 1),
        (["veterans", "day"], 11, 11, 0, -1),
        (["halloween"], 10, 31, 0, -1),
        (["valentine", "'s", "day"], 2, 14, 0, -1),
        (["boxing", "day"], 12, 26, 0, -1),
        (["election", "day"], 11, 0, 98, 2),
        (["easter", "sunday"], 0, 0, 99, -1),
        (["easter"], 0, 0, 99, -1),
    ];

    private static FrozenDictionary<string, LexEntry> Build()
    {
        var d = new Dictionary<string, LexEntry>(StringComparer.OrdinalIgnoreCase);
        LexEntry E(string k)
        {
            if (!d.TryGetValue(k, out var e)) d[k] = e = new LexEntry(k);
            return e;
        }

        string[] months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
        for (int m = 0; m < 12; m++) E(months[m]).Month = m + 1;
        E("may").MonthGuarded = true;
        E("march").MonthGuarded = true;
        (string, int)[] abbrevs = [("jan.", 1), ("feb.", 2), ("mar.", 3), ("apr.", 4), ("jun.", 6), ("jul.", 7), ("aug.", 8), ("sep.", 9), ("sept.", 9),
            ("oct.", 10), ("nov.", 11), ("dec.", 12), ("jan", 1), ("feb", 2), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8), ("sept", 9), ("oct", 10), ("nov", 11), ("dec", 12)];
        foreach (var (a, m) in abbrevs)
        {
            E(a).Month = m;
            if (!a.EndsWith('.')) E(a).MonthGuarded = true;
        }

        string[] days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        for (int k = 0; k < 7; k++)
        {
            E(days[k]).Weekday = k + 1;
            var pl = E(days[k] + "s");
            pl.Weekday = k + 1;
            pl.WeekdayPlural = true;
        }
        (string, int)[] dayAbbrevs = [("mon.", 1), ("tue.", 2), ("tues.", 2), ("wed.", 3), ("thu.", 4), ("thur.", 4), ("thurs.", 4), ("fri.", 5), ("sat.", 6), ("sun.", 7)];
        foreach (var (a, k) in dayAbbrevs) E(a).Weekday = k;

        (string, int, bool)[] seasons = [("spring", 1, true), ("summer", 2, false), ("fall", 3, true), ("autumn", 3, false), ("winter", 4, false)];
        foreach (var (s, k, guarded) in seasons)
        {
            E(s).Season = k;
            E(s).SeasonGuarded = guarded;
            var pl = E(s == "fall" ? "falls" : s + "s");
            pl.Season = k;
            pl.SeasonPlural = true;
            pl.SeasonGuarded = true;
        }

        E("morning").PartOfDay = "MO";
        E("mornings").PartOfDay = "MO";
        E("afternoon").PartOfDay = "AF";
        E("afternoons").PartOfDay = "AF";
        E("evening").PartOfDay = "EV";
        E("evenings").PartOfDay = "EV";
        E("night").PartOfDay = "NI";
        E("nights").PartOfDay = "NI";
        E("noon").ClockHour = 12;
        E("midday").ClockHour = 12;
        E("midnight").ClockHour = 24;

        string[] ones = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
            "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
        for (int k = 0; k < ones.Length; k++) E(ones[k]).Number = k;
        string[] tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
        for (int k = 0; k < tens.Length; k++) E(tens[k]).Number = (k + 2) * 10;
        E("hundred").Number = 100;
        E("thousand").Number = 1000;
        E("dozen").Number = 12;
        E("a").Number = 1;
        E("an").Number = 1;
        foreach (var w in new[] { "several", "few", "many", "some", "numerous", "countless" }) E(w).Number = -2;

        string[] ordinals = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
            "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"];
        for (int k = 0; k < ordinals.Length; k++) E(ordinals[k]).Ordinal = k + 1;
        E("thirtieth").Ordinal = 30;

        (string, Gran, bool)[] units =
        [
            ("second", Gran.Second, false), ("seconds", Gran.Second, true),
            ("minute", Gran.Minute, false), ("minutes", Gran.Minute, true),
            ("hour", Gran.Hour, false), ("hours", Gran.Hour, true),
            ("day", Gran.Day, false), ("days", Gran.Day, true),
            ("week", Gran.Week, false), ("weeks", Gran.Week, true),
            ("weekend", Gran.Weekend, false), ("weekends", Gran.Weekend, true),
            ("fortnight", Gran.Week, false),
            ("month", Gran.Month, false), ("months", Gran.Month, true),
            ("quarter", Gran.Quarter, false), ("quarters", Gran.Quarter, true),
            ("year", Gran.Year, false), ("years", Gran.Year, true),
            ("decade", Gran.Decade, false), ("decades", Gran.Decade, true),
            ("century", Gran.Century, false), ("centuries", Gran.Century, true),
            ("millennium", Gran.Millennium, false), ("millennia", Gran.Millennium, true),
        ];
        foreach (var (u, g, pl) in units)
        {
            E(u).Unit = g;
            E(u).UnitPlural = pl;
        }

        E("today").Deictic = 0;
        E("yesterday").Deictic = -1;
        E("tomorrow").Deictic = 1;
        E("tonight").Deictic = 0;
        E("tonight").DeicticPod = "NI";
        E("overnight").Deictic = -1;
        E("overnight").DeicticPod = "NI";

        foreach (var w in new[] { "now", "currently", "nowadays", "presently" }) E(w).Ref = "PRESENT_REF";
        foreach (var w in new[] { "recently", "lately" }) E(w).Ref = "PAST_REF";
        E("soon").Ref = "FUTURE_REF";

        foreach (var w in new[] { "last", "past", "previous", "preceding", "prior" }) E(w).Shift = -1;
        foreach (var w in new[] { "next", "coming", "following", "upcoming", "ensuing", "subsequent" }) E(w).Shift = 1;
        foreach (var w in new[] { "this", "current", "present" }) E(w).Shift = 0;

        E("early").Position = "START";
        E("earlier").Position = "START";
        E("beginning").Position = "START";
        E("start").Position = "START";
        E("mid").Position = "MID";
        E("middle").Position = "MID";
        E("late").Position = "END";
        E("later").Position = "END";
        E("end").Position = "END";

        E("daily").SetValue = "P1D";
        E("nightly").SetValue = "P1D";
        E("weekly").SetValue = "P1W";
        E("biweekly").SetValue = "P2W";
        E("monthly").SetValue = "P1M";
        E("quarterly").SetValue = "P3M";
        E("annually").SetValue = "P1Y";
        E("yearly").SetValue = "P1Y";
        E("hourly").SetValue = "PT1H";

        // Words that start or join an expression without a reading of their own; the grammar checks them by spelling.
        foreach (var w in new[] { "the", "its", "their", "his", "her", "our", "about", "around", "nearly", "almost", "approximately", "roughly", "over",
            "more", "less", "at", "up", "just", "fiscal", "right", "these", "each", "every", "per", "twice", "once", "half", "recent", "future",
            "post", "pre", "latest", "most", "same", "couple", "christmas", "new", "thanksgiving", "independence", "labor", "memorial", "veterans",
            "halloween", "valentine", "boxing", "easter", "election", "that", "near", "short", "long", "twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties", "full", "entire", "whole", "final", "initial" })
            E(w);

        return d.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
