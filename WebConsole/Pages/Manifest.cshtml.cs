using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using RegistryCloud.Oci;
using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Pages;

/// <summary>
/// A manifest or index: media type, config (created, platform, entrypoint, env, labels,
/// history), layers, annotations, an index's platforms, and its referrers grouped by artifactType.
/// </summary>
public sealed class ManifestModel(RegistryClient registry, RepositoryBrowser browser, WebConsoleOptions options) : ConsolePageModel
{
    [BindProperty(SupportsGet = true, Name = "name")]
    public string Name { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "reference")]
    public string Reference { get; set; } = "";

    public ManifestView? Manifest { get; private set; }

    public ImageConfigView? Config { get; private set; }

    /// <summary>Whether the registry would take this user's delete here (<see cref="RegistryClient.MayDeleteAsync"/>).</summary>
    public bool MayDelete { get; private set; }

    /// <summary>Referrers by artifactType (or the config's media type when a referrer has none).</summary>
    public IReadOnlyList<IGrouping<string, DescriptorView>> Referrers { get; private set; } = [];

    public string? ReferrersProblem { get; private set; }

    public string PullCommand => Manifest is null ? "" : $"docker pull {PullHost(Request, options)}/{Name}@{Manifest.Digest}";

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!RepositoryName.IsValid(Name) || !(Tag.IsValid(Reference) || Digest.TryParse(Reference, out _)))
        {
            Problem = "That is not a repository name and a tag or digest.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.FromResult<IActionResult>(Page());
        }

        return ReadAsync(async () =>
        {
            var mayDelete = registry.MayDeleteAsync(Name, cancellationToken);
            Manifest = ManifestView.Parse(await registry.GetManifestAsync(Name, Reference, cancellationToken));
            Config = await browser.ConfigAsync(Name, Manifest, cancellationToken);
            MayDelete = await mayDelete;
            try
            {
                using var index = JsonDocument.Parse(await registry.GetReferrersAsync(Name, Manifest.Digest, cancellationToken));
                Referrers = [.. ManifestView.Descriptors(index.RootElement, "manifests")
                    .GroupBy(referrer => referrer.ArtifactType ?? referrer.MediaType, StringComparer.Ordinal)
                    .OrderBy(group => group.Key, StringComparer.Ordinal)];
            }
            catch (RegistryRefusedException e) when (!e.IsAuthenticationRequired)
            {
                ReferrersProblem = e.Message;
            }
        });
    }
}
