using System.Collections.Immutable;
using Sitrep.Knowledge;
using Sitrep.Text;

namespace Sitrep.Attribution;

/// <summary>
/// Finds every attributed statement of an article body (direct quotes, partial quotes, reported speech), attaches it
/// to its speaker and grades the sourcing. Stages:
/// <list type="number">
/// <item>quotation marks are paired into quotations and each is judged speech or label (<see cref="QuoteFinder"/>);</item>
/// <item>the learned cue tagger marks reporting cues in each sentence; the learned argument tagger marks each cue's
/// source and content in a window around it (<see cref="AttributionModel"/>);</item>
/// <item>rules carry a direct quote on into the quotations that follow it ("“X,” he said. “Y.”"), give a participle
/// clause the subject of the verb before it ("…, emphasizing that …"), and credit speech quotations no cue claims;</item>
/// <item>speakers are classified (named, described, unnamed, collective), back-references ("they added", "the
/// official said", "another one said", pronouns) resolved, named speakers linked to KB entities and outlets credited
/// (<see cref="SpeakerResolver"/>).</item>
/// </list>
/// Construct once; immutable and safe to call from many threads.
/// </summary>
public sealed class AttributionExtractor
{
    private readonly SpeakerResolver _speakers;

    /// <param name="knowledge">The knowledge base (for outlets, people, organisations), or null to rely on the entities passed in only.</param>
    /// <param name="model">The learned taggers (<see cref="AttributionModel.LoadDefault"/>).</param>
    public AttributionExtractor(KnowledgeBase? knowledge, AttributionModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Knowledge = knowledge;
        Model = model;
        _speakers = new SpeakerResolver(knowledge);
    }

    public KnowledgeBase? Knowledge { get; }

    public AttributionModel Model { get; }

    /// <summary>
    /// The statements of one article body.
    /// </summary>
    /// <param name="text">The document text; every offset is a UTF-16 index into it.</param>
    /// <param name="bodyRanges">The body's pieces (article and subheading pieces) in order; a quotation never crosses one.</param>
    /// <param name="tokens">The body's tokens in order (the pieces' tokens concatenated).</param>
    /// <param name="sentences">The body's sentences; <see cref="SentenceSpan.FirstToken"/> indexes <paramref name="tokens"/>.</param>
    /// <param name="entities">The article's linked entities (speakers are linked to them; outlets among them are credited).</param>
    /// <returns>One record per content piece, in text order of their statements.</returns>
    /// <param name="ct">Checked every few sentences and between steps; cancellation throws <see cref="OperationCanceledException"/>.</param>
    public ImmutableArray<Quote> Extract(string text, IReadOnlyList<(int Start, int End)> bodyRanges, IReadOnlyList<Token> tokens,
        IReadOnlyList<SentenceSpan> sentences, IReadOnlyList<LinkedEntity> entities, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(sentences);
        if (tokens.Count == 0) return [];
        var doc = new AttributionDocument(text, tokens, sentences, bodyRanges);
        ct.ThrowIfCancellationRequested();
        var statements = Statements(doc, ct);
        ct.ThrowIfCancellationRequested();
        return _speakers.Build(doc, statements, entities ?? []);
    }

    /// <summary>Tokenises and splits the whole <paramref name="text"/> as one body, then <see cref="Extract(string, IReadOnlyList{ValueTuple{int, int}}, IReadOnlyList{Token}, IReadOnlyList{SentenceSpan}, IReadOnlyList{LinkedEntity})"/>.</summary>
    public ImmutableArray<Quote> Extract(string text, IReadOnlyList<LinkedEntity>? entities = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Tokenizer.Tokenize(text);
        var sentences = new List<SentenceSpan>();
        SentenceSplitter.Split(text, tokens, sentences);
        return Extract(text, [(0, text.Length)], tokens, sentences, entities ?? []);
    }

    /// <summary>The sourcing summary of an article's quotes (statements counted once each).</summary>
    public static SourcingSummary Summarize(IEnumerable<Quote> quotes) => SourcingSummary.Of(quotes);

    // ------------------------------------------------------------------ statements

    internal List<Statement> Statements(AttributionDocument doc, CancellationToken ct = default)
    {
        var scratch = AttributionModel.ThreadScratch;
        var statements = Model.Decode(doc, scratch, ct);
        ct.ThrowIfCancellationRequested();
        DropHeadings(doc, statements);
        FixCueEdges(doc, statements);
        DropEmpty(doc, statements);
        Unnest(doc, statements);
        DropAsides(doc, statements);
        Continue(doc, statements);
        CreditOrphanQuotes(doc, statements);
        statements.Sort((a, b) => Anchor(a).CompareTo(Anchor(b)));
        ShareSubjects(doc, statements);
        return statements;
    }

    /// <summary>The token a statement is ordered by: its cue, or its first content token.</summary>
    private static int Anchor(Statement s) => s.HasCue ? s.CueFirst : s.FirstContent;

    /// <summary>
    /// Drops statements found in heading lines (a title-case line without a final stop: "NATO’s Stand: An Irreversible
    /// Path?" is a subheading, not a statement).
    /// </summary>
    private static void DropHeadings(AttributionDocument doc, List<Statement> statements)
    {
        statements.RemoveAll(st =>
        {
            int s = doc.SentenceOf[st.CueFirst];
            if (s < 0) return false;
            var sent = doc.Sentences[s];
            int end = Math.Min(doc.Count, sent.EndToken);
            bool lineStart = sent.FirstToken == 0 || doc.BreakBefore(sent.FirstToken);
            bool lineEnd = end >= doc.Count || doc.BreakBefore(end);
            if (!lineStart || !lineEnd || doc.Shapes[end - 1] == Shape.Terminal && doc.Span(end - 1) is ".") return false;
            int words = 0, caps = 0;
            for (int i = sent.FirstToken; i < end; i++)
            {
                if (doc.Tokens[i].Kind != TokenKind.Word || !char.IsLetter(doc.First(i))) continue;
                words++;
                if (char.IsUpper(doc.First(i))) caps++;
            }
            return words >= 3 && caps * 5 >= words * 3;
        });
    }

    /// <summary>
    /// A cue that begins with the speaker's own noun ("NATO [representatives describe]") gives it back to the source:
    /// role nouns and capitalised words at the front of a cue move into the source run that ends there.
    /// </summary>
    private static void FixCueEdges(AttributionDocument doc, List<Statement> statements)
    {
        foreach (var st in statements)
        {
            while (st.CueEnd - st.CueFirst >= 2)
            {
                int i = st.CueFirst;
                bool nounish = SpeakerResolver.IsRoleNoun(doc.Word[i]) && !ReportingLexicon.Verbs.Contains(doc.Word[i]);
                if (!nounish) break;
                int run = st.Sources.FindIndex(r => r.End == i);
                if (run >= 0) st.Sources[run] = (st.Sources[run].First, i + 1);
                else st.Sources.Add((i, i + 1));
                st.CueFirst++;
            }
        }
    }

    /// <summary>
    /// Attributions do not nest (as in PolNeAR): content claimed by two statements stays with the earlier one, and a
    /// statement that starts where an earlier statement's content stops, in the same sentence, is part of that content
    /// ("said there is [worry among some members that …]", "claims what [it calls] …").
    /// </summary>
    private static void Unnest(AttributionDocument doc, List<Statement> statements)
    {
        statements.Sort((a, b) => a.CueFirst.CompareTo(b.CueFirst));
        var owner = new int[doc.Count];
        Array.Fill(owner, -1);
        for (int k = 0; k < statements.Count; k++)
        {
            var st = statements[k];
            var kept = new List<(int First, int End)>();
            foreach (var (f, e) in st.Content)
            {
                int i = f;
                while (i < e)
                {
                    while (i < e && owner[i] >= 0) i++;
                    int j = i;
                    while (j < e && owner[j] < 0) j++;
                    if (j > i) kept.Add((i, j));
                    i = j;
                }
            }
            st.Content.Clear();
            st.Content.AddRange(kept.Where(r => HasWord(doc, r.First, r.End)));
            foreach (var (f, e) in st.Content) for (int i = f; i < e; i++) owner[i] = k;
        }
        var removed = new bool[statements.Count];
        for (int k = 1; k < statements.Count; k++)
        {
            var b = statements[k];
            int bStart = b.Sources.Count > 0 ? Math.Min(b.CueFirst, b.Sources.Min(r => r.First)) : b.CueFirst;
            int sentence = doc.SentenceOf[b.CueFirst];
            for (int p = k - 1; p >= 0; p--)
            {
                var a = statements[p];
                // Sorted by cue: once the earlier statements lie in earlier sentences, none further back can qualify.
                if (doc.SentenceOf[a.CueFirst] is int sa && sa >= 0 && sa < sentence && sentence >= 0) break;
                if (removed[p] || a.Content.Count == 0 || doc.SentenceOf[a.CueFirst] != sentence) continue;
                int aEnd = a.Content.Max(r => r.End);
                int aStart = a.Content.Min(r => r.First);
                bool inside = b.CueFirst > aStart && b.CueFirst < aEnd && aStart > a.CueFirst;
                // B's own source inside A's content: "emphasized that [all NATO allies] agree on …".
                bool sourceInside = b.Sources.Count > 0 && aStart > a.CueFirst && b.Sources.Min(r => r.First) is int bs && bs >= aStart && bs < aEnd;
                bool adjacent = bStart == aEnd && aStart > a.CueFirst && !IsJoint(doc, aEnd - 1) && !b.Sources.Any(r => r.First < b.CueFirst);
                if (!inside && !adjacent && !sourceInside) continue;
                int bEnd = Math.Max(b.CueEnd, b.Content.Count > 0 ? b.Content.Max(r => r.End) : b.CueEnd);
                a.Content.Add((Math.Min(bStart, aEnd), bEnd));
                removed[k] = true;
                break;
            }
        }
        for (int k = statements.Count - 1; k >= 0; k--) if (removed[k] || statements[k].Content.Count == 0) statements.RemoveAt(k);
        WholeQuotations(doc, statements);
    }

    /// <summary>
    /// A speech quotation that is (part of) the content of a statement whose cue lies outside it belongs to that
    /// statement whole; cues inside it ("“… all Allies agree that …,” they added") are the speaker's words, not
    /// statements of their own.
    /// </summary>
    private static void WholeQuotations(AttributionDocument doc, List<Statement> statements)
    {
        // Which statements' content covers each token, and which statements have their cue inside each quotation:
        // one pass over the statements, so each quotation looks only at the statements that touch it.
        var covering = new List<int>?[doc.Count];
        var cuedIn = new Dictionary<int, List<int>>();
        for (int k = 0; k < statements.Count; k++)
        {
            var st = statements[k];
            int cq = doc.QuoteOf[st.CueFirst];
            if (cq >= 0) (cuedIn.TryGetValue(cq, out var l) ? l : cuedIn[cq] = []).Add(k);
            foreach (var (f, e) in st.Content)
                for (int i = Math.Max(0, f); i < e && i < doc.Count; i++) (covering[i] ??= []).Add(k);
        }
        var removed = new bool[statements.Count];
        var shared = new Dictionary<int, int>();
        for (int qi = 0; qi < doc.Quotes.Length; qi++)
        {
            var q = doc.Quotes[qi];
            if (q.Single || !q.Speech) continue;
            shared.Clear();
            for (int i = Math.Max(0, q.Open); i < q.EndToken && i < doc.Count; i++)
            {
                if (covering[i] is not { } list) continue;
                foreach (int k in list)
                    if (!removed[k] && doc.QuoteOf[statements[k].CueFirst] != qi) shared[k] = shared.GetValueOrDefault(k) + 1;
            }
            // The statement sharing most tokens with the quotation; on a tie, the first in order.
            int outer = -1, best = 0;
            foreach (var (k, n) in shared)
                if (n > best || (n == best && k < outer)) { best = n; outer = k; }
            if (outer < 0) continue;
            bool inner = false;
            if (cuedIn.TryGetValue(qi, out var inside))
                foreach (int k in inside)
                {
                    if (k == outer || removed[k]) continue;
                    removed[k] = true;
                    inner = true;
                }
            if (inner) statements[outer].Content.Add((q.Open, q.EndToken));
        }
        int w = 0;
        for (int k = 0; k < statements.Count; k++) if (!removed[k]) statements[w++] = statements[k];
        statements.RemoveRange(w, statements.Count - w);
    }

    private static readonly HashSet<string> Subordinators = new(StringComparer.OrdinalIgnoreCase)
        { "though", "although", "while", "whereas", "but", "even", "yet", "despite" };

    /// <summary>
    /// A clause the author adds after the attribution ("…," a senior US official said, [though they did not respond
    /// to …]) is not what the speaker said: a content run that opens with a subordinator right after the cue's comma
    /// is dropped.
    /// </summary>
    private static void DropAsides(AttributionDocument doc, List<Statement> statements)
    {
        foreach (var st in statements)
        {
            int right = Math.Max(st.CueEnd, st.Sources.Count > 0 ? st.Sources.Max(r => r.End) : st.CueEnd);
            st.Content.RemoveAll(r =>
            {
                int f = r.First;
                if (f < right) return false;
                if (doc.Shapes[f] == Shape.Comma) f++;
                else if (f - 1 < 0 || doc.Shapes[f - 1] != Shape.Comma) return false;
                if (f >= r.End || f - 1 > right) return false;
                return Subordinators.GetAlternateLookup<ReadOnlySpan<char>>().Contains(doc.Span(f)) && st.Content.Count > 1;
            });
        }
    }

    private static bool IsJoint(AttributionDocument doc, int i) =>
        doc.Shapes[i] is Shape.Comma or Shape.Colon or Shape.Dash || doc.Is(i, "and") || doc.Is(i, "but") || doc.Is(i, "or");

    /// <summary>Removes content runs that hold no word and statements left without content.</summary>
    private static void DropEmpty(AttributionDocument doc, List<Statement> statements)
    {
        foreach (var st in statements)
        {
            st.Content.RemoveAll(r => !HasWord(doc, r.First, r.End));
            st.Sources.RemoveAll(r => !HasWord(doc, r.First, r.End));
        }
        statements.RemoveAll(st => st.Content.Count == 0);
    }

    private static bool HasWord(AttributionDocument doc, int first, int end)
    {
        for (int i = first; i < end; i++) if (doc.IsWordLike(i)) return true;
        return false;
    }

    /// <summary>
    /// A statement whose content holds a speech quotation carries on into the speech quotations that directly follow
    /// its sentence ("“X,” he said. “Y.”"), in the same paragraph or opening the next, as long as no other cue claims
    /// them; and into the paragraphs a multi-paragraph quotation continues into.
    /// </summary>
    private static void Continue(AttributionDocument doc, List<Statement> statements)
    {
        var claimed = new bool[doc.Count];
        foreach (var st in statements)
        {
            foreach (var (f, e) in st.Content) for (int i = f; i < e; i++) claimed[i] = true;
            for (int i = st.CueFirst; i < st.CueEnd; i++) claimed[i] = true;
            foreach (var (f, e) in st.Sources) for (int i = f; i < e; i++) claimed[i] = true;
        }
        foreach (var st in statements.OrderBy(s => s.CueFirst))
        {
            int lastQuote = -1;
            int last = st.CueEnd - 1;
            foreach (var (f, e) in st.Content)
            {
                last = Math.Max(last, e - 1);
                for (int i = f; i < e; i++)
                {
                    int q = doc.QuoteOf[i];
                    if (q >= 0 && doc.Quotes[q].Speech) lastQuote = Math.Max(lastQuote, q);
                }
            }
            foreach (var (f, e) in st.Sources) last = Math.Max(last, e - 1);
            if (lastQuote < 0) continue;
            // The quotation itself may run on (the argument window stops at MaxWindow) or continue in the next paragraph.
            int qi = lastQuote;
            while (true)
            {
                var q = doc.Quotes[qi];
                if (q.EndToken - 1 > last && !Claimed(claimed, q.Open, q.EndToken, last + 1))
                {
                    AddRun(st, last + 1, q.EndToken, claimed);
                    last = q.EndToken - 1;
                }
                int next = qi + 1;
                if (next < doc.Quotes.Length && doc.Quotes[next].ContinuedFrom == qi && !Claimed(claimed, doc.Quotes[next].Open, doc.Quotes[next].EndToken, -1))
                {
                    AddRun(st, doc.Quotes[next].Open, doc.Quotes[next].EndToken, claimed);
                    last = doc.Quotes[next].EndToken - 1;
                    qi = next;
                    continue;
                }
                break;
            }
            // Quotations that follow the statement's sentence.
            int sentence = doc.SentenceOf[last];
            if (sentence < 0) continue;
            int t = doc.Sentences[sentence].EndToken;
            int para = doc.Paragraph[last];
            while (t < doc.Count && doc.Shapes[t] == Shape.OpenQuote)
            {
                int q = doc.QuoteOf[t];
                if (q < 0 || doc.Quotes[q].Open != t || !doc.Quotes[q].Speech || doc.Quotes[q].Single) break;
                var qs = doc.Quotes[q];
                bool nextParagraph = doc.Paragraph[t] != para;
                if (nextParagraph && (doc.Paragraph[t] != para + 1 || !doc.BreakBefore(t))) break;
                // The quotation must stand alone: nothing claimed inside it, and (in a new paragraph) nothing after it.
                if (Claimed(claimed, qs.Open, qs.EndToken, -1)) break;
                int after = qs.EndToken;
                int sentEnd = doc.SentenceOf[after - 1] >= 0 ? doc.Sentences[doc.SentenceOf[after - 1]].EndToken : after;
                bool trailing = false;
                for (int i = after; i < sentEnd; i++)
                    if (doc.IsWordLike(i)) { trailing = true; break; }
                if (trailing) break;
                AddRun(st, qs.Open, qs.EndToken, claimed);
                para = doc.Paragraph[after - 1];
                t = sentEnd;
                last = after - 1;
                // A multi-paragraph quotation continues.
                int qn = q;
                while (qn + 1 < doc.Quotes.Length && doc.Quotes[qn + 1].ContinuedFrom == qn && !Claimed(claimed, doc.Quotes[qn + 1].Open, doc.Quotes[qn + 1].EndToken, -1))
                {
                    qn++;
                    AddRun(st, doc.Quotes[qn].Open, doc.Quotes[qn].EndToken, claimed);
                    last = doc.Quotes[qn].EndToken - 1;
                    para = doc.Paragraph[last];
                    t = doc.SentenceOf[last] >= 0 ? doc.Sentences[doc.SentenceOf[last]].EndToken : last + 1;
                }
            }
        }
    }

    private static bool Claimed(bool[] claimed, int from, int to, int skipBefore)
    {
        for (int i = Math.Max(from, skipBefore); i < to; i++) if (claimed[i]) return true;
        return false;
    }

    private static void AddRun(Statement st, int first, int end, bool[] claimed)
    {
        if (end <= first) return;
        st.Content.Add((first, end));
        for (int i = first; i < end; i++) claimed[i] = true;
    }

    /// <summary>
    /// A speech quotation that no statement claims: inside a sentence, it is the content of the reporting word before
    /// it in that sentence (“…, stipulating a shared goal to “build a stable … Europe.”” — a reporting verb or noun of
    /// the lexicon that the tagger missed); otherwise it becomes a statement without a cue, whose speaker
    /// <see cref="SpeakerResolver"/> takes from the quotation just before it, if any.
    /// </summary>
    private static void CreditOrphanQuotes(AttributionDocument doc, List<Statement> statements)
    {
        var claimed = new bool[doc.Count];
        foreach (var st in statements)
        {
            foreach (var (f, e) in st.Content) for (int i = f; i < e; i++) claimed[i] = true;
            foreach (var (f, e) in st.Sources) for (int i = f; i < e; i++) claimed[i] = true;
            for (int i = st.CueFirst; i >= 0 && i < st.CueEnd; i++) claimed[i] = true;
        }
        foreach (var q in doc.Quotes)
        {
            if (q.Single || !q.Speech || q.ContinuedFrom >= 0) continue;
            bool any = false;
            for (int i = q.Open; i < q.EndToken && !any; i++) any = claimed[i];
            if (any) continue;
            if (q.WordCount(doc) < 4) continue;
            var st = new Statement();
            int sentence = doc.SentenceOf[q.Open];
            int cue = -1;
            if (sentence >= 0)
                for (int i = q.Open - 1; i >= doc.Sentences[sentence].FirstToken; i--)
                {
                    if (claimed[i] || doc.InQuote(i)) break;
                    if (doc.IsWordLike(i) && (ReportingLexicon.Verbs.Contains(doc.Word[i]) || ReportingLexicon.Nouns.Contains(doc.Word[i]))) { cue = i; break; }
                }
            if (cue >= 0)
            {
                st.CueFirst = cue;
                st.CueEnd = cue + 1;
                st.Content.Add((cue + 1, q.EndToken));
            }
            else st.Content.Add((q.Open, q.EndToken));
            foreach (var (f, e) in st.Content) for (int i = f; i < e; i++) claimed[i] = true;
            statements.Add(st);
        }
    }

    /// <summary>
    /// A statement with no source of its own whose cue is a participle or a second verb of the same subject
    /// ("…,” one diplomat said, emphasizing that …"; "announced … and said …") shares the speaker of the statement
    /// before it in the sentence.
    /// </summary>
    private static void ShareSubjects(AttributionDocument doc, List<Statement> statements)
    {
        // Tokens inside some statement's content (content does not change here): one pass, not one per candidate token.
        var inContent = new bool[doc.Count];
        foreach (var s in statements)
            foreach (var (f, e) in s.Content)
                for (int i = Math.Max(0, f); i < e && i < doc.Count; i++) inContent[i] = true;
        for (int k = 0; k < statements.Count; k++)
        {
            var st = statements[k];
            if (!st.HasCue) continue;
            // "…, six years after the Soviet Union’s collapse, stipulating …": the phrase that ends at the comma before
            // a participle is an aside, not its subject.
            if (st.Sources.Count > 0 && st.CueFirst >= 2 && doc.Shapes[st.CueFirst - 1] == Shape.Comma &&
                doc.Span(st.CueFirst).EndsWith("ing", StringComparison.OrdinalIgnoreCase) && st.Sources.All(r => r.End == st.CueFirst - 1))
                st.Sources.Clear();
            if (st.Sources.Count > 0) continue;
            int sentence = doc.SentenceOf[st.CueFirst];
            if (sentence < 0) continue;
            int before = st.CueFirst - 1;
            bool participle = doc.Span(st.CueFirst).EndsWith("ing", StringComparison.OrdinalIgnoreCase) &&
                              before >= 0 && doc.Shapes[before] == Shape.Comma;
            bool conjoined = before >= 0 && (doc.Is(before, "and") || doc.Is(before, "but") || doc.Is(before, "then"));
            if (!participle && !conjoined)
            {
                // "a spokesperson for the German government confirmed": the noun phrase right before the cue.
                if (ReportingLexicon.SpeechVerbs.Contains(doc.Word[st.CueFirst]) && NounPhraseBeforeCue(doc, st.CueFirst) is { } np) st.Sources.Add(np);
                continue;
            }
            bool shared = false;
            for (int p = k - 1; p >= 0; p--)
            {
                var prev = statements[p];
                if (!prev.HasCue) continue;
                if (doc.SentenceOf[prev.CueFirst] != sentence) break;
                if (prev.CueFirst >= st.CueFirst || prev.Sources.Count == 0 && prev.SharesSpeakerOf < 0) continue;
                st.SharesSpeakerOf = p;
                shared = true;
                break;
            }
            // No statement before it in the sentence: the subject that opens the sentence ("Trump told the crowd …,
            // pledging to …").
            if (!shared && Subject(doc, doc.Sentences[sentence].FirstToken, st.CueFirst, inContent) is { } subject)
                st.Sources.Add(subject);
        }
    }

    private static readonly HashSet<string> SubjectPronouns = new(StringComparer.OrdinalIgnoreCase) { "he", "she", "they", "it", "we", "i" };

    private static readonly HashSet<string> NotSubjects = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "a", "an", "in", "on", "at", "but", "and", "or", "so", "yet", "still", "for", "with", "after", "before", "when",
        "while", "as", "since", "if", "although", "though", "meanwhile", "however", "instead", "also", "then", "now", "on", "by",
        "during", "over", "under", "from", "to", "of", "this", "that", "these", "those", "there", "here", "last", "next", "earlier", "later",
        "any", "some", "every", "each", "no", "all", "many", "most", "such", "what", "whether", "how", "why", "where", "it", "its",
    };

    private static readonly HashSet<string> Qualifying = new(StringComparer.OrdinalIgnoreCase) { "for", "of", "at", "from", "with", "in" };

    private static readonly HashSet<string> Auxiliaries = new(StringComparer.OrdinalIgnoreCase)
    {
        "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "can", "could", "should", "may",
        "might", "must", "to", "not", "n't", "n’t", "also", "it", "there", "that", "which", "who", "and", "or", "but", "as", "if",
    };

    /// <summary>
    /// The noun phrase that ends right before a cue, when it names a speaker: back over words (not across a comma,
    /// a quotation mark, a clause word or the sentence start) to its determiner, with a capitalised word, a role noun
    /// or a pronoun as its head. Nothing when the cue follows an auxiliary (a passive or infinitive cue: "was asked").
    /// </summary>
    private static (int First, int End)? NounPhraseBeforeCue(AttributionDocument doc, int cue)
    {
        int head = cue - 1;
        int sentence = doc.SentenceOf[cue];
        if (head < 0 || sentence < 0 || head < doc.Sentences[sentence].FirstToken || !doc.IsWordLike(head) || doc.InQuote(head)) return null;
        var hw = doc.Span(head);
        if (Auxiliaries.GetAlternateLookup<ReadOnlySpan<char>>().Contains(hw) || hw.EndsWith("ly", StringComparison.OrdinalIgnoreCase)) return null;
        bool named = doc.Capitalised(head) && !NotSubjects.GetAlternateLookup<ReadOnlySpan<char>>().Contains(hw);
        bool pronoun = SubjectPronouns.GetAlternateLookup<ReadOnlySpan<char>>().Contains(hw);
        if (!named && !pronoun && !SpeakerResolver.IsRoleNoun(doc.Word[head])) return null;
        if (pronoun) return (head, cue);
        int first = head, stop = Math.Max(doc.Sentences[sentence].FirstToken, head - 10);
        for (int i = head - 1; i >= stop; i--)
        {
            if (!doc.IsWordLike(i) || doc.InQuote(i)) break;
            var w = doc.Span(i);
            if (Auxiliaries.GetAlternateLookup<ReadOnlySpan<char>>().Contains(w) || w.Equals("when", StringComparison.OrdinalIgnoreCase) || w.Equals("while", StringComparison.OrdinalIgnoreCase)) break;
            first = i;
            if (w is "a" or "an" or "the" or "A" or "An" or "The")
            {
                // "a spokesperson for [the German government]": carry on over the preposition to the phrase it qualifies.
                if (i - 2 >= stop && doc.IsWordLike(i - 2) && Qualifying.GetAlternateLookup<ReadOnlySpan<char>>().Contains(doc.Span(i - 1)) &&
                    SpeakerResolver.IsRoleNoun(doc.Word[i - 2]))
                {
                    i -= 1;
                    continue;
                }
                break;
            }
        }
        return (first, cue);
    }

    /// <summary>The subject that opens a sentence: a pronoun or a capitalised name run, outside quotations and other statements' content.</summary>
    private static (int First, int End)? Subject(AttributionDocument doc, int from, int cue, bool[] inContent)
    {
        for (int i = from; i < cue && i < from + 12; i++)
        {
            if (doc.InQuote(i) || !doc.IsWordLike(i)) continue;
            if (inContent[i]) return null;
            var w = doc.Span(i);
            if (SubjectPronouns.GetAlternateLookup<ReadOnlySpan<char>>().Contains(w)) return (i, i + 1);
            if (doc.Capitalised(i) && !NotSubjects.GetAlternateLookup<ReadOnlySpan<char>>().Contains(w) && !w.EndsWith("ly", StringComparison.Ordinal))
            {
                int e = i + 1;
                while (e < cue && doc.Capitalised(e)) e++;
                // A subject is followed by its verb, not by a comma ("Conversely, …").
                if (e < cue && doc.Shapes[e] == Shape.Comma) return null;
                return (i, e);
            }
            if (doc.Shapes[i] == Shape.Lower) return null;
        }
        return null;
    }
}
