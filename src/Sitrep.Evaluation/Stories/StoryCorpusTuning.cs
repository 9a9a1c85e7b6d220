using System.Globalization;

namespace Sitrep.Stories;

/// <summary>One fold of <see cref="StoryCorpusTuning.CrossValidate"/>: the setting chosen on the tuning topics and its
/// score there (in-sample) and on the held-out topics.</summary>
public sealed record CorpusFold(IReadOnlyList<string> TuneTopics, IReadOnlyList<string> HeldOutTopics, string Setting, StoryOptions Options,
    PairwiseScore Tune, PairwiseScore HeldOut, PairwiseScore ShippedHeldOut)
{
    /// <summary>Every setting of the grid with its score on the tuning topics, best first.</summary>
    public IReadOnlyList<(string Setting, PairwiseScore Score)> Ranked { get; init; } = [];
}

/// <summary>
/// Chooses clusterer settings on some topics of a story corpus and scores them on the others. Topics are sorted (by
/// number when they are numbers) and dealt alternately into folds; each fold's articles are clustered alone, in the
/// stage's order, exactly as <see cref="StoryCorpusEvaluation.Cluster"/> does.
/// </summary>
public static class StoryCorpusTuning
{
    /// <summary>
    /// A grid of settings over base options: space-separated <c>key=v1,v2,…</c>, the product of all values. Keys:
    /// <c>join</c>, <c>merge</c> (<c>off</c> or a threshold), <c>cons</c> (consolidation threshold, <c>off</c>),
    /// <c>avg</c>, <c>member</c>, <c>centroid</c>, <c>entity</c>, <c>size</c>, <c>lead</c>, <c>title</c>, <c>pn</c>,
    /// <c>pairs</c>, <c>linked</c>, <c>idf</c>, <c>days</c> (inactivity, <c>off</c>), <c>open</c> (most open stories, <c>off</c>), <c>coh</c> (consolidation cohesion ratio), <c>refine</c> (refinement threshold, <c>off</c>), <c>rmin</c>, <c>rpart</c>, <c>rcmin</c>, <c>rsep</c>, <c>ridf</c>, <c>rcoh</c> (refinement cohesion ratio).
    /// </summary>
    public static IReadOnlyList<(string Name, StoryOptions Options)> Grid(StoryOptions baseOptions, string spec)
    {
        var axes = new List<(string Key, string[] Values)>();
        foreach (var part in spec.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2 || kv[1].Length == 0) throw new FormatException($"'{part}' is not key=value[,value…]");
            axes.Add((kv[0], kv[1].Split(',', StringSplitOptions.RemoveEmptyEntries)));
        }
        var result = new List<(string, StoryOptions)> { ("shipped", baseOptions) };
        if (axes.Count == 0) return result;
        result.Clear();
        IEnumerable<List<(string, string)>> combos = [[]];
        foreach (var (key, values) in axes)
            combos = combos.SelectMany(c => values.Select(v => new List<(string, string)>(c) { (key, v) })).ToList();
        foreach (var c in combos)
        {
            var o = baseOptions;
            foreach (var (k, v) in c) o = Apply(o, k, v);
            result.Add((string.Join(" ", c.Select(x => $"{x.Item1}={x.Item2}")), o));
        }
        return result;
    }

    private static StoryOptions Apply(StoryOptions o, string key, string value)
    {
        double D() => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : throw new FormatException($"{key}: '{value}' is not a number");
        double? N() => value == "off" ? null : D();
        return key switch
        {
            "join" => o with { Threshold = D() },
            "merge" => o with { MergeThreshold = N() },
            "cons" => o with { ConsolidateThreshold = N() },
            "avg" => o with { AverageWeight = D() },
            "member" => o with { MemberWeight = D() },
            "centroid" => o with { CentroidWeight = D() },
            "entity" => o with { EntityWeight = D() },
            "size" => o with { SizeDiscount = D() },
            "lead" => o with { LeadWeight = D() },
            "title" => o with { TitleWeight = D() },
            "pn" => o with { ProperNounWeight = D() },
            "pairs" => o with { WordPairWeight = D() },
            "linked" => o with { LinkedEntityBoost = D() },
            "idf" => o with { IdfPower = D() },
            "days" => o with { InactivityDays = N() is { } d ? (int)d : null },
            "coh" => o with { ConsolidateCohesion = D() },
            "refine" => o with { RefineThreshold = N() },
            "rcoh" => o with { RefineCohesion = D() },
            "rpart" => o with { RefineMinPart = (int)D() },
            "rsep" => o with { RefineSeparation = D() },
            "rcmin" => o with { RefineCohesionMin = D() },
            "rmin" => o with { RefineMinSize = (int)D() },
            "ridf" => o with { RefineIdfPower = D() },
            "open" => o with { MaxOpenStories = N() is { } m ? (int)m : null },
            _ => throw new FormatException($"unknown key '{key}'"),
        };
    }

    /// <summary>Deals the sorted topics alternately into <paramref name="folds"/> folds.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Folds(StoryCorpus corpus, int folds = 2)
    {
        var topics = corpus.Articles.Select(a => a.Topic).Distinct(StringComparer.Ordinal)
            .OrderBy(t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : int.MaxValue).ThenBy(t => t, StringComparer.Ordinal).ToList();
        return Enumerable.Range(0, folds).Select(f => (IReadOnlyList<string>)topics.Where((_, i) => i % folds == f).ToList()).ToList();
    }

    /// <summary>For each fold: the grid's best setting (pairwise F1) on the other folds' topics, scored on this fold's topics.</summary>
    public static IReadOnlyList<CorpusFold> CrossValidate(StoryCorpus corpus, IReadOnlyList<CorpusInput> inputs, IReadOnlyList<(string Name, StoryOptions Options)> grid,
        StoryOptions shipped, int folds = 2, CancellationToken ct = default)
    {
        var gold = corpus.GoldStories();
        var parts = Folds(corpus, folds);
        var result = new List<CorpusFold>();
        foreach (var held in parts)
        {
            var heldSet = held.ToHashSet(StringComparer.Ordinal);
            bool InHeld(CorpusInput x) => heldSet.Contains(corpus.Articles[x.Corpus].Topic);
            PairwiseScore Run(StoryOptions o, bool heldOut) =>
                StoryCorpusEvaluation.Score(gold, StoryCorpusEvaluation.Cluster(inputs, gold.Length, o, x => InHeld(x) == heldOut, ct));
            (string Name, StoryOptions Options, PairwiseScore Score)? best = null;
            var ranked = new List<(string, PairwiseScore)>();
            foreach (var (name, o) in grid)
            {
                var s = Run(o, heldOut: false);
                ranked.Add((name, s));
                if (best is null || s.F1 > best.Value.Score.F1) best = (name, o, s);
            }
            var tuneTopics = parts.Where(p => p != held).SelectMany(p => p).ToList();
            result.Add(new CorpusFold(tuneTopics, held, best!.Value.Name, best.Value.Options, best.Value.Score, Run(best.Value.Options, heldOut: true), Run(shipped, heldOut: true))
            {
                Ranked = ranked.OrderByDescending(r => r.Item2.F1).ToList(),
            });
        }
        return result;
    }
}
