namespace Sitrep.Attribution;

/// <summary>
/// A stretch of text between quotation marks: [<see cref="Open"/>, <see cref="Close"/>] are the token indices of the
/// marks, [<see cref="First"/>, <see cref="EndInner"/>) the quoted tokens. An unclosed quote (a paragraph of a
/// multi-paragraph quotation, or a typo) has <see cref="Close"/> = -1 and runs to the end of its paragraph.
/// </summary>
/// <param name="Single">Single quotation marks (‘ ’ or ').</param>
/// <param name="ContinuedFrom">Index of the quote this one continues (the previous paragraph's unclosed quote), or -1.</param>
/// <param name="Speech">The quote looks like quoted speech (a clause, a sentence, or a fragment ending in “…,”) rather
/// than a scare quote, label or title (“strategic reassessment”, the “Founding Act”).</param>
internal readonly record struct QuoteSpan(int Open, int Close, int First, int EndInner, int Start, int End, bool Single, int ContinuedFrom, bool Speech)
{
    public bool Unclosed => Close < 0;

    /// <summary>Index one past the last token of the quote, marks included.</summary>
    public int EndToken => Close >= 0 ? Close + 1 : EndInner;

    public int WordCount(AttributionDocument doc)
    {
        int w = 0;
        for (int i = First; i < EndInner; i++) if (doc.IsWordLike(i)) w++;
        return w;
    }
}
