namespace Sitrep.Tests;

public class SmokeTests
{
    [Fact]
    public void SeedsFolderIsReachable() => Assert.True(Directory.Exists(TestPaths.Seeds), TestPaths.Seeds);
}
