namespace Sitrep.Stories;

/// <summary>
/// The model's articles of one time (a batch's window) by their knowledge-base actors: where the claims of a story
/// may be contradicted by another story's articles. Built once per batch from the store, so a story's related articles
/// cost what that window holds, not what the whole store holds.
/// </summary>
internal sealed class RelatedIndex
{
    public sealed record Article(string ArticleId, string DocumentId, string StoryId, int Period, DateOnly? Date, string Label);

    private readonly List<Article> _articles = [];
    private readonly Dictionary<string, List<int>> _postings = new(StringComparer.Ordinal);
    private readonly int _maxPostings;

    /// <param name="rows">Each article's actors, one row per actor, grouped by article.</param>
    /// <param name="maxPostings">An actor in more articles than this is background and not sought by.</param>
    public RelatedIndex(IEnumerable<(string ArticleId, string DocumentId, string StoryId, int Period, DateOnly? Date, string Label, string Key)> rows, int maxPostings)
    {
        _maxPostings = maxPostings;
        string? current = null;
        foreach (var r in rows)
        {
            if (r.ArticleId != current)
            {
                _articles.Add(new Article(r.ArticleId, r.DocumentId, r.StoryId, r.Period, r.Date, r.Label));
                current = r.ArticleId;
            }
            if (!_postings.TryGetValue(r.Key, out var list)) _postings[r.Key] = list = [];
            if (list.Count == 0 || list[^1] != _articles.Count - 1) list.Add(_articles.Count - 1);
        }
    }

    /// <summary>Articles of other stories dated in [<paramref name="from"/>, <paramref name="to"/>) sharing at least
    /// <paramref name="least"/> of <paramref name="keys"/>, most shared first (then by id), at most <paramref name="limit"/>.</summary>
    public List<Article> Of(IReadOnlyCollection<string> keys, string storyId, int least, int limit, DateOnly from, DateOnly to)
    {
        if (keys.Count < least) return [];
        var shared = new Dictionary<int, int>();
        foreach (var k in keys)
            if (_postings.TryGetValue(k, out var list) && list.Count <= _maxPostings)
                foreach (int i in list) shared[i] = shared.GetValueOrDefault(i) + 1;
        return shared.Where(x => x.Value >= least && _articles[x.Key].StoryId != storyId && _articles[x.Key].Date is { } d && d >= from && d < to)
            .OrderByDescending(x => x.Value).ThenBy(x => _articles[x.Key].ArticleId, StringComparer.Ordinal)
            .Take(limit).Select(x => _articles[x.Key]).ToList();
    }
}
