namespace RegistryCloud.Configuration;

/// <summary>Reads <c>accesscontrol</c>: groups of users and the rules that grant actions on repository globs.</summary>
internal static class AccessControlSectionReader
{
    private static readonly string[] Actions = ["pull", "push", "delete", "*"];
    private static readonly string[] Subjects = ["user", "group", "anonymous"];

    public static AccessControlConfiguration? Read(ConfigSection root)
    {
        if (!root.Has("accesscontrol"))
        {
            return null;
        }

        var section = root.Section("accesscontrol");
        var groupsSection = section.Section("groups");
        var groups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var name in groupsSection.Keys)
        {
            groups[name] = groupsSection.StringList(name);
        }

        var rules = section.SectionList("rules");
        if (rules.Count == 0)
        {
            throw section.Error("rules", "is required: a list of rules (user, group or anonymous; repository; actions)");
        }

        return new AccessControlConfiguration { Groups = groups, Rules = [.. rules.Select(rule => ReadRule(rule, groups))] };
    }

    private static AccessRuleConfiguration ReadRule(ConfigSection rule, Dictionary<string, IReadOnlyList<string>> groups)
    {
        var (kind, subject) = rule.SingleChoice(Subjects, "subject (user, group or anonymous)") switch
        {
            "user" => (AccessSubjectKind.User, rule.RequiredString("user")),
            "group" => (AccessSubjectKind.Group, rule.RequiredString("group")),
            "anonymous" when rule.Bool("anonymous") == true => (AccessSubjectKind.Anonymous, ""),
            "anonymous" => throw rule.Error("anonymous", "must be true when given"),
            _ => throw new RegistryConfigurationException($"{rule.Path}: needs one of user, group or anonymous"),
        };
        if (kind == AccessSubjectKind.Group && !groups.ContainsKey(subject))
        {
            throw rule.Error("group", $"'{subject}' is not a group of accesscontrol.groups");
        }

        var repository = rule.RequiredString("repository");
        if (repository.Contains("***", StringComparison.Ordinal) || repository.StartsWith('/') || repository.EndsWith('/'))
        {
            throw rule.Error("repository", $"'{repository}' is not a repository glob (* within a path segment, ** across segments)");
        }

        var actions = rule.StringList("actions");
        for (var i = 0; i < actions.Count; i++)
        {
            if (!Actions.Contains(actions[i], StringComparer.Ordinal))
            {
                throw new RegistryConfigurationException($"{rule.PathOf("actions")}[{i}]: '{actions[i]}' is not one of {string.Join(", ", Actions)}");
            }
        }

        return new AccessRuleConfiguration(kind, subject, repository, actions, rule.Path);
    }
}
