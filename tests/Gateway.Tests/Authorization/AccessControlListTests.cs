using RegistryCloud.Configuration;
using RegistryCloud.Oci;
using RegistryCloud.Gateway.Authorization;

namespace RegistryCloud.Gateway.Tests.Authorization;

/// <summary>Repository globs and the precedence of ACL rules.</summary>
public sealed class AccessControlListTests
{
    [Theory]
    [InlineData("library/*", "library/alpine", true)]
    [InlineData("library/*", "library/tools/jq", false)]
    [InlineData("library/**", "library/tools/jq", true)]
    [InlineData("library/**", "library", false)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("*/base", "team/base", true)]
    [InlineData("*/base", "a/b/base", false)]
    [InlineData("team-*/app", "team-red/app", true)]
    [InlineData("library/alpine", "library/alpine", true)]
    [InlineData("library/alpine", "library/alpine2", false)]
    [InlineData("lib.ary/x", "libXary/x", false)]
    public void A_glob_matches_within_or_across_segments(string pattern, string repository, bool expected)
    {
        Assert.Equal(expected, new RepositoryGlob(pattern).IsMatch(repository));
    }

    [Fact]
    public void Without_the_section_users_may_do_everything_and_anonymous_callers_nothing()
    {
        var acl = new AccessControlList(null);

        Assert.Equal(["pull", "push", "delete"], acl.ActionsFor("alice", "any/repo"));
        Assert.Empty(acl.ActionsFor(null, "any/repo"));
        Assert.False(acl.MayListCatalog(null));
    }

    [Fact]
    public void The_most_specific_pattern_wins_even_when_it_grants_less()
    {
        var acl = Acl(
            User("alice", "**", "pull", "push"),
            User("alice", "prod/*", "pull"));

        Assert.Equal(["pull", "push"], acl.ActionsFor("alice", "dev/app"));
        Assert.Equal(["pull"], acl.ActionsFor("alice", "prod/app"));
    }

    [Fact]
    public void A_winning_rule_with_no_actions_denies()
    {
        var acl = Acl(User("*", "**", "pull"), User("bob", "team/secret"));

        Assert.Empty(acl.ActionsFor("bob", "team/secret"));
        Assert.Equal(["pull"], acl.ActionsFor("bob", "team/other"));
        Assert.Equal(["pull"], acl.ActionsFor("carol", "team/secret"));
    }

    [Fact]
    public void On_equal_patterns_the_user_beats_the_group_which_beats_any_user_which_beats_anonymous()
    {
        var acl = Acl(
            new AccessRuleConfiguration(AccessSubjectKind.Anonymous, "", "app/*", ["pull"], "r0"),
            User("*", "app/*", "pull", "push"),
            new AccessRuleConfiguration(AccessSubjectKind.Group, "ops", "app/*", ["*"], "r2"),
            User("alice", "app/*", "pull"));

        Assert.Equal(["pull"], acl.ActionsFor(null, "app/x"));
        Assert.Equal(["pull", "push"], acl.ActionsFor("carol", "app/x"));
        Assert.Equal(["pull", "push", "delete"], acl.ActionsFor("olga", "app/x"));
        Assert.Equal(["pull"], acl.ActionsFor("alice", "app/x"));
    }

    [Fact]
    public void Rules_tied_on_pattern_and_subject_add_up()
    {
        var acl = Acl(
            new AccessRuleConfiguration(AccessSubjectKind.Group, "ops", "app/**", ["pull"], "r0"),
            new AccessRuleConfiguration(AccessSubjectKind.Group, "devs", "app/**", ["push"], "r1"));

        Assert.Equal(["pull", "push"], acl.ActionsFor("olga", "app/x"));
        Assert.Equal(["push"], acl.ActionsFor("dan", "app/x"));
    }

    [Fact]
    public void Anonymous_rules_apply_to_everyone_and_open_the_catalog_to_anonymous_callers()
    {
        var acl = Acl(new AccessRuleConfiguration(AccessSubjectKind.Anonymous, "", "public/**", ["pull"], "r0"));

        Assert.True(acl.Allows(null, "public/a/b", "pull"));
        Assert.True(acl.Allows("alice", "public/a/b", "pull"));
        Assert.False(acl.Allows(null, "public/a/b", "push"));
        Assert.False(acl.Allows("alice", "private/a", "pull"));
        Assert.True(acl.MayListCatalog(null));
    }

    private static AccessRuleConfiguration User(string name, string repository, params string[] actions) =>
        new(AccessSubjectKind.User, name, repository, actions, "rule");

    private static AccessControlList Acl(params AccessRuleConfiguration[] rules) => new(new AccessControlConfiguration
    {
        Groups = new Dictionary<string, IReadOnlyList<string>> { ["ops"] = ["olga"], ["devs"] = ["dan", "olga"] },
        Rules = rules,
    });
}
