using Microsoft.AspNetCore.Mvc;
using RegistryCloud.Oci;
using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Pages;

/// <summary>
/// Deletes a tag or a manifest after the user confirms, with the API's own DELETE as the user:
/// the gateway's rules (the ACL's delete action, <c>storage.delete.enabled</c>, immutable tags)
/// decide, and a refusal is shown in the gateway's words. The confirmation is offered only where
/// <see cref="RegistryClient.MayDeleteAsync"/> says the delete would be taken; a POST without it
/// (a form kept from earlier, or made by hand) still meets the registry's refusal.
/// </summary>
public sealed class DeleteModel(RegistryClient registry) : ConsolePageModel
{
    [BindProperty(SupportsGet = true, Name = "name")]
    public string Name { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "reference")]
    public string Reference { get; set; } = "";

    public bool IsDigest => Reference.Contains(':', StringComparison.Ordinal);

    /// <summary>
    /// The confirmation, only when the registry would take the delete: otherwise the reason, and
    /// an anonymous visitor is sent to sign in. The POST asks the registry regardless.
    /// </summary>
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!Valid())
        {
            return Invalid();
        }

        try
        {
            if (await registry.MayDeleteAsync(Name, cancellationToken))
            {
                return Page();
            }
        }
        catch (HttpRequestException)
        {
            Problem = "The registry could not be reached; try again.";
            Response.StatusCode = StatusCodes.Status502BadGateway;
            return Page();
        }

        if (registry.Credentials is null)
        {
            return RedirectToPage("/Login", new { returnUrl = ReturnUrl() });
        }

        Problem = $"You may not delete in {Name}.";
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

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
            return RedirectToPage("/Login", new { returnUrl = ReturnUrl() });
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

    private string ReturnUrl() =>
        Request.PathBase + "/delete" + QueryString.Create(new Dictionary<string, string?> { ["name"] = Name, ["reference"] = Reference });

    private bool Valid() => RepositoryName.IsValid(Name) && (Tag.IsValid(Reference) || Digest.TryParse(Reference, out _));

    private IActionResult Invalid()
    {
        Problem = "That is not a repository name and a tag or digest.";
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
