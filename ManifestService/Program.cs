using RegistryCloud.ManifestService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.UseRegistryListeners();
builder.AddServiceDefaults(ManifestServiceTelemetry.Name);
builder.AddManifestServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapManifestApis();

app.Run();

/// <summary>Entry point, visible to in-process tests.</summary>
public partial class Program;
