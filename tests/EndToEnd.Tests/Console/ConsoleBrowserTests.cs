using System.Net;
using OpenQA.Selenium;
using RegistryCloud.EndToEnd.Tests.Images;

namespace RegistryCloud.EndToEnd.Tests.Console;

/// <summary>
/// The web console in a real headless Chromium, through the gateway, against content pushed by
/// skopeo and by the API in each test: sign in, search, a repository's tags with their push
/// times, a multi-platform index, a signed image's referrers, deleting a tag, a user who may not
/// delete seeing no delete control and refused a forged delete, anonymous browsing, hostile
/// metadata and the status page. Each test saves a screenshot under the test output.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleBrowserTests(ConsoleRegistryFixture registry)
{
    [Fact]
    public async Task Alice_signs_in_searches_and_opens_a_repository_pushed_by_skopeo()
    {
        var pushedFrom = DateTimeOffset.UtcNow.AddMinutes(-1);
        var image = await PushImageAsync("console/webshop/frontend", "v1", "console-app");
        await PushImageAsync("console/billing", "v1", "console-other");

        using var browser = new ConsoleBrowser(registry.ConsoleAddress);
        await browser.SignInAsync(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        Assert.Contains("Signed in as", browser.Find(".account").Text, StringComparison.Ordinal);

        browser.Find("#q").SendKeys("webshop");
        await browser.ClickAsync(browser.Find("form[role=search] button"));
        browser.Screenshot("console-search");
        var names = browser.FindAll("tbody th a").Select(link => link.Text).ToList();
        Assert.Contains("console/webshop/frontend", names);
        Assert.DoesNotContain("console/billing", names);

        await browser.ClickAsync(browser.Link("console/webshop/frontend"));
        Assert.Equal("console/webshop/frontend", browser.Find("h1").Text);
        var row = browser.Find("#tags tbody tr");
        Assert.Equal("v1", row.FindElement(By.CssSelector("th")).Text);
        Assert.Contains(image.Manifest.Digest[..19], row.Text, StringComparison.Ordinal);
        Assert.Contains("linux/amd64", row.Text, StringComparison.Ordinal);
        Assert.Equal($"docker pull {registry.Address}/console/webshop/frontend:v1", row.FindElement(By.CssSelector(".pull code")).Text);
        var pushed = DateTimeOffset.ParseExact(row.FindElement(By.CssSelector(".pushed")).Text, "yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        Assert.InRange(pushed, pushedFrom, DateTimeOffset.UtcNow);
        browser.Screenshot("console-repository");
    }

    [Fact]
    public async Task A_multi_platform_index_shows_its_platforms()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var index = OciIndexLayout.WriteTwoPlatform(work.Combine("multi"), work.Combine("arm64"), seed: "console-index");
        await ConsoleImages.PushAsync(registry, work.Combine("multi"), "console/multi", "v1", all: true, cancellationToken);

        using var browser = new ConsoleBrowser(registry.ConsoleAddress);
        await browser.SignInAsync(ConsoleRegistryFixture.Bob, ConsoleRegistryFixture.BobPassword);
        browser.Open("repository?name=console/multi");
        Assert.Contains("linux/amd64, linux/arm64", browser.Find("#tags tbody tr").Text, StringComparison.Ordinal);
        await browser.ClickAsync(browser.Link("v1"));

        Assert.Equal("application/vnd.oci.image.index.v1+json", browser.Find("#media-type").Text);
        Assert.Contains(index.Digest, browser.Find(".facts").Text, StringComparison.Ordinal);
        var platforms = browser.FindAll("#platforms tbody th").Select(cell => cell.Text).ToList();
        Assert.Contains("linux/amd64", platforms);
        Assert.Contains("linux/arm64", platforms);
        browser.Screenshot("console-index");

        // Each platform's manifest opens with its config and layers.
        await browser.ClickAsync(browser.FindAll("#platforms tbody a")[0]);
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", browser.Find("#media-type").Text);
        Assert.NotEmpty(browser.FindAll("#layers tbody tr"));
    }

    [Fact]
    public async Task A_signed_image_lists_its_signature_among_the_referrers()
    {
        var image = await PushImageAsync("console/signed", "v1", "console-signed");
        var signature = await ConsoleImages.PushSignatureAsync(registry, "console/signed", image.Manifest, TestContext.Current.CancellationToken);

        using var browser = new ConsoleBrowser(registry.ConsoleAddress);
        await browser.SignInAsync(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        browser.Open("manifest?name=console/signed&reference=v1");

        Assert.Equal(ConsoleImages.SignatureArtifactType, browser.Find(".artifact-type").Text);
        Assert.Contains(signature.Digest, browser.Find(".referrers").Text, StringComparison.Ordinal);
        Assert.Contains("org.registrycloud.e2e.seed", browser.Find("#labels").Text, StringComparison.Ordinal);
        browser.Screenshot("console-referrers");

        // The signature itself names its subject.
        await browser.ClickAsync(browser.Find(".referrers a"));
        Assert.Contains(image.Manifest.Digest, browser.Find(".facts").Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alice_deletes_a_tag_after_confirming()
    {
        await PushImageAsync("console/cleanup", "old", "console-delete");

        using var browser = new ConsoleBrowser(registry.ConsoleAddress);
        await browser.SignInAsync(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        browser.Open("repository?name=console/cleanup");
        await browser.ClickAsync(browser.Find("a[aria-label='Delete tag old']"));
        Assert.Contains("Delete the tag", browser.Find("form.confirm").Text, StringComparison.Ordinal);
        await browser.ClickAsync(browser.Find("#confirm-delete"));

        Assert.Contains("Deleted old", browser.Find(".notice").Text, StringComparison.Ordinal);
        Assert.Empty(browser.FindAll("#tags tbody tr"));
        browser.Screenshot("console-deleted");

        Assert.Equal(HttpStatusCode.NotFound, await ManifestStatusAsync("console/cleanup", "old"));
    }

    [Fact]
    public async Task Bob_who_only_pulls_sees_no_delete_control_and_a_forged_delete_is_refused_and_the_tag_stays()
    {
        await PushImageAsync("console/kept", "v1", "console-kept");

        using var browser = new ConsoleBrowser(registry.ConsoleAddress);
        await browser.SignInAsync(ConsoleRegistryFixture.Bob, ConsoleRegistryFixture.BobPassword);
        browser.Open("repository?name=console/kept");
        Assert.Single(browser.FindAll("#tags tbody tr"));
        Assert.Empty(browser.FindAll("main a.danger"));
        browser.Open("manifest?name=console/kept&reference=v1");
        Assert.NotEmpty(browser.FindAll("#layers tbody tr"));
        Assert.Empty(browser.FindAll("main a.danger"));
        browser.Open("delete?name=console/kept&reference=v1");
        Assert.Contains("You may not delete in console/kept", browser.Find(".problem").Text, StringComparison.Ordinal);
        Assert.Empty(browser.FindAll("#confirm-delete"));

        // The form posted anyway, with a valid antiforgery token (the sign-out form's): the registry refuses.
        await browser.RunToNextPageAsync("""
            const token = document.querySelector("form[action$='/logout'] input[name=__RequestVerificationToken]").value;
            const form = document.createElement('form');
            form.method = 'post';
            form.action = arguments[0];
            for (const [name, value] of [['__RequestVerificationToken', token], ['name', 'console/kept'], ['reference', 'v1']]) {
                const input = document.createElement('input');
                input.type = 'hidden';
                input.name = name;
                input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
            """, "/console/delete?name=console/kept&reference=v1");

        var problem = browser.Find(".problem").Text;
        Assert.Contains("You may not delete console/kept:v1", problem, StringComparison.Ordinal);
        Assert.Contains("DENIED", problem, StringComparison.Ordinal);
        browser.Screenshot("console-refused");

        Assert.Equal(HttpStatusCode.OK, await ManifestStatusAsync("console/kept", "v1"));
    }

    [Fact]
    public async Task Anonymous_visitors_browse_only_what_anonymous_pull_allows()
    {
        await PushImageAsync("console/public/tools", "v1", "console-anonymous");
        await PushImageAsync("console/private/secrets", "v1", "console-anonymous");

        using var browser = new ConsoleBrowser(registry.ConsoleAddress);
        browser.Open();
        browser.Screenshot("console-anonymous");
        var names = browser.FindAll("tbody th a").Select(link => link.Text).ToList();
        Assert.Contains("console/public/tools", names);
        Assert.DoesNotContain("console/private/secrets", names);

        // A repository anonymous pull does not cover sends the visitor to sign in.
        browser.Open("repository?name=console/private/secrets");
        Assert.EndsWith("/console/login", browser.Url.AbsolutePath, StringComparison.Ordinal);
        Assert.DoesNotContain("secrets", browser.Find("main").Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_labels_and_annotations_are_shown_as_text()
    {
        const string Hostile = "<img src=x id=injected onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>";
        var cancellationToken = TestContext.Current.CancellationToken;
        await ConsoleImages.PushHostileImageAsync(registry, "console/hostile", "v1", Hostile, cancellationToken);

        using var browser = new ConsoleBrowser(registry.ConsoleAddress);
        await browser.SignInAsync(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        browser.Open("manifest?name=console/hostile&reference=v1");

        Assert.Contains(Hostile, browser.Find("#labels").Text, StringComparison.Ordinal);
        Assert.Contains(Hostile, browser.Find("#annotations").Text, StringComparison.Ordinal);
        Assert.Empty(browser.FindAll("#injected"));
        Assert.DoesNotContain("pwned", browser.Title, StringComparison.Ordinal);
        browser.Screenshot("console-hostile");
    }

    [Fact]
    public async Task The_status_page_shows_the_version_storage_used_garbage_collection_and_webhook_delivery()
    {
        await PushImageAsync("console/counted", "v1", "console-counted");

        using var browser = new ConsoleBrowser(registry.ConsoleAddress, width: 390, height: 844);
        await browser.SignInAsync(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        browser.Open("status");
        Assert.NotEmpty(browser.Find("#version").Text);
        Assert.Contains("answering", browser.Find(".facts").Text, StringComparison.Ordinal);
        Assert.Contains("off (gc.enabled)", browser.Find("#gc").Text, StringComparison.Ordinal);

        // The first look starts a count of the store (the collector is off); a later one shows it.
        await Poll.UntilAsync(
            () =>
            {
                browser.Open("status");
                return browser.Find("#storage-used").Text.Contains("(measured", StringComparison.Ordinal);
            },
            () => $"storage used was never shown: {browser.Find("#storage-used").Text}",
            TimeSpan.FromSeconds(60));
        Assert.Contains("by a walk of the storage", browser.Find("#storage-used").Text, StringComparison.Ordinal);
        Assert.Contains("Webhook delivery", browser.Find("main").Text, StringComparison.Ordinal);
        browser.Screenshot("console-status-phone");
    }

    /// <summary>A one-layer image (<see cref="OciImageLayout"/>) pushed by skopeo as alice.</summary>
    private async Task<OciImage> PushImageAsync(string repository, string tag, string seed)
    {
        using var work = new TemporaryDirectory();
        var image = OciImageLayout.Write(work.Combine("image"), tag, seed);
        await ConsoleImages.PushAsync(registry, image.LayoutDirectory, repository, tag, all: false, TestContext.Current.CancellationToken);
        return image;
    }

    /// <summary>What the registry API answers alice for a manifest, to check what the console did.</summary>
    private async Task<HttpStatusCode> ManifestStatusAsync(string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{reference}");
        request.Headers.Authorization = ConsoleRegistryFixture.Basic(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        using var response = await registry.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
