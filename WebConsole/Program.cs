using RegistryCloud.WebConsole.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.UseRegistryListeners();
builder.AddServiceDefaults(WebConsoleTelemetry.Name);
builder.AddWebConsoleServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapWebConsole();

app.Run();

/// <summary>Entry point, visible to in-process tests.</summary>
public partial class Program;
