using RegistryCloud.Configuration;
using RegistryCloud.Oci;

namespace RegistryCloud.Gateway.Authorization;

/// <summary>
/// <c>accesscontrol</c>: which actions a caller may take on a repository. Of the rules whose
/// subject covers the caller and whose glob matches, the most specific pattern wins; on a tie, a
/// rule naming the user beats a group rule, which beats <c>user: "*"</c>, which beats an
/// anonymous rule; rules still tied add up. A winning rule with no actions denies. Without the
/// section every authenticated user may do everything and anonymous callers nothing.
/// </summary>
internal sealed class AccessControlList
{
    private static readonly string[] AllActions = [ResourceAccess.Pull, ResourceAccess.Push, ResourceAccess.Delete];

    private readonly IReadOnlyList<Rule> _rules;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _groups;

    public AccessControlList(AccessControlConfiguration? configuration)
    {
        IsConfigured = configuration is not null;
        _groups = configuration?.Groups ?? new Dictionary<string, IReadOnlyList<string>>();
        _rules = configuration?.Rules.Select(rule => new Rule(rule, new RepositoryGlob(rule.Repository))).ToList() ?? [];
    }

    public bool IsConfigured { get; }

    /// <summary>The actions <paramref name="user"/> (null: anonymous) may take on <paramref name="repository"/>.</summary>
    public IReadOnlyList<string> ActionsFor(string? user, string repository)
    {
        if (!IsConfigured)
        {
            return user is null ? [] : AllActions;
        }

        var best = (Specificity: -1, Subject: -1);
        var actions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in _rules)
        {
            var subject = SubjectRank(rule.Configuration, user);
            if (subject < 0 || !rule.Glob.IsMatch(repository))
            {
                continue;
            }

            var rank = (rule.Glob.Specificity, subject);
            if (rank.CompareTo(best) > 0)
            {
                best = rank;
                actions.Clear();
            }

            if (rank == best)
            {
                actions.UnionWith(rule.Configuration.Actions.Contains("*") ? AllActions : rule.Configuration.Actions);
            }
        }

        return [.. AllActions.Where(actions.Contains)];
    }

    public bool Allows(string? user, string repository, string action) => ActionsFor(user, repository).Contains(action);

    /// <summary>
    /// Whether a caller may ask for the catalog at all: any authenticated user, and anonymous
    /// callers when some anonymous rule lets them pull; the listing is filtered per repository.
    /// </summary>
    public bool MayListCatalog(string? user) =>
        user is not null || (IsConfigured && _rules.Any(rule =>
            rule.Configuration.Kind == AccessSubjectKind.Anonymous && rule.Configuration.Actions.Any(action => action is "pull" or "*")));

    /// <summary>How closely a rule names the caller: 3 the user, 2 a group, 1 any user, 0 anonymous; -1 not at all.</summary>
    private int SubjectRank(AccessRuleConfiguration rule, string? user) => rule.Kind switch
    {
        AccessSubjectKind.Anonymous => 0,
        _ when user is null => -1,
        AccessSubjectKind.User when rule.Subject == "*" => 1,
        AccessSubjectKind.User when rule.Subject == user => 3,
        AccessSubjectKind.Group when _groups.TryGetValue(rule.Subject, out var members) && members.Contains(user) => 2,
        _ => -1,
    };

    private sealed record Rule(AccessRuleConfiguration Configuration, RepositoryGlob Glob);
}
