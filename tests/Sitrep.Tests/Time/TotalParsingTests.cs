using System.Text;
using Sitrep.Ingest;
using Sitrep.Pipeline;
using Sitrep.Time;

namespace Sitrep.Tests.Time;

/// <summary>
/// Date, number and time parsing is total: whatever the digits are (Arabic-Indic, Devanagari, fullwidth, mathematical
/// bold, letters standing in for digits), whatever the values (year 0, year 99999, day 0, 31 February, negative days,
/// ten-digit numbers), no stage throws. Mutated date strings, generated from a fixed seed, run through the tagger, the
/// dateline reader, the publication-date parser, the time stage with every kind of reference date, and the whole
/// analyser as `sitrep ingest` builds it.
/// </summary>
public class TotalParsingTests
{
    private static readonly string[] Templates =
    [
        "BRUSSELS, March 15, 2025 (Reuters) — NATO ministers met on 2025-03-15 at 3:30 p.m. and again on 10/23/1998.",
        "KYIV, 12 March 2025 (AFP) - The talks of the 1990s and '98 resumed on Tuesday, 15th March, 2025, at 19:30; 1,000 troops and 1.5 bn euros.",
        "In Q3 2025, the summit of June 24-25, 2025 in The Hague agreed to 5% by 2035; in the spring of 2026 and the winter of 2024-25.",
        "He was elected in November 2024 and took office on January 20, 2025; three years ago, 10,000 years later, in 9999 and in the year 10000.",
        "Stoltenberg said on 1 October 2024 that 2023's summit, the 21st century, the 2020s, the '20s and next Friday at 10am mattered.",
        "The meeting on 9999-12-31 followed 0001-01-01 and 2024/02/29; 12/31/99 and 1/1/00 and 3pm and 11:59:59 p.m.",
    ];

    private static readonly string[] PublishedTemplates =
        ["2025-03-15", "2025-03-15T10:00:00Z", "Sat, 15 Mar 2025 10:00:00 +0000", "2025-03-15T10:00:00+01:00", "2025-03"];

    /// <summary>What may stand in for an ASCII digit d.</summary>
    private static readonly Func<int, string>[] Substitutes =
    [
        d => ((char)('\u0660' + d)).ToString(), // Arabic-Indic
        d => ((char)('\u06F0' + d)).ToString(), // Extended Arabic-Indic
        d => ((char)('\u0966' + d)).ToString(), // Devanagari
        d => ((char)('\u09E6' + d)).ToString(), // Bengali
        d => ((char)('\uFF10' + d)).ToString(), // fullwidth
        d => char.ConvertFromUtf32(0x1D7CE + d), // mathematical bold (a surrogate pair)
        _ => "X", _ => "õ", _ => "O", _ => "l", _ => "-", _ => "",
        d => ((d + 7) % 10).ToString(), _ => "99999", _ => "0", _ => "9999999999",
    ];

    /// <summary>Mutated copies of <paramref name="s"/>: digits replaced one by one or in runs, numbers made huge or zero.</summary>
    internal static IEnumerable<string> Mutations(string s, Random rng, int count)
    {
        for (int n = 0; n < count; n++)
        {
            var sb = new StringBuilder(s.Length + 16);
            double rate = rng.Next(3) switch { 0 => 0.08, 1 => 0.3, _ => 1.0 };
            var sub = Substitutes[rng.Next(Substitutes.Length)];
            bool oneKind = rng.Next(2) == 0;
            foreach (char c in s)
            {
                if (c is >= '0' and <= '9' && rng.NextDouble() < rate)
                    sb.Append((oneKind ? sub : Substitutes[rng.Next(Substitutes.Length)])(c - '0'));
                else sb.Append(c);
            }
            yield return sb.ToString();
        }
    }

    private static void NoThrow(string what, string input, Action run)
    {
        try { run(); }
        catch (Exception e)
        {
            Assert.Fail($"{what} threw {e.GetType().Name} ({e.Message}) on: {input}\n{e.StackTrace}");
        }
    }

    private static readonly DateOnly?[] References =
        [null, new DateOnly(2025, 3, 15), DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(9999, 12, 1), new DateOnly(1, 1, 31)];

    [Fact]
    public void TheTaggerAndTheDatelineReaderNeverThrow()
    {
        var rng = new Random(20261207);
        int inputs = 0;
        foreach (var t in Templates)
            foreach (var text in Mutations(t, rng, 150).Prepend(t))
            {
                inputs++;
                foreach (var r in References)
                    NoThrow($"TimeTagger.Tag (reference {r})", text, () => TimeTagger.Default.Tag(text, r));
                NoThrow("DatelineDate.Read", text, () =>
                {
                    if (DatelineDate.Read(text, 0, text.Length) is { } d) DatelineDate.Allowed(d.Month, d.Day, d.Year, 2026);
                });
            }
        Assert.True(inputs > 900);
    }

    [Fact]
    public void KnownCrashersNoLongerThrow()
    {
        // Inputs from the hostile test of issue 12: a letter or a non-ASCII digit inside an ISO date, a dateline day.
        foreach (var text in new[] { "On 2X25-03-15 the summit opened.", "On 0١25-03-15 it closed.", "Held õ0 March 2025.", "KYIV, March ١٥, 2025 (AP) — Talks." })
        {
            NoThrow("TimeTagger.Tag", text, () => TimeTagger.Default.Tag(text, new DateOnly(2025, 3, 15)));
            NoThrow("DatelineDate.Read", text, () => DatelineDate.Read(text, 0, text.Length));
            var a = TimeFixture.Prepare(text);
            NoThrow("TimeAnalyzer.Analyze", text, () => TimeFixture.Analyzer.Analyze(a.Text, a.Tokens, a.Sentences, a.Entities, null, TimeFixture.Today, "x", (0, text.Length)));
        }
    }

    [Fact]
    public void TheTimeStageNeverThrows()
    {
        var rng = new Random(7);
        foreach (var t in Templates)
            foreach (var text in Mutations(t, rng, 40).Prepend(t))
            {
                var a = TimeFixture.Prepare(text);
                var published = PublicationDate.Parse(Mutations(PublishedTemplates[rng.Next(PublishedTemplates.Length)], rng, 1).First());
                foreach (var r in new[] { published, References[rng.Next(References.Length)] })
                    foreach (var notAfter in new DateOnly?[] { null, TimeFixture.Today, DateOnly.MaxValue, DateOnly.MinValue })
                        NoThrow($"TimeAnalyzer.Analyze (published {r}, not after {notAfter})", text,
                            () => TimeFixture.Analyzer.Analyze(a.Text, a.Tokens, a.Sentences, a.Entities, r, notAfter, "x", (0, Math.Min(text.Length, 60))));
            }
    }

    [Fact]
    public void PublicationDatesParseOrAreNull()
    {
        var rng = new Random(11);
        foreach (var t in PublishedTemplates)
            foreach (var s in Mutations(t, rng, 200).Prepend(t))
                NoThrow("PublicationDate.Parse", s, () => PublicationDate.Parse(s));
    }

    private static readonly Lazy<DocumentAnalyzer> Analyzer = new(() => PipelineFactory.Create([]));

    [Fact]
    public void TheWholeAnalyzerNeverThrows()
    {
        var rng = new Random(3);
        foreach (var t in Templates)
            foreach (var text in Mutations(t + "\n\n" + t + " " + t, rng, 25).Prepend(t))
            {
                var body = "Headline about the talks\n\n" + text + "\n\n" + text.Replace(". ", ".\n\n");
                var published = Mutations(PublishedTemplates[rng.Next(PublishedTemplates.Length)], rng, 1).First();
                var doc = new SourceDocument("mutated.txt", "id", body, "utf-8", DocumentFormat.Text, body.Length,
                    new PageMetadata("Title 2X25", null, null, published, null, null));
                NoThrow("DocumentAnalyzer.Analyze", body, () => Analyzer.Value.Analyze(doc));
            }
    }
}
