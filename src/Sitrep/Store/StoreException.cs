namespace Sitrep.Store;

/// <summary>A store that cannot be used (locked, corrupt, not ours). The message is one line naming the file and the reason.</summary>
public sealed class StoreException(string path, string reason, Exception? inner = null) : Exception($"{path}: {reason}", inner)
{
    public string Path { get; } = path;
    public string Reason { get; } = reason;
}
