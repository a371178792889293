using RegistryCloud.NotifierService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.UseRegistryListeners();
builder.AddServiceDefaults(NotifierServiceTelemetry.Name);
builder.AddNotifierServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapNotifierApis();

app.Run();

/// <summary>Entry point, visible to in-process tests.</summary>
public partial class Program;
