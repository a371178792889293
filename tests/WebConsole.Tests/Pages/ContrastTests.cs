using System.Globalization;
using System.Text.RegularExpressions;

namespace RegistryCloud.WebConsole.Tests.Pages;

/// <summary>
/// WCAG 2.1 AA contrast of the stylesheet the console serves: 4.5:1 for text (1.4.3) and 3:1 for
/// the focus outline against every background it is drawn on (1.4.11). The colours are read from
/// the served <c>console.css</c>; which background each rule's text sits on is written here,
/// and a rule that sets a colour this test does not know fails it, so a new colour is checked too.
/// </summary>
public sealed partial class ContrastTests(ConsoleFactory factory) : IClassFixture<ConsoleFactory>
{
    private const double Text = 4.5;
    private const double NonText = 3.0;

    /// <summary>
    /// The backgrounds focusable elements sit on. The outline is drawn 2 px outside the element, so
    /// it borders these, not the element's own fill.
    /// </summary>
    private static readonly string[] Containers = [":root", ".top", ".problem", ".notice"];

    /// <summary>
    /// Every rule that sets <c>color</c>, <c>background</c> or an outline colour: the text colour
    /// (a rule's own, else the one it inherits) and the background it is read against.
    /// </summary>
    private static readonly Dictionary<string, (string TextFrom, string BackgroundFrom)> Placement = new(StringComparer.Ordinal)
    {
        [":root"] = (":root", ":root"),
        ["a"] = ("a", ":root"),
        [".skip:focus"] = (":root", ".skip:focus"),
        [".top"] = (".top", ".top"),
        [".top a, .top .link"] = (".top a, .top .link", ".top"),
        [".bottom"] = (".bottom", ":root"),
        ["h1 .ref"] = ("h1 .ref", ":root"),
        [".crumbs"] = (".crumbs", ":root"),
        ["input, select, button"] = ("input, select, button", "input, select, button"),
        ["button"] = ("button", "button"),
        // Sign out, in the header: a button drawn as a link on the header's background.
        ["button.link"] = (".top a, .top .link", ".top"),
        ["button.danger"] = ("button", "button.danger"),
        ["a.danger"] = ("a.danger", ":root"),
        [".count"] = (".count", ":root"),
        [".history .when"] = (".history .when", ":root"),
        [".problem"] = (".problem", ".problem"),
        [".notice"] = (".notice", ".notice"),
    };

    [Fact]
    public async Task Every_text_colour_meets_AA_on_its_background_and_the_focus_outline_shows_on_every_background()
    {
        var rules = Parse(await factory.Browser().GetStringAsync("css/console.css", TestContext.Current.CancellationToken));
        var variables = rules[":root"].Where(pair => pair.Key.StartsWith("--", StringComparison.Ordinal)).ToDictionary();
        string? Colour(string selector, string property) =>
            rules.TryGetValue(selector, out var declarations) && declarations.TryGetValue(property, out var value) ? Resolve(value, variables) : null;

        var failures = new List<string>();
        var checkedPairs = 0;
        foreach (var (selector, declarations) in rules)
        {
            var colours = declarations.Keys.Where(property => property is "color" or "background" or "background-color").ToList();
            if (colours.Count == 0)
            {
                continue;
            }

            if (!Placement.TryGetValue(selector, out var placement))
            {
                failures.Add($"'{selector}' sets {string.Join(" and ", colours)}: add it to {nameof(Placement)} with the background its text sits on");
                continue;
            }

            var text = Colour(placement.TextFrom, "color");
            var background = Colour(placement.BackgroundFrom, "background") ?? Colour(placement.BackgroundFrom, "background-color");
            if (text is null || background is null || background == "none")
            {
                failures.Add($"'{selector}': no colour ({text}) or background ({background}) where {nameof(Placement)} points");
                continue;
            }

            checkedPairs++;
            var ratio = Ratio(text, background);
            if (ratio < Text)
            {
                failures.Add($"'{selector}': {text} on {background} is {ratio:0.00}:1, below {Text}:1");
            }
        }

        var outline = Regex.Match(rules.Single(rule => rule.Key.Contains(":focus-visible", StringComparison.Ordinal)).Value["outline"], "#[0-9a-fA-F]{6}").Value;
        foreach (var container in Containers)
        {
            var background = Colour(container, "background")!;
            var ratio = Ratio(outline, background);
            if (ratio < NonText)
            {
                failures.Add($"focus outline {outline} on {container}'s {background} is {ratio:0.00}:1, below {NonText}:1");
            }
        }

        Assert.Equal(Placement.Count, checkedPairs);
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("#000000", "#ffffff", 21.0)]
    [InlineData("#ffffff", "#ffffff", 1.0)]
    [InlineData("#767676", "#ffffff", 4.54)]
    public void The_contrast_ratio_is_WCAGs(string foreground, string background, double expected) =>
        Assert.Equal(expected, Ratio(foreground, background), precision: 2);

    /// <summary>Selector list → its declarations (later ones win), @media blocks read as if top level.</summary>
    private static Dictionary<string, Dictionary<string, string>> Parse(string css)
    {
        var rules = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (Match rule in RuleBlock().Matches(Comment().Replace(css, "")))
        {
            var selector = Regex.Replace(rule.Groups["selector"].Value.Trim(), @"\s+", " ");
            if (selector.StartsWith('@'))
            {
                continue;
            }

            var declarations = rules.TryGetValue(selector, out var existing) ? existing : rules[selector] = new(StringComparer.Ordinal);
            foreach (var declaration in rule.Groups["body"].Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var colon = declaration.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    declarations[declaration[..colon].Trim()] = declaration[(colon + 1)..].Trim();
                }
            }
        }

        return rules;
    }

    private static string Resolve(string value, Dictionary<string, string> variables)
    {
        var reference = Regex.Match(value, @"var\((--[\w-]+)\)");
        return (reference.Success ? variables[reference.Groups[1].Value] : value).ToLowerInvariant();
    }

    private static double Ratio(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(string hex)
    {
        double Channel(int offset)
        {
            var c = int.Parse(hex.AsSpan(1 + offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        Assert.Matches("^#[0-9a-fA-F]{6}$", hex);
        return (0.2126 * Channel(0)) + (0.7152 * Channel(2)) + (0.0722 * Channel(4));
    }

    [GeneratedRegex(@"(?<selector>[^{}]+)\{(?<body>[^{}]*)\}")]
    private static partial Regex RuleBlock();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();
}
