namespace Sitrep.Stories;

/// <summary>The outcome of clustering one stream of documents.</summary>
public sealed record ClusteringRun(PairwiseScore Score, int Stories, int Documents)
{
    /// <summary>The score of the story ids as first returned for each article, before later merges were applied.</summary>
    public PairwiseScore? AtArrival { get; init; }
}

/// <summary>One seed of <see cref="ClusteringEvaluation.Run"/>: the setting tuned on the dev half of the gold stories,
/// the score on the dev half (in-sample), on the other half (held out) and on all documents.</summary>
public sealed record ClusteringSeedResult(int Seed, StoryOptions Tuned, ClusteringRun Dev, ClusteringRun HeldOut, ClusteringRun All)
{
    /// <summary>The name of the tuned variant (see <see cref="ClusteringVariant"/>).</summary>
    public string Variant { get; init; } = "";

    /// <summary>With the oracle option: the parameters tuned on all documents (in-sample; a ceiling, not a result).</summary>
    public StoryOptions? OracleOnAll { get; init; }
    public ClusteringRun? OracleRun { get; init; }
}

/// <summary>A family of settings tuned over the threshold grid: makes the options for one threshold.</summary>
public sealed record ClusteringVariant(string Name, Func<StoryOptions, double, StoryOptions> Make)
{
    /// <summary>
    /// Parses variants separated by ';', each a list of space- or comma-separated key=value: <c>avg</c>, <c>centroid</c>, <c>member</c>,
    /// <c>entity</c> (similarity weights), <c>merge</c> (<c>off</c>, or an offset added to the threshold: <c>0</c> merges at
    /// the join threshold), <c>pn</c> (proper-noun weight), <c>pairs</c> (word-pair weight), <c>refresh</c>, <c>sweep</c>, <c>bg</c> (background weight), <c>size</c> (size discount), <c>lead</c> (lead weight), <c>idf</c> (IDF power),
    /// <c>cand</c> (candidate stories), <c>terms</c> (retrieval terms), <c>cons</c> (<c>on</c>, the default: the tuned
    /// threshold is the consolidation threshold and <c>join</c> the join threshold; <c>off</c>: no consolidation, the
    /// tuned threshold is the join threshold), <c>join</c>.
    /// </summary>
    public static IReadOnlyList<ClusteringVariant> Parse(string spec)
    {
        var list = new List<ClusteringVariant>();
        foreach (var part in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            double avg = 1, centroid = 0, member = 0, entity = 0, pn = 0, pairs = 0, idf = 1, bg = 1, size = 0, lead = 0;
            int candidates = 12, retrieval = 30, sweep = 0;
            double? merge = null; // parsed variants start from no merges, no lead, no size discount
            int refresh = 16;
            bool consolidate = true;
            double join = new StoryOptions().Threshold;
            foreach (var kv in part.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                var bits = kv.Split('=', 2);
                if (bits.Length != 2) throw new FormatException($"variant '{part}': '{kv}' is not key=value");
                string k = bits[0], v = bits[1];
                double D() => double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d)
                    ? d : throw new FormatException($"variant '{part}': '{v}' is not a number");
                switch (k)
                {
                    case "avg": avg = D(); break;
                    case "member": member = D(); break;
                    case "centroid": centroid = D(); break;
                    case "entity": entity = D(); break;
                    case "pn": pn = D(); break;
                    case "pairs": pairs = D(); break;
                    case "refresh": refresh = (int)D(); break;
                    case "idf": idf = D(); break;
                    case "sweep": sweep = (int)D(); break;
                    case "bg": bg = D(); break;
                    case "size": size = D(); break;
                    case "lead": lead = D(); break;
                    case "cand": candidates = (int)D(); break;
                    case "terms": retrieval = (int)D(); break;
                    case "merge": merge = v == "off" ? null : D(); break;
                    case "cons": consolidate = v == "on" || (v == "off" ? false : throw new FormatException($"variant '{part}': cons is on or off")); break;
                    case "join": join = D(); break;
                    default: throw new FormatException($"variant '{part}': unknown key '{k}'");
                }
            }
            list.Add(new ClusteringVariant(part, (o, t) =>
            {
                double j = consolidate ? join : t;
                return o with
                {
                    AverageWeight = avg, CentroidWeight = centroid, MemberWeight = member, EntityWeight = entity, ProperNounWeight = pn, WordPairWeight = pairs,
                    RefreshFrom = refresh, IdfPower = idf, Candidates = candidates, RetrievalTerms = retrieval, SweepEvery = sweep, BackgroundWeight = bg, SizeDiscount = size, LeadWeight = lead,
                    Threshold = j, MergeThreshold = merge is { } m ? Math.Round(j + m, 4) : null, ConsolidateThreshold = consolidate ? t : null,
                };
            }));
        }
        if (list.Count == 0) throw new FormatException("no variant given");
        return list;
    }
}

/// <summary>
/// Evaluates <see cref="StoryClusterer"/> on documents with gold story labels: for each seed, the gold stories are
/// split in two halves and documents are streamed in a shuffled order (<see cref="ClusteringSplit"/>, reproducible in
/// other languages); the threshold (and the variant) are chosen by pairwise F1 on the first half alone, then the
/// held-out half and all documents are clustered with them. Background document frequencies (texts without labels)
/// may prime the IDF weights.
/// </summary>
public static class ClusteringEvaluation
{
    /// <summary>The variants tuned by default (see <see cref="ClusteringVariant.Parse"/>).</summary>
    public const string DefaultVariants = "avg=0.6 member=0.4 merge=0 size=0.02 lead=3";

    /// <summary>The streaming decisions alone, without consolidation (for comparison; the tuned threshold is the join threshold).</summary>
    public const string StreamingVariants = "avg=0.6 member=0.4 merge=0 size=0.02 lead=3 cons=off";

    /// <summary>The variants of the single-pass clusterer before merges were added (for comparison).</summary>
    public const string SinglePassVariants = "avg=1 merge=off cons=off; avg=0.6 member=0.4 merge=off cons=off; avg=0.5 member=0.3 entity=0.2 merge=off cons=off; avg=0.4 member=0.3 entity=0.3 merge=off cons=off";

    /// <summary>The thresholds tried when tuning (consolidation or join threshold, as the variant says).</summary>
    public static IReadOnlyList<double> ThresholdGrid { get; } = Enumerable.Range(0, 31).Select(i => Math.Round(0.10 + 0.01 * i, 3)).ToArray();

    /// <summary>The settings a held-out folder is clustered with: the clusterer's defaults (chosen on the training data,
    /// docs/benchmarks.md), stories never closing (FNC-1 has no dates), no tuning on the data evaluated.</summary>
    public static StoryOptions Fixed(DocumentFrequencies? background = null) => new() { InactivityDays = null, Background = background };

    /// <summary>Clusters all documents with fixed settings, once per seed's stream order (<see cref="ClusteringSplit"/>).</summary>
    public static IReadOnlyList<ClusteringRun> RunFixed(IReadOnlyList<StoryDocument> docs, IReadOnlyList<int> gold, IReadOnlyList<int> seeds, StoryOptions options, CancellationToken ct = default)
    {
        var terms = docs.Select(StoryClusterer.Analyze).ToArray();
        return seeds.Select(seed => Cluster(docs, terms, gold, ClusteringSplit.Make(gold, seed).Order, options, ct)).ToArray();
    }

    /// <summary>Clusters the documents in the given order and scores against their gold labels.</summary>
    public static ClusteringRun Cluster(IReadOnlyList<StoryDocument> docs, IReadOnlyList<int> gold, IReadOnlyList<int> order, StoryOptions options, CancellationToken ct = default) =>
        Cluster(docs, docs.Select(StoryClusterer.Analyze).ToArray(), gold, order, options, ct);

    internal static ClusteringRun Cluster(IReadOnlyList<StoryDocument> docs, IReadOnlyList<StoryTerms> terms, IReadOnlyList<int> gold, IReadOnlyList<int> order, StoryOptions options, CancellationToken ct = default)
    {
        var clusterer = new StoryClusterer(options);
        var atArrival = new int[order.Count];
        var goldInOrder = new int[order.Count];
        for (int i = 0; i < order.Count; i++)
        {
            if ((i & 127) == 0) ct.ThrowIfCancellationRequested();
            atArrival[i] = clusterer.Assign(docs[order[i]], terms[order[i]]).StoryId;
            goldInOrder[i] = gold[order[i]];
        }
        clusterer.Consolidate(ct);
        var final = order.Select(i => clusterer.StoryOf(docs[i].Id)).ToArray();
        return new ClusteringRun(PairwiseScore.Compute(goldInOrder, final), final.Distinct().Count(), order.Count)
        {
            AtArrival = PairwiseScore.Compute(goldInOrder, atArrival),
        };
    }

    /// <summary>Runs the split–tune–test protocol for each seed.</summary>
    public static IReadOnlyList<ClusteringSeedResult> Run(IReadOnlyList<StoryDocument> docs, IReadOnlyList<int> gold, IReadOnlyList<int> seeds, StoryOptions baseOptions, bool oracle = false, bool background = false, CancellationToken ct = default) =>
        Run(docs, gold, seeds, baseOptions, ClusteringVariant.Parse(DefaultVariants), ThresholdGrid, oracle, background, ct);

    /// <summary>Runs the split–tune–test protocol for each seed over the given variants and thresholds.</summary>
    public static IReadOnlyList<ClusteringSeedResult> Run(IReadOnlyList<StoryDocument> docs, IReadOnlyList<int> gold, IReadOnlyList<int> seeds, StoryOptions baseOptions,
        IReadOnlyList<ClusteringVariant> variants, IReadOnlyList<double> thresholds, bool oracle = false, bool background = false, CancellationToken ct = default)
    {
        var terms = docs.Select(StoryClusterer.Analyze).ToArray();
        var results = new List<ClusteringSeedResult>();
        foreach (int seed in seeds)
        {
            var split = ClusteringSplit.Make(gold, seed);
            var order = split.Order;
            var devOrder = split.DevOrder(gold);
            var testOrder = split.HeldOutOrder(gold);

            var o0 = background ? baseOptions with { Background = Combine(baseOptions.Background, DocumentFrequencies.FromTerms(devOrder.Select(i => terms[i]))) } : baseOptions;
            var (bestVariant, bestOptions, bestRun) = Tune(docs, terms, gold, devOrder, o0, variants, thresholds, ct);
            var (_, oracleOptions, oracleRun) = oracle ? Tune(docs, terms, gold, order, o0, variants, thresholds, ct) : ("", null, null);
            results.Add(new ClusteringSeedResult(seed, bestOptions, bestRun, Cluster(docs, terms, gold, testOrder, bestOptions, ct), Cluster(docs, terms, gold, order, bestOptions, ct))
            {
                Variant = bestVariant, OracleOnAll = oracleOptions, OracleRun = oracleRun,
            });
        }
        return results;
    }

    private static DocumentFrequencies Combine(DocumentFrequencies? a, DocumentFrequencies b)
    {
        if (a is null) return b;
        var df = new Dictionary<string, int>(a.Frequencies, StringComparer.Ordinal);
        foreach (var (k, v) in b.Frequencies) df[k] = df.GetValueOrDefault(k) + v;
        return new DocumentFrequencies(a.Documents + b.Documents, df);
    }

    private static (string, StoryOptions, ClusteringRun) Tune(IReadOnlyList<StoryDocument> docs, IReadOnlyList<StoryTerms> terms, IReadOnlyList<int> gold, int[] order, StoryOptions baseOptions,
        IReadOnlyList<ClusteringVariant> variants, IReadOnlyList<double> thresholds, CancellationToken ct)
    {
        string bestVariant = "";
        StoryOptions? bestOptions = null;
        ClusteringRun? bestRun = null;
        foreach (var v in variants)
            foreach (double t in thresholds)
            {
                var o = v.Make(baseOptions, t);
                var run = Cluster(docs, terms, gold, order, o, ct);
                if (bestRun is null || run.Score.F1 > bestRun.Score.F1) { bestRun = run; bestOptions = o; bestVariant = v.Name; }
            }
        return (bestVariant, bestOptions!, bestRun!);
    }

    /// <summary>Document frequencies of plain-text files (one document per file) and CoNLL column files (documents
    /// separated by -DOCSTART- lines, the first column is the token): general English for IDF priming, no labels read.</summary>
    public static DocumentFrequencies BackgroundFromFiles(IEnumerable<string> paths)
    {
        var texts = new List<StoryTerms>();
        foreach (var path in paths)
        {
            IEnumerable<string> files = Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : [path];
            foreach (var file in files)
            {
                var text = File.ReadAllText(file);
                if (text.StartsWith("-DOCSTART-", StringComparison.Ordinal))
                    foreach (var doc in CoNllDocuments(text)) texts.Add(StoryClusterer.Analyze(new StoryDocument("", "", doc, null, [])));
                else texts.Add(StoryClusterer.Analyze(new StoryDocument("", "", text, null, [])));
            }
        }
        return DocumentFrequencies.FromTerms(texts);
    }

    private static IEnumerable<string> CoNllDocuments(string text)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("-DOCSTART-", StringComparison.Ordinal))
            {
                if (sb.Length > 0) yield return sb.ToString();
                sb.Clear();
                continue;
            }
            int sp = line.IndexOf(' ');
            if (line.Trim().Length == 0) sb.Append('\n');
            else sb.Append(sp > 0 ? line[..sp] : line.TrimEnd('\r')).Append(' ');
        }
        if (sb.Length > 0) yield return sb.ToString();
    }

    /// <summary>FNC-1 bodies as story documents (no title, no date, no linked entities) with their gold stories.</summary>
    public static (IReadOnlyList<StoryDocument> Docs, int[] Gold) FromFnc(FncDataset data) =>
        (data.Bodies.Select(b => new StoryDocument(b.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "", b.Text, null, [])).ToArray(), data.GoldStories());
}
