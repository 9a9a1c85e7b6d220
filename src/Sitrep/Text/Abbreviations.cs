using System.Collections.Frozen;

namespace Sitrep.Text;

/// <summary>How an abbreviation that keeps its period behaves at a possible sentence end.</summary>
public enum AbbreviationKind : byte
{
    /// <summary>Not an abbreviation.</summary>
    None,

    /// <summary>Precedes what it qualifies and never ends a sentence: "Mr.", "Gen.", "Sen.", "vs.", "e.g.".</summary>
    Title,

    /// <summary>Only an abbreviation before a number ("No. 5", "Art. 5", "p. 12"); never ends a sentence.</summary>
    NumberPrefix,

    /// <summary>A month ("Jan.", "Sept."): usually followed by a day number, may end a sentence.</summary>
    Month,

    /// <summary>Often sentence-final: "Inc.", "Corp.", "Jr.", "etc.", "Fla.", "Ave.".</summary>
    Other,

    /// <summary>A single capital letter with its period: "J." in "Donald J. Trump".</summary>
    Initial,

    /// <summary>Letters each followed by a period: "U.S.", "E.U.", "a.m.", "Ph.D.".</summary>
    LetterSequence,
}

/// <summary>
/// The curated abbreviation list used by <see cref="Tokenizer"/> (to keep the period on the token) and by
/// <see cref="SentenceSplitter"/> (to decide whether the period also ends the sentence). Matching is
/// case-sensitive on the stem without its final period ("Gen" for "Gen.").
/// </summary>
public static class Abbreviations
{
    private static readonly FrozenDictionary<string, AbbreviationKind> Stems = Build();
    private static readonly FrozenDictionary<string, AbbreviationKind>.AlternateLookup<ReadOnlySpan<char>> StemLookup =
        Stems.GetAlternateLookup<ReadOnlySpan<char>>();

    private static FrozenDictionary<string, AbbreviationKind> Build()
    {
        var d = new Dictionary<string, AbbreviationKind>(StringComparer.Ordinal);
        void Add(AbbreviationKind kind, string words)
        {
            foreach (var w in words.Split(' ', StringSplitOptions.RemoveEmptyEntries)) d[w] = kind;
        }

        // Titles and ranks: always followed by a name.
        Add(AbbreviationKind.Title,
            "Mr Mrs Ms Mx Messrs Mmes Mme Mlle Dr Drs Prof Profs Rev Revs Hon Rt Fr Msgr Sra Srta " +
            "Gen Gens Lt Col Cols Maj Capt Cpt Cmdr Cdr Adm Sgt Cpl Pvt Spc Brig Cmdt Insp Supt Det " +
            "Gov Govs Sen Sens Rep Reps Pres Amb Atty Sec Secs Sgts " +
            "vs v cf viz e.g i.e");
        // Only before a number.
        Add(AbbreviationKind.NumberPrefix, "No Nos no nos Art Arts Vol Vols vol Fig Figs fig Ch ch Para para Nr Op p pp Pt Sect Eq");
        Add(AbbreviationKind.Month, "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec");
        Add(AbbreviationKind.Other,
            // company and name suffixes
            "Inc Corp Co Cos Ltd Bros Mfg Plc Jr Sr Esq Assn Dept Depts Univ Inst Intl Natl Govt Est " +
            // general
            "etc al approx ca est incl excl resp dept govt misc " +
            // weekdays (not Sat/Sun: too often words)
            "Mon Tue Tues Wed Thu Thur Thurs Fri " +
            // streets and places
            "St Ste Ave Blvd Rd Hwy Mt Ft Sq " +
            // U.S. states, AP style
            "Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo Mont " +
            "Neb Nev Okla Ore Pa Penn Tenn Tex Va Vt Wash Wis Wyo");
        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The kind of a curated stem (the abbreviation without its final period), or None.</summary>
    public static AbbreviationKind LookupStem(ReadOnlySpan<char> stem) =>
        stem.Length is > 0 and < 16 && StemLookup.TryGetValue(stem, out var kind) ? kind : AbbreviationKind.None;

    /// <summary>
    /// Classifies a token's text as produced by the tokenizer ("U.S.", "Gen.", "J.", "Ph.D."). Text that does not end
    /// with a period is not an abbreviation.
    /// </summary>
    public static AbbreviationKind Classify(ReadOnlySpan<char> token)
    {
        if (token.Length < 2 || token[^1] != '.') return AbbreviationKind.None;
        var stem = token[..^1];
        var curated = LookupStem(stem);
        if (curated != AbbreviationKind.None) return curated;
        if (stem.Length == 1) return char.IsUpper(stem[0]) ? AbbreviationKind.Initial : AbbreviationKind.None;
        return stem.Contains('.') ? AbbreviationKind.LetterSequence : AbbreviationKind.None;
    }
}
