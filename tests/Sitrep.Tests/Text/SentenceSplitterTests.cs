using System.Collections.ObjectModel;
using Sitrep.Text;

namespace Sitrep.Tests.Text;

public class SentenceSplitterTests
{
    private static void AssertSentences(string text, params string[] expected) =>
        Assert.Equal(expected, TextAssert.SentenceTexts(text));

    [Theory]
    [InlineData("U.S. President Donald Trump spoke on Friday.")]
    [InlineData("Trump’s comments on potential U.S. acquisition plans have created tension.")]
    [InlineData("J. R. R. Tolkien met Donald J. Trump and John F. Kennedy.")]
    [InlineData("Mr. Smith met Gen. Jones and Sen. Warren in St. Louis.")]
    [InlineData("It was signed on Jan. 6 in Paris and on Sept. 11 in Rome.")]
    [InlineData("Shares of Apple Inc. rose and Acme Corp. fell.")]
    [InlineData("Cities, e.g. The Hague, agreed.")]
    [InlineData("They met at 9 p.m. Moscow time.")]
    [InlineData("Article No. 5 applies.")]
    [InlineData("Trump Signs “America First Arms Transfer Strategy” to Prioritize U.S. Weapons Sales")]
    [InlineData("Talks With U.S. In Doubt")]
    [InlineData("Why the U.S. Is Losing the Arctic Race")]
    [InlineData("Rep. Ted Cruz (R-Tex.) said so to Sen. Chuck Schumer (D-N.Y.) on Friday.")]
    public void Abbreviations_and_initials_inside_a_sentence_do_not_split(string text) => AssertSentences(text, text);

    [Theory]
    [InlineData("He grew up in the U.S. The next day he left.", "He grew up in the U.S.", "The next day he left.")]
    [InlineData("He met officials in the U.K. They agreed.", "He met officials in the U.K.", "They agreed.")]
    [InlineData("The meeting ended at 9 p.m. The talks resume today.", "The meeting ended at 9 p.m.", "The talks resume today.")]
    [InlineData("He founded Acme Inc. The company grew.", "He founded Acme Inc.", "The company grew.")]
    [InlineData("They sent tanks, guns, etc. But it was not enough.", "They sent tanks, guns, etc.", "But it was not enough.")]
    [InlineData("It was Plan B. The rest failed.", "It was Plan B.", "The rest failed.")]
    [InlineData("It happened in the U.S. Initially, nobody cared.", "It happened in the U.S.", "Initially, nobody cared.")]
    [InlineData("Donald Trump Jr. He said it was fine.", "Donald Trump Jr.", "He said it was fine.")]
    [InlineData("He said it happened in the U.S.” The next day he left.", "He said it happened in the U.S.”", "The next day he left.")]
    [InlineData("They returned to the U.S. “We are ready,” he said.", "They returned to the U.S.", "“We are ready,” he said.")]
    public void An_abbreviation_can_end_a_sentence(string text, string first, string second) => AssertSentences(text, first, second);

    [Fact]
    public void Closing_quotes_after_the_period_stay_with_the_sentence() =>
        AssertSentences("They set a goal to “build a stable, peaceful and undivided Europe.” The NATO-Russia Council has not met.",
            "They set a goal to “build a stable, peaceful and undivided Europe.”",
            "The NATO-Russia Council has not met.");

    [Fact]
    public void Straight_closing_quotes_and_brackets_stay_with_the_sentence()
    {
        AssertSentences("He said \"go.\" Then he left.", "He said \"go.\"", "Then he left.");
        AssertSentences("(This is it.) Next one.", "(This is it.)", "Next one.");
        AssertSentences("She said ‘no.’ He left.", "She said ‘no.’", "He left.");
        AssertSentences("''It was hard.'' Mr. McCain left.", "''It was hard.''", "Mr. McCain left.");
    }

    [Fact]
    public void Mixed_curly_and_straight_quotes_in_one_sentence() =>
        AssertSentences("Now, all discussions on the topic are “on hold,\" a source told Euractiv. But talks continue.",
            "Now, all discussions on the topic are “on hold,\" a source told Euractiv.",
            "But talks continue.");

    [Fact]
    public void Quotes_spanning_sentences_keep_their_marks() =>
        AssertSentences(
            "“Ukraine’s NATO membership is a bridge too far for Russia,” said a Kremlin insider. “Putin will fight tooth and nail to ensure it never happens.”",
            "“Ukraine’s NATO membership is a bridge too far for Russia,” said a Kremlin insider.",
            "“Putin will fight tooth and nail to ensure it never happens.”");

    [Fact]
    public void A_quotation_of_two_sentences_is_two_sentences() =>
        AssertSentences("“It’s about the rules-based order. The outcome could redefine power,” he said.",
            "“It’s about the rules-based order.",
            "The outcome could redefine power,” he said.");

    [Theory]
    [InlineData("“Why?” Rutte asked. “Because.”", "“Why?” Rutte asked.", "“Because.”")]
    [InlineData("“Why now?” Secretary-General Jens Stoltenberg asked reporters. They laughed.", "“Why now?” Secretary-General Jens Stoltenberg asked reporters.", "They laughed.")]
    [InlineData("“Why?” he asked. “Because.”", "“Why?” he asked.", "“Because.”")]
    public void A_question_in_quotes_followed_by_its_speaker_is_one_sentence(string text, string first, string second) =>
        AssertSentences(text, first, second);

    [Theory]
    [InlineData("Is it over?! Yes.", "Is it over?!", "Yes.")]
    [InlineData("Will Trump strike a deal? Or will he stand firm?", "Will Trump strike a deal?", "Or will he stand firm?")]
    [InlineData("Prices rose 3.5% in 2022. 2023 was worse.", "Prices rose 3.5% in 2022.", "2023 was worse.")]
    [InlineData("It was published at euractiv.com. It said so.", "It was published at euractiv.com.", "It said so.")]
    [InlineData("Syria has fallen.It is now likely.", "Syria has fallen.", "It is now likely.")]
    public void Terminal_punctuation(string text, string first, string second) => AssertSentences(text, first, second);

    [Fact]
    public void A_list_number_does_not_make_a_sentence() =>
        AssertSentences("1. The first point is clear.\n2. The second is not. It never was.",
            "1. The first point is clear.", "2. The second is not.", "It never was.");

    [Theory]
    [InlineData("Why? because.")]
    [InlineData("Rates fell to 3.5 per cent.")]
    [InlineData("The alliance — tired, divided — met. again")]
    public void No_split_before_lower_case(string text) => AssertSentences(text, text);

    [Fact]
    public void Dashes_do_not_split() =>
        AssertSentences("U.S. interest in Greenland—an autonomous Danish territory—has intensified—especially now.",
            "U.S. interest in Greenland—an autonomous Danish territory—has intensified—especially now.");

    [Fact]
    public void An_ellipsis_inside_a_sentence_does_not_split() =>
        AssertSentences("We have an understanding across the alliance … that the [Founding Act] was built for a different era.",
            "We have an understanding across the alliance … that the [Founding Act] was built for a different era.");

    [Fact]
    public void An_ellipsis_before_a_sentence_starter_splits()
    {
        AssertSentences("It was late... The next morning, they met.", "It was late...", "The next morning, they met.");
        AssertSentences("He waited … NATO did not.", "He waited … NATO did not.");
    }

    [Fact]
    public void A_blank_line_always_ends_a_sentence()
    {
        AssertSentences("the first part,\n\nthe second part", "the first part,", "the second part");
        AssertSentences("Heading\n \n\nBody text.", "Heading", "Body text.");
    }

    [Fact]
    public void Heading_lines_are_never_merged_with_the_next_paragraph()
    {
        AssertSentences("Pressure From Arctic Tensions and Economic Threats\nU.S. interest in Greenland has intensified.",
            "Pressure From Arctic Tensions and Economic Threats", "U.S. interest in Greenland has intensified.");
        AssertSentences("Mix of stances\nWhile all allies agree, it is another matter.",
            "Mix of stances", "While all allies agree, it is another matter.");
        AssertSentences("NATO’s Stand: An Irreversible Path?\nNATO has consistently supported Ukraine.",
            "NATO’s Stand: An Irreversible Path?", "NATO has consistently supported Ukraine.");
        AssertSentences("by Aurélie Pugnet\nNATO members have long been expected to rethink.",
            "by Aurélie Pugnet", "NATO members have long been expected to rethink.");
        AssertSentences("A title\r\nBody.\r\nMore body.", "A title", "Body.", "More body.");
        AssertSentences("The U.S. official added:\n“Right now we have to act.”", "The U.S. official added:", "“Right now we have to act.”");
    }

    [Fact]
    public void A_line_ending_with_a_continuation_mark_continues_in_lower_case()
    {
        AssertSentences("Poland, the Baltic states,\nand several Nordic governments objected.",
            "Poland, the Baltic states,\nand several Nordic governments objected.");
        AssertSentences("Poland, the Baltic states,\nSeveral Nordic governments objected.",
            "Poland, the Baltic states,", "Several Nordic governments objected.");
    }

    [Fact]
    public void A_line_ending_in_an_abbreviation_or_title_still_ends_at_the_line_break() =>
        AssertSentences("Interview with Gen.\nNext paragraph.", "Interview with Gen.", "Next paragraph.");

    [Fact]
    public void Symbols_and_short_lines_are_sentences_of_their_own() =>
        AssertSentences("Dmitry Trenin: Why Trump needs to call Putin\n○\n6 mins read\nEurope shouldn’t be pushed",
            "Dmitry Trenin: Why Trump needs to call Putin", "○", "6 mins read", "Europe shouldn’t be pushed");

    [Fact]
    public void No_tokens_no_sentences()
    {
        var into = new List<SentenceSpan>();
        SentenceSplitter.Split("   ", new List<Token>(), into);
        Assert.Empty(into);
    }

    [Fact]
    public void All_token_list_types_give_the_same_sentences()
    {
        const string text = "Syria has fallen. It is now highly likely that the country will fall apart.\nYears of chaos will follow.";
        var tokens = Tokenizer.Tokenize(text);
        var fromList = new List<SentenceSpan>();
        SentenceSplitter.Split(text, tokens, fromList);
        Assert.Equal(3, fromList.Count);

        var fromArray = new List<SentenceSpan>();
        SentenceSplitter.Split(text, (IReadOnlyList<Token>)tokens.ToArray(), fromArray);
        var fromReadOnly = new List<SentenceSpan>();
        SentenceSplitter.Split(text, new ReadOnlyCollection<Token>(tokens), fromReadOnly);
        Assert.Equal(fromList, fromArray);
        Assert.Equal(fromList, fromReadOnly);
    }

    [Fact]
    public void The_span_overload_offsets_token_indices()
    {
        const string text = "Heading\nSyria has fallen. It is now likely.";
        var tokens = Tokenizer.Tokenize(text);
        var into = new List<SentenceSpan>();
        SentenceSplitter.Split(text, tokens.ToArray().AsSpan(1), into, firstTokenIndex: 1);
        Assert.Equal(2, into.Count);
        Assert.Equal(1, into[0].FirstToken);
        Assert.Equal("Syria has fallen.", into[0].GetText(text));
        Assert.Equal(into[0].EndToken, into[1].FirstToken);
        Assert.Equal(tokens.Count, into[1].EndToken);
    }
}
