using System.Text;

namespace Sitrep.Stories;

/// <summary>
/// What the claims stage reads of one article, read once when the article enters the model and stored with it
/// (<c>claim_digests</c>): its claim mentions (headline and quotes) with their terms, negated terms and actors, code
/// points already counted, and what a story's row needs (title, dek, lead, actors, subjects). Grading a story reads
/// these digests, never the documents: the text is not needed again.
/// </summary>
/// <param name="Origin">The origin when the digest was made; the stage replaces it with the copy link's current origin.</param>
public sealed record ClaimDigest(
    string Id, string DocumentId, string Label, string? Title, string? Dek, string? Lead, string? Outlet, string Origin, DateOnly? Date,
    IReadOnlyList<DigestActor> Actors, IReadOnlyList<DigestActor> Subjects, IReadOnlyList<DigestItem> Items)
{
    /// <summary>Version of <see cref="Write"/>'s format; another version is read as missing (and made again).</summary>
    public const byte FormatVersion = 1;

    /// <summary>The article's digest, as <see cref="ClaimGrader"/> reads claims with <paramref name="options"/>.</summary>
    public static ClaimDigest From(ClaimArticle a, ClaimOptions? options = null, IReadOnlyDictionary<string, string>? types = null)
    {
        var items = ClaimGrader.ReadItems(a, options ?? new ClaimOptions());
        var map = new Sitrep.Output.OffsetMap(a.Text);
        var digestItems = items.Select(i => new DigestItem(i.Start, i.End, i.Text, i.SentenceStart, i.SentenceEnd, i.Speaker, i.SpeakerKind, i.Headline, i.Negated,
            [map.ToCodePoint(i.Start), map.ToCodePoint(i.End), map.ToCodePoint(i.SentenceStart), map.ToCodePoint(i.SentenceEnd)],
            i.Terms, i.MatchTerms, i.ActorTerms, i.NegatedTerms)).ToList();
        var actors = a.Actors.Select(x => new DigestActor(x.Key, x.Name, x.Mentions.Count)).ToList();
        var subjects = StoryThreads.Subjects([a], types).Select(kv => new DigestActor(kv.Key, kv.Value.Name, kv.Value.Mentions)).ToList();
        string? lead = null;
        if (a.Sentences.Count > 0)
        {
            var (s, e) = a.Sentences[0];
            lead = Sitrep.Text.TextCut.Ellipsis(a.Text[s..e].ReplaceLineEndings(" ").Trim(), 120);
        }
        return new ClaimDigest(a.Id, a.DocumentId, a.Label, a.Title?.Trim(), string.IsNullOrWhiteSpace(a.Dek) ? null : a.Dek.Trim(), lead, a.Outlet, a.Origin, a.Date,
            actors, subjects, digestItems);
    }

    public byte[] ToBytes()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(FormatVersion);
            w.Write(Id); w.Write(DocumentId); w.Write(Label);
            Opt(w, Title); Opt(w, Dek); Opt(w, Lead); Opt(w, Outlet);
            w.Write(Origin);
            w.Write(Date?.DayNumber ?? -1);
            Actor(w, Actors); Actor(w, Subjects);
            w.Write(Items.Count);
            foreach (var i in Items)
            {
                w.Write(i.Start); w.Write(i.End); w.Write(i.Text); w.Write(i.SentenceStart); w.Write(i.SentenceEnd);
                Opt(w, i.Speaker); w.Write(i.SpeakerKind); w.Write(i.Headline); w.Write(i.Negated);
                foreach (var c in i.CodePoints) w.Write(c);
                Terms(w, i.Terms); Terms(w, i.MatchTerms); Terms(w, i.Actors); Terms(w, i.NegatedTerms);
            }
        }
        return ms.ToArray();
    }

    /// <summary>The digest in <paramref name="data"/>, or null when it is of another format version.</summary>
    public static ClaimDigest? FromBytes(byte[] data)
    {
        using var r = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
        if (r.ReadByte() != FormatVersion) return null;
        string id = r.ReadString(), doc = r.ReadString(), label = r.ReadString();
        string? title = Opt(r), dek = Opt(r), lead = Opt(r), outlet = Opt(r);
        string origin = r.ReadString();
        int day = r.ReadInt32();
        var actors = Actor(r);
        var subjects = Actor(r);
        int n = r.ReadInt32();
        var items = new DigestItem[n];
        for (int k = 0; k < n; k++)
        {
            int start = r.ReadInt32(), end = r.ReadInt32();
            string text = r.ReadString();
            int ss = r.ReadInt32(), se = r.ReadInt32();
            string? speaker = Opt(r);
            string kind = r.ReadString();
            bool headline = r.ReadBoolean(), negated = r.ReadBoolean();
            int[] cp = [r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32()];
            items[k] = new DigestItem(start, end, text, ss, se, speaker, kind, headline, negated, cp, Terms(r), Terms(r), Terms(r), Terms(r));
        }
        return new ClaimDigest(id, doc, label, title, dek, lead, outlet, origin, day < 0 ? null : DateOnly.FromDayNumber(day), actors, subjects, items);
    }

    private static void Opt(BinaryWriter w, string? s)
    {
        w.Write(s != null);
        if (s != null) w.Write(s);
    }

    private static string? Opt(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void Actor(BinaryWriter w, IReadOnlyList<DigestActor> list)
    {
        w.Write(list.Count);
        foreach (var a in list) { w.Write(a.Key); w.Write(a.Name); w.Write(a.Mentions); }
    }

    private static DigestActor[] Actor(BinaryReader r)
    {
        var list = new DigestActor[r.ReadInt32()];
        for (int i = 0; i < list.Length; i++) list[i] = new DigestActor(r.ReadString(), r.ReadString(), r.ReadInt32());
        return list;
    }

    private static void Terms(BinaryWriter w, string[] terms)
    {
        w.Write(terms.Length);
        foreach (var t in terms) w.Write(t);
    }

    private static string[] Terms(BinaryReader r)
    {
        var terms = new string[r.ReadInt32()];
        for (int i = 0; i < terms.Length; i++) terms[i] = r.ReadString();
        return terms;
    }
}

/// <summary>An actor of a digest: its key, name and number of mentions (for subjects: weighted as <see cref="StoryThreads.Subjects"/> counts).</summary>
public sealed record DigestActor(string Key, string Name, int Mentions);

/// <summary>
/// One claim mention of an article as the claims stage reads it: the span (UTF-16 offsets, and in <see cref="CodePoints"/>
/// start, end, sentence start and end as code points), who said it, and its terms.
/// </summary>
/// <param name="Terms">The span's terms, with its actors as "@key".</param>
/// <param name="MatchTerms">What is compared across articles: the span's terms, or its sentence's when the span is short.</param>
/// <param name="Actors">The span's actors, as "@key".</param>
/// <param name="NegatedTerms">Terms within a few words of a negation.</param>
public sealed record DigestItem(
    int Start, int End, string Text, int SentenceStart, int SentenceEnd, string? Speaker, string SpeakerKind, bool Headline, bool Negated,
    int[] CodePoints, string[] Terms, string[] MatchTerms, string[] Actors, string[] NegatedTerms);
