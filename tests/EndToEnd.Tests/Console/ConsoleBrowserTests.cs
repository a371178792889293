using System.Net;
using OpenQA.Selenium;
using RegistryCloud.EndToEnd.Tests.Images;

namespace RegistryCloud.EndToEnd.Tests.Console;

/// <summary>
/// The web console in a real headless Chromium, through the gateway, against content pushed by
/// skopeo and by the API in each test: sign in, search, a repository's tags, a multi-platform
/// index, a signed image's referrers, deleting a tag, a user refused what the rules forbid,
/// anonymous browsing and hostile metadata. Each test saves a screenshot under the test output.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleBrowserTests(ConsoleRegistryFixture registry)
{
    [Fact]
    public async Task Alice_signs_in_searches_and_opens_a_repository_pushed_by_skopeo()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var image = OciImageLayout.Write(work.Combine("app"), "v1", seed: "console-app");
        await ConsoleImages.PushAsync(registry, image.LayoutDirectory, "console/webshop/frontend", "v1", all: false, cancellationToken);
        await ConsoleImages.PushAsync(registry, image.LayoutDirectory, "console/webshop/frontend", "v1", all: false, cancellationToken);
        await ConsoleImages.PushAsync(registry, OciImageLayout.Write(work.Combine("other"), "v1", seed: "console-other").LayoutDirectory, "console/billing", "v1", all: false, cancellationToken);

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
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var image = OciImageLayout.Write(work.Combine("signed"), "v1", seed: "console-signed");
        await ConsoleImages.PushAsync(registry, image.LayoutDirectory, "console/signed", "v1", all: false, cancellationToken);
        var signature = await ConsoleImages.PushSignatureAsync(registry, "console/signed", image.Manifest, cancellationToken);

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
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var image = OciImageLayout.Write(work.Combine("deleted"), "old", seed: "console-delete");
        await ConsoleImages.PushAsync(registry, image.LayoutDirectory, "console/cleanup", "old", all: false, cancellationToken);

        using var browser = new ConsoleBrowser(registry.ConsoleAddress);
        await browser.SignInAsync(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        browser.Open("repository?name=console/cleanup");
        await browser.ClickAsync(browser.Find("a[aria-label='Delete tag old']"));
        Assert.Contains("Delete the tag", browser.Find("form.confirm").Text, StringComparison.Ordinal);
        await browser.ClickAsync(browser.Find("#confirm-delete"));

        Assert.Contains("Deleted old", browser.Find(".notice").Text, StringComparison.Ordinal);
        Assert.Empty(browser.FindAll("#tags tbody tr"));
        browser.Screenshot("console-deleted");

        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/console/cleanup/manifests/old");
        request.Headers.Authorization = ConsoleRegistryFixture.Basic(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        using var response = await registry.Http.SendAsync(request, cancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Bob_is_refused_a_delete_the_rules_forbid_and_the_tag_stays()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var image = OciImageLayout.Write(work.Combine("kept"), "v1", seed: "console-kept");
        await ConsoleImages.PushAsync(registry, image.LayoutDirectory, "console/kept", "v1", all: false, cancellationToken);

        using var browser = new ConsoleBrowser(registry.ConsoleAddress);
        await browser.SignInAsync(ConsoleRegistryFixture.Bob, ConsoleRegistryFixture.BobPassword);
        browser.Open("delete?name=console/kept&reference=v1");
        await browser.ClickAsync(browser.Find("#confirm-delete"));

        var problem = browser.Find(".problem").Text;
        Assert.Contains("You may not delete console/kept:v1", problem, StringComparison.Ordinal);
        Assert.Contains("DENIED", problem, StringComparison.Ordinal);
        browser.Screenshot("console-refused");

        using var request = new HttpRequestMessage(HttpMethod.Head, "v2/console/kept/manifests/v1");
        request.Headers.Authorization = ConsoleRegistryFixture.Basic(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        using var response = await registry.Http.SendAsync(request, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_visitors_browse_only_what_anonymous_pull_allows()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var image = OciImageLayout.Write(work.Combine("anon"), "v1", seed: "console-anonymous");
        await ConsoleImages.PushAsync(registry, image.LayoutDirectory, "console/public/tools", "v1", all: false, cancellationToken);
        await ConsoleImages.PushAsync(registry, image.LayoutDirectory, "console/private/secrets", "v1", all: false, cancellationToken);

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
    public async Task The_status_page_shows_the_version_and_webhook_delivery()
    {
        using var browser = new ConsoleBrowser(registry.ConsoleAddress, width: 390, height: 844);
        await browser.SignInAsync(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        browser.Open("status");
        Assert.NotEmpty(browser.Find("#version").Text);
        Assert.Contains("answering", browser.Find(".facts").Text, StringComparison.Ordinal);
        Assert.Contains("Webhook delivery", browser.Find("main").Text, StringComparison.Ordinal);
        browser.Screenshot("console-status-phone");
    }
}
