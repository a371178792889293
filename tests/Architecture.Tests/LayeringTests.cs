using System.Reflection;
using System.Xml.Linq;

namespace RegistryCloud.Architecture.Tests;

/// <summary>
/// The layering the README's layout table describes, enforced: each project references only the
/// projects below it, the shared libraries never a service, and the lowest ones neither ASP.NET
/// nor Redis. A reference that points the wrong way fails here, naming the project and the reference.
/// </summary>
public sealed class LayeringTests
{
    private static readonly string[] Libraries = ["Oci", "Configuration", "Storage", "Hosting", "Events", "Lifecycle", "Proxy"];
    private static readonly string[] Services = ["Gateway", "BlobService", "ManifestService", "NotifierService", "WebConsole"];

    /// <summary>What each product project may reference, by project name.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Oci"] = [],
        ["Configuration"] = [],
        ["Storage"] = ["Oci"],
        ["Storage.S3"] = ["Storage"],
        ["Storage.Azure"] = ["Storage"],
        ["Hosting"] = ["Oci", "Configuration", "Storage", "Storage.S3", "Storage.Azure"],
        ["Events"] = ["Oci", "Configuration", "Hosting"],
        ["Lifecycle"] = ["Oci", "Configuration", "Storage"],
        ["Proxy"] = ["Oci", "Configuration", "Hosting"],
        ["ServiceDefaults"] = [],
        ["Gateway"] = [.. Libraries, "ServiceDefaults"],
        ["BlobService"] = [.. Libraries, "ServiceDefaults"],
        ["ManifestService"] = [.. Libraries, "ServiceDefaults"],
        ["NotifierService"] = [.. Libraries, "ServiceDefaults"],
        // The console reads the registry only through the gateway's API: OCI primitives, no storage or configuration.
        ["WebConsole"] = ["Oci", "ServiceDefaults"],
        ["Admin"] = ["Oci", "Configuration", "Storage", "Hosting", "Lifecycle"],
        ["AppHost"] = [.. Services, "Configuration"],
    };

    public static TheoryData<string> Projects => [.. Allowed.Keys];

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_references_only_the_projects_below_it(string project)
    {
        var wrong = ProjectReferences(project).Where(reference => !Allowed[project].Contains(reference)).ToList();

        Assert.True(wrong.Count == 0, $"{project} references {string.Join(", ", wrong)}; it may reference only [{string.Join(", ", Allowed[project])}]");
    }

    [Fact]
    public void Every_product_project_in_the_tree_has_its_place_in_the_layering()
    {
        var products = Directory.EnumerateFiles(RepositoryRoot, "*.csproj", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryRoot, path))
            .Where(path => !path.StartsWith("tests", StringComparison.Ordinal) && !path.StartsWith("bench", StringComparison.Ordinal))
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), products);
    }

    [Theory]
    [InlineData("Oci")]
    [InlineData("Configuration")]
    [InlineData("Storage")]
    public void The_lowest_libraries_do_not_use_ASP_NET_Redis_or_another_project_above_them(string library)
    {
        var document = XDocument.Load(ProjectFile(library));
        Assert.Empty(document.Descendants("FrameworkReference"));
        Assert.DoesNotContain(document.Descendants("PackageReference"), package => ((string?)package.Attribute("Include") ?? "").Contains("Redis", StringComparison.Ordinal));

        var assembly = Assembly.Load($"RegistryCloud.{library}");
        var references = assembly.GetReferencedAssemblies().Select(name => name.Name ?? "").ToList();
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name.StartsWith("StackExchange.Redis", StringComparison.Ordinal));
        Assert.All(references.Where(name => name.StartsWith("RegistryCloud.", StringComparison.Ordinal)),
            name => Assert.Contains(name["RegistryCloud.".Length..], Allowed[library]));
    }

    [Fact]
    public void The_OCI_library_depends_on_nothing_but_the_runtime()
    {
        Assert.Empty(XDocument.Load(ProjectFile("Oci")).Descendants("PackageReference"));
        Assert.All(
            Assembly.Load("RegistryCloud.Oci").GetReferencedAssemblies(),
            name => Assert.True(name.Name is "System.Runtime" or "System.Security.Cryptography" or "System.Collections" or "System.Runtime.InteropServices" or "System.Memory" or "System.Text.RegularExpressions", $"RegistryCloud.Oci references {name.Name}"));
    }

    private static IEnumerable<string> ProjectReferences(string project) =>
        XDocument.Load(ProjectFile(project)).Descendants("ProjectReference")
            .Select(reference => Path.GetFileNameWithoutExtension(((string?)reference.Attribute("Include") ?? "").Replace('\\', '/')));

    private static string ProjectFile(string project)
    {
        var path = Path.Combine(RepositoryRoot, project, project + ".csproj");
        Assert.True(File.Exists(path), $"{path} does not exist");
        return path;
    }

    private static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RegistryCloud.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("RegistryCloud.sln not found above " + AppContext.BaseDirectory);
    }
}
