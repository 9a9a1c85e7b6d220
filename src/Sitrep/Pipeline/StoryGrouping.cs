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

    /// <summary>At most this many stories stay open (the least recently joined closes first): bounds the work per article
    /// and keeps the regrouping of open stories within reach on a long stream.</summary>
    public const int MaxOpenStories = 1000;

    /// <summary>An article's date counts for the clusterer only when the time stage knows it to within this many days.</summary>
    public const int MaxDateSpreadDays = 31;

    public static StoryOptions Options { get; } = new() { InactivityDays = InactivityDays, EntityWeight = 0.2, AverageWeight = 0.5, MemberWeight = 0.3,
        ConsolidateThreshold = 0.13, RefineThreshold = 0.12, MaxOpenStories = MaxOpenStories };
    // The join and merge thresholds, size discount and lead emphasis are the clusterer's FNC-1-tuned defaults; linked actors
    // add the entity weight. The consolidation threshold and the refinement (two events of one kind come apart) were chosen
    // by two-fold cross-validation over the topics of real news from many outlets (ECB+; docs/stories.md, "Across outlets").

    /// <summary>What the clusterer reads of an article: its headline (else dek, else first sentence), body, likeliest
    /// date, and linked knowledge-base actors (each up to three times, by mentions).</summary>
    public static StoryDocument Input(ClaimArticle a)
    {
        var title = a.Title ?? a.Dek ?? (a.Sentences.Count > 0 ? a.Text[a.Sentences[0].Start..a.Sentences[0].End] : "");
        var entities = a.Actors.Where(x => !x.Key.StartsWith("corpus:", StringComparison.Ordinal))
            .SelectMany(x => Enumerable.Repeat(x.Key, Math.Min(3, x.Mentions.Count))).ToList();
        // A likeliest date inside a wide interval is a guess from the text (an undated page that mentions "2007"): it must
        // neither close stories nor keep them open, so the clusterer sees the article as undated.
        var date = a.DateFrom is { } from && a.DateTo is { } to && to.DayNumber - from.DayNumber <= MaxDateSpreadDays ? a.Date : null;
        return new StoryDocument(a.Id, title, a.Body, date, entities);
    }
}
