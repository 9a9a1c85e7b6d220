using Sitrep.Text;

namespace Sitrep.Tests.Text;

/// <summary>Tokenizer and sentence splitter on the five real seed articles.</summary>
public class SeedCorpusTests
{
    [Theory]
    [InlineData("000", 29)]
    [InlineData("001", 19)]
    [InlineData("002", 31)]
    [InlineData("003", 34)]
    [InlineData("004", 29)]
    public void Sentence_count_of_each_seed(string seed, int expected)
    {
        // Counted by hand: every paragraph's sentences plus each heading, byline, symbol and headline line.
        Assert.Equal(expected, TextAssert.SentenceTexts(TextAssert.Seed(seed)).Length);
    }

    [Fact]
    public void Seed000_each_title_case_heading_is_its_own_sentence()
    {
        var sentences = TextAssert.SentenceTexts(TextAssert.Seed("000"));
        Assert.Contains("Pressure From Arctic Tensions and Economic Threats", sentences);
        Assert.Contains("A Reversal Decades in the Making", sentences);
        Assert.Contains("Skepticism Inside the Alliance", sentences);
        Assert.Contains("No Immediate Breakthrough Expected", sentences);
        Assert.Equal("NFL", sentences[0]);
        Assert.StartsWith("NATO Diplomats Reportedly Drafting Invitation Proposal", sentences[1]);
        Assert.EndsWith("as Drivers of a New Strategic Calculus", sentences[1]);
    }

    [Fact]
    public void Seed000_Greenland_sentence_with_em_dashes_and_US_stays_whole()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("000"), "U.S. interest in Greenland");
        Assert.Equal(
        [
            "U.S. interest in Greenland—an autonomous Danish territory with strategic Arctic positioning—has intensified over the past several months, heightening anxiety across European capitals.",
            "Trump’s comments on potential U.S. acquisition plans, coupled with a surge in targeted tariff threats toward EU nations, have created an unusual mixture of diplomatic uncertainty and strategic tension inside NATO.",
        ], sentences);
    }

    [Fact]
    public void Seed000_dateline_paragraph_keeps_US_President_inside_the_sentence()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("000"), "Brussels, Belgium —");
        Assert.Equal(2, sentences.Length);
        Assert.EndsWith("throughout the post–Cold War era.", sentences[0]);
        Assert.StartsWith("The talks, still fragile", sentences[1]);
        Assert.Contains("sparked by U.S. President Donald Trump’s renewed ambitions", sentences[1]);
    }

    [Fact]
    public void Seed000_quotes_closing_after_the_period()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("000"), "While no binding commitments");
        Assert.Equal(2, sentences.Length);
        Assert.Equal("“The alliance has to constantly adapt to new pressures,” one diplomat said, emphasizing that recent developments in the Arctic and global trade sectors “have forced everyone to update their calculations.”", sentences[1]);
    }

    [Fact]
    public void Seed000_post_Cold_War_en_dash_is_a_separate_dash()
    {
        string text = TextAssert.Seed("000");
        var tokens = TextAssert.Tokens(text);
        int at = text.IndexOf("post–Cold", StringComparison.Ordinal);
        int k = tokens.FindIndex(t => t.Start == at);
        Assert.Equal(["post", "–", "Cold", "War"], tokens.Skip(k).Take(4).Select(t => t.GetText(text)));
        Assert.Equal(TokenKind.Dash, tokens[k + 1].Kind);
    }

    [Fact]
    public void Seed001_mixed_curly_and_straight_quote_sentence_is_one_sentence()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("001"), "on hold,\"");
        Assert.Equal(["Now, with the US negotiating a peace settlement with Russia and Ukraine, all discussions on the topic are “on hold,\" a source told Euractiv."], sentences);
    }

    [Fact]
    public void Seed001_straight_quote_opening_a_two_sentence_quotation()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("001"), "\"Regarding Ukraine");
        Assert.Equal(
        [
            "\"Regarding Ukraine, all Allies agree that the death and destruction must stop.",
            "President Trump wants to promote peace, and at his direction we are ready to provide the decisive leadership necessary to reach a sustainable resolution,\" they added.",
        ], sentences);
    }

    [Fact]
    public void Seed001_short_sentence_before_a_quote()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("001"), "unclear what the American");
        Assert.Equal(["It’s unclear what the American president wants.", "At this stage, “We do not know,\" another source said, echoing their colleagues."], sentences);
    }

    [Fact]
    public void Seed001_byline_and_footer_lines()
    {
        var sentences = TextAssert.SentenceTexts(TextAssert.Seed("001"));
        Assert.Equal("by Aurélie Pugnet", sentences[0]);
        Assert.Equal("Mix of stances", sentences[14]);
        Assert.Equal("*first published in euractiv.com", sentences[^1]);
        string text = TextAssert.Seed("001");
        Assert.Contains(TextAssert.Tokens(text), t => t.Kind == TokenKind.Url && t.GetText(text) == "euractiv.com");
    }

    [Fact]
    public void Seed002_closing_quote_after_the_period_belongs_to_the_sentence()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("002"), "undivided Europe.");
        Assert.Equal(2, sentences.Length);
        Assert.Equal("It’s a document signed in 1997, six years after the Soviet Union’s collapse, stipulating a shared goal to “build a stable, peaceful and undivided Europe.”", sentences[1]);
    }

    [Fact]
    public void Seed002_ellipsis_inside_a_quotation_does_not_split()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("002"), "across the alliance …");
        Assert.Single(sentences);
        Assert.StartsWith("The U.S. official added: “Right now", sentences[0]);
        Assert.EndsWith("something new is merited.”", sentences[0]);
    }

    [Fact]
    public void Seed002_short_sentences_split()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("002"), "Syria has fallen.");
        Assert.Equal(
        [
            "Syria has fallen.",
            "It is now highly likely that the country will fall apart.",
            "Outside and inside actors will try to capture and/or control as many parts of the cadaver as each of them can.",
            "Years of chaos and strife will follow from that.",
        ], sentences);
    }

    [Fact]
    public void Seed002_Kellogg_Plan_in_single_quotes()
    {
        string text = TextAssert.Seed("002");
        var (start, end) = TextAssert.LineContaining(text, "Kellogg Plan");
        var sentences = TextAssert.SentenceTexts(text, start, end);
        Assert.Single(sentences);
        var tokens = new List<Token>();
        Tokenizer.Tokenize(text, start, end, tokens);
        Assert.Equal(
            [("The", TokenKind.Word), ("‘", TokenKind.Quote), ("Kellogg", TokenKind.Word), ("Plan", TokenKind.Word), ("’", TokenKind.Quote), ("looks", TokenKind.Word)],
            tokens.Take(6).Select(t => (t.GetText(text), t.Kind)));
        Assert.Equal(["it", "’s", "still"], tokens.SkipWhile(t => t.GetText(text) != "it").Take(3).Select(t => t.GetText(text)));
    }

    [Fact]
    public void Seed002_allies_possessive_inside_brackets()
    {
        string text = TextAssert.Seed("002");
        var (start, end) = TextAssert.LineContaining(text, "[the allies’]");
        var tokens = new List<Token>();
        Tokenizer.Tokenize(text, start, end, tokens);
        var words = tokens.Select(t => t.GetText(text)).ToList();
        int k = words.IndexOf("allies");
        Assert.Equal(["[", "the", "allies", "’", "]", "specific"], words.Skip(k - 2).Take(6));
        Assert.Equal(TokenKind.Word, tokens[k + 1].Kind);
    }

    [Fact]
    public void Seed002_symbol_and_short_lines()
    {
        var sentences = TextAssert.SentenceTexts(TextAssert.Seed("002"));
        int k = Array.IndexOf(sentences, "○");
        Assert.True(k > 0);
        Assert.StartsWith("The ‘Kellogg Plan’", sentences[k - 1]);
        Assert.Equal("6 mins read", sentences[k + 1]);
        Assert.Equal("Europe shouldn’t be pushed by US influence to confront Russia", sentences[k + 2]);
    }

    [Fact]
    public void Seed003_quote_spanning_two_sentences()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("003"), "bridge too far");
        Assert.Equal(
        [
            "“Ukraine’s NATO membership is a bridge too far for Russia,” said a Kremlin insider.",
            "“Putin will fight tooth and nail to ensure it never happens, even if it means prolonging the conflict.”",
        ], sentences);
    }

    [Fact]
    public void Seed003_quotation_with_two_sentences_inside()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("003"), "rules-based international order");
        Assert.Equal(
        [
            "“This isn’t just about Ukraine,” said a geopolitical analyst.",
            "“It’s about the rules-based international order.",
            "The outcome of these talks could redefine global power dynamics for a generation.”",
        ], sentences);
    }

    [Fact]
    public void Seed003_questions_and_US_Russia()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("003"), "U.S.-Russia relations");
        Assert.Equal(3, sentences.Length);
        Assert.EndsWith("a watershed moment in U.S.-Russia relations.", sentences[0]);
        Assert.Equal("Will Trump strike a deal that ends the war but cements Putin’s influence in Eastern Europe?", sentences[1]);
        Assert.Equal("Or will he stand firm on NATO’s principles, risking further escalation?", sentences[2]);
    }

    [Fact]
    public void Seed003_title_headings_with_colons_and_question_marks()
    {
        var sentences = TextAssert.SentenceTexts(TextAssert.Seed("003"));
        Assert.Contains("A Bold Gambit: Russia’s Strategic Demand", sentences);
        Assert.Contains("NATO’s Stand: An Irreversible Path?", sentences);
        Assert.Contains("The Road Ahead: A Tumultuous Summit Awaits", sentences);
    }

    [Fact]
    public void Seed004_US_inside_sentences()
    {
        var sentences = TextAssert.ParagraphSentences(TextAssert.Seed("004"), "The renewed focus on the Arctic");
        Assert.Equal(3, sentences.Length);
        Assert.StartsWith("The renewed focus on the Arctic also comes as U.S. President Donald Trump reiterated", sentences[0]);
        Assert.Equal("Greenland, however, is an autonomous territory within the Kingdom of Denmark and hosts a U.S. airbase under existing international agreements.", sentences[1]);
    }

    [Fact]
    public void Seed004_every_headline_line_is_a_sentence()
    {
        string text = TextAssert.Seed("004");
        var sentences = TextAssert.SentenceTexts(text);
        var headlines = text[text.IndexOf("China Warns", StringComparison.Ordinal)..]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(16, headlines.Length);
        Assert.Equal(headlines, sentences[^16..]);
    }

    [Fact]
    public void Seed004_headline_tokens()
    {
        string text = TextAssert.Seed("004");
        var tokens = TextAssert.Tokens(text);
        (string, TokenKind) Find(string s) => tokens.Where(t => t.GetText(text) == s).Select(t => (t.GetText(text), t.Kind)).First();
        Assert.Equal(("TrumpRx.gov", TokenKind.Url), Find("TrumpRx.gov"));
        Assert.Equal(("$6", TokenKind.Number), Find("$6"));
        Assert.Equal(("GLP-1", TokenKind.Word), Find("GLP-1"));
        Assert.Equal(("U.S.-India", TokenKind.Word), Find("U.S.-India"));
        var (start, end) = TextAssert.LineContaining(text, "India–U.S.");
        var line = new List<Token>();
        Tokenizer.Tokenize(text, start, end, line);
        Assert.Equal(["India", "–", "U.S.", "Interim"], line.Take(4).Select(t => t.GetText(text)));
    }
}
