using System.IO.Compression;
using System.Text;
using Sitrep.Text.Tagging;

namespace Sitrep.Attribution;

/// <summary>A statement found by the taggers: cue, source runs and content runs as token ranges [First, End).</summary>
internal sealed class Statement
{
    public int CueFirst = -1, CueEnd = -1;
    public readonly List<(int First, int End)> Sources = [];
    public readonly List<(int First, int End)> Content = [];
    public float CueScore;

    /// <summary>Index of the statement whose speaker this one shares (a participle after a comma: "…, emphasizing that"), or -1.</summary>
    public int SharesSpeakerOf = -1;

    public bool HasCue => CueFirst >= 0;

    public int FirstContent => Content.Count == 0 ? -1 : Content.Min(c => c.First);
}

/// <summary>
/// The learned part of the attribution stage: a cue tagger (stage 1) and an argument tagger (stage 2), each the shared
/// <see cref="LinearTagger"/> with attribution's own features (<see cref="Features"/>) and BIO tags, trained on
/// PolNeAR by <c>AttributionTrainer</c> (Sitrep.Training). Stored as one gzip file (<c>models/attribution/attribution.bin</c>);
/// loaded once, immutable and thread-safe.
/// </summary>
public sealed class AttributionModel
{
    private const int Magic = 0x52544153; // "SATR"
    private const int FormatVersion = 3;

    /// <summary>The model file's path relative to the repository (or program) folder.</summary>
    public const string DefaultRelativePath = "models/attribution/attribution.bin";

    /// <summary>Environment variable naming a folder that holds <c>attribution/attribution.bin</c>.</summary>
    public const string ModelsFolderVariable = "SITREP_MODELS_DIR";

    internal readonly LinearTagger CueTagger;
    internal readonly LinearTagger ArgTagger;

    /// <summary>How the model was made (data, options, held-out figure); written into the file.</summary>
    public string Description { get; }

    internal AttributionModel(LinearTagger cue, LinearTagger args, string description, float cueBias = 0)
    {
        CueTagger = cue;
        ArgTagger = args;
        Description = description;
        CueBias = cueBias;
    }

    internal AttributionModel WithCueBias(float bias, string? description = null) => new(CueTagger, ArgTagger, description ?? Description, bias);

    /// <summary>Added to the cue tags' scores before decoding: trades cue precision for recall (tuned on held-out training articles).</summary>
    internal float CueBias { get; }

    internal const int CueTags = 3;   // O, B-cue, I-cue
    internal const int ArgTags = 5;   // O, B-source, I-source, B-content, I-content

    /// <summary>Longest window (tokens) the argument tagger looks at around one cue.</summary>
    internal const int MaxWindow = 200;

    /// <summary>A new (untrained) cue or argument tagger: BIO constraints, transitions, 2^<paramref name="bits"/> feature rows.</summary>
    internal static LinearTagger NewTagger(int tags, int bits) => new(tags, bits, LinearTagger.BioAllowed(tags), null, withTransitions: true);

    /// <summary>Writes the model (gzip; each tagger with half-precision weights), through a temporary file.</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp";
        using (var fs = File.Create(tmp))
        using (var z = new GZipStream(fs, CompressionLevel.SmallestSize))
        using (var w = new BinaryWriter(z, Encoding.UTF8))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(Description);
            w.Write(Features.Fingerprint);
            w.Write(CueBias);
            CueTagger.WriteHalfWeights(w);
            ArgTagger.WriteHalfWeights(w);
        }
        File.Move(tmp, full, overwrite: true);
    }

    /// <exception cref="InvalidDataException">The file is not an attribution model of this version.</exception>
    public static AttributionModel Load(string path)
    {
        using var fs = File.OpenRead(path);
        try
        {
            using var z = new GZipStream(fs, CompressionMode.Decompress);
            using var r = new BinaryReader(z, Encoding.UTF8);
            if (r.ReadInt32() != Magic) throw new InvalidDataException($"{path}: not a Sitrep attribution model");
            int version = r.ReadInt32();
            if (version != FormatVersion) throw new InvalidDataException($"{path}: attribution model format {version}, expected {FormatVersion}");
            var description = r.ReadString();
            ulong fingerprint = r.ReadUInt64();
            if (fingerprint != Features.Fingerprint)
                throw new InvalidDataException($"{path}: attribution model trained with other features or word lists than this program's; retrain it ('sitrep train attribution')");
            float bias = r.ReadSingle();
            var cue = LinearTagger.ReadHalfWeights(r);
            var args = LinearTagger.ReadHalfWeights(r);
            if (cue.Tags != CueTags || args.Tags != ArgTags) throw new InvalidDataException($"{path}: unexpected tag sets");
            return new AttributionModel(cue, args, description, bias);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidOperationException || (e is InvalidDataException && !e.Message.StartsWith(path, StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"{path}: not a valid attribution model ({e.Message})", e);
        }
    }

    /// <summary>
    /// The default model file: <c>$SITREP_MODELS_DIR/attribution/attribution.bin</c>, else
    /// <c>models/attribution/attribution.bin</c> in the program's folder or any folder above it, or above the
    /// current folder. Null when none exists.
    /// </summary>
    public static string? FindDefault()
    {
        var env = Environment.GetEnvironmentVariable(ModelsFolderVariable);
        if (!string.IsNullOrEmpty(env))
        {
            var p = Path.Combine(env, "attribution", "attribution.bin");
            if (File.Exists(p)) return p;
        }
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var p = Path.Combine(dir.FullName, DefaultRelativePath);
                if (File.Exists(p)) return p;
            }
        }
        return null;
    }

    /// <summary>Loads <see cref="FindDefault"/>.</summary>
    /// <exception cref="FileNotFoundException">No model file found.</exception>
    public static AttributionModel LoadDefault() =>
        Load(FindDefault() ?? throw new FileNotFoundException(
            $"attribution model '{DefaultRelativePath}' not found beside the program or above it (set {ModelsFolderVariable}, or run 'sitrep train attribution')"));

    // ------------------------------------------------------------------ decoding

    /// <summary>Per-thread work buffers, so decoding allocates little and the model stays shareable.</summary>
    internal sealed class Scratch
    {
        public readonly FeatureBuffer Buffer = new();
        public readonly Features.ArgWindow Window = new();
        public float[] Scores = new float[1024], Delta = new float[1024];
        public byte[] Back = new byte[1024], Tags = new byte[256];

        public void Ensure(int positions, int tags)
        {
            int need = positions * tags;
            if (Scores.Length < need)
            {
                int size = Math.Max(need, Scores.Length * 2);
                Scores = new float[size];
                Delta = new float[size];
                Back = new byte[size];
            }
            if (Tags.Length < positions) Tags = new byte[Math.Max(positions, Tags.Length * 2)];
        }
    }

    [ThreadStatic] private static Scratch? t_scratch;

    internal static Scratch ThreadScratch => t_scratch ??= new Scratch();

    /// <summary>Stage 1: cue spans [First, End) of every sentence, with the Viterbi margin of the span's first token.</summary>
    internal List<(int First, int End, float Score)> FindCues(AttributionDocument d, Scratch s, CancellationToken ct = default)
    {
        var cues = new List<(int, int, float)>();
        int counted = 0;
        foreach (var sent in d.Sentences)
        {
            if ((++counted & 31) == 0) ct.ThrowIfCancellationRequested();
            int from = sent.FirstToken, to = Math.Min(d.Count, sent.EndToken);
            if (to - from < 2) continue;
            Features.Cue(d, from, to, s.Buffer);
            int n = to - from;
            s.Ensure(n, CueTags);
            CueTagger.Emissions(s.Buffer.FeatureSpan, s.Buffer.OffsetSpan, s.Scores);
            if (CueBias != 0)
                for (int k = 0; k < n; k++) { s.Scores[k * CueTags + 1] += CueBias; s.Scores[k * CueTags + 2] += CueBias; }
            CueTagger.Viterbi(s.Scores, n, s.Tags, s.Delta, s.Back);
            for (int k = 0; k < n; k++)
            {
                if (s.Tags[k] != 1) continue;
                int e = k + 1;
                while (e < n && s.Tags[e] == 2) e++;
                float margin = s.Scores[k * CueTags + 1] - s.Scores[k * CueTags];
                cues.Add((from + k, from + e, margin));
                k = e - 1;
            }
        }
        return cues;
    }

    /// <summary>
    /// The token window the argument tagger sees for a cue: the cue's sentence, widened to whole quotations that cross
    /// its edges (a quotation of several sentences before "…,” she said"), at most <see cref="MaxWindow"/> tokens.
    /// </summary>
    internal static (int From, int To) Window(AttributionDocument d, int cueFirst, int cueEnd)
    {
        int s = d.SentenceOf[cueFirst];
        int from, to;
        if (s < 0) { from = cueFirst; to = cueEnd; }
        else { from = d.Sentences[s].FirstToken; to = Math.Min(d.Count, d.Sentences[s].EndToken); }
        for (int round = 0; round < 3; round++)
        {
            bool changed = false;
            int qa = d.QuoteOf[from];
            if (qa >= 0 && d.Quotes[qa].Open < from) { from = d.Quotes[qa].Open; changed = true; }
            int qb = d.QuoteOf[to - 1];
            if (qb >= 0 && d.Quotes[qb].EndToken > to) { to = d.Quotes[qb].EndToken; changed = true; }
            if (!changed) break;
        }
        if (to - from > MaxWindow)
        {
            from = Math.Max(from, cueFirst - MaxWindow / 2);
            to = Math.Min(to, from + MaxWindow);
            if (cueEnd > to) { to = cueEnd; from = Math.Max(0, to - MaxWindow); }
        }
        return (from, to);
    }

    /// <summary>Stage 2 for one cue: tags of the window [from, to) written to s.Tags[0..to-from).</summary>
    internal float TagArguments(AttributionDocument d, int from, int to, int cueFirst, int cueEnd, int[] cueOf, Scratch s)
    {
        Features.PrepareWindow(d, from, to, cueFirst, cueEnd, cueOf, s.Window);
        Features.Arg(d, s.Window, s.Buffer);
        int n = to - from;
        s.Ensure(n, ArgTags);
        ArgTagger.Emissions(s.Buffer.FeatureSpan, s.Buffer.OffsetSpan, s.Scores);
        return ArgTagger.Viterbi(s.Scores, n, s.Tags, s.Delta, s.Back);
    }

    /// <summary>Runs both stages: every cue with its source and content runs (cues whose content is empty are dropped).</summary>
    internal List<Statement> Decode(AttributionDocument d, Scratch s, CancellationToken ct = default)
    {
        var cues = FindCues(d, s, ct);
        var cueOf = new int[d.Count];
        Array.Fill(cueOf, -1);
        for (int c = 0; c < cues.Count; c++)
            for (int i = cues[c].First; i < cues[c].End; i++) cueOf[i] = c;
        var statements = new List<Statement>(cues.Count);
        int counted = 0;
        foreach (var (first, end, score) in cues)
        {
            if ((++counted & 31) == 0) ct.ThrowIfCancellationRequested();
            var (from, to) = Window(d, first, end);
            TagArguments(d, from, to, first, end, cueOf, s);
            var st = new Statement { CueFirst = first, CueEnd = end, CueScore = score };
            ReadRuns(s.Tags, to - from, from, st);
            if (st.Content.Count == 0) ColonContent(d, st);
            if (st.Content.Count == 0) ClauseContent(d, st);
            if (st.Content.Count > 0) statements.Add(st);
        }
        return statements;
    }

    /// <summary>
    /// A cue that ends its sentence with a colon ("The U.S. official added:", "as the website notes:") introduces the
    /// next sentence: its quotation if it opens with one, else the sentence itself.
    /// </summary>
    private static void ColonContent(AttributionDocument d, Statement st)
    {
        int c = -1;
        if (d.Shapes[st.CueEnd - 1] == Shape.Colon) c = st.CueEnd - 1;
        else if (st.CueEnd < d.Count && d.Shapes[st.CueEnd] == Shape.Colon) c = st.CueEnd;
        if (c < 0) return;
        int s = d.SentenceOf[c];
        if (s < 0 || d.Sentences[s].EndToken != c + 1 || s + 1 >= d.Sentences.Length) return;
        var next = d.Sentences[s + 1];
        if (d.Paragraph[next.FirstToken] - d.Paragraph[c] > 1) return;
        int q = d.QuoteOf[next.FirstToken];
        if (q >= 0 && d.Quotes[q].Open == next.FirstToken) st.Content.Add((d.Quotes[q].Open, d.Quotes[q].EndToken));
        else st.Content.Add((next.FirstToken, next.EndToken));
    }

    /// <summary>
    /// A verb of saying left without content by the argument tagger ("A NATO diplomat said [there is worry among …]",
    /// where the next cue cut the content short) takes the rest of its sentence: what follows the verb, up to the final
    /// stop. Nothing when the verb ends the sentence or a quotation follows (the tagger's call stands).
    /// </summary>
    private static void ClauseContent(AttributionDocument d, Statement st)
    {
        if (!ReportingLexicon.SpeechVerbs.Contains(d.Word[st.CueEnd - 1]) || d.InQuote(st.CueFirst)) return;
        int s = d.SentenceOf[st.CueFirst];
        if (s < 0) return;
        int end = Math.Min(d.Count, d.Sentences[s].EndToken);
        while (end > st.CueEnd && d.Shapes[end - 1] is Shape.Terminal or Shape.CloseQuote) end--;
        int first = st.CueEnd;
        if (first >= end || d.Shapes[first] is Shape.OpenQuote or Shape.Comma or Shape.Terminal or Shape.Colon || !d.IsWordLike(first)) return;
        if (end - first < 3) return;
        st.Content.Add((first, end));
    }

    /// <summary>Turns argument tags (O, B-S, I-S, B-C, I-C) into source and content runs.</summary>
    internal static void ReadRuns(ReadOnlySpan<byte> tags, int n, int offset, Statement st)
    {
        for (int k = 0; k < n; k++)
        {
            int t = tags[k];
            if (t != 1 && t != 3) continue;
            int e = k + 1;
            while (e < n && tags[e] == t + 1) e++;
            (t == 1 ? st.Sources : st.Content).Add((offset + k, offset + e));
            k = e - 1;
        }
    }
}
