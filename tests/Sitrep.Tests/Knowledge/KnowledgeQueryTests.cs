using Sitrep.Knowledge;
using static Sitrep.Tests.Knowledge.BuiltInKb;

namespace Sitrep.Tests.Knowledge;

public class KnowledgeQueryTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void BuiltInKbLoadsWithoutErrors()
    {
        var kb = KnowledgeBase.Load(Folder);
        Assert.True(kb.Entities.Length > 100, $"only {kb.Entities.Length} entities");
        Assert.All(EntityTypeSets.Knowledge, t => Assert.NotEmpty(kb.OfType(t)));
    }

    [Fact]
    public void LoadBuiltInFindsTheRepositoryFolder()
    {
        // Beside the program (copied at build) or the repository's own folder: either way the same files.
        var found = KnowledgeBase.FindBuiltInDirectory()!;
        var expected = Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(expected, Directory.GetFiles(found, "*.yaml").Select(Path.GetFileName).Order().ToList());
        foreach (var f in expected) Assert.Equal(File.ReadAllText(Path.Combine(Folder, f!)), File.ReadAllText(Path.Combine(found, f!)));
        var kb = KnowledgeBase.LoadBuiltIn();
        Assert.True(kb.Contains(Nato));
    }

    [Theory]
    [InlineData("2024-06-01", Stoltenberg)]
    [InlineData("2024-09-30", Stoltenberg)]
    [InlineData("2024-10-01", Rutte)]
    [InlineData("2024-12-01", Rutte)]
    [InlineData("2025-03-01", Rutte)]
    [InlineData("2012-01-01", "sitrep:anders-fogh-rasmussen")]
    public void NatoSecretaryGeneralOnADate(string date, string expected)
    {
        Assert.Equal(expected, Kb.HolderOf("Secretary General", Nato, D(date))?.Id);
        Assert.Equal(expected, Kb.HolderOf("secretary-general", Nato, D(date))?.Id);
        Assert.Equal(expected, Assert.Single(Kb.WhoHeld(NatoSecretaryGeneral, D(date))).PersonId);
    }

    [Fact]
    public void TitleWithoutOrganisationCanBeAmbiguous()
    {
        // On 2025-02-01 "President" fits the presidents of the US, Russia, Ukraine, the Commission and the European Council.
        var held = Kb.WhoHeld("President", null, D("2025-02-01")).Select(t => t.PersonId).ToHashSet();
        Assert.Superset(new HashSet<string> { Trump, Putin, Zelensky, "Q60772", "sitrep:antonio-costa" }, held);
        Assert.Equal(Putin, Kb.HolderOf("President", Russia, D("2025-02-01"))?.Id);
    }

    [Fact]
    public void TrumpIsPresidentElectThenPresident()
    {
        Assert.Equal([UsPresidentElect], Kb.RolesOf(Trump, D("2024-12-15")).Select(t => t.RoleId));
        Assert.Equal([UsPresident], Kb.RolesOf(Trump, D("2025-02-01")).Select(t => t.RoleId));
        Assert.Equal(Trump, Kb.HolderOf("President-elect", Us, D("2024-12-15"))?.Id);
        Assert.Equal(Biden, Kb.HolderOf("President", Us, D("2024-12-15"))?.Id);
        Assert.Equal(Trump, Kb.HolderOf("President", Us, D("2025-01-20"))?.Id); // inauguration day: the new term
        Assert.Equal(Biden, Kb.HolderOf("President", Us, D("2025-01-19"))?.Id);
        Assert.Equal(Trump, Kb.HolderOf(UsPresidentElect, null, D("2016-12-01"))?.Id);
        Assert.Null(Kb.HolderOf(UsPresidentElect, null, D("2023-06-01")));
        Assert.True(Kb.HeldRole(Trump, UsPresident, D("2019-06-01")));
        Assert.False(Kb.HeldRole(Trump, UsPresident, D("2022-06-01")));
    }

    [Fact]
    public void OtherOfficeHolders()
    {
        Assert.Equal(Zelensky, Kb.HolderOf("President", Ukraine, D("2019-05-20"))?.Id);
        Assert.Equal("sitrep:petro-poroshenko", Kb.HolderOf("President", Ukraine, D("2019-05-19"))?.Id);
        Assert.Equal("sitrep:mute-egede", Kb.HolderOf("Prime Minister", Greenland, D("2025-04-06"))?.Id);
        Assert.Equal("sitrep:jens-frederik-nielsen", Kb.HolderOf("premier", Greenland, D("2025-04-07"))?.Id);
        Assert.Equal("sitrep:mette-frederiksen", Kb.HolderOf("Prime Minister", Denmark, D("2025-01-01"))?.Id);
        Assert.Equal("sitrep:kaja-kallas", Kb.HolderOf("High Representative", Eu, D("2025-01-01"))?.Id);
        Assert.Equal("sitrep:josep-borrell", Kb.HolderOf("High Representative", Eu, D("2024-11-30"))?.Id);
        Assert.Equal("sitrep:antonio-costa", Kb.HolderOf("President", "sitrep:european-council", D("2024-12-01"))?.Id);
        Assert.Equal("Q60772", Kb.HolderOf("President", "sitrep:european-commission", D("2024-12-01"))?.Id);
        Assert.Equal("sitrep:dmitry-medvedev", Kb.HolderOf("President", Russia, D("2010-01-01"))?.Id);
    }

    [Fact]
    public void RolesOfAPersonOnADate()
    {
        var rutte2020 = Kb.RolesOf(Rutte, D("2020-01-01"));
        Assert.Equal("sitrep:role/netherlands-prime-minister", Assert.Single(rutte2020).RoleId);
        Assert.Empty(Kb.RolesOf(Rutte, D("2024-08-01"))); // between the two offices
        Assert.Equal(2, Kb.RolesOf(Rutte).Length);
        // An ad hoc role written as title + org.
        var lavrov = Assert.Single(Kb.RolesOf("sitrep:sergey-lavrov", D("2025-01-01")));
        Assert.Equal("Foreign Minister", Kb.GetRole(lavrov.RoleId).Title);
        Assert.Equal(Russia, Kb.GetRole(lavrov.RoleId).OrgId);
        // An undated role is known but not placed in time.
        Assert.Single(Kb.RolesOf("sitrep:aurelie-pugnet"));
        Assert.Empty(Kb.RolesOf("sitrep:aurelie-pugnet", D("2025-01-01")));
    }

    [Theory]
    [InlineData("1949-04-03", 0)]
    [InlineData("1949-04-04", 12)]
    [InlineData("1990-01-01", 16)]
    [InlineData("2004-03-29", 26)]
    [InlineData("2020-03-27", 30)]
    [InlineData("2023-04-03", 30)]
    [InlineData("2023-04-04", 31)]
    [InlineData("2023-12-01", 31)]
    [InlineData("2024-03-06", 31)]
    [InlineData("2024-03-07", 32)]
    [InlineData("2025-01-01", 32)]
    public void NatoMemberCountOnADate(string date, int count) => Assert.Equal(count, Kb.MemberCount(Nato, D(date)));

    [Fact]
    public void MembershipOnADate()
    {
        Assert.True(Kb.IsMember(Finland, Nato, D("2023-04-04")));
        Assert.False(Kb.IsMember(Finland, Nato, D("2023-04-03")));
        Assert.True(Kb.IsMember(Sweden, Nato, D("2024-03-07")));
        Assert.False(Kb.IsMember(Sweden, Nato, D("2024-03-06")));
        Assert.False(Kb.IsMember(Ukraine, Nato, D("2025-01-01")));
        Assert.False(Kb.IsMember(Russia, Nato, D("2025-01-01")));
        Assert.True(Kb.IsMember(Denmark, Nato, D("1949-04-04")));
        Assert.Contains(Kb.Get(Nato), Kb.MembershipsOf(Poland, D("2000-01-01")));
    }

    [Fact]
    public void OperationsAndSummitsWithDates()
    {
        var baltic = Kb.Get("sitrep:baltic-sentry");
        Assert.Equal(EntityType.Operation, baltic.Type);
        Assert.Equal(D("2025-01-14"), baltic.Dates.From);
        Assert.Null(baltic.Dates.To);
        Assert.Equal(Nato, baltic.Org);

        var active = Kb.ActiveOn(D("2025-10-01"), EntityType.Operation).Select(e => e.Id).ToList();
        Assert.Equal(["sitrep:baltic-sentry", "sitrep:eastern-sentry"], active.Order());
        Assert.Equal(["sitrep:baltic-sentry"], Kb.ActiveOn(D("2025-06-01"), EntityType.Operation).Select(e => e.Id));

        var hague = Kb.Get("sitrep:nato-summit-2025-the-hague");
        Assert.Equal("Q36600", hague.Place);
        Assert.True(hague.Dates.Contains(D("2025-06-25")));   // written as last: 2025-06-25
        Assert.False(hague.Dates.Contains(D("2025-06-26")));
        Assert.Equal(["sitrep:nato-summit-2024-washington"],
            Kb.Overlapping(D("2024-07-01"), D("2024-08-01"), EntityType.Summit).Select(e => e.Id));
        Assert.Equal(["sitrep:nato-summit-2024-washington"], Kb.ActiveOn(D("2024-07-11"), EntityType.Summit).Select(e => e.Id));

        Assert.Equal(D("1997-05-27"), Kb.Get("sitrep:nato-russia-founding-act").Dates.From);
        Assert.Equal(D("2002-05-28"), Kb.Get("sitrep:nato-russia-council").Dates.From);
        var ussr = Kb.Get("Q15180").Dates;
        Assert.True(ussr.Contains(D("1991-12-25")));
        Assert.False(ussr.Contains(D("1991-12-26")));
    }

    [Fact]
    public void PartialDatesCoverTheirWholePeriod()
    {
        var coldWar = Kb.Get("sitrep:cold-war").Dates; // from: 1947, to: 1991
        Assert.Equal(DatePrecision.Year, coldWar.FromPrecision);
        Assert.True(coldWar.Contains(D("1947-01-01")));
        Assert.True(coldWar.Contains(D("1991-12-31")));
        Assert.False(coldWar.Contains(D("1992-01-01")));
        var georgia = Kb.Get("sitrep:russo-georgian-war").Dates; // from: 2008-08, last: 2008-08
        Assert.True(georgia.Contains(D("2008-08-31")));
        Assert.False(georgia.Contains(D("2008-09-01")));
    }

    [Fact]
    public void EntityFacts()
    {
        var greenland = Kb.Get(Greenland);
        Assert.Equal(EntityType.Country, greenland.Type);
        Assert.Equal(Denmark, greenland.PartOf);
        Assert.Contains("Denmark", greenland.Description);
        Assert.Equal<string>(["Q191", "Q211", "Q37"], Kb.Get("sitrep:baltic-states").Includes);
        Assert.Equal(EntityType.Body, Kb.Get("sitrep:kremlin").Type);
    }

    [Theory]
    [InlineData("euractiv.com", "sitrep:euractiv")]
    [InlineData("*first published in euractiv.com", "sitrep:euractiv")]
    [InlineData("https://www.euractiv.com/section/defence/news/x/", "sitrep:euractiv")]
    [InlineData("www.reuters.com", "Q130879")]
    [InlineData("https://apnews.com/article/nato", "Q40469")]
    [InlineData("europe.politico.eu", "sitrep:politico")]
    [InlineData("example.org", null)]
    public void OutletForDomain(string input, string? expected) => Assert.Equal(expected, Kb.OutletForDomain(input)?.Id);

    [Fact]
    public void SurfaceLookup()
    {
        Assert.Contains(Kb.Lookup("the kremlin"), h => h.Entity.Id == Russia && h.Kind == MatchKind.Metonym);
        Assert.Contains(Kb.Lookup("Kremlin"), h => h.Entity.Id == Russia && h.Kind == MatchKind.Metonym);
        Assert.Contains(Kb.Lookup("Kremlin"), h => h.Entity.Id == "sitrep:kremlin" && h.Kind == MatchKind.Alias);
        Assert.Empty(Kb.Lookup("alliance"));
        Assert.Contains(Kb.Lookup("Zelenskyy"), h => h.Entity.Id == Zelensky);
        Assert.Contains(Kb.Lookup("NATO–Russia Council"), h => h.Entity.Id == "sitrep:nato-russia-council" && h.Kind == MatchKind.Name);
        Assert.Contains(Kb.Lookup("Danish"), h => h.Entity.Id == Denmark && h.Kind == MatchKind.Demonym);
        var brussels = Kb.Lookup("Brussels");
        Assert.Contains(brussels, h => h.Entity.Id == "Q239" && h.Kind == MatchKind.Name);
        Assert.Contains(brussels, h => h.Entity.Id == Eu && h.Kind == MatchKind.Metonym);
        Assert.Contains(brussels, h => h.Entity.Id == Nato && h.Kind == MatchKind.Metonym);
    }

    [Fact]
    public void KbIsSafeToQueryFromManyThreads()
    {
        var kb = Kb;
        Parallel.For(0, 200, i =>
        {
            var d = new DateOnly(2004, 1, 1).AddDays(i * 50);
            int count = kb.MemberCount(Nato, d);
            Assert.InRange(count, 19, 32);
            Assert.NotNull(kb.HolderOf(NatoSecretaryGeneral, null, d));
        });
    }
}
