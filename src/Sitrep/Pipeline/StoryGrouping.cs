using Sitrep.Stories;

namespace Sitrep.Pipeline;

/// <summary>
/// Groups articles into stories with the streaming <see cref="StoryClusterer"/>, earliest first (likeliest date,
/// then label): each article joins an open story or starts one. News stories about a negotiation or a policy run
/// for months, so a story closes only after <see cref="InactivityDays"/> without a new article. Linked
/// knowledge-base actors count as features beside the words.
/// </summary>
public static class StoryGrouping
{
    /// <summary>A story closes after this many days without a new article.</summary>
    public const int InactivityDays = 180;

    public static StoryOptions Options { get; } = new() { InactivityDays = InactivityDays, EntityWeight = 0.2, AverageWeight = 0.5, MemberWeight = 0.3 };
    // The FNC-1-tuned threshold, merges, size discount and lead emphasis are the clusterer's defaults; linked actors add the entity weight.

    public static Dictionary<string, string> Group(IReadOnlyList<ClaimArticle> articles, CancellationToken ct = default)
    {
        var clusterer = new StoryClusterer(Options);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in articles.OrderBy(a => a.Date ?? DateOnly.MaxValue).ThenBy(a => a.Label, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var body = a.Body;
            var title = a.Title ?? a.Dek ?? (a.Sentences.Count > 0 ? a.Text[a.Sentences[0].Start..a.Sentences[0].End] : "");
            var entities = a.Actors.Where(x => !x.Key.StartsWith("corpus:", StringComparison.Ordinal))
                .SelectMany(x => Enumerable.Repeat(x.Key, Math.Min(3, x.Mentions.Count))).ToList();
            var assignment = clusterer.Assign(new StoryDocument(a.Id, title, body, a.Date, entities));
            result[a.Id] = assignment.StoryId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        // Stories merged later in the stream, and the open stories regrouped at the end: every article ends in the story
        // the clusterer holds it in now.
        clusterer.Consolidate(ct);
        foreach (var id in result.Keys.ToList())
            result[id] = "s" + (clusterer.StoryOf(id) + 1);
        return result;
    }
}
