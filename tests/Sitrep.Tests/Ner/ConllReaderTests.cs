using Sitrep.Text.Ner;

namespace Sitrep.Tests.Ner;

public class ConllReaderTests
{
    private const string Iob2 = """
        -DOCSTART- -X- -X- O

        EU NNP B-NP B-ORG
        rejects VBZ B-VP O
        German JJ B-NP B-MISC
        call NN I-NP O

        Peter NNP B-NP B-PER
        Blackburn NNP I-NP I-PER
        -DOCSTART- -X- -X- O

        BRUSSELS NNP B-NP B-LOC
        1996-08-22 CD I-NP O
        """;

    // The same annotation in IOB1: I- everywhere, B- only between two adjacent entities of one type.
    private const string Iob1 = """
        EU NNP B-NP I-ORG
        rejects VBZ B-VP O
        German JJ B-NP I-MISC
        call NN I-NP O

        Peter NNP B-NP I-PER
        Blackburn NNP I-NP I-PER
        """;

    [Fact]
    public void DocstartSeparatesDocumentsAndBlankLinesSentences()
    {
        var docs = ConllReader.Read(new StringReader(Iob2));
        Assert.Equal(2, docs.Count);
        Assert.Equal(2, docs[0].Sentences.Count);
        Assert.Equal(["Peter", "Blackburn"], docs[0].Sentences[1].Tokens);
        Assert.Equal(["B-PER", "I-PER"], docs[0].Sentences[1].Tags);
        Assert.Single(docs[1].Sentences);
        Assert.Equal(6, docs[0].TokenCount);
    }

    [Fact]
    public void Iob1AndIob2GiveTheSameEntities()
    {
        var a = NerDocument.FromConll(ConllReader.Read(new StringReader(Iob2))[0]);
        var b = NerDocument.FromConll(ConllReader.Read(new StringReader(Iob1))[0]);
        Assert.Equal(a.Gold, b.Gold);
        Assert.Equal([new Chunk(0, 1, (int)EntityType.Organisation), new Chunk(2, 1, (int)EntityType.Misc), new Chunk(4, 2, (int)EntityType.Person)], a.Gold);
        Assert.Equal("Peter Blackburn", a.Text[a.Tokens[4].Start..a.Tokens[5].End]);
    }

    [Fact]
    public void Iob1BTagSplitsAdjacentEntitiesOfOneType()
    {
        var doc = NerDocument.FromConll(ConllReader.Read(new StringReader("Germany x I-LOC\nFrance x B-LOC\nand x O\n"))[0]);
        Assert.Equal([new Chunk(0, 1, (int)EntityType.Place), new Chunk(1, 1, (int)EntityType.Place)], doc.Gold);
    }

    [Fact]
    public void UnknownTagIsAFormatErrorNamingTheLine()
    {
        var e = Assert.Throws<FormatException>(() => ConllReader.Read(new StringReader("EU NNP B-NP B-ORG\nrejects VBZ B-VP B-FOO\n"), "x.txt"));
        Assert.Contains("x.txt: line 2", e.Message);
    }

    [Theory]
    [InlineData(TagScheme.Bio)]
    [InlineData(TagScheme.Bilou)]
    public void TagSchemesRoundTripChunks(TagScheme scheme)
    {
        var tags = new TagSet(scheme);
        Chunk[] chunks = [new(0, 1, 0), new(1, 3, 1), new(5, 1, 1), new(6, 2, 3)];
        var encoded = new byte[9];
        tags.Encode(chunks, 0, 9, encoded);
        var decoded = new List<Chunk>();
        tags.Decode(encoded, 0, decoded);
        Assert.Equal(chunks, decoded);
        for (int i = 1; i < encoded.Length; i++) Assert.True(tags.Allowed(encoded[i - 1], encoded[i]));
    }
}
