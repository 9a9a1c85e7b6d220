using Sitrep.Text.Ner;

namespace Sitrep.Tests.Ner;

public class NerEvaluationTests
{
    [Fact]
    public void ExactSpanAndTypeAreRequired()
    {
        var ev = new NerEvaluation();
        // gold: Mark Rutte (PER), NATO (ORG), Brussels (LOC)
        ev.Add(["B-PER", "I-PER", "O", "B-ORG", "O", "B-LOC"],
        // predicted: Mark Rutte (PER, correct), NATO as LOC (wrong type), Brussels right, plus a spurious MISC
               ["B-PER", "I-PER", "B-MISC", "B-LOC", "O", "B-LOC"]);
        // gold: European Commission (ORG); predicted only "European" (wrong span)
        ev.Add(["B-ORG", "I-ORG", "O"], ["B-ORG", "O", "O"]);

        Assert.Equal(4, ev.GoldTotal);
        Assert.Equal(5, ev.PredictedTotal);
        Assert.Equal(2, ev.CorrectTotal);
        Assert.Equal(2 / 5.0, ev.Precision, 6);
        Assert.Equal(2 / 4.0, ev.Recall, 6);
        Assert.Equal(2 * 0.4 * 0.5 / 0.9, ev.F1, 6);
        Assert.Equal(1.0, ev.F1Of(EntityType.Person), 6);
        Assert.Equal(0.0, ev.F1Of(EntityType.Organisation), 6);
        Assert.Equal(0.5, ev.PrecisionOf(EntityType.Place), 6);
        Assert.Equal(1.0, ev.RecallOf(EntityType.Place), 6);
        Assert.Equal(6 / 9.0, ev.TagAccuracy, 6);
    }

    [Fact]
    public void IAfterOStartsAnEntityAsInConlleval()
    {
        var ev = new NerEvaluation();
        ev.Add(["B-LOC", "O"], ["I-LOC", "O"]);
        Assert.Equal(1.0, ev.F1, 6);
    }

    [Fact]
    public void LinesEndWithF1()
    {
        var ev = new NerEvaluation();
        ev.Add(["B-PER"], ["B-PER"]);
        var lines = ev.Lines().ToList();
        Assert.Equal("f1: 1.0000", lines[^1]);
        Assert.All(lines, l => Assert.Matches(@"^[a-z_0-9]+: [0-9.]+$", l));
    }
}
