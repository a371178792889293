using Microsoft.AspNetCore.Mvc;
using RegistryCloud.Oci;
using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Pages;

/// <summary>
/// Deletes a tag or a manifest after the user confirms, with the API's own DELETE as the user:
/// the gateway's rules (the ACL's delete action, <c>storage.delete.enabled</c>, immutable tags)
/// decide, and a refusal is shown in the gateway's words.
/// </summary>
public sealed class DeleteModel(RegistryClient registry) : ConsolePageModel
{
    [BindProperty(SupportsGet = true, Name = "name")]
    public string Name { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "reference")]
    public string Reference { get; set; } = "";

    public bool IsDigest => Reference.Contains(':', StringComparison.Ordinal);

    public IActionResult OnGet() => Valid() ? Page() : Invalid();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Valid())
        {
            return Invalid();
        }

        try
        {
            await registry.DeleteManifestAsync(Name, Reference, cancellationToken);
            return RedirectToPage("/Repository", new { name = Name, deleted = Reference });
        }
        catch (RegistryRefusedException e) when (e.IsAuthenticationRequired && registry.Credentials is null)
        {
            return RedirectToPage("/Login", new { returnUrl = Request.PathBase + "/delete" + QueryString.Create(new Dictionary<string, string?> { ["name"] = Name, ["reference"] = Reference }) });
        }
        catch (RegistryRefusedException e)
        {
            Problem = e.IsForbidden || e.IsAuthenticationRequired
                ? $"You may not delete {Name}:{Reference} ({e.Message})."
                : $"The registry refused to delete {Name}:{Reference} ({e.Message}).";
            Response.StatusCode = (int)e.Status;
            return Page();
        }
    }

    private bool Valid() => RepositoryName.IsValid(Name) && (Tag.IsValid(Reference) || Digest.TryParse(Reference, out _));

    private IActionResult Invalid()
    {
        Problem = "That is not a repository name and a tag or digest.";
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
