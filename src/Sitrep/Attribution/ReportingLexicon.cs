using System.Collections.Frozen;

namespace Sitrep.Attribution;

/// <summary>
/// Curated word lists of the attribution stage, precompiled into hash sets of normalised forms (see
/// <see cref="AttributionDocument.HashLower(ReadOnlySpan{char})"/>) so that a lookup costs one probe and no
/// allocation. The learned model sees membership as a feature; the rules use them directly.
/// </summary>
internal static class ReportingLexicon
{
    /// <summary>Reporting verbs in every inflection ("say", "says", "said", "saying"): speech, belief, intention.</summary>
    public static readonly FrozenSet<ulong> Verbs = Inflect(
        "say tell state claim confirm insist warn declare add note argue explain ask announce report suggest describe " +
        "write tweet post believe think know hope want plan expect fear worry deny admit acknowledge reveal disclose " +
        "indicate show find accuse criticize criticise praise urge promise pledge vow predict estimate recall reiterate " +
        "emphasize emphasise stress underline concede respond reply answer assert contend allege maintain agree " +
        "disagree object complain question dismiss reject threaten propose recommend demand caution hint imply label " +
        "brand dub term tout boast mention observe comment remark testify quip joke muse reaffirm affirm announce " +
        "insist explain express signal predict acknowledge blame slam blast condemn denounce decry lament welcome " +
        "applaud defend assure reassure inform notify brief advise counter rebut retort shout scream whisper mutter " +
        "cite quote conclude recount describe characterize characterise portray call charge contest dispute doubt " +
        "suspect speculate guess assume reckon consider feel sense understand learn hear see realize realise " +
        "recognize recognise intend aim seek decide refuse decline vow threaten point endorse support oppose back " +
        "attack defend refer discuss talk speak appear seem wish prefer need like love hate swear offer concur " +
        "regard view project forecast read depict paint frame highlight underscore acknowledge confess lament " +
        "insist pressure press implore plead beg invite challenge dare vow pledge commit tease preview outline " +
        "detail list spell explain unveil release publish broadcast air tweet retweet share post blog chant yell " +
        "cry sigh laugh smile grin scoff sneer mock ridicule joke marvel wonder ponder question doubt query " +
        "demand request require order direct instruct command rule judge determine conclude decide approve " +
        "veto sign vote campaign lobby push advocate champion embrace reject spurn rebuke scold chide praise " +
        "hail laud commend thank congratulate apologize apologise regret admit concede grant allow acknowledge stipulate " +
        "specify provide envisage envision pledge vow",
        "said told wrote written thought knew known found saw seen felt spoke spoken meant heard sought understood " +
        "according reportedly allegedly purportedly apparently");

    /// <summary>Nouns of expression and attitude that head cues ("in a statement", "his view", "her call for").</summary>
    public static readonly FrozenSet<ulong> Nouns = Inflect(
        "statement remark comment view opinion belief claim argument criticism support opposition endorsement promise " +
        "pledge plan decision announcement report interview tweet speech letter memo email post message warning threat " +
        "call appeal demand request proposal suggestion accusation allegation charge denial admission question answer " +
        "response reply testimony assessment analysis estimate prediction forecast poll survey study finding data " +
        "record document filing lawsuit complaint ruling order verdict decree law bill resolution platform manifesto " +
        "vow promise hope fear concern worry doubt desire wish intention goal aim position stance stand insistence " +
        "argument reasoning conclusion explanation description account version story narrative rhetoric language words",
        "according");

    /// <summary>Verbs of saying proper (not belief or intention): what a direct quotation is introduced by.</summary>
    public static readonly FrozenSet<ulong> SpeechVerbs = Inflect(
        "say tell state claim confirm insist warn declare add note argue explain ask announce report suggest write " +
        "tweet post deny admit acknowledge reveal respond reply answer assert contend allege maintain reiterate " +
        "emphasize emphasise stress concede recall observe comment remark testify quip joke muse reaffirm affirm " +
        "continue conclude counter retort shout scream whisper mutter predict caution speak tell", "said told wrote written spoke spoken");

    /// <summary>0: not in the lexicon; 1: a reporting verb form; 2: a noun of expression; 3: both ("claims", "report").</summary>
    public static ulong Class(ulong word) => (Verbs.Contains(word) ? 1UL : 0UL) | (Nouns.Contains(word) ? 2UL : 0UL);

    private static FrozenSet<ulong> Inflect(string bases, string extra)
    {
        var set = new HashSet<ulong>();
        foreach (var b in bases.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            foreach (var form in Forms(b))
                set.Add(AttributionDocument.HashLower(form));
        foreach (var w in extra.Split(' ', StringSplitOptions.RemoveEmptyEntries)) set.Add(AttributionDocument.HashLower(w));
        return set.ToFrozenSet();
    }

    /// <summary>Regular inflections of a base form (over-generation is harmless: the forms are looked up, not produced).</summary>
    internal static IEnumerable<string> Forms(string b)
    {
        yield return b;
        bool e = b.EndsWith('e');
        bool y = b.Length > 2 && b.EndsWith('y') && !"aeiou".Contains(b[^2]);
        bool sibilant = b.EndsWith('s') || b.EndsWith('x') || b.EndsWith("sh") || b.EndsWith("ch") || b.EndsWith('z');
        yield return y ? b[..^1] + "ies" : sibilant ? b + "es" : b + "s";
        yield return e ? b + "d" : y ? b[..^1] + "ied" : b + "ed";
        yield return e && !b.EndsWith("ee") ? b[..^1] + "ing" : b + "ing";
        // Doubled final consonant: "admit" → "admitted", "refer" → "referred".
        char last = b[^1];
        if (b.Length >= 3 && "bdgklmnprt".Contains(last) && "aeiou".Contains(b[^2]) && !"aeiou".Contains(b[^3]))
        {
            yield return b + last + "ed";
            yield return b + last + "ing";
        }
    }
}
