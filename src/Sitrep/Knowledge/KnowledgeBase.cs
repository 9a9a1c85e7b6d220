using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Sitrep.Knowledge;

/// <summary>
/// The time-aware knowledge base: entities, roles, who held which role when, and who was a member of what when.
/// Immutable once loaded and safe to share between threads. Dates are half-open ranges [from, to).
/// </summary>
public sealed class KnowledgeBase
{
    /// <summary>Name of the folder, at the repository root, that holds the built-in KB files.</summary>
    public const string BuiltInFolderName = "knowledge";

    /// <summary>Environment variable that, when set, points at the built-in KB folder.</summary>
    public const string BuiltInFolderVariable = "SITREP_KNOWLEDGE_DIR";

    private readonly FrozenDictionary<string, Entity> _byId;
    private readonly FrozenDictionary<string, Role> _roles;
    private readonly FrozenDictionary<string, ImmutableArray<Tenure>> _tenuresByRole;
    private readonly FrozenDictionary<string, ImmutableArray<Membership>> _membershipsByOrg;
    private readonly FrozenDictionary<string, ImmutableArray<Role>> _rolesByTitle;
    private readonly FrozenDictionary<string, Entity> _byDomain;
    private readonly FrozenDictionary<string, ImmutableArray<SurfaceHit>> _bySurface;
    private readonly FrozenDictionary<EntityType, ImmutableArray<Entity>> _byType;

    internal KnowledgeBase(IReadOnlyList<Entity> entities, IReadOnlyList<Role> roles)
    {
        Entities = [.. entities];
        Roles = [.. roles];
        _byId = entities.ToFrozenDictionary(e => e.Id, StringComparer.Ordinal);
        _roles = roles.ToFrozenDictionary(r => r.Id, StringComparer.Ordinal);
        _tenuresByRole = entities.SelectMany(e => e.Roles)
            .GroupBy(t => t.RoleId)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(t => t.Dates.From ?? DateOnly.MinValue).ToImmutableArray(), StringComparer.Ordinal);
        _membershipsByOrg = entities.SelectMany(e => e.Memberships)
            .GroupBy(m => m.OrgId)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
        _rolesByTitle = roles
            .SelectMany(r => r.Titles.Select(t => (Key: TextKey.FoldPhrase(t), Role: r)))
            .GroupBy(p => p.Key)
            .ToFrozenDictionary(g => g.Key, g => g.Select(p => p.Role).Distinct().ToImmutableArray(), StringComparer.Ordinal);
        _byDomain = entities.SelectMany(e => e.Domains.Select(d => (d, e)))
            .ToFrozenDictionary(p => p.d, p => p.e, StringComparer.OrdinalIgnoreCase);
        _bySurface = entities
            .SelectMany(e => e.Aliases.Concat(e.Metonyms).Concat(e.Demonyms)
                .SelectMany(s => SurfaceKeys(s.Text).Select(k => (Key: k, Hit: new SurfaceHit(e, s.Kind))))
                .Concat(SurfaceKeys(e.Name).Select(k => (Key: k, Hit: new SurfaceHit(e, MatchKind.Name)))))
            .GroupBy(p => p.Key)
            .ToFrozenDictionary(g => g.Key, g => g.Select(p => p.Hit).Distinct().ToImmutableArray(), StringComparer.Ordinal);
        _byType = entities.GroupBy(e => e.Type).ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray());
    }

    // A form and, like the matcher, its variant without a leading lower-case "the" before a capitalised word.
    private static IEnumerable<string> SurfaceKeys(string form)
    {
        yield return TextKey.FoldPhrase(form);
        if (!form.StartsWith("the ", StringComparison.Ordinal)) yield break;
        string rest = form[4..].TrimStart();
        if (rest.Length > 0 && char.IsUpper(rest[0])) yield return TextKey.FoldPhrase(rest);
    }

    /// <summary>A surface-form lookup result.</summary>
    public readonly record struct SurfaceHit(Entity Entity, MatchKind Kind);

    public ImmutableArray<Entity> Entities { get; }
    public ImmutableArray<Role> Roles { get; }

    // ---------- loading ----------

    /// <summary>Loads the built-in KB (see <see cref="FindBuiltInDirectory"/>) plus the given user folders.</summary>
    /// <exception cref="KnowledgeBaseException">A file is malformed.</exception>
    /// <exception cref="DirectoryNotFoundException">The built-in folder or a user folder does not exist.</exception>
    public static KnowledgeBase LoadBuiltIn(params IEnumerable<string> userDirectories)
    {
        string dir = FindBuiltInDirectory()
            ?? throw new DirectoryNotFoundException($"built-in KB folder '{BuiltInFolderName}/' not found (set {BuiltInFolderVariable})");
        return Load([dir, .. userDirectories]);
    }

    /// <summary>Loads every <c>*.yaml</c>/<c>*.yml</c> file under each folder (recursively, in ordinal path order).</summary>
    /// <exception cref="KnowledgeBaseException">A file is malformed.</exception>
    public static KnowledgeBase Load(params IEnumerable<string> directories)
    {
        var sources = new List<KnowledgeSource>();
        foreach (var dir in directories)
        {
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"KB folder not found: {dir}");
            var files = Directory.EnumerateFiles(dir, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var f in files) sources.Add(new KnowledgeSource(f, File.ReadAllText(f)));
        }
        return FromSources(sources);
    }

    /// <summary>Loads KB files given as text; <see cref="KnowledgeSource.Name"/> is used in error messages.</summary>
    /// <exception cref="KnowledgeBaseException">A file is malformed.</exception>
    public static KnowledgeBase FromSources(IEnumerable<KnowledgeSource> sources)
    {
        var loader = new KnowledgeLoader();
        foreach (var s in sources) loader.Add(s);
        return loader.Build();
    }

    /// <summary>
    /// Where the built-in KB lives: the folder named by <c>SITREP_KNOWLEDGE_DIR</c>, else a <c>knowledge/</c> folder
    /// beside the running program, else the <c>knowledge/</c> folder of the repository the program was built in
    /// (found by walking up to <c>Sitrep.slnx</c>). Null when none exists.
    /// </summary>
    public static string? FindBuiltInDirectory()
    {
        if (Environment.GetEnvironmentVariable(BuiltInFolderVariable) is { Length: > 0 } env) return Directory.Exists(env) ? env : null;
        string beside = Path.Combine(AppContext.BaseDirectory, BuiltInFolderName);
        if (Directory.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, BuiltInFolderName);
            if (File.Exists(Path.Combine(dir.FullName, "Sitrep.slnx")) && Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    // ---------- lookups ----------

    public bool Contains(string id) => _byId.ContainsKey(id);

    public bool TryGet(string id, [NotNullWhen(true)] out Entity? entity) => _byId.TryGetValue(id, out entity);

    /// <exception cref="KeyNotFoundException">No entity has this id.</exception>
    public Entity Get(string id) => _byId.TryGetValue(id, out var e) ? e : throw new KeyNotFoundException($"no entity '{id}' in the KB");

    public bool TryGetRole(string id, [NotNullWhen(true)] out Role? role) => _roles.TryGetValue(id, out role);

    /// <exception cref="KeyNotFoundException">No role has this id.</exception>
    public Role GetRole(string id) => _roles.TryGetValue(id, out var r) ? r : throw new KeyNotFoundException($"no role '{id}' in the KB");

    public ImmutableArray<Entity> OfType(EntityType type) => _byType.TryGetValue(type, out var list) ? list : [];

    /// <summary>
    /// Entities whose name, alias, metonym or demonym is <paramref name="surface"/> (case-folded, apostrophes and
    /// dashes normalised; "Kremlin" finds the form "the Kremlin"). Case rules are the matcher's business, not this lookup's.
    /// </summary>
    public ImmutableArray<SurfaceHit> Lookup(string surface) =>
        _bySurface.TryGetValue(TextKey.FoldPhrase(surface), out var hits) ? hits : [];

    /// <summary>
    /// The outlet whose domain is the host of <paramref name="domainOrUrl"/> or a parent domain of it:
    /// "euractiv.com", "www.euractiv.com", "https://www.euractiv.com/section/x/" and "*first published in euractiv.com" all give Euractiv.
    /// </summary>
    public Entity? OutletForDomain(string domainOrUrl)
    {
        string host = HostOf(domainOrUrl);
        while (host.Length > 0)
        {
            if (_byDomain.TryGetValue(host, out var e)) return e;
            int dot = host.IndexOf('.');
            if (dot < 0) break;
            host = host[(dot + 1)..];
        }
        return null;
    }

    private static string HostOf(string s)
    {
        s = s.Trim();
        int lastSpace = s.LastIndexOfAny([' ', '\t', '\n', '\r']);
        if (lastSpace >= 0) s = s[(lastSpace + 1)..];
        int scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) s = s[(scheme + 3)..];
        int end = s.IndexOfAny(['/', '?', '#', ':']);
        if (end >= 0) s = s[..end];
        return s.Trim('.', '*', '(', ')', '[', ']', '"', '\'', ',', ';').ToLowerInvariant();
    }

    // ---------- time-aware queries ----------

    /// <summary>
    /// Roles with this id, or with this title (any of its title forms, case-insensitive) belonging to
    /// <paramref name="orgId"/> (any organisation when null).
    /// </summary>
    public ImmutableArray<Role> FindRoles(string roleTitleOrId, string? orgId = null)
    {
        if (_roles.TryGetValue(roleTitleOrId, out var byId))
            return orgId is null || byId.OrgId == orgId ? [byId] : [];
        if (!_rolesByTitle.TryGetValue(TextKey.FoldPhrase(roleTitleOrId), out var roles)) return [];
        return orgId is null ? roles : [.. roles.Where(r => r.OrgId == orgId)];
    }

    /// <summary>Who held the role (by id, or by title within <paramref name="orgId"/>) on <paramref name="date"/>.</summary>
    public ImmutableArray<Tenure> WhoHeld(string roleTitleOrId, string? orgId, DateOnly date)
    {
        var b = ImmutableArray.CreateBuilder<Tenure>();
        foreach (var r in FindRoles(roleTitleOrId, orgId))
            if (_tenuresByRole.TryGetValue(r.Id, out var tenures))
                foreach (var t in tenures)
                    if (t.Dates.Contains(date)) b.Add(t);
        return b.ToImmutable();
    }

    /// <summary>Who held the role with this id on <paramref name="date"/>.</summary>
    public ImmutableArray<Tenure> WhoHeld(string roleId, DateOnly date) => WhoHeld(roleId, null, date);

    /// <summary>The single holder of a role on a date, or null when nobody (or, for concurrent roles, more than one person) held it.</summary>
    public Entity? HolderOf(string roleTitleOrId, string? orgId, DateOnly date)
    {
        var held = WhoHeld(roleTitleOrId, orgId, date);
        var people = held.Select(t => t.PersonId).Distinct().ToList();
        return people.Count == 1 ? _byId[people[0]] : null;
    }

    /// <summary>Every known tenure of a role, in start order.</summary>
    public ImmutableArray<Tenure> HistoryOf(string roleId) => _tenuresByRole.TryGetValue(roleId, out var t) ? t : [];

    /// <summary>The roles a person held on <paramref name="date"/>.</summary>
    public ImmutableArray<Tenure> RolesOf(string personId, DateOnly date) =>
        _byId.TryGetValue(personId, out var p) ? [.. p.Roles.Where(t => t.Dates.Contains(date))] : [];

    /// <summary>True when the person held the role (by id) on <paramref name="date"/>.</summary>
    public bool HeldRole(string personId, string roleId, DateOnly date) =>
        _byId.TryGetValue(personId, out var p) && p.Roles.Any(t => t.RoleId == roleId && t.Dates.Contains(date));

    /// <summary>Every role a person is known to have held, dated or not.</summary>
    public ImmutableArray<Tenure> RolesOf(string personId) => _byId.TryGetValue(personId, out var p) ? p.Roles : [];

    /// <summary>True when <paramref name="memberId"/> was a member of <paramref name="orgId"/> on <paramref name="date"/>.</summary>
    public bool IsMember(string memberId, string orgId, DateOnly date) =>
        _membershipsByOrg.TryGetValue(orgId, out var list) && list.Any(m => m.MemberId == memberId && m.Dates.Contains(date));

    /// <summary>The members of <paramref name="orgId"/> on <paramref name="date"/>, in KB order.</summary>
    public ImmutableArray<Entity> MembersOf(string orgId, DateOnly date)
    {
        if (!_membershipsByOrg.TryGetValue(orgId, out var list)) return [];
        return [.. list.Where(m => m.Dates.Contains(date)).Select(m => m.MemberId).Distinct().Select(id => _byId[id])];
    }

    /// <summary>How many members <paramref name="orgId"/> had on <paramref name="date"/>.</summary>
    public int MemberCount(string orgId, DateOnly date) => MembersOf(orgId, date).Length;

    /// <summary>The organisations <paramref name="memberId"/> belonged to on <paramref name="date"/>.</summary>
    public ImmutableArray<Entity> MembershipsOf(string memberId, DateOnly date) =>
        _byId.TryGetValue(memberId, out var e) ? [.. e.Memberships.Where(m => m.Dates.Contains(date)).Select(m => _byId[m.OrgId]).Distinct()] : [];

    /// <summary>Dated entities (of the given types; all types when none) whose dates contain <paramref name="date"/>.</summary>
    public ImmutableArray<Entity> ActiveOn(DateOnly date, params ReadOnlySpan<EntityType> types)
    {
        var set = types.ToArray();
        return [.. Entities.Where(e => (set.Length == 0 || set.Contains(e.Type)) && e.Dates.Contains(date))];
    }

    /// <summary>Dated entities (of the given types; all when none) that share a day with [from, toExclusive), in start order.</summary>
    public ImmutableArray<Entity> Overlapping(DateOnly from, DateOnly toExclusive, params ReadOnlySpan<EntityType> types)
    {
        var set = types.ToArray();
        return [.. Entities
            .Where(e => (set.Length == 0 || set.Contains(e.Type)) && e.Dates.Overlaps(from, toExclusive))
            .OrderBy(e => e.Dates.From ?? DateOnly.MinValue)];
    }
}
