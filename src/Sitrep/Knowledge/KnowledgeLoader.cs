using Sitrep.Time;
using System.Collections.Immutable;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sitrep.Knowledge;

/// <summary>One KB file's text and the name used for it in error messages.</summary>
public sealed record KnowledgeSource(string Name, string Text);

/// <summary>
/// Reads KB YAML files and checks them. Collects every problem it finds, then throws one
/// <see cref="KnowledgeBaseException"/>. Not thread-safe; use one loader per load.
/// </summary>
internal sealed class KnowledgeLoader
{
    private static readonly string[] EntityFields =
        ["id", "extend", "type", "name", "description", "note", "aliases", "metonyms", "demonyms", "from", "to", "last",
         "part_of", "includes", "place", "org", "domains", "memberships", "roles"];
    private static readonly HashSet<string> ExtendFields =
        ["extend", "note", "aliases", "metonyms", "demonyms", "includes", "domains", "memberships", "roles"];
    private static readonly string[] RoleFields = ["id", "title", "org", "titles", "description", "concurrent", "note"];
    private static readonly string[] SurfaceFields = ["text", "confidence", "ambiguous", "note"];
    private static readonly string[] MembershipFields = ["org", "from", "to", "last", "note"];
    private static readonly string[] TenureFields = ["role", "title", "org", "from", "to", "last", "note"];

    private readonly List<KnowledgeError> _errors = [];
    private readonly List<EntityDraft> _entities = [];
    private readonly List<EntityDraft> _extensions = [];
    private readonly List<RoleDraft> _roles = [];

    public void Add(KnowledgeSource source)
    {
        var parser = new Parser(new StringReader(source.Text));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            Error(source.Name, (int)e.Start.Line, "YAML syntax error: " + e.Message);
            return;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet throws this for some unterminated flow collections; the parser knows where it stopped.
            Error(source.Name, (int)(parser.Current?.Start.Line ?? 1), "YAML syntax error: unterminated [...] or {...}");
            return;
        }

        if (stream.Documents.Count == 0) return;
        if (stream.Documents.Count > 1)
        {
            Error(source.Name, (int)stream.Documents[1].RootNode.Start.Line, "only one YAML document per file");
            return;
        }
        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" }) return;
        if (root is not YamlMappingNode map)
        {
            Error(source.Name, Line(root), "the file must be a mapping with 'entities:' and/or 'roles:'");
            return;
        }
        foreach (var (keyNode, value) in map.Children)
        {
            string key = ((keyNode as YamlScalarNode)?.Value) ?? "";
            switch (key)
            {
                case "entities":
                    foreach (var item in Items(source.Name, value, "entities")) ReadEntity(source.Name, item);
                    break;
                case "roles":
                    foreach (var item in Items(source.Name, value, "roles")) ReadRole(source.Name, item);
                    break;
                default:
                    Error(source.Name, Line(keyNode), $"unknown top-level key '{key}' (expected 'entities' or 'roles')");
                    break;
            }
        }
    }

    public KnowledgeBase Build()
    {
        var entities = new Dictionary<string, EntityDraft>(StringComparer.Ordinal);
        foreach (var e in _entities)
        {
            if (entities.TryGetValue(e.Id, out var first))
                Error(e.Source, $"duplicate id '{e.Id}' (first defined at {first.Source})");
            else
                entities.Add(e.Id, e);
        }
        var roles = new Dictionary<string, RoleDraft>(StringComparer.Ordinal);
        foreach (var r in _roles)
        {
            if (roles.TryGetValue(r.Id, out var first))
                Error(r.Source, $"duplicate role id '{r.Id}' (first defined at {first.Source})");
            else if (entities.TryGetValue(r.Id, out var ent))
                Error(r.Source, $"role id '{r.Id}' is already an entity id (at {ent.Source})");
            else
                roles.Add(r.Id, r);
        }

        // Extensions add to entities defined anywhere, in any folder.
        foreach (var x in _extensions)
        {
            if (!entities.TryGetValue(x.Id, out var target))
            {
                Error(x.Source, $"extend: unknown id '{x.Id}'");
                continue;
            }
            target.Aliases.AddRange(x.Aliases);
            target.Metonyms.AddRange(x.Metonyms);
            target.Demonyms.AddRange(x.Demonyms);
            target.Includes.AddRange(x.Includes);
            target.Domains.AddRange(x.Domains);
            target.Memberships.AddRange(x.Memberships);
            if (x.Tenures.Count > 0 && target.Type != EntityType.Person)
                Error(x.Tenures[0].Source, $"field 'roles' is only allowed for people, and '{target.Id}' is a {TypeName(target.Type)}");
            else
                target.Tenures.AddRange(x.Tenures);
            if (x.Domains.Count > 0 && target.Type != EntityType.Outlet)
                Error(x.Domains[0].Source, $"field 'domains' is only allowed for outlets, and '{target.Id}' is a {TypeName(target.Type)}");
        }

        // Roles: their organisation must exist.
        foreach (var r in roles.Values)
        {
            if (r.Org is { } org) CheckRef(entities, org, "org", Org);
        }

        // Person roles written as title (+ org) reuse a declared role with that title and org, or make one.
        var rolesByTitle = new Dictionary<(string, string?), RoleDraft>();
        foreach (var r in roles.Values)
            foreach (var t in r.Titles)
                rolesByTitle.TryAdd((TextKey.FoldPhrase(t), r.Org?.Id), r);

        foreach (var e in entities.Values)
        {
            if (e.PartOf is { } p) CheckRef(entities, p, "part_of", null);
            if (e.Place is { } pl) CheckRef(entities, pl, "place", t => t is EntityType.Place or EntityType.Country);
            if (e.Org is { } o) CheckRef(entities, o, "org", Org);
            foreach (var i in e.Includes) CheckRef(entities, i, "includes", null);
            foreach (var m in e.Memberships) CheckRef(entities, m.Org, "org", t => t is EntityType.Organisation or EntityType.Body);
            foreach (var t in e.Tenures)
            {
                if (t.Role is { } rid)
                {
                    if (!roles.ContainsKey(rid.Id)) Error(rid.Source, $"unknown role '{rid.Id}'");
                    continue;
                }
                if (t.Org is { } to && !CheckRef(entities, to, "org", Org)) continue;
                var key = (TextKey.FoldPhrase(t.Title!), t.Org?.Id);
                if (!rolesByTitle.TryGetValue(key, out var role))
                {
                    string id = "sitrep:role/" + Slug(t.Title!) + (t.Org is { } oo ? "@" + oo.Id : "");
                    role = new RoleDraft(id, t.Title!, t.Org, [t.Title!], null, false, t.Source);
                    roles.TryAdd(id, role);
                    rolesByTitle[key] = role;
                }
                t.Role = new Ref(role.Id, t.Source);
            }
        }

        CheckSurfaces(entities.Values);
        CheckDomains(entities.Values);
        CheckConcurrentTenures(entities.Values, roles);

        if (_errors.Count > 0)
        {
            var sorted = _errors
                .Select((e, i) => (e, i))
                .OrderBy(p => p.e.File, StringComparer.Ordinal).ThenBy(p => p.e.Line).ThenBy(p => p.i)
                .Select(p => p.e).ToList();
            throw new KnowledgeBaseException(sorted);
        }

        var built = entities.Values.Select(d => d.ToEntity()).ToList();
        var builtRoles = roles.Values.Select(r => new Role(r.Id, r.Title, r.Org?.Id, [.. r.Titles], r.Description, r.Source)).ToList();
        return new KnowledgeBase(built, builtRoles);
    }

    private static bool Org(EntityType t) => t is not (EntityType.Person or EntityType.Event or EntityType.Summit or EntityType.Treaty);

    private bool CheckRef(Dictionary<string, EntityDraft> entities, Ref r, string field, Func<EntityType, bool>? typeOk)
    {
        if (!entities.TryGetValue(r.Id, out var target))
        {
            Error(r.Source, $"{field}: unknown id '{r.Id}'");
            return false;
        }
        if (typeOk is not null && !typeOk(target.Type))
        {
            Error(r.Source, $"{field}: '{r.Id}' is a {TypeName(target.Type)}, which cannot be used here");
            return false;
        }
        return true;
    }

    private void CheckSurfaces(IEnumerable<EntityDraft> entities)
    {
        // Within one entity, a form may appear once. Across entities, an alias that is another entity's name or
        // alias must be marked ambiguous (names may coincide: two people can share a name).
        var owners = new Dictionary<string, List<(EntityDraft Entity, SurfaceDraft? Surface)>>(StringComparer.Ordinal);
        foreach (var e in entities)
        {
            var own = new Dictionary<string, (MatchKind Kind, SourceRef Source)>(StringComparer.Ordinal)
            {
                [TextKey.NormalisePhrase(e.Name)] = (MatchKind.Name, e.Source),
            };
            Add(owners, TextKey.FoldPhrase(e.Name), (e, null));
            foreach (var s in e.Aliases.Concat(e.Metonyms).Concat(e.Demonyms))
            {
                // Case counts here: "NATO" (exact case only) and "Nato" match different text.
                if (own.TryGetValue(TextKey.NormalisePhrase(s.Text), out var prev))
                {
                    Error(s.Source, $"'{s.Text}' is listed twice for '{e.Id}' (as {KindName(prev.Kind)} at {prev.Source} and as {KindName(s.Kind)})");
                    continue;
                }
                own[TextKey.NormalisePhrase(s.Text)] = (s.Kind, s.Source);
                if (s.Kind == MatchKind.Alias) Add(owners, TextKey.FoldPhrase(s.Text), (e, s));
            }
        }
        foreach (var list in owners.Values)
        {
            if (list.Count < 2) continue;
            foreach (var (e, s) in list)
            {
                if (s is null || s.Ambiguous) continue;
                if (list.FirstOrDefault(o => !ReferenceEquals(o.Entity, e)) is not { Entity: not null } other) continue;
                string what = other.Surface is null ? "the name" : "an alias";
                var where = other.Surface?.Source ?? other.Entity.Source;
                Error(s.Source, $"alias '{s.Text}' of '{e.Id}' is also {what} of '{other.Entity.Id}' (at {where}); mark it 'ambiguous: true' if both readings are meant");
            }
        }

        static void Add(Dictionary<string, List<(EntityDraft, SurfaceDraft?)>> d, string key, (EntityDraft, SurfaceDraft?) v)
        {
            if (!d.TryGetValue(key, out var l)) d[key] = l = [];
            l.Add(v);
        }
    }

    private void CheckDomains(IEnumerable<EntityDraft> entities)
    {
        var seen = new Dictionary<string, EntityDraft>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in entities)
            foreach (var d in e.Domains)
            {
                if (seen.TryGetValue(d.Id, out var other) && !ReferenceEquals(other, e))
                    Error(d.Source, $"domain '{d.Id}' already belongs to '{other.Id}'");
                else
                    seen[d.Id] = e;
            }
    }

    private void CheckConcurrentTenures(IEnumerable<EntityDraft> entities, Dictionary<string, RoleDraft> roles)
    {
        var byRole = entities
            .SelectMany(e => e.Tenures.Select(t => (Person: e, Tenure: t)))
            .Where(p => p.Tenure.Role is not null && !p.Tenure.Dates.IsUndated)
            .GroupBy(p => p.Tenure.Role!.Id);
        foreach (var g in byRole)
        {
            if (!roles.TryGetValue(g.Key, out var role) || role.Concurrent) continue;
            // Sorted by start; compare each tenure with the one reaching furthest so far.
            var list = g.OrderBy(p => p.Tenure.Dates.From ?? DateOnly.MinValue).ToList();
            var reach = list[0];
            for (int i = 1; i < list.Count; i++)
            {
                var b = list[i];
                var ad = reach.Tenure.Dates;
                var bd = b.Tenure.Dates;
                if (!ReferenceEquals(reach.Person, b.Person) && ad.Overlaps(bd.From ?? DateOnly.MinValue, bd.To ?? DateOnly.MaxValue))
                    Error(b.Tenure.Source, $"'{b.Person.Id}' holds '{g.Key}' {bd} while '{reach.Person.Id}' holds it {ad} (at {reach.Tenure.Source}); mark the role 'concurrent: true' if several people hold it at once");
                if ((bd.To ?? DateOnly.MaxValue) > (ad.To ?? DateOnly.MaxValue)) reach = b;
            }
        }
    }

    // ---------- reading ----------

    private void ReadEntity(string file, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            Error(file, Line(node), "an entity must be a mapping (id:, type:, name:, ...)");
            return;
        }
        var fields = Fields(file, map, EntityFields, "entity");
        string? id = ScalarField(file, fields, "id");
        string? extend = ScalarField(file, fields, "extend");
        var source = new SourceRef(file, Line(map));

        if (id is not null && extend is not null)
        {
            Error(file, Line(fields["extend"]), "an entity has either 'id' or 'extend', not both");
            return;
        }
        if (extend is not null)
        {
            foreach (var k in fields.Keys)
                if (!ExtendFields.Contains(k)) Error(file, fields.KeyLines[k], $"field '{k}' cannot be given in an 'extend' entry (only {string.Join(", ", ExtendFields.Order())})");
            var x = new EntityDraft(extend, EntityType.Country, "", source);
            ReadLists(file, fields, x, allowRoles: true, allowDomains: true);
            _extensions.Add(x);
            return;
        }

        if (id is null)
        {
            Error(file, source.Line, "entity has no 'id'");
            return;
        }
        if (!IsValidId(id))
        {
            Error(file, Line(fields["id"]), $"bad id '{id}' (expected a Wikidata QID like Q7184 or a local id like sitrep:baltic-sentry)");
            return;
        }
        string? name = ScalarField(file, fields, "name");
        if (name is null) Error(file, source.Line, $"entity '{id}' has no 'name'");
        string? typeText = ScalarField(file, fields, "type");
        EntityType type = default;
        if (typeText is null)
            Error(file, source.Line, $"entity '{id}' has no 'type'");
        else if (!TryParseType(typeText, out type))
        {
            Error(file, Line(fields["type"]), $"unknown type '{typeText}' (expected one of: {string.Join(", ", EntityTypeSets.Knowledge.Select(TypeName))})");
            return;
        }
        if (name is null || typeText is null) return;

        var e = new EntityDraft(id, type, name, source)
        {
            Description = ScalarField(file, fields, "description"),
            Dates = ReadRange(file, fields),
            PartOf = RefField(file, fields, "part_of"),
            Place = RefField(file, fields, "place"),
            Org = RefField(file, fields, "org"),
        };
        if (fields.ContainsKey("roles") && type != EntityType.Person)
            Error(file, fields.KeyLines["roles"], $"field 'roles' is only allowed for people, and '{id}' is a {TypeName(type)}");
        if (fields.ContainsKey("domains") && type != EntityType.Outlet)
            Error(file, fields.KeyLines["domains"], $"field 'domains' is only allowed for outlets, and '{id}' is a {TypeName(type)}");
        ReadLists(file, fields, e, allowRoles: type == EntityType.Person, allowDomains: type == EntityType.Outlet);
        _entities.Add(e);
    }

    private void ReadLists(string file, FieldMap fields, EntityDraft e, bool allowRoles, bool allowDomains)
    {
        ReadSurfaces(file, fields, "aliases", MatchKind.Alias, e.Aliases);
        ReadSurfaces(file, fields, "metonyms", MatchKind.Metonym, e.Metonyms);
        ReadSurfaces(file, fields, "demonyms", MatchKind.Demonym, e.Demonyms);
        if (fields.TryGetValue("includes", out var inc))
            foreach (var n in Items(file, inc, "includes"))
                if (Scalar(file, n, "includes") is { } s) e.Includes.Add(new Ref(s, new SourceRef(file, Line(n))));
        if (allowDomains && fields.TryGetValue("domains", out var dom))
            foreach (var n in Items(file, dom, "domains"))
                if (Scalar(file, n, "domains") is { } s)
                {
                    string d = s.Trim().ToLowerInvariant();
                    if (d.Contains('/') || d.Contains(' ') || !d.Contains('.'))
                        Error(file, Line(n), $"bad domain '{s}' (expected a host name like euractiv.com)");
                    else
                        e.Domains.Add(new Ref(d, new SourceRef(file, Line(n))));
                }
        if (fields.TryGetValue("memberships", out var mem))
            foreach (var n in Items(file, mem, "memberships")) ReadMembership(file, n, e);
        if (allowRoles && fields.TryGetValue("roles", out var roles))
            foreach (var n in Items(file, roles, "roles")) ReadTenure(file, n, e);
    }

    private void ReadSurfaces(string file, FieldMap fields, string field, MatchKind kind, List<SurfaceDraft> into)
    {
        if (!fields.TryGetValue(field, out var node)) return;
        foreach (var item in Items(file, node, field))
        {
            var src = new SourceRef(file, Line(item));
            if (item is YamlScalarNode sc)
            {
                if (string.IsNullOrWhiteSpace(sc.Value)) Error(src, $"empty entry in '{field}'");
                else into.Add(new SurfaceDraft(sc.Value.Trim(), kind, null, false, null, src));
                continue;
            }
            if (item is not YamlMappingNode m)
            {
                Error(src, $"an entry in '{field}' must be text or a mapping with 'text:'");
                continue;
            }
            var f = Fields(file, m, SurfaceFields, field[..^1]);
            string? text = ScalarField(file, f, "text");
            if (text is null)
            {
                Error(src, $"entry in '{field}' has no 'text'");
                continue;
            }
            double? conf = null;
            if (ScalarField(file, f, "confidence") is { } cs)
            {
                if (!double.TryParse(cs, NumberStyles.Float, CultureInfo.InvariantCulture, out double c) || c <= 0 || c > 1)
                    Error(file, Line(f["confidence"]), $"bad confidence '{cs}' (expected a number in (0, 1])");
                else
                    conf = c;
            }
            bool amb = ReadBool(file, f, "ambiguous");
            into.Add(new SurfaceDraft(text, kind, conf, amb, ScalarField(file, f, "note"), src));
        }
    }

    private void ReadMembership(string file, YamlNode node, EntityDraft e)
    {
        if (node is not YamlMappingNode m)
        {
            Error(file, Line(node), "a membership must be a mapping (org:, from:, to:)");
            return;
        }
        var f = Fields(file, m, MembershipFields, "membership");
        var org = RefField(file, f, "org");
        if (org is null)
        {
            Error(file, Line(m), "membership has no 'org'");
            return;
        }
        e.Memberships.Add(new MembershipDraft(org, ReadRange(file, f), ScalarField(file, f, "note"), new SourceRef(file, Line(m))));
    }

    private void ReadTenure(string file, YamlNode node, EntityDraft e)
    {
        if (node is not YamlMappingNode m)
        {
            Error(file, Line(node), "a role must be a mapping (role: or title:, from:, to:)");
            return;
        }
        var f = Fields(file, m, TenureFields, "role");
        var role = RefField(file, f, "role");
        string? title = ScalarField(file, f, "title");
        var org = RefField(file, f, "org");
        var src = new SourceRef(file, Line(m));
        if (role is not null && (title is not null || org is not null))
        {
            Error(src, "a role has either 'role:' (a role id) or 'title:' (with an optional 'org:'), not both");
            return;
        }
        if (role is null && title is null)
        {
            Error(src, "role has neither 'role:' nor 'title:'");
            return;
        }
        e.Tenures.Add(new TenureDraft(role, title, org, ReadRange(file, f), ScalarField(file, f, "note"), src));
    }

    private void ReadRole(string file, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            Error(file, Line(node), "a role must be a mapping (id:, title:, org:)");
            return;
        }
        var f = Fields(file, map, RoleFields, "role");
        var src = new SourceRef(file, Line(map));
        string? id = ScalarField(file, f, "id");
        string? title = ScalarField(file, f, "title");
        if (id is null)
        {
            Error(src, "role has no 'id'");
            return;
        }
        if (!IsValidId(id))
        {
            Error(file, Line(f["id"]), $"bad role id '{id}' (expected a local id like sitrep:role/nato-secretary-general)");
            return;
        }
        if (title is null)
        {
            Error(src, $"role '{id}' has no 'title'");
            return;
        }
        var titles = new List<string> { title };
        if (f.TryGetValue("titles", out var tn))
            foreach (var n in Items(file, tn, "titles"))
                if (Scalar(file, n, "titles") is { } t && !titles.Any(x => TextKey.FoldPhrase(x) == TextKey.FoldPhrase(t)))
                    titles.Add(t);
        _roles.Add(new RoleDraft(id, title, RefField(file, f, "org"), titles, ScalarField(file, f, "description"), ReadBool(file, f, "concurrent"), src));
    }

    private DateRange ReadRange(string file, FieldMap f)
    {
        DateOnly? from = null, to = null;
        DatePrecision fp = DatePrecision.Day, tp = DatePrecision.Day;
        if (ScalarField(file, f, "from") is { } fs && ParseDate(file, f["from"], fs) is { } fd)
        {
            from = fd.Start;
            fp = fd.Precision;
        }
        bool hasTo = f.ContainsKey("to"), hasLast = f.ContainsKey("last");
        if (hasTo && hasLast)
        {
            Error(file, Line(f["last"]), "give either 'to' (first day it no longer holds) or 'last' (last day it holds), not both");
            return new DateRange(from, null, fp);
        }
        string endField = hasLast ? "last" : "to";
        if (ScalarField(file, f, endField) is { } ts && ParseDate(file, f[endField], ts) is { } td)
        {
            // 'to' is exclusive: a partial date means "some time in that month/year", so the range runs to the end of it.
            // 'last' is inclusive: the range runs to the day after it (or the end of the partial period).
            to = td.Precision == DatePrecision.Day && !hasLast ? td.Start : td.EndExclusive;
            tp = td.Precision;
            if (from is { } a && to is { } b && b <= a)
            {
                string shown = hasLast ? $"last {ts}" : $"to {ts}";
                Error(file, Line(f[endField]), $"date range ends before it starts: {shown} is not after from {DateRange.Format(from, fp)} (ranges are [from, to): 'to' is the first day it no longer holds)");
                return new DateRange(from, null, fp);
            }
        }
        return new DateRange(from, to, fp, tp);
    }

    private (DateOnly Start, DateOnly EndExclusive, DatePrecision Precision)? ParseDate(string file, YamlNode node, string s)
    {
        var inv = CultureInfo.InvariantCulture;
        s = s.Trim();
        if (s.Length == 10 && DateOnly.TryParseExact(s, "yyyy-MM-dd", inv, DateTimeStyles.None, out var d))
            return (d, d.PlusDays(1), DatePrecision.Day);
        if (s.Length == 7 && DateOnly.TryParseExact(s + "-01", "yyyy-MM-dd", inv, DateTimeStyles.None, out var m))
            return (m, m.PlusMonths(1), DatePrecision.Month);
        if (s.Length == 4 && int.TryParse(s, NumberStyles.None, inv, out int y) && y >= 1)
            return (new DateOnly(y, 1, 1), new DateOnly(y, 1, 1).PlusYears(1), DatePrecision.Year);
        Error(file, Line(node), $"bad date '{s}' (expected YYYY-MM-DD, YYYY-MM or YYYY)");
        return null;
    }

    // ---------- YAML helpers ----------

    private FieldMap Fields(string file, YamlMappingNode map, string[] known, string what)
    {
        var d = new FieldMap();
        foreach (var (k, v) in map.Children)
        {
            string key = (k as YamlScalarNode)?.Value ?? "";
            if (Array.IndexOf(known, key) < 0)
            {
                Error(file, Line(k), $"unknown field '{key}' in {what} (known: {string.Join(", ", known)})");
                continue;
            }
            d[key] = v;
            d.KeyLines[key] = Line(k);
        }
        return d;
    }

    private IEnumerable<YamlNode> Items(string file, YamlNode node, string field)
    {
        switch (node)
        {
            case YamlSequenceNode seq:
                return seq.Children;
            case YamlScalarNode { Value: null or "" }:
                return [];
            case YamlScalarNode:
                if (field is "entities" or "roles" or "memberships") break;
                return [node];
        }
        Error(file, Line(node), $"'{field}' must be a list");
        return [];
    }

    private string? ScalarField(string file, FieldMap f, string field) =>
        f.TryGetValue(field, out var n) ? Scalar(file, n, field) : null;

    private string? Scalar(string file, YamlNode node, string field)
    {
        if (node is not YamlScalarNode sc)
        {
            Error(file, Line(node), $"'{field}' must be a single value, not a list or mapping");
            return null;
        }
        return string.IsNullOrWhiteSpace(sc.Value) ? null : sc.Value.Trim();
    }

    private Ref? RefField(string file, FieldMap f, string field) =>
        ScalarField(file, f, field) is { } s ? new Ref(s, new SourceRef(file, Line(f[field]))) : null;

    private bool ReadBool(string file, FieldMap f, string field)
    {
        string? s = ScalarField(file, f, field);
        switch (s)
        {
            case null or "false": return false;
            case "true": return true;
            default:
                Error(file, Line(f[field]), $"'{field}' must be true or false, not '{s}'");
                return false;
        }
    }

    private static int Line(YamlNode node) => (int)node.Start.Line;

    private void Error(string file, int line, string reason) => _errors.Add(new KnowledgeError(file, line, reason));

    private void Error(SourceRef at, string reason) => _errors.Add(new KnowledgeError(at.File, at.Line, reason));

    // ---------- small pure helpers ----------

    internal static bool IsValidId(string id)
    {
        if (id.Length >= 2 && id[0] == 'Q' && id[1] is >= '1' and <= '9')
            return id.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;
        int colon = id.IndexOf(':');
        if (colon <= 0 || colon == id.Length - 1) return false;
        for (int i = 0; i < colon; i++)
            if (id[i] is not (>= 'a' and <= 'z' or >= '0' and <= '9')) return false;
        if (id[0] is not (>= 'a' and <= 'z')) return false;
        for (int i = colon + 1; i < id.Length; i++)
        {
            char c = id[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '@' or ':')) return false;
        }
        return char.IsAsciiLetterOrDigit(id[colon + 1]);
    }

    internal static bool TryParseType(string s, out EntityType type)
    {
        if (s == "organization") s = "organisation";
        foreach (var t in EntityTypeSets.Knowledge)
            if (TypeName(t) == s)
            {
                type = t;
                return true;
            }
        type = default;
        return false;
    }

    internal static string TypeName(EntityType t) => t.ToString().ToLowerInvariant();

    private static string KindName(MatchKind k) => k.ToString().ToLowerInvariant();

    private static string Slug(string s)
    {
        var chars = TextKey.FoldPhrase(s).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        return string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
    }

    // ---------- drafts ----------

    /// <summary>A mapping's fields by name, with the line of each key.</summary>
    private sealed class FieldMap : Dictionary<string, YamlNode>
    {
        public FieldMap() : base(StringComparer.Ordinal) { }
        public Dictionary<string, int> KeyLines { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Ref(string Id, SourceRef Source);

    private sealed record SurfaceDraft(string Text, MatchKind Kind, double? Confidence, bool Ambiguous, string? Note, SourceRef Source);

    private sealed record MembershipDraft(Ref Org, DateRange Dates, string? Note, SourceRef Source);

    private sealed record TenureDraft(Ref? RoleRef, string? Title, Ref? Org, DateRange Dates, string? Note, SourceRef Source)
    {
        public Ref? Role { get; set; } = RoleRef;
    }

    private sealed record RoleDraft(string Id, string Title, Ref? Org, List<string> Titles, string? Description, bool Concurrent, SourceRef Source);

    private sealed class EntityDraft(string id, EntityType type, string name, SourceRef source)
    {
        public string Id { get; } = id;
        public EntityType Type { get; } = type;
        public string Name { get; } = name;
        public SourceRef Source { get; } = source;
        public string? Description { get; init; }
        public DateRange Dates { get; init; }
        public Ref? PartOf { get; init; }
        public Ref? Place { get; init; }
        public Ref? Org { get; init; }
        public List<Ref> Includes { get; } = [];
        public List<Ref> Domains { get; } = [];
        public List<SurfaceDraft> Aliases { get; } = [];
        public List<SurfaceDraft> Metonyms { get; } = [];
        public List<SurfaceDraft> Demonyms { get; } = [];
        public List<MembershipDraft> Memberships { get; } = [];
        public List<TenureDraft> Tenures { get; } = [];

        public Entity ToEntity() => new(Id, Type, Name, Source)
        {
            Description = Description,
            Dates = Dates,
            PartOf = PartOf?.Id,
            Place = Place?.Id,
            Org = Org?.Id,
            Includes = [.. Includes.Select(r => r.Id)],
            Domains = [.. Domains.Select(r => r.Id)],
            Aliases = [.. Aliases.Select(ToSurface)],
            Metonyms = [.. Metonyms.Select(ToSurface)],
            Demonyms = [.. Demonyms.Select(ToSurface)],
            Memberships = [.. Memberships.Select(m => new Membership(Id, m.Org.Id, m.Dates, m.Note, m.Source))],
            Roles = [.. Tenures.Select(t => new Tenure(Id, t.Role!.Id, t.Dates, t.Note, t.Source))],
        };

        private static Surface ToSurface(SurfaceDraft s) => new(s.Text, s.Kind, s.Confidence, s.Ambiguous, s.Note, s.Source);
    }
}
