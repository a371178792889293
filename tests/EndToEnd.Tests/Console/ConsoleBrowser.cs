using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace RegistryCloud.EndToEnd.Tests.Console;

/// <summary>
/// A real headless Chromium (Debian's <c>chromium</c>) driven through Debian's
/// <c>chromium-driver</c> by Selenium; nothing is downloaded. Each test gets its own browser, so
/// cookies never leak from one test's user to another's. Screenshots go under the test output
/// (<c>screenshots/</c> beside the test assembly).
/// </summary>
public sealed class ConsoleBrowser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromeDriverPath = "/usr/bin/chromedriver";

    private readonly ChromeDriver _driver;
    private readonly Uri _console;

    /// <param name="trustAnyCertificate">
    /// For a gateway whose certificate a test CA signed: Chromium is not given the CA, so it is told
    /// to accept the certificate; the page is still an https origin (Secure cookies, TLS).
    /// </param>
    public ConsoleBrowser(Uri console, int width = 1280, int height = 900, bool trustAnyCertificate = false)
    {
        _console = console;
        if (!File.Exists(ChromiumPath) || !File.Exists(ChromeDriverPath))
        {
            throw new InvalidOperationException($"The browser tests need {ChromiumPath} and {ChromeDriverPath}: apt-get install chromium chromium-driver (test.sh and .ci/run install them).");
        }

        var options = new ChromeOptions { BinaryLocation = ChromiumPath, AcceptInsecureCertificates = trustAnyCertificate };
        // Root in CI has no user namespace sandbox to give Chromium; /dev/shm may be small in containers.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", $"--window-size={width},{height}", "--lang=en-US");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        _driver = new ChromeDriver(service, options, TimeSpan.FromMinutes(1));
        _driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
    }

    public IWebDriver Driver => _driver;

    public string Source => _driver.PageSource;

    public string Title => _driver.Title;

    public Uri Url => new(_driver.Url);

    /// <summary>Opens a console path (<c>repository?name=x</c>) relative to <c>/console/</c>.</summary>
    public void Open(string relative = "") => _driver.Navigate().GoToUrl(new Uri(_console, relative));

    public IWebElement Find(string css) => _driver.FindElement(By.CssSelector(css));

    public IReadOnlyList<IWebElement> FindAll(string css) => _driver.FindElements(By.CssSelector(css));

    public IWebElement Link(string text) => _driver.FindElement(By.LinkText(text));

    /// <summary>Signs in with the console's form, as a person would.</summary>
    public async Task SignInAsync(string user, string password)
    {
        Open("login");
        Find("#user").SendKeys(user);
        Find("#password").SendKeys(password);
        await ClickAsync(Find("#sign-in"));
    }

    /// <summary>
    /// Clicks a link or submit button and waits until the next page has replaced this one: a
    /// click returns as soon as the browser took it, before a form's answer has loaded.
    /// </summary>
    public Task ClickAsync(IWebElement element)
    {
        var clicked = $"{element.TagName} '{element.Text}'";
        return ReplacePageAsync(element.Click, $"the page after clicking {clicked} did not load");
    }

    /// <summary>Runs a script that leaves the page (submits a form it builds) and waits for the next page, as <see cref="ClickAsync"/> does.</summary>
    public Task RunToNextPageAsync(string script, params object[] arguments) =>
        ReplacePageAsync(() => _driver.ExecuteScript(script, arguments), "the page after the script did not load");

    private async Task ReplacePageAsync(Action leave, string failure)
    {
        var page = _driver.FindElement(By.TagName("html"));
        leave();
        await Poll.UntilAsync(() => IsGone(page) && IsLoaded(), failure, TimeSpan.FromSeconds(60));
    }

    private static bool IsGone(IWebElement element)
    {
        try
        {
            _ = element.Enabled;
            return false;
        }
        catch (StaleElementReferenceException)
        {
            return true;
        }
        catch (WebDriverException e) when (e.Message.Contains("does not belong to the document", StringComparison.Ordinal))
        {
            // Chromium's word for a node of a page being replaced (seen in CI): gone as well.
            return true;
        }
    }

    private bool IsLoaded()
    {
        try
        {
            return Equals(_driver.ExecuteScript("return document.readyState"), "complete");
        }
        catch (WebDriverException)
        {
            // The next page is being swapped in and cannot run a script yet: not loaded.
            return false;
        }
    }

    /// <summary>Saves the page as <c>screenshots/&lt;name&gt;.png</c> under the test output and returns the path.</summary>
    public string Screenshot(string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        var path = Path.Combine(directory, name + ".png");
        _driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
    }
}
