using System.Collections.Immutable;

namespace Sitrep.Knowledge;

/// <summary>One problem found while loading KB files, located as <c>file:line</c>.</summary>
public sealed record KnowledgeError(string File, int Line, string Reason)
{
    public override string ToString() => $"{File}:{Line}: {Reason}";
}

/// <summary>
/// The KB files are malformed. <see cref="File"/>, <see cref="Line"/> and <see cref="Reason"/> describe the first
/// problem; <see cref="Errors"/> holds all of them (in file and line order). The message has one
/// <c>file:line: reason</c> line per problem, the first one first.
/// </summary>
public sealed class KnowledgeBaseException : Exception
{
    public KnowledgeBaseException(IReadOnlyList<KnowledgeError> errors)
        : base(Format(errors))
    {
        if (errors.Count == 0) throw new ArgumentException("at least one error is needed", nameof(errors));
        Errors = [.. errors];
    }

    public KnowledgeBaseException(string file, int line, string reason)
        : this([new KnowledgeError(file, line, reason)])
    {
    }

    public ImmutableArray<KnowledgeError> Errors { get; }
    public string File => Errors[0].File;
    public int Line => Errors[0].Line;
    public string Reason => Errors[0].Reason;

    private static string Format(IReadOnlyList<KnowledgeError> errors) =>
        errors.Count == 0 ? "knowledge base error" : string.Join('\n', errors.Select(e => e.ToString()));
}
