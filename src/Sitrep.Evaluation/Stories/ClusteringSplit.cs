namespace Sitrep.Stories;

/// <summary>
/// One seed's split for the clustering evaluation: the gold stories of the tuning half, and the order in which
/// documents are streamed. Derived with SplitMix64 and Fisher–Yates so that any language reproduces it exactly
/// (bench/peers/sklearn/cluster.py does): stories are taken in order of their first document, shuffled, the first half
/// (rounded down) is the tuning half; then the document indices 0..n-1 are shuffled with the same generator.
/// </summary>
public sealed record ClusteringSplit(int Seed, IReadOnlySet<int> DevStories, int[] Order)
{
    /// <summary>Documents of the tuning half, in stream order.</summary>
    public int[] DevOrder(IReadOnlyList<int> gold) => Order.Where(i => DevStories.Contains(gold[i])).ToArray();

    /// <summary>Documents of the held-out half, in stream order.</summary>
    public int[] HeldOutOrder(IReadOnlyList<int> gold) => Order.Where(i => !DevStories.Contains(gold[i])).ToArray();

    public static ClusteringSplit Make(IReadOnlyList<int> gold, int seed)
    {
        ArgumentNullException.ThrowIfNull(gold);
        var firstSeen = new Dictionary<int, int>();
        for (int i = 0; i < gold.Count; i++) firstSeen.TryAdd(gold[i], i);
        var stories = firstSeen.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        var rng = new SplitMix64((ulong)seed);
        rng.Shuffle(stories);
        var dev = stories.Take(stories.Length / 2).ToHashSet();
        var order = Enumerable.Range(0, gold.Count).ToArray();
        rng.Shuffle(order);
        return new ClusteringSplit(seed, dev, order);
    }

    private sealed class SplitMix64(ulong state)
    {
        private ulong state = state;

        public ulong Next()
        {
            unchecked
            {
                state += 0x9E3779B97F4A7C15UL;
                ulong z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }

        public void Shuffle(int[] a)
        {
            for (int i = a.Length - 1; i > 0; i--)
            {
                int j = (int)(Next() % (ulong)(i + 1));
                (a[i], a[j]) = (a[j], a[i]);
            }
        }
    }
}
