using System.Collections.Immutable;
using Sitrep.Text;

namespace Sitrep.Knowledge;

/// <summary>A name found by a statistical recogniser: span, coarse type (person, organisation, place, misc) and score.</summary>
public readonly record struct RecognizedName(int Start, int End, string Type, double Score);

/// <summary>A named-entity recogniser the linker can consult for names the knowledge base does not know.</summary>
public interface IEntityRecognizer
{
    void Recognize(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences, List<RecognizedName> into);

    /// <summary>As <see cref="Recognize(string, IReadOnlyList{Token}, IReadOnlyList{SentenceSpan}, List{RecognizedName})"/>, stopping
    /// with <see cref="OperationCanceledException"/> when <paramref name="ct"/> is cancelled (a recogniser that reads long
    /// texts checks it as it goes).</summary>
    void Recognize(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences, List<RecognizedName> into, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Recognize(text, tokens, sentences, into);
    }
}

/// <summary>What a range of an article is, for linking: prose (body paragraphs, dek), a heading (title case), or a dateline (a place).</summary>
public enum RangeKind : byte { Prose, Heading, Dateline }

/// <summary>One mention of an entity: [Start, End) UTF-16 offsets into the document text.</summary>
/// <param name="Kind">How the text names the entity: name, alias, metonym, demonym (KB), or null for a model-found name.</param>
/// <param name="Source">"kb" when the knowledge base matched it, "ner" when only the model found it.</param>
public sealed record Mention(int Start, int End, MatchKind? Kind, double Confidence, string Source);

/// <summary>A role the text gives a person ("NATO Secretary General Mark Rutte"): the title span and the role it names.</summary>
public sealed record ClaimedRole(string Title, string? RoleId, string? OrgId, int Start, int End, int PersonStart, bool Former);

/// <summary>
/// An actor of an article with all its mentions. <see cref="Key"/> is the KB id, or for an entity the KB does not
/// know, <c>corpus:&lt;type&gt;:&lt;name&gt;</c> (merged by name variants: "Zelensky" joins "Volodymyr Zelensky").
/// </summary>
public sealed record LinkedEntity(
    string Key, string Name, string? KbId, string Type, double Confidence,
    ImmutableArray<Mention> Mentions, ImmutableArray<ClaimedRole> Roles);

/// <summary>
/// Links the mentions of one article: knowledge-base matches first (names, aliases, metonyms, demonyms, with
/// title + name role claims), then names found by the NER model that the KB does not know, which become corpus
/// entities. Metonyms are resolved by context: "Moscow said" is Russia, "in Moscow" is the city.
/// Immutable and thread-safe.
/// </summary>
public sealed class EntityLinker(AliasMatcher matcher, IEntityRecognizer? ner = null)
{
    public KnowledgeBase Knowledge => matcher.Knowledge;

    private static readonly HashSet<string> Locative = new(StringComparer.OrdinalIgnoreCase)
        { "in", "at", "near", "outside", "around", "across", "inside", "into", "throughout", "within", "from" };

    /// <summary>Links the entities of the given ranges of <paramref name="text"/> (an article's pieces).</summary>
    /// <param name="ranges">Each range with its tokens and sentences; ranges are linked independently, entities merged.</param>
    /// <param name="ct">Checked per range and inside the recogniser; cancellation throws <see cref="OperationCanceledException"/>.</param>
    public ImmutableArray<LinkedEntity> Link(string text, IReadOnlyList<(List<Token> Tokens, List<SentenceSpan> Sentences, RangeKind Kind)> ranges, CancellationToken ct = default)
    {
        var kbMentions = new Dictionary<string, List<Mention>>();
        var roles = new Dictionary<string, List<ClaimedRole>>();
        var nerCandidates = new List<RecognizedName>();
        var found = new List<RecognizedName>();
        // Sized once for the prose ranges the recogniser reads (growing them by doubling copied every article's tokens about twice).
        int proseTokens = 0, proseSentences = 0;
        foreach (var (tokens, sentences, kind) in ranges)
            if (kind == RangeKind.Prose && tokens.Count > 0) { proseTokens += tokens.Count; proseSentences += sentences.Count; }
        var allTokens = new List<Token>(proseTokens);
        var allSentences = new List<SentenceSpan>(proseSentences);
        var taken = new List<(int Start, int End)>();

        foreach (var (tokens, sentences, kind) in ranges)
        {
            if (tokens.Count == 0) continue;
            ct.ThrowIfCancellationRequested();
            var result = matcher.Analyse(text, tokens);
            foreach (var group in result.Matches.GroupBy(m => (m.Start, m.End)))
            {
                var chosen = Choose(text, tokens, group.ToList(), kind == RangeKind.Dateline);
                if (chosen is not { } m) continue;
                taken.Add((m.Start, m.End));
                Add(kbMentions, m.EntityId, new Mention(m.Start, m.End, m.Kind, Math.Round(m.Confidence, 3), "kb"));
            }
            foreach (var claim in result.RoleClaims)
                Add(roles, claim.Person.EntityId, new ClaimedRole(claim.Title, claim.RoleId, claim.OrgId, claim.TitleStart, claim.TitleEnd, claim.Person.Start, claim.Former));

            if (kind != RangeKind.Prose) continue; // title case carries no signal for the model
            foreach (var sentence in sentences) allSentences.Add(sentence with { FirstToken = sentence.FirstToken + allTokens.Count });
            allTokens.AddRange(tokens);
        }
        // The model reads the article as one document: its features look at other mentions of the same word.
        if (ner != null && allTokens.Count > 0)
        {
            ner.Recognize(text, allTokens, allSentences, found, ct);
            ct.ThrowIfCancellationRequested();
            // Spans the KB took, by start, with the furthest end among each prefix: one binary search per model span.
            taken.Sort();
            var reach = new int[taken.Count];
            for (int i = 0; i < taken.Count; i++) reach[i] = Math.Max(taken[i].End, i > 0 ? reach[i - 1] : int.MinValue);
            foreach (var span in found)
            {
                int lo = 0, hi = taken.Count; // count of taken spans starting before span.End
                while (lo < hi) { int mid = (lo + hi) >>> 1; if (taken[mid].Start < span.End) lo = mid + 1; else hi = mid; }
                if (lo == 0 || reach[lo - 1] <= span.Start) nerCandidates.Add(span);
            }
        }

        var entities = new List<LinkedEntity>();
        foreach (var (id, mentions) in kbMentions)
        {
            var e = matcher.Knowledge.Get(id);
            var rs = roles.TryGetValue(id, out var r) ? r.ToImmutableArray() : [];
            entities.Add(new LinkedEntity(id, e.Name, id, e.Type.ToString().ToLowerInvariant(), mentions.Max(m => m.Confidence),
                [.. mentions.OrderBy(m => m.Start)], rs));
        }
        var (corpus, joined) = CorpusEntities(text, nerCandidates, entities);
        // Surname-only mentions of KB people found by the model join that person.
        var joinedByKey = joined.GroupBy(j => j.Key).ToDictionary(g => g.Key, g => g.Select(j => j.Mention).ToList());
        for (int i = 0; i < entities.Count; i++)
        {
            var extra = joinedByKey.GetValueOrDefault(entities[i].Key) ?? [];
            if (extra.Count > 0) entities[i] = entities[i] with { Mentions = [.. entities[i].Mentions.Concat(extra).OrderBy(m => m.Start)] };
        }
        entities.AddRange(corpus);
        return [.. entities.OrderBy(e => e.Mentions[0].Start)];
    }

    /// <summary>
    /// Picks one reading of a span. A metonym ("Moscow", "the Kremlin" → Russia) wins unless the span is a place in context
    /// (after "in", "at", …, or in a dateline); weak readings of ambiguous names ("Brussels" → NATO) never win.
    /// </summary>
    private EntityMatch? Choose(string text, List<Token> tokens, List<EntityMatch> readings, bool isPlace)
    {
        var best = readings.OrderByDescending(m => m.Confidence).First();
        // The literal reading of a seat of power: a city, or a building-like body ("the Kremlin").
        var place = readings.FirstOrDefault(m => m.Kind != MatchKind.Metonym && matcher.Knowledge.Get(m.EntityId).Type is EntityType.Place or EntityType.Body);
        var metonym = readings.Where(m => m.Kind == MatchKind.Metonym && m.Confidence >= 0.6).OrderByDescending(m => m.Confidence).FirstOrDefault();
        if (place.EntityId != null && metonym.EntityId != null)
        {
            bool locative = isPlace || (best.FirstToken > 0 && Locative.Contains(TokenText(text, tokens[best.FirstToken - 1])))
                || (best.FirstToken > 1 && TokenText(text, tokens[best.FirstToken - 1]).Equals("the", StringComparison.OrdinalIgnoreCase) && Locative.Contains(TokenText(text, tokens[best.FirstToken - 2])));
            return locative ? place : metonym;
        }
        return best;
    }

    private static string TokenText(string text, Token t) => text[t.Start..t.End];

    /// <summary>
    /// Groups model-found names the KB does not know into corpus entities: same type and same name, or a
    /// one-word person name that is the last word of a longer one ("Trenin" → "Dmitry Trenin"). A one-word name
    /// that is the surname of a KB person joins that person instead.
    /// </summary>
    private static (List<LinkedEntity> Corpus, List<(string Key, Mention Mention)> Joined) CorpusEntities(string text, List<RecognizedName> spans, List<LinkedEntity> known)
    {
        var corpus = new List<LinkedEntity>();
        var joined = new List<(string Key, Mention Mention)>();
        if (spans.Count == 0) return (corpus, joined);
        var surnames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in known.Where(k => k.Type == "person"))
        {
            var last = e.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
            surnames.TryAdd(last, e.Key);
        }
        var groups = new Dictionary<string, (string Name, string Type, List<Mention> Mentions)>();
        // Longer person names by their last word: "Trenin" looks up the names ending in " Trenin".
        var longNames = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var n in spans.Where(s => s.Type == "person").Select(s => Normalise(text[s.Start..s.End])).Where(n => n.Contains(' ')).Distinct())
        {
            var lastWord = n[(n.LastIndexOf(' ') + 1)..];
            (longNames.TryGetValue(lastWord, out var l) ? l : longNames[lastWord] = []).Add(n);
        }
        foreach (var s in spans.OrderBy(s => s.Start))
        {
            var name = Normalise(text[s.Start..s.End]);
            if (name.Length < 2) continue;
            string type = s.Type;
            if (type == "person" && !name.Contains(' '))
            {
                var full = longNames.GetValueOrDefault(name) ?? [];
                if (full.Count == 1) name = full[0];
                else if (surnames.TryGetValue(name, out var kbKey))
                {
                    joined.Add((kbKey, new Mention(s.Start, s.End, MatchKind.Alias, Math.Round(s.Score, 3), "ner")));
                    continue;
                }
            }
            var key = $"corpus:{type}:{name.ToLowerInvariant()}";
            if (!groups.TryGetValue(key, out var g)) groups[key] = g = (name, type, []);
            g.Mentions.Add(new Mention(s.Start, s.End, null, Math.Round(s.Score, 3), "ner"));
        }
        foreach (var (key, g) in groups)
            corpus.Add(new LinkedEntity(key, g.Name, null, g.Type, g.Mentions.Max(m => m.Confidence), [.. g.Mentions], []));
        return (corpus, joined);
    }

    internal static string Normalise(string s)
    {
        var parts = s.Replace('’', '\'').Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var name = string.Join(' ', parts);
        if (name.EndsWith("'s", StringComparison.Ordinal)) name = name[..^2];
        return name;
    }

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(value);
    }
}
