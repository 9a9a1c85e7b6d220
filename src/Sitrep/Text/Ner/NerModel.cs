using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using Sitrep.Text.Tagging;

namespace Sitrep.Text.Ner;

/// <summary>
/// A trained named-entity recogniser (PER, ORG, LOC, MISC): NER features (<see cref="FeatureExtractor"/>) and tag set
/// (<see cref="TagSet"/>) over the shared <see cref="LinearTagger"/> (averaged perceptron over hashed features), decoded
/// per sentence with Viterbi, or greedily left to right with previous-tag features. Immutable after loading; tagging
/// is thread-safe (each thread uses its own scratch buffers).
/// </summary>
public sealed class NerModel
{
    private const uint Magic = 0x52454E53; // "SNER"
    private const int FormatVersion = 2;

    internal readonly TagSet Tags;
    internal readonly int Bits;
    internal readonly NerLexicon Lexicon;
    internal readonly FeatureExtractor Extractor;

    /// <summary>First-stage model whose predictions feed this one's <see cref="NerFeatures.Stacked"/> features (null for a single-stage model).</summary>
    internal readonly NerModel? Stage1;

    /// <summary>The weights, transitions and decoding (shared with attribution); its tags are <see cref="Tags"/>.</summary>
    internal readonly LinearTagger Tagger;

    /// <summary>Emission weights [row * K + tag].</summary>
    internal float[] Weights => Tagger.Weights;

    /// <summary>
    /// First-order transition scores [(prev + 1) * K + cur] (prev −1 = sentence start) when the model decodes each
    /// sentence with Viterbi (structured perceptron); null for greedy left-to-right decoding.
    /// </summary>
    internal float[]? Transitions => Tagger.Transitions;

    /// <summary>Names seen in the training data (for <see cref="NerFeatures.TrainNames"/>).</summary>
    internal readonly NerNameList? Names;

    internal NerModel(TagScheme scheme, NerFeatures features, NerLexicon lexicon, LinearTagger tagger, float temperature, string description,
        NerModel? stage1 = null, NerNameList? names = null)
    {
        Stage1 = stage1;
        Names = names;
        if ((features & NerFeatures.Stacked) != 0 && (stage1 == null || stage1.Features != (features & ~NerFeatures.Stacked) || stage1.Scheme != scheme))
            throw new ArgumentException("a stacked model needs a first stage with the same features (less Stacked) and scheme");
        Tags = new TagSet(scheme);
        if (tagger.Tags != Tags.Count) throw new ArgumentException("the tagger's tags are not the scheme's");
        Bits = tagger.Bits;
        Features = features;
        Lexicon = lexicon;
        Tagger = tagger;
        Temperature = temperature;
        Description = description;
        Extractor = new FeatureExtractor(lexicon, Bits, features);
    }

    /// <summary>
    /// A linear tagger for the tag set of <paramref name="scheme"/> (its constraints: which tag may follow which, which
    /// may end a sentence) over 2^<paramref name="bits"/> feature rows; with transitions for Viterbi decoding.
    /// </summary>
    internal static LinearTagger NewTagger(TagScheme scheme, int bits, bool viterbi, float[]? weights = null, float[]? transitions = null)
    {
        var tags = new TagSet(scheme);
        return new LinearTagger(tags.Count, bits, tags.AllowedTable(), tags.CanEndTable(), viterbi, weights, transitions);
    }

    /// <summary>Feature groups the model was trained with.</summary>
    public NerFeatures Features { get; }

    /// <summary>Tag scheme used internally (entities are returned as spans either way).</summary>
    public TagScheme Scheme => Tags.Scheme;

    /// <summary>Softmax temperature applied to perceptron scores for <see cref="EntitySpan.Score"/> (fitted on dev data).</summary>
    public float Temperature { get; internal set; }

    /// <summary>Free text recorded at training time (data, epochs, dev F1).</summary>
    public string Description { get; }

    /// <summary>Gazetteer used for gazetteer features, if the model was trained with them.</summary>
    public INerGazetteer? Gazetteer
    {
        get => _gazetteer;
        set
        {
            _gazetteer = value;
            if (Stage1 != null) Stage1.Gazetteer = value;
        }
    }

    private INerGazetteer? _gazetteer;

    /// <summary>Tags a document: <paramref name="tokens"/> are spans of <paramref name="text"/>, grouped by <paramref name="sentences"/>
    /// (if empty, all tokens form one sentence). Returns entities in text order.</summary>
    public IReadOnlyList<EntitySpan> Tag(string text, ReadOnlySpan<Token> tokens, ReadOnlySpan<SentenceSpan> sentences, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (tokens.IsEmpty) return [];
        SentenceSpan[]? whole = null;
        if (sentences.IsEmpty)
        {
            whole = [new SentenceSpan(tokens[0].Start, tokens[^1].End, 0, tokens.Length)];
            sentences = whole;
        }
        var s = NerScratch.Rent();
        try
        {
            Decode(text, tokens, sentences, s, withProbs: true, ct: ct);
            var result = new List<EntitySpan>();
            foreach (var sent in sentences)
            {
                s.Chunks.Clear();
                Tags.Decode(s.Tags.AsSpan(sent.FirstToken, sent.TokenCount), sent.FirstToken, s.Chunks);
                foreach (var c in s.Chunks)
                {
                    float p = 0;
                    for (int i = c.First; i < c.First + c.Count; i++) p += s.Probs[i];
                    result.Add(new EntitySpan(tokens[c.First].Start, tokens[c.First + c.Count - 1].End, (EntityType)c.Type, p / c.Count, c.First, c.Count));
                }
            }
            return result;
        }
        finally
        {
            NerScratch.Return(s);
        }
    }

    /// <inheritdoc cref="Tag(string, ReadOnlySpan{Token}, ReadOnlySpan{SentenceSpan})"/>
    public IReadOnlyList<EntitySpan> Tag(string text, IReadOnlyList<Token> tokens, IReadOnlyList<SentenceSpan> sentences, CancellationToken ct = default) =>
        Tag(text, AsSpan(tokens), AsSpan(sentences), ct);

    /// <summary>Tags pre-tokenised sentences of one document (tokens joined by single spaces, sentences by newlines);
    /// spans' offsets refer to that joined text, and <see cref="EntitySpan.FirstToken"/> counts tokens across the document.</summary>
    public IReadOnlyList<EntitySpan> Tag(IReadOnlyList<IReadOnlyList<string>> sentences)
    {
        var doc = Join(sentences);
        return Tag(doc.Text, doc.Tokens, doc.Sentences);
    }

    /// <summary>Tags one pre-tokenised sentence.</summary>
    public IReadOnlyList<EntitySpan> Tag(IReadOnlyList<string> tokens) => Tag([tokens]);

    /// <summary>BIO tags (B-PER, I-ORG, O ...) for each token of pre-tokenised sentences of one document.</summary>
    public string[][] TagBio(IReadOnlyList<IReadOnlyList<string>> sentences)
    {
        var doc = Join(sentences);
        var spans = Tag(doc.Text, doc.Tokens, doc.Sentences);
        var flat = new string[doc.Tokens.Length];
        Array.Fill(flat, "O");
        foreach (var e in spans)
        {
            string name = e.Type.ToConll();
            flat[e.FirstToken] = "B-" + name;
            for (int i = e.FirstToken + 1; i < e.FirstToken + e.TokenCount; i++) flat[i] = "I-" + name;
        }
        var result = new string[sentences.Count][];
        int k = 0;
        for (int i = 0; i < sentences.Count; i++)
        {
            result[i] = flat.AsSpan(k, sentences[i].Count).ToArray();
            k += sentences[i].Count;
        }
        return result;
    }

    private static NerDocument Join(IReadOnlyList<IReadOnlyList<string>> sentences)
    {
        var sb = new StringBuilder();
        var toks = new List<Token>();
        var sents = new List<SentenceSpan>();
        foreach (var s in sentences)
        {
            if (sb.Length > 0) sb.Append('\n');
            int start = sb.Length, first = toks.Count;
            for (int i = 0; i < s.Count; i++)
            {
                if (i > 0) sb.Append(' ');
                int st = sb.Length;
                sb.Append(s[i]);
                toks.Add(new Token(st, sb.Length, TokenKind.Word));
            }
            sents.Add(new SentenceSpan(start, sb.Length, first, s.Count));
        }
        return new NerDocument(sb.ToString(), [.. toks], [.. sents], null);
    }

    private static ReadOnlySpan<T> AsSpan<T>(IReadOnlyList<T> list) => list switch
    {
        T[] a => a,
        List<T> l => CollectionsMarshal.AsSpan(l),
        _ => list.ToArray(),
    };

    /// <summary>Greedy decoding of a whole document into <c>s.Tags</c> (and per-token probabilities into <c>s.Probs</c>).</summary>
    /// <param name="ct">Checked every few sentences (a watchdog or the user can stop a huge document).</param>
    internal void Decode(string text, ReadOnlySpan<Token> tokens, ReadOnlySpan<SentenceSpan> sentences, NerScratch s, bool withProbs, ScoreSink? sink = null, CancellationToken ct = default)
    {
        if (Stage1 != null)
        {
            Stage1.Decode(text, tokens, sentences, s, withProbs: false, ct: ct);
            ct.ThrowIfCancellationRequested();
            FeatureExtractor.Stack(s.Info, tokens.Length, s.Tags, Stage1.Tags, s);
            DecodePrepared(sentences, s, withProbs, sink, reuseStage1Rows: true, ct);
        }
        else
        {
            Extractor.Prepare(text, tokens, sentences, s, Gazetteer, Names, ct);
            ct.ThrowIfCancellationRequested();
            DecodePrepared(sentences, s, withProbs, sink, reuseStage1Rows: false, ct);
        }
    }

    /// <summary>Receives each token's scores during decoding (calibration).</summary>
    internal delegate void ScoreSink(int token, ReadOnlySpan<float> scores, int prev);

    /// <remarks>
    /// The first stage leaves each token's static rows in <c>s.Rows</c>; the second stage has the same templates plus
    /// the stacked ones (same hash size, so the same rows), so it reuses them and only adds the stacked rows.
    /// </remarks>
    private void DecodePrepared(ReadOnlySpan<SentenceSpan> sentences, NerScratch s, bool withProbs, ScoreSink? sink, bool reuseStage1Rows, CancellationToken ct = default)
    {
        int counted = 0;
        var fx = Extractor;
        s.Hist.Clear();
        int K = Tags.Count;
        var tagger = Tagger;
        Span<float> scores = stackalloc float[K];
        Span<int> dyn = stackalloc int[FeatureExtractor.MaxDynamic];
        var info = s.Info;
        var allRows = s.Rows;
        foreach (var sent in sentences)
        {
            if ((++counted & 31) == 0) ct.ThrowIfCancellationRequested();
            int a = sent.FirstToken, b = a + sent.TokenCount;
            if (sent.TokenCount <= 0) continue;
            if (Transitions != null)
            {
                DecodeSentenceViterbi(a, b, s, withProbs, sink, reuseStage1Rows);
                continue;
            }
            int prev1 = -1, prev2 = -1;
            for (int i = a; i < b; i++)
            {
                var rows = allRows.AsSpan(i * FeatureExtractor.Stride, FeatureExtractor.Stride);
                int ns;
                if (reuseStage1Rows)
                {
                    ns = s.Counts[i];
                    ns += fx.Stacked(info, i, a, b, rows[ns..]);
                }
                else
                {
                    ns = fx.Static(info, i, a, b, rows);
                    s.Counts[i] = (byte)ns;
                }
                int nd = fx.Dynamic(info[i], prev1, prev2, s, Tags, dyn);
                scores.Clear();
                tagger.AddRows(rows[..ns], scores);
                tagger.AddRows(dyn[..nd], scores);
                int best = tagger.Best(scores, prev1, i == b - 1);
                sink?.Invoke(i, scores, prev1);
                s.Tags[i] = (byte)best;
                if (withProbs && best != 0) s.Probs[i] = tagger.Probability(scores, prev1, best, Temperature);
                fx.Record(info[i], Tags.Type(best), s);
                prev2 = prev1;
                prev1 = best;
            }
        }
    }

    private void DecodeSentenceViterbi(int a, int b, NerScratch s, bool withProbs, ScoreSink? sink, bool reuseStage1Rows)
    {
        var fx = Extractor;
        int K = Tags.Count, n = b - a;
        s.EnsureSentence(n, K);
        Span<int> dyn = stackalloc int[FeatureExtractor.MaxDynamic];
        var info = s.Info;
        var emit = s.Emit.AsSpan(0, n * K);
        emit.Clear();
        for (int i = a; i < b; i++)
        {
            var rows = s.Rows.AsSpan(i * FeatureExtractor.Stride, FeatureExtractor.Stride);
            int ns;
            if (reuseStage1Rows)
            {
                ns = s.Counts[i];
                ns += fx.Stacked(info, i, a, b, rows[ns..]);
            }
            else
            {
                ns = fx.Static(info, i, a, b, rows);
                s.Counts[i] = (byte)ns;
            }
            int nd = fx.Dynamic(info[i], -1, -1, s, Tags, dyn);
            var e = emit.Slice((i - a) * K, K);
            Tagger.AddRows(rows[..ns], e);
            Tagger.AddRows(dyn[..nd], e);
        }
        Tagger.Viterbi(emit, n, s.Tags.AsSpan(a, n), s.Delta, s.Back);
        Span<float> scores = stackalloc float[K];
        for (int i = a; i < b; i++)
        {
            int prev = i == a ? -1 : s.Tags[i - 1], tag = s.Tags[i];
            if (sink != null || (withProbs && tag != 0))
            {
                Tagger.TransitionScores(emit.Slice((i - a) * K, K), prev, scores);
                sink?.Invoke(i, scores, prev);
                if (withProbs && tag != 0) s.Probs[i] = Tagger.Probability(scores, prev, tag, Temperature);
            }
        }
        for (int i = a; i < b; i++) fx.Record(info[i], Tags.Type(s.Tags[i]), s);
    }

    /// <summary>Softmax probability of <paramref name="chosen"/> after <paramref name="prev"/> at the model's <see cref="Temperature"/>.</summary>
    internal float Probability(ReadOnlySpan<float> scores, int prev, int chosen) => Tagger.Probability(scores, prev, chosen, Temperature);

    // ---------------------------------------------------------------- persistence

    /// <summary>Loads a model written by <see cref="Save(string)"/>.</summary>
    public static NerModel Load(string path)
    {
        using var fs = File.OpenRead(path);
        return Load(fs);
    }

    /// <summary>Loads a model from a stream (read to its end).</summary>
    public static NerModel Load(Stream stream)
    {
        using var head = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (head.ReadUInt32() != Magic) throw new InvalidDataException("not a Sitrep NER model (bad magic)");
        int version = head.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"unsupported NER model version {version}");
        using var br = new BrotliStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var r = new BinaryReader(br, Encoding.UTF8);
        var scheme = (TagScheme)r.ReadByte();
        int bits = r.ReadInt32();
        if (bits < 8 || bits > 26) throw new InvalidDataException("bad hash size " + bits);
        var features = (NerFeatures)r.ReadInt32();
        float temperature = r.ReadSingle();
        float scale = r.ReadSingle();
        string description = r.ReadString();
        var lexicon = NerLexicon.Read(r);
        var names = r.ReadBoolean() ? NerNameList.Read(r) : null;
        int K = new TagSet(scheme).Count;
        var tagger = ReadTagger(r, scheme, bits, K, scale);
        NerModel? stage1 = null;
        if (r.ReadBoolean())
        {
            var f1 = (NerFeatures)r.ReadInt32();
            float t1 = r.ReadSingle(), s1 = r.ReadSingle();
            stage1 = new NerModel(scheme, f1, lexicon, ReadTagger(r, scheme, bits, K, s1), t1, "first stage", null, names);
        }
        if (r.ReadUInt32() != Magic) throw new InvalidDataException("truncated NER model");
        return new NerModel(scheme, features, lexicon, tagger, temperature, description, stage1, names);
    }

    /// <summary>Weights (16-bit rows at <paramref name="scale"/>) then transitions, as <see cref="WriteTagger"/> wrote them.</summary>
    private static LinearTagger ReadTagger(BinaryReader r, TagScheme scheme, int bits, int K, float scale)
    {
        var weights = LinearTagger.ReadQuantisedRows(r, bits, K, scale);
        var transitions = LinearTagger.ReadTransitions(r, K);
        var tags = new TagSet(scheme);
        return new LinearTagger(K, bits, tags.AllowedTable(), tags.CanEndTable(), transitions != null, weights, transitions) { LoadedScale = scale };
    }

    private static void WriteTagger(BinaryWriter w, LinearTagger tagger)
    {
        tagger.WriteQuantisedRows(w, tagger.QuantisationScale());
        tagger.WriteTransitions(w);
    }

    /// <summary>Writes the model: weights quantised to 16 bits, only non-zero rows, Brotli-compressed.</summary>
    public void Save(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using var fs = File.Create(path);
        Save(fs);
    }

    public void Save(Stream stream)
    {
        using (var head = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            head.Write(Magic);
            head.Write(FormatVersion);
        }
        using var bs = new BrotliStream(stream, CompressionLevel.Optimal, leaveOpen: true);
        using var w = new BinaryWriter(bs, Encoding.UTF8);
        w.Write((byte)Tags.Scheme);
        w.Write(Bits);
        w.Write((int)Features);
        w.Write(Temperature);
        w.Write(Tagger.QuantisationScale());
        w.Write(Description);
        Lexicon.Write(w);
        w.Write(Names != null);
        Names?.Write(w);
        WriteTagger(w, Tagger);
        w.Write(Stage1 != null);
        if (Stage1 != null)
        {
            w.Write((int)Stage1.Features);
            w.Write(Stage1.Temperature);
            w.Write(Stage1.Tagger.QuantisationScale());
            WriteTagger(w, Stage1.Tagger);
        }
        w.Write(Magic);
    }
}
