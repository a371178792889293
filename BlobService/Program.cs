using RegistryCloud.BlobService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.UseRegistryListeners();
builder.UseLargeSocketBuffers();
builder.AddServiceDefaults(BlobServiceTelemetry.Name);
builder.AddBlobServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapBlobApis();

app.Run();

/// <summary>Entry point, visible to in-process tests.</summary>
public partial class Program;
