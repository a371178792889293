using Microsoft.AspNetCore.Mvc;
using RegistryCloud.Oci;
using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Pages;

/// <summary>
/// A repository's tags (filtered by pattern, paged), each with digest, size, platforms, push and
/// creation time; delete links only when the registry would let this user delete here.
/// </summary>
public sealed class RepositoryModel(RegistryClient registry, RepositoryBrowser browser, WebConsoleOptions options) : ConsolePageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "name")]
    public string Name { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "filter")]
    public string? Filter { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    /// <summary>A tag the user just deleted, to say so.</summary>
    [BindProperty(SupportsGet = true, Name = "deleted")]
    public string? Deleted { get; set; }

    public int TagCount { get; private set; }

    public int PageCount { get; private set; } = 1;

    public IReadOnlyList<TagRow> Rows { get; private set; } = [];

    /// <summary>Whether the registry would take this user's delete here (<see cref="RegistryClient.MayDeleteAsync"/>).</summary>
    public bool MayDelete { get; private set; }

    public string PullPrefix => $"{PullHost(Request, options)}/{Name}";

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!RepositoryName.IsValid(Name))
        {
            Problem = "That is not a repository name.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.FromResult<IActionResult>(Page());
        }

        return ReadAsync(async () =>
        {
            var matches = TagPattern.Compile(Filter);
            var all = await registry.GetTagsAsync(Name, cancellationToken);
            var tags = all.Where(matches).ToList();
            TagCount = tags.Count;
            PageCount = Math.Max(1, (tags.Count + PageSize - 1) / PageSize);
            PageNumber = Math.Clamp(PageNumber, 1, PageCount);
            var mayDelete = registry.MayDeleteAsync(Name, cancellationToken);
            Rows = await browser.DescribeTagsAsync(Name, all, [.. tags.Skip((PageNumber - 1) * PageSize).Take(PageSize)], cancellationToken);
            MayDelete = await mayDelete;
        });
    }
}
