namespace RegistryCloud.Configuration;

/// <summary>
/// <c>accesscontrol</c>, RegistryCloud's own section: who may pull, push and delete where. Absent,
/// every authenticated user may do everything and anonymous callers nothing.
/// </summary>
public sealed record AccessControlConfiguration
{
    /// <summary><c>accesscontrol.groups</c>: group name → its users.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Groups { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary><c>accesscontrol.rules</c>, in file order.</summary>
    public IReadOnlyList<AccessRuleConfiguration> Rules { get; init; } = [];
}

/// <summary>Whom a rule is for.</summary>
public enum AccessSubjectKind
{
    /// <summary><c>user: name</c>; <c>user: "*"</c> is any authenticated user.</summary>
    User,

    /// <summary><c>group: name</c>, a group of <c>accesscontrol.groups</c>.</summary>
    Group,

    /// <summary><c>anonymous: true</c>: every caller, with or without credentials.</summary>
    Anonymous,
}

/// <summary>One rule: a subject, a repository glob (<c>*</c> within a segment, <c>**</c> across) and actions.</summary>
public sealed record AccessRuleConfiguration(
    AccessSubjectKind Kind, string Subject, string Repository, IReadOnlyList<string> Actions, string Path);

