namespace Sitrep.Tests;

/// <summary>Finds the repository root and the shared folder beside it, wherever the tests run from.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();
    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
    public static string Seeds => Path.Combine(Shared, "corpus", "seeds");
    public static string Data => Path.Combine(Shared, "data");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Sitrep.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Sitrep.slnx) not found above " + AppContext.BaseDirectory);
    }
}
