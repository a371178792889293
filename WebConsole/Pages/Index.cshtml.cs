using Microsoft.AspNetCore.Mvc;
using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Pages;

/// <summary>The repositories the user may see: searched, ordered and paged by name; details for the page shown only.</summary>
public sealed class IndexModel(RegistryClient registry, RepositoryBrowser browser) : ConsolePageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "sort")]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public RepositoryPage? Listing { get; private set; }

    public IReadOnlyList<RepositorySummary> Rows { get; private set; } = [];

    public bool Descending => Sort == "desc";

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => ReadAsync(async () =>
    {
        var names = await registry.GetCatalogAsync(cancellationToken);
        Listing = RepositoryListing.Select(names, Query, Descending ? RepositorySort.NameDescending : RepositorySort.NameAscending, PageNumber);
        Rows = await browser.SummarizeAsync(Listing.Names, cancellationToken);
    });
}
