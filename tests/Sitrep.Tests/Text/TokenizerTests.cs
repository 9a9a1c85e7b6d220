using Sitrep.Text;

namespace Sitrep.Tests.Text;

public class TokenizerTests
{
    // Expected tokens are written separated by single spaces: a token never contains white space.
    private static void AssertTokens(string input, string expected) =>
        Assert.Equal(expected.Split(' '), TextAssert.TokenTexts(input));

    private static TokenKind KindOf(string input, string token)
    {
        var tokens = TextAssert.Tokens(input);
        var matches = tokens.Where(t => t.GetText(input) == token).ToList();
        Assert.True(matches.Count > 0, $"no token \"{token}\" in: {string.Join(" | ", tokens.Select(t => t.GetText(input)))}");
        Assert.All(matches, m => Assert.Equal(matches[0].Kind, m.Kind));
        return matches[0].Kind;
    }

    [Theory]
    [InlineData("U.S. President Donald Trump", "U.S. President Donald Trump")]
    [InlineData("the U.K. and the E.U. agreed", "the U.K. and the E.U. agreed")]
    [InlineData("Gen. Smith met Dr. Jones and Mr. Brown", "Gen. Smith met Dr. Jones and Mr. Brown")]
    [InlineData("on Jan. 6 and Sept. 11", "on Jan. 6 and Sept. 11")]
    [InlineData("St. Petersburg, Acme Corp. and Acme Inc. and Martin Luther King Jr.", "St. Petersburg , Acme Corp. and Acme Inc. and Martin Luther King Jr.")]
    [InlineData("at 9 a.m. or 5 p.m., e.g. now, i.e. later", "at 9 a.m. or 5 p.m. , e.g. now , i.e. later")]
    [InlineData("a Ph.D. student", "a Ph.D. student")]
    [InlineData("tanks, guns, etc. were sent", "tanks , guns , etc. were sent")]
    [InlineData("Roe v. Wade and Russia vs. NATO", "Roe v. Wade and Russia vs. NATO")]
    [InlineData("the U.S.Army", "the U.S. Army")]
    [InlineData("Sen. Ted Cruz (R-Tex.) and Chuck Schumer (D-N.Y.)", "Sen. Ted Cruz ( R-Tex. ) and Chuck Schumer ( D-N.Y. )")]
    public void Abbreviations_keep_their_period(string input, string expected) => AssertTokens(input, expected);

    [Theory]
    [InlineData("J. R. R. Tolkien", "J. R. R. Tolkien")]
    [InlineData("Donald J. Trump", "Donald J. Trump")]
    [InlineData("J.R.R. Tolkien", "J.R.R. Tolkien")]
    public void Initials_keep_their_period(string input, string expected) => AssertTokens(input, expected);

    [Theory]
    [InlineData("It ended in the U.S.", "It ended in the U.S.")]
    [InlineData("It ended in Washington.", "It ended in Washington .")]
    [InlineData("the NATO summit.", "the NATO summit .")]
    [InlineData("said no. Then", "said no . Then")] // "no." is only an abbreviation before a number
    [InlineData("No. 5 and No.1", "No. 5 and No. 1")]
    [InlineData("etc... and so on", "etc ... and so on")]
    [InlineData("Washington.The next", "Washington . The next")]
    public void Other_periods_are_separate(string input, string expected) => AssertTokens(input, expected);

    [Theory]
    [InlineData("Additional $6 Million", "Additional $6 Million")]
    [InlineData("1,683 troops", "1,683 troops")]
    [InlineData("grew 3.5% in 2022–2024", "grew 3.5% in 2022–2024")]
    [InlineData("on 1996-08-30 at 10:30", "on 1996-08-30 at 10:30")]
    [InlineData("€1.5bn, £20m and ₽100", "€1.5bn , £20m and ₽100")]
    [InlineData("down -5% or −2 and +3", "down -5% or −2 and +3")]
    [InlineData("the 1990s and the ’90s", "the 1990s and the ’90s")]
    [InlineData("2,000,000.50 dollars", "2,000,000.50 dollars")]
    [InlineData("in 2014.", "in 2014 .")]
    [InlineData("a 5-year-old and 24/7 and .5", "a 5-year-old and 24/7 and .5")]
    public void Numbers(string input, string expected) => AssertTokens(input, expected);

    [Theory]
    [InlineData("$6", TokenKind.Number)]
    [InlineData("1,683", TokenKind.Number)]
    [InlineData("3.5%", TokenKind.Number)]
    [InlineData("2022–2024", TokenKind.Number)]
    [InlineData("1996-08-30", TokenKind.Number)]
    [InlineData("1990s", TokenKind.Number)]
    [InlineData("’90s", TokenKind.Number)]
    [InlineData("5-year-old", TokenKind.Word)]
    [InlineData("GLP-1", TokenKind.Word)]
    public void Number_kinds(string token, TokenKind kind) => Assert.Equal(kind, KindOf("x " + token + " y", token));

    [Theory]
    [InlineData("Russia’s role", "Russia ’s role")]
    [InlineData("Russia's role", "Russia 's role")]
    [InlineData("We don’t talk", "We do n’t talk")]
    [InlineData("I can't and won't", "I ca n't and wo n't")]
    [InlineData("It’s unclear", "It ’s unclear")]
    [InlineData("I'm sure they're here, we've seen she'll say he'd", "I 'm sure they 're here , we 've seen she 'll say he 'd")]
    [InlineData("DON’T STOP", "DO N’T STOP")]
    [InlineData("O’Brien’s plan", "O’Brien ’s plan")]
    [InlineData("the U.S.’s role", "the U.S. ’s role")]
    [InlineData("NATO-Russia’s talks", "NATO-Russia ’s talks")]
    [InlineData("euractiv.com’s report", "euractiv.com ’s report")]
    [InlineData("the allies’ positions", "the allies ’ positions")]
    [InlineData("rock ’n’ roll, give ’em hell", "rock ’n’ roll , give ’em hell")]
    [InlineData("Russia´s role", "Russia ´s role")]
    public void Contractions_and_possessives_follow_penn_treebank(string input, string expected) => AssertTokens(input, expected);

    [Fact]
    public void Clitics_and_possessives_are_words()
    {
        Assert.Equal(TokenKind.Word, KindOf("Russia’s role", "’s"));
        Assert.Equal(TokenKind.Word, KindOf("don’t", "n’t"));
        Assert.Equal(TokenKind.Word, KindOf("the allies’ positions", "’"));
    }

    [Fact]
    public void Single_quotes_are_told_from_apostrophes()
    {
        const string text = "The ‘Kellogg Plan’ looks bad, but it’s ‘the allies’ view’ and 'Trump's deal'.";
        AssertTokens(text, "The ‘ Kellogg Plan ’ looks bad , but it ’s ‘ the allies ’ view ’ and ' Trump 's deal ' .");
        var tokens = TextAssert.Tokens(text);
        string Kinds(int from, int count) => string.Join(",", tokens.Skip(from).Take(count).Select(t => t.Kind));
        Assert.Equal("Quote,Word,Word,Quote", Kinds(1, 4));
        // Inside ‘…’ the apostrophe after "allies" closes the quotation rather than marking a possessive.
        Assert.Equal("Quote,Word,Word,Quote,Word,Quote", Kinds(11, 6));
        Assert.Equal("Quote,Word,Word,Word,Quote,Punct", Kinds(18, 6));
    }

    [Fact]
    public void An_open_single_quote_does_not_outlive_its_line()
    {
        const string text = "a ‘stray quote\nthe allies’ view";
        var tokens = TextAssert.Tokens(text);
        var apostrophe = tokens.Single(t => t.GetText(text) == "’");
        Assert.Equal(TokenKind.Word, apostrophe.Kind);
    }

    [Theory]
    [InlineData("the NATO-Russia relationship", "the NATO-Russia relationship")]
    [InlineData("the post–Cold War era", "the post – Cold War era")]
    [InlineData("the post-Cold War order", "the post-Cold War order")]
    [InlineData("Greenland—an autonomous Danish territory—has", "Greenland — an autonomous Danish territory — has")]
    [InlineData("February 2022 – and remained", "February 2022 – and remained")]
    [InlineData("yes -- no --- maybe - fine", "yes -- no --- maybe - fine")]
    [InlineData("India–U.S. Interim Trade Pact", "India – U.S. Interim Trade Pact")]
    [InlineData("U.S.-India Trade Framework", "U.S.-India Trade Framework")]
    [InlineData("pre- and post-war", "pre- and post-war")]
    [InlineData("early-stage decades-old off-ramps", "early-stage decades-old off-ramps")]
    public void Hyphens_and_dashes(string input, string expected) => AssertTokens(input, expected);

    [Theory]
    [InlineData("—", TokenKind.Dash)]
    [InlineData("–", TokenKind.Dash)]
    [InlineData("--", TokenKind.Dash)]
    [InlineData("…", TokenKind.Ellipsis)]
    [InlineData("...", TokenKind.Ellipsis)]
    [InlineData("“", TokenKind.Quote)]
    [InlineData("”", TokenKind.Quote)]
    [InlineData("\"", TokenKind.Quote)]
    [InlineData("«", TokenKind.Quote)]
    [InlineData("○", TokenKind.Symbol)]
    [InlineData("©", TokenKind.Symbol)]
    [InlineData("[", TokenKind.Punct)]
    [InlineData(";", TokenKind.Punct)]
    [InlineData("?!", TokenKind.Punct)]
    public void Punctuation_kinds(string token, TokenKind kind) => Assert.Equal(kind, KindOf("a " + token + " b", token));

    [Theory]
    [InlineData("across the alliance … that the [Founding Act]", "across the alliance … that the [ Founding Act ]")]
    [InlineData("Wait... what?! Really?", "Wait ... what ?! Really ?")]
    [InlineData("are “on hold,\" a source", "are “ on hold , \" a source")]
    [InlineData("undivided Europe.”", "undivided Europe . ”")]
    [InlineData("(see below) {x}", "( see below ) { x }")]
    [InlineData("''It was hard,'' Mr. McCain recalled, ``truly.''", "'' It was hard , '' Mr. McCain recalled , `` truly . ''")]
    [InlineData("the bosses'' view", "the bosses '' view")]
    public void Quotes_brackets_and_ellipses(string input, string expected) => AssertTokens(input, expected);

    [Theory]
    [InlineData("first published in euractiv.com", "euractiv.com")]
    [InlineData("TrumpRx.gov Highlights", "TrumpRx.gov")]
    [InlineData("see https://www.euractiv.com/section/defence/news/x-y/?a=1&b=2.", "https://www.euractiv.com/section/defence/news/x-y/?a=1&b=2")]
    [InlineData("at www.nato.int, today", "www.nato.int")]
    [InlineData("write to press@nato.int.", "press@nato.int")]
    [InlineData("(see bbc.co.uk)", "bbc.co.uk")]
    [InlineData("http://example.org/a_(b)) x", "http://example.org/a_(b)")]
    public void Urls_domains_and_emails_are_one_token(string input, string url)
    {
        Assert.Equal(TokenKind.Url, KindOf(input, url));
    }

    [Theory]
    [InlineData("U.S.")]
    [InlineData("e.g.")]
    [InlineData("3.5")]
    [InlineData("report.pdf")]
    public void Not_urls(string input) => Assert.DoesNotContain(TextAssert.Tokens(input), t => t.Kind == TokenKind.Url);

    [Fact]
    public void Capitalised_two_letter_endings_are_missing_spaces_not_country_domains() =>
        AssertTokens("he said.It was", "he said . It was");

    [Theory]
    [InlineData("Hi 👍🏽 there", "Hi 👍🏽 there")]
    [InlineData("flag 🇺🇦 here", "flag 🇺🇦 here")]
    [InlineData("family 👨‍👩‍👧 ok", "family 👨‍👩‍👧 ok")]
    [InlineData("café naïve 𝐀𝐁 Aurélie", "café naïve 𝐀𝐁 Aurélie")]
    [InlineData("Мирные переговоры, Київ.", "Мирные переговоры , Київ .")]
    public void Unicode_is_never_split_inside_a_character(string input, string expected) => AssertTokens(input, expected);

    [Fact]
    public void Invisible_separators_and_no_break_spaces_separate_tokens()
    {
        const string text = "NATO\u00A0allies\u200Bmet\uFEFFtoday\u2028again \u202Aright\u202C\u200F";
        AssertTokens(text, "NATO allies met today again right");
    }

    [Theory]
    [InlineData("#NATO and @Reuters", "#NATO and @Reuters")]
    [InlineData("AT&T and/or S&P", "AT&T and/or S&P")]
    [InlineData("rock & roll", "rock & roll")]
    public void Other_joined_words(string input, string expected) => AssertTokens(input, expected);

    [Fact]
    public void Offsets_index_the_original_string_for_a_sub_range()
    {
        const string text = "IGNORED. U.S. President Donald Trump’s NATO threats. IGNORED";
        int start = text.IndexOf("U.S.", StringComparison.Ordinal);
        int end = text.IndexOf(" IGNORED", start, StringComparison.Ordinal);
        var tokens = new List<Token> { new(0, 1, TokenKind.Word) }; // appended to, not cleared
        Tokenizer.Tokenize(text, start, end, tokens);
        TextAssert.CheckTokens(text, start, end, tokens.Skip(1).ToList());
        Assert.Equal(start, tokens[1].Start);
        Assert.Equal(["U.S.", "President", "Donald", "Trump", "’s", "NATO", "threats", "."], tokens.Skip(1).Select(t => t.GetText(text)));
    }

    [Fact]
    public void Empty_and_blank_ranges_give_no_tokens()
    {
        Assert.Empty(Tokenizer.Tokenize(""));
        Assert.Empty(Tokenizer.Tokenize(" \n\t\r\n "));
        var list = new List<Token>();
        Tokenizer.Tokenize("abc", 1, 1, list);
        Assert.Empty(list);
    }

    [Fact]
    public void Bad_ranges_throw()
    {
        var list = new List<Token>();
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Tokenize("abc", 2, 1, list));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Tokenize("abc", 0, 4, list));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Tokenize("abc", -1, 2, list));
    }

    [Fact]
    public void A_token_ends_at_the_range_end_even_inside_a_word()
    {
        const string text = "Greenland";
        var list = new List<Token>();
        Tokenizer.Tokenize(text, 0, 5, list);
        Assert.Equal([new Token(0, 5, TokenKind.Word)], list);
    }
}
