using RegistryCloud.Configuration;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Tags;

/// <summary>
/// <c>policies.immutabletags</c>: once a tag a rule covers exists, a push may not move it to
/// another manifest and a delete may not remove it (nor the manifest it points at). Pushing the
/// same manifest to it again is allowed: nothing moves.
/// </summary>
internal sealed class ImmutableTags(RegistryConfiguration configuration)
{
    private readonly IReadOnlyList<(RepositoryGlob Repository, RepositoryGlob[] Tags, string Path)> _rules =
        [.. configuration.Policies.ImmutableTags.Select(rule => (new RepositoryGlob(rule.Repository), rule.Tags.Select(tag => new RepositoryGlob(tag)).ToArray(), rule.Path))];

    /// <summary>The key path of the first rule that makes the tag immutable, or null.</summary>
    public string? RuleFor(string repository, string tag)
    {
        foreach (var (repositoryGlob, tags, path) in _rules)
        {
            if (repositoryGlob.IsMatch(repository) && tags.Any(glob => glob.IsMatch(tag)))
            {
                return path;
            }
        }

        return null;
    }
}
